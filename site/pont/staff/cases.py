"""What staff may see and do with reports: every database rule of the referents' side.

One function, `school_ids_for`, decides which schools' reports an account may see (a
referent: their school; an admin: the schools they are given); every query of this module,
every case URL and the statistics go through it or through `visible_reports`, which applies
it. Every change to a case goes through `apply`: it checks the change, writes it, stamps
`updated_at`, writes the audit entries and commits, in one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, load_only

from ..clock import utcnow
from ..reports import codes
from ..reports.crypto import vault
from ..reports.models import CLOSED, STATUSES, Evidence, Report, ReportMessage, School
from . import audit, dossier, handoffs
from .models import AuditEntry, CaseStep, Referent, StaffNote, admin_schools
from .protocol import STEP_IDS, dashboard_order

PAGE_SIZE = 50
# Views of a case by the same account this close together are one visit: one audit line.
VISIT = datetime.timedelta(minutes=30)


def school_ids_for(account: Referent) -> list[int]:
    """The schools whose reports this account may see. The only place that decides it."""
    if not account.active:
        return []
    if account.is_admin:
        return [school.id for school in account.overseen]
    return [account.school_id] if account.school_id is not None else []


def visible_reports(account: Referent) -> ColumnElement[bool]:
    """The condition on `Report` for the reports this account may see."""
    return Report.school_id.in_(school_ids_for(account))


def schools_of(db: Session, account: Referent) -> list[School]:
    """The schools whose reports this account may see, by name."""
    return list(db.scalars(select(School).where(School.id.in_(school_ids_for(account)))
                           .order_by(School.name)))


def find_case(db: Session, account: Referent, code: str) -> Report | None:
    """The case with this code if the account may see it; None for any other code."""
    code = codes.normalize(code)
    if not codes.is_well_formed(code, codes.CODE_LENGTH):
        return None
    return db.scalars(select(Report).where(Report.code == code, visible_reports(account))).first()


def find_case_by_number(db: Session, account: Referent, number: int) -> Report | None:
    """The case with this number (as alerts name it) if the account may see it."""
    return db.scalars(select(Report).where(Report.id == number, visible_reports(account))).first()


def has_reader(db: Session, school: School) -> bool:
    """Whether anyone can read this school's reports: an active referent of it, or an active
    admin given it."""
    given = select(admin_schools.c.referent_id).where(admin_schools.c.school_id == school.id)
    return db.scalar(select(Referent.id).where(
        or_(Referent.school_id == school.id, Referent.id.in_(given)),
        Referent.active.is_(True)).limit(1)) is not None


# The list of cases -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseList:
    """One page of an account's cases with the counts per status (for one of its schools
    when `school_id` is given)."""

    reports: list[Report]
    counts: dict[str, int]
    total: int
    page: int
    pages: int
    new: dict[int, int] = field(default_factory=dict)
    # Cases a referent has opened at least once (the others show how long they have waited).
    opened: set[int] = field(default_factory=set)
    # The schools the cases belong to, by id (an admin's list names each case's school).
    schools: dict[int, School] = field(default_factory=dict)


def case_list(db: Session, account: Referent, status: str | None = None,
              page: int = 1, school_id: int | None = None) -> CaseList:
    """School by school (by name), each school's urgent open cases first, then its open
    cases nobody has opened or with a reporter's message not yet read, then the protocol's
    order (`dashboard_order`)."""
    where = [visible_reports(account)]
    if school_id is not None:
        where.append(Report.school_id == school_id)
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(db.execute(select(Report.status, func.count()).where(*where)
                             .group_by(Report.status)).all())
    reports = db.scalars(
        select(Report).where(*where, *([Report.status == status] if status else []))
        .options(load_only(Report.id, Report.code, Report.status, Report.danger,
                           Report.created_at, Report.contact_requested,
                           Report.status_changed_at, Report.school_id))).all()
    opened = set(db.scalars(select(AuditEntry.report_id).distinct().where(
        AuditEntry.school_id.in_(school_ids_for(account)),
        AuditEntry.action == "case_view")))
    new = new_messages(db, account)
    schools = {school.id: school for school in db.scalars(
        select(School).where(School.id.in_({report.school_id for report in reports})))}

    def order(report: Report) -> tuple:
        urgent, *rest = dashboard_order(report)
        waiting = report.status != CLOSED and (report.id not in opened or report.id in new)
        return (schools[report.school_id].name, urgent, not waiting, *rest)

    shown = sorted(reports, key=order)
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return CaseList(reports=shown, counts=counts, total=sum(counts.values()), page=page,
                    pages=pages, new=new, opened=opened & {report.id for report in shown},
                    schools=schools)


def new_messages(db: Session, account: Referent) -> dict[int, int]:
    """Reporter messages that arrived after the case was last opened by the school."""
    seen = (select(AuditEntry.report_id, func.max(AuditEntry.at).label("at"))
            .where(AuditEntry.school_id.in_(school_ids_for(account)),
                   AuditEntry.action == "case_view")
            .group_by(AuditEntry.report_id).subquery())
    rows = db.execute(
        select(ReportMessage.report_id, func.count())
        .join(Report, Report.id == ReportMessage.report_id)
        .outerjoin(seen, seen.c.report_id == ReportMessage.report_id)
        .where(visible_reports(account), ReportMessage.author == "reporter",
               or_(seen.c.at.is_(None), ReportMessage.created_at > seen.c.at))
        .group_by(ReportMessage.report_id))
    return dict(rows.all())


# One case --------------------------------------------------------------------------------


def steps_of(db: Session, report: Report) -> dict[str, CaseStep]:
    return {step.step: step for step in db.scalars(
        select(CaseStep).where(CaseStep.report_id == report.id))}


def notes_of(db: Session, report: Report) -> list[tuple[StaffNote, str | None]]:
    """The case's internal notes, oldest first, with their author's e-mail (None: gone)."""
    return list(db.execute(
        select(StaffNote, Referent.email)
        .outerjoin(Referent, Referent.id == StaffNote.referent_id)
        .where(StaffNote.report_id == report.id).order_by(StaffNote.id)).all())


def last_seen(db: Session, report: Report) -> datetime.datetime | None:
    return db.scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.report_id == report.id, AuditEntry.action == "case_view"))


def screenshot(db: Session, report: Report, number: int) -> Evidence | None:
    item = db.get(Evidence, number)
    return item if item is not None and item.report_id == report.id else None


def record_visit(db: Session, account: Referent, report: Report) -> None:
    """Audit a view of the case once per visit: not again while the account's last entry on
    it is a view of less than `VISIT` ago."""
    last = db.scalars(select(AuditEntry).where(AuditEntry.report_id == report.id)
                      .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1)).first()
    if (last is not None and last.action == "case_view" and last.referent_id == account.id
            and last.at > utcnow() - VISIT):
        return
    audit.record(db, "case_view", account, report)


# Changes ---------------------------------------------------------------------------------


class Invalid(ValueError):
    """A change that names an unknown status or step."""


def dossier_of(db: Session, report: Report, with_notes: bool = False,
               evidence: frozenset[int] | None = None) -> dict:
    """The case's dossier as it is now: the whole of it, or (`evidence` given) what a
    platform needs, with those screenshots only."""
    if evidence is not None:
        return dossier.build_for_platform(report, evidence)
    notes = [note for note, _email in notes_of(db, report)] if with_notes else None
    return dossier.build(report, list(steps_of(db, report).values()), notes,
                         handoffs.of(db, report))


@dataclass(frozen=True)
class Change:
    """What a referent asks to change on a case; None (or empty) leaves that part alone."""

    status: str | None = None
    steps: frozenset[str] | None = None
    note: str = ""
    reply: str = ""
    handoff: handoffs.NewHandoff | None = None
    outcome: handoffs.NewOutcome | None = None


def apply(db: Session, account: Referent, report: Report, change: Change) -> list[str]:
    """Check, write, stamp, audit and commit a change; return the audit actions written
    (empty when nothing differed)."""
    if change.status is not None and change.status not in STATUSES:
        raise Invalid(change.status)
    if change.steps is not None and not change.steps <= set(STEP_IDS):
        raise Invalid(", ".join(sorted(change.steps - set(STEP_IDS))))
    if change.handoff is not None:
        handoffs.check_handoff(report, change.handoff)
    handed = handoffs.find(db, report, change.outcome.handoff_id) if change.outcome else None
    if change.outcome is not None:
        handoffs.check_outcome(handed, change.outcome)
    now = utcnow()
    done: list[str] = []
    if change.status is not None and change.status != report.status:
        report.status, report.status_changed_at = change.status, now
        audit.record(db, "status", account, report, detail=report.status)
        done.append("status")
    if change.steps is not None and write_steps(db, account, report, change.steps):
        audit.record(db, "steps", account, report,
                     detail=f"{len(change.steps)}/{len(STEP_IDS)}")
        done.append("steps")
    if change.note:
        db.add(StaffNote(report_id=report.id, referent_id=account.id,
                         body=vault().encrypt_text(change.note)))
        audit.record(db, "note", account, report)
        done.append("note")
    if change.reply:
        report.messages.append(ReportMessage(author="school",
                                             body=vault().encrypt_text(change.reply)))
        audit.record(db, "reply", account, report)
        done.append("reply")
    if change.handoff is not None:
        # The digest of the dossier as it is when handed over, before this hand-off is in it.
        sent = dossier_of(db, report, evidence=change.handoff.evidence
                          if change.handoff.kind == handoffs.PLATFORM else None)
        handoffs.add(db, account, report, change.handoff, dossier.digest(report, sent))
        audit.record(db, "handoff", account, report, detail=change.handoff.kind)
        done.append("handoff")
    if change.outcome is not None:
        handoffs.set_outcome(account, handed, change.outcome)
        audit.record(db, "handoff_outcome", account, report, detail=change.outcome.outcome)
        done.append("handoff_outcome")
    if done:
        report.updated_at = now
        db.commit()
    return done


def write_steps(db: Session, account: Referent, report: Report, wanted: frozenset[str]) -> bool:
    """Mark done the wanted steps not yet done, undo the others; True if anything changed."""
    done = steps_of(db, report)
    changed = False
    for step in STEP_IDS:
        if step in wanted and step not in done:
            db.add(CaseStep(report_id=report.id, step=step, referent_id=account.id))
            changed = True
        elif step not in wanted and step in done:
            db.delete(done[step])
            changed = True
    return changed
