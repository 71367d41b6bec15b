"""A school's figures, without personal data: what its « Faits établissement » declarations
and its pHARe self-assessment need.

Each report becomes a `Facts` row holding only the school, the month, who reported (as one of
four groups), the platforms, the status, the danger answer and two durations: never a code, a
date finer than the month, or anything written. The figures are counts and medians over
those rows; `COUNTS` lists the counts, so one more is one more entry. Which schools an
account may count is decided by `cases.school_ids_for`, like everything staff see. Purged
cases are gone from the figures with the rest of them.
"""

from __future__ import annotations

import csv
import datetime
import io
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..reports.crypto import vault
from ..reports.forms import PLACES
from ..reports.models import CLOSED, STATUSES, Report, School
from .cases import schools_of
from .handoffs import KINDS, OUTCOMES
from .models import AuditEntry, Handoff, Referent
from .protocol import STATUS_LABELS

# Who reported, in the four groups schools declare (a staff member reporting for a pupil or
# for themselves both count as staff).
REPORTERS = {"target": "pupil", "witness": "witness", "parent": "parent", "staff": "staff",
             "staff_target": "staff"}
REPORTER_LABELS = {"pupil": _l("The targeted pupil"), "witness": _l("A pupil who saw it"),
                   "parent": _l("A parent"), "staff": _l("A staff member")}
DANGER_LABELS = {"yes": _l("Yes"), "unsure": _l("Not sure"), "no": _l("No")}
# A hand-off's outcome counts under "kind:outcome"; "pending" while none is recorded.
PENDING = "pending"
OUTCOME_LABELS = {
    f"{kind}:{outcome}": LazyString(lambda k=kind_label, o=outcome_label: f"{k} — {o}")
    for kind, kind_label in KINDS.items()
    for outcome, outcome_label in {**OUTCOMES, PENDING: _l("No outcome yet")}.items()
}


@dataclass(frozen=True)
class Facts:
    """What the figures know of one report."""

    school_id: int
    month: str  # "2026-11", in the site's time zone
    reporter: str
    platforms: tuple[str, ...]
    status: str
    danger: str
    to_first_reading: datetime.timedelta | None
    to_closing: datetime.timedelta | None
    # One entry per hand-off of the report: its kind, and "kind:outcome".
    handoffs: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Count:
    """One table of the figures: how many reports fall under each key."""

    name: str
    title: object
    keys_of: Callable[[Facts], Iterable[str]]
    labels: dict | None = None  # key → label; None: the keys are shown as they are


COUNTS = (
    Count("month", _l("Reports per month"), lambda facts: [facts.month]),
    Count("reporter", _l("Who reported"), lambda facts: [facts.reporter], REPORTER_LABELS),
    Count("platform", _l("Where online (a report may name several)"),
          lambda facts: facts.platforms, dict(PLACES)),
    Count("status", _l("Status"), lambda facts: [facts.status], STATUS_LABELS),
    Count("danger", _l("Someone said to be in danger now"), lambda facts: [facts.danger],
          DANGER_LABELS),
    Count("handoff", _l("Hand-offs, per kind (a report may have several)"),
          lambda facts: facts.handoffs, KINDS),
    Count("handoff_outcome", _l("Outcomes of the hand-offs, per kind"),
          lambda facts: facts.outcomes, OUTCOME_LABELS),
)


@dataclass(frozen=True)
class Figures:
    total: int
    counts: dict[str, Counter] = field(default_factory=dict)
    # Share of reports saying someone is in danger now (None: no report).
    danger_share: float | None = None
    median_to_first_reading: datetime.timedelta | None = None
    median_to_closing: datetime.timedelta | None = None


def median(values: list[datetime.timedelta]) -> datetime.timedelta | None:
    if not values:
        return None
    return datetime.timedelta(seconds=round(statistics.median(
        value.total_seconds() for value in values)))


