"""The audit log: who read or changed which case, and when. Never what the case says."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..reports.models import Report
from .models import AuditEntry, Referent

ACTIONS = {
    "login": _l("Logged in"),
    "login_failed": _l("Failed login (wrong password or inactive account)"),
    "logout": _l("Logged out"),
    "dashboard_view": _l("Viewed the list of reports"),
    "case_view": _l("Viewed the case"),
    "evidence_view": _l("Viewed a screenshot"),
    "export_print": _l("Opened the printable dossier"),
    "export_file": _l("Downloaded the dossier"),
    "status": _l("Changed the status"),
    "steps": _l("Updated the protocol steps"),
    "note": _l("Added an internal note"),
    "reply": _l("Answered the reporter"),
    "purge": _l("Deleted a closed case"),
    "code_failed": _l("Failed login (wrong two-factor code)"),
    "recovery_code": _l("Logged in with a recovery code"),
    "invite": _l("Invited a referent"),
    "invitation_used": _l("Set a password from an invitation"),
    "deactivate": _l("Deactivated an account"),
    "password": _l("Changed their password"),
    "2fa_on": _l("Turned on two-factor login"),
    "2fa_off": _l("Turned off two-factor login"),
    "statistics": _l("Viewed the statistics"),
    "handoff": _l("Recorded a hand-off"),
    "handoff_outcome": _l("Recorded the outcome of a hand-off"),
}


def record(db: Session, action: str, referent: Referent | None = None,
           report: Report | None = None, detail: str | None = None,
           school_id: int | None = None) -> AuditEntry:
    """Add an entry to the session; the caller commits with the change it describes."""
    entry = AuditEntry(
        action=action, detail=detail,
        referent_id=referent.id if referent else None,
        school_id=report.school_id if report else (
            school_id if school_id is not None else referent.school_id if referent else None),
        report_id=report.id if report else None,
        report_code=report.code if report else None,
    )
    db.add(entry)
    return entry


def trail(db: Session, report: Report) -> list[tuple[AuditEntry, str | None]]:
    """A case's entries, oldest first, with the e-mail of who did each (None: account gone)."""
    rows = db.execute(
        select(AuditEntry, Referent.email)
        .outerjoin(Referent, Referent.id == AuditEntry.referent_id)
        .where(AuditEntry.report_id == report.id)
        .order_by(AuditEntry.at, AuditEntry.id))
    return [(entry, email) for entry, email in rows]
