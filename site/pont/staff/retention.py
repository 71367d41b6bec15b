"""Closed cases are deleted once their retention period is over, counted from the closing.

The report goes with all it holds (screenshots, messages, notes, protocol steps: the database
cascades); its audit entries stay but lose the case's id and code, so they only say that
something happened. Runs by itself when staff open their pages (at most every few minutes per
process), as `flask --app pont staff purge` for a scheduler, and on a referent's request for
one closed case.
"""

from __future__ import annotations

import datetime

from flask import Flask, current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..reports.models import CLOSED, Report
from ..throttle import Every
from . import audit
from .models import AuditEntry, Referent

# A purge run on access, by one process, at most every five minutes.
ON_ACCESS = Every(300)


def check_config(app: Flask) -> None:
    """Refuse to start on a retention that is not a whole number of days."""
    raw = app.config["CASE_RETENTION_DAYS"]
    try:
        days = int(raw)
    except (TypeError, ValueError):
        days = -1
    if days < 0 or (isinstance(raw, float) and not raw.is_integer()):
        raise ValueError(f"CASE_RETENTION_DAYS must be a whole number of days (0 or more), "
                         f"not {raw!r}")
    app.config["CASE_RETENTION_DAYS"] = days


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=current_app.config["CASE_RETENTION_DAYS"])


def purge_after(report: Report) -> datetime.datetime | None:
    """When a closed case will be deleted (None while it is open)."""
    return report.status_changed_at + retention() if report.status == CLOSED else None


def delete_reports(db: Session, reports: list[tuple[int, int]], referent: Referent | None,
                   reason: str) -> int:
    """Delete these (report id, school id) pairs and log one anonymous entry for each."""
    ids = [report_id for report_id, _school in reports]
    if not ids:
        return 0
    db.execute(update(AuditEntry).where(AuditEntry.report_id.in_(ids))
               .values(report_id=None, report_code=None))
    db.execute(delete(Report).where(Report.id.in_(ids)))
    for _report_id, school_id in reports:
        audit.record(db, "purge", referent=referent, detail=reason, school_id=school_id)
    db.commit()
    return len(ids)


def purge(db: Session, keep_for: datetime.timedelta) -> int:
    """Delete every case closed for longer than `keep_for`; return how many."""
    cutoff = utcnow() - keep_for
    expired = db.execute(select(Report.id, Report.school_id).where(
        Report.status == CLOSED, Report.status_changed_at < cutoff)).all()
    return delete_reports(db, [tuple(row) for row in expired], None, "retention")


def purge_one(db: Session, report: Report, referent: Referent) -> None:
    """A referent deletes one closed case now, before its retention period is over."""
    delete_reports(db, [(report.id, report.school_id)], referent, "referent")


def purge_now_and_then(db: Session) -> None:
    """The purge that needs no operator: cheap to call on every staff page."""
    if ON_ACCESS.due():
        purge(db, retention())