def figures(rows: list[Facts]) -> Figures:
    counts = {count.name: Counter(key for facts in rows for key in count.keys_of(facts))
              for count in COUNTS}
    counts["month"] = Counter(dict(sorted(counts["month"].items())))
    return Figures(
        total=len(rows), counts=counts,
        danger_share=(sum(facts.danger == "yes" for facts in rows) / len(rows)) if rows else None,
        median_to_first_reading=median([facts.to_first_reading for facts in rows
                                        if facts.to_first_reading is not None]),
        median_to_closing=median([facts.to_closing for facts in rows
                                  if facts.to_closing is not None]))


def facts_of(db: Session, school_ids: list[int]) -> list[Facts]:
    if not school_ids:
        return []
    zone = ZoneInfo(current_app.config["REPORT_TIMEZONE"])
    first_views = dict(db.execute(
        select(AuditEntry.report_id, func.min(AuditEntry.at))
        .where(AuditEntry.school_id.in_(school_ids), AuditEntry.action == "case_view",
               AuditEntry.report_id.is_not(None))
        .group_by(AuditEntry.report_id)).all())
    handed: dict[int, list[tuple[str, str]]] = {}
    for report_id, kind, outcome in db.execute(
            select(Handoff.report_id, Handoff.kind, Handoff.outcome)
            .join(Report, Report.id == Handoff.report_id)
            .where(Report.school_id.in_(school_ids)).order_by(Handoff.id)):
        handed.setdefault(report_id, []).append((kind, outcome or PENDING))
    keys = vault()
    rows = []
    for report in db.scalars(select(Report).where(Report.school_id.in_(school_ids))
                             .order_by(Report.id)):
        answers = keys.decrypt_json(report.answers)
        first = first_views.get(report.id)
        rows.append(Facts(
            school_id=report.school_id,
            month=report.created_at.replace(tzinfo=datetime.UTC).astimezone(zone)
            .strftime("%Y-%m"),
            reporter=REPORTERS.get(answers.get("role"), "pupil"),
            platforms=tuple(answers.get("places") or ()),
            status=report.status if report.status in STATUSES else "received",
            danger=report.danger,
            to_first_reading=first - report.created_at if first else None,
            to_closing=(report.status_changed_at - report.created_at
                        if report.status == CLOSED else None),
            handoffs=tuple(kind for kind, _outcome in handed.get(report.id, ())),
            outcomes=tuple(f"{kind}:{outcome}" for kind, outcome in handed.get(report.id, ()))))
    return rows


@dataclass(frozen=True)
class Board:
    """The figures an account may see: per school, and summed over them."""

    schools: list[School]
    per_school: dict[int, Figures]
    summed: Figures


def board(db: Session, account: Referent, only: School | None = None) -> Board:
    """The account's figures; `only` narrows them to one of its schools (ignored when it is
    not one)."""
    schools = schools_of(db, account)
    if only is not None and only in schools:
        schools = [only]
    ids = [school.id for school in schools]
    rows = facts_of(db, ids)
    return Board(schools=schools,
                 per_school={school.id: figures([facts for facts in rows
                                                 if facts.school_id == school.id])
                             for school in schools},
                 summed=figures(rows))


def hours(value: datetime.timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 3600:.1f}"


def csv_text(found: Board) -> str:
    """One line per school (UAI; "all" for the sum), measure, key and value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["school", "measure", "key", "value"])
    parts = [(school.uai, found.per_school[school.id]) for school in found.schools]
    if len(found.schools) > 1:
        parts.append(("all", found.summed))
    for school, shown in parts:
        writer.writerow([school, "reports", "", shown.total])
        for count in COUNTS:
            for key, number in shown.counts[count.name].items():
                writer.writerow([school, count.name, key, number])
        writer.writerow([school, "danger_share", "",
                         "" if shown.danger_share is None else f"{shown.danger_share:.3f}"])
        writer.writerow([school, "median_hours_to_first_reading", "",
                         hours(shown.median_to_first_reading)])
        writer.writerow([school, "median_hours_to_closing", "", hours(shown.median_to_closing)])
    return out.getvalue()
