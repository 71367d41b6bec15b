"""E-mail alerts to referents: a report arrived, a reporter wrote again, nobody has opened one.

An alert says which school, when, whether someone was said to be in danger (the subject then
says it is urgent) and links to the case; never the report's text, the reporter's details,
the follow-up code or a screenshot. The link names the case by its number, not its code. Each
alert is written in French then English: a referent's language is not known.
"""

from __future__ import annotations

import datetime
import hashlib
from contextlib import nullcontext
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..mail import outbox
from ..reports.filing import ARRIVED
from ..reports.models import CLOSED, Report
from ..throttle import Every
from .models import AuditEntry, Referent, admin_schools
from .protocol import is_urgent

LANGS = ("fr", "en")
# Reminders looked for on access, by one process, at most every five minutes.
ON_ACCESS = Every(300)


def recipients(db: Session, school_id: int, admins: bool = False) -> list[str]:
    """Who is told about a school's reports: its active referents, and the active admins
    given the school when `admins` is set or when it has no active referent."""
    referents = list(db.scalars(select(Referent.email).where(
        Referent.school_id == school_id, Referent.active.is_(True)).order_by(Referent.id)))
    if referents and not admins:
        return referents
    given = select(admin_schools.c.referent_id).where(admin_schools.c.school_id == school_id)
    return referents + list(db.scalars(select(Referent.email).where(
        Referent.id.in_(given), Referent.active.is_(True)).order_by(Referent.id)))


def report_arrived(db: Session, report: Report, event: str) -> None:
    """Queue the alerts of a new report or message, in the transaction that stores it."""
    kind = "report_alert" if event == ARRIVED else "message_alert"
    queue_alerts(db, report, kind)


def queue_alerts(db: Session, report: Report, kind: str, once: str | None = None) -> int:
    addresses = recipients(db, report.school_id, admins=kind == "reminder")
    if not addresses:
        current_app.logger.warning("mail: %s for case %d: its school has no active referent",
                                   kind, report.id)
        return 0
    subject, body = compose(report, kind)
    queued = 0
    for address in addresses:
        key = f"{once}:{hashlib.sha256(address.encode()).hexdigest()[:16]}" if once else None
        queued += outbox.queue(db, kind, address, subject, body, once_key=key) is not None
    return queued


def compose(report: Report, kind: str) -> tuple[str, str]:
    """(subject, text), French then English."""
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    # Outside a request (a scheduled run), links are built for the public address.
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=public or None)
    with context:
        link = case_link(report, public)
        subjects, texts = [], []
        for lang in LANGS:
            with force_locale(lang):
                subjects.append(subject_of(report, kind))
                texts.append(text_of(report, kind, lang, link))
    return " / ".join(subjects), "\n\n-----\n\n".join(texts) + "\n"


def subject_of(report: Report, kind: str) -> str:
    school = report.school.name
    if kind == "message_alert":
        return gettext("New message on a case – %(school)s", school=school)
    if kind == "reminder":
        return gettext("Reminder: a report not yet opened – %(school)s", school=school)
    if is_urgent(report):
        return gettext("URGENT: new report, someone may be in danger – %(school)s",
                       school=school)
    return gettext("New report – %(school)s", school=school)


def text_of(report: Report, kind: str, lang: str, link: str) -> str:
    school = f"{report.school.name} ({report.school.town})"
    when = local_time(report.created_at, lang)
    lines = [{
        "report_alert": gettext("A new report has arrived for %(school)s, on %(when)s.",
                                school=school, when=when),
        "message_alert": gettext("The reporter of a case of %(school)s has added a message, "
                                 "on %(when)s.", school=school,
                                 when=local_time(utcnow(), lang)),
        "reminder": gettext("A report received for %(school)s on %(when)s has not been "
                            "opened by any referent yet.", school=school, when=when),
    }[kind]]
    if report.danger == "yes":
        lines.append(gettext("The reporter said that someone is in danger right now."))
    elif report.danger == "unsure":
        lines.append(gettext("The reporter is not sure whether someone is in danger right "
                             "now."))
    lines.append(gettext("Open the case (you will be asked to log in): %(link)s", link=link))
    lines.append(gettext("For the reporter's safety, this e-mail holds nothing of what was "
                         "reported: read it on the site, never forward it."))
    return "\n\n".join(lines)


def local_time(value: datetime.datetime, lang: str) -> str:
    zone = ZoneInfo(current_app.config["REPORT_TIMEZONE"])
    local = value.replace(tzinfo=datetime.UTC).astimezone(zone)
    return format_datetime(local, "d MMMM y, HH:mm", locale=lang)


def case_link(report: Report, public: str) -> str:
    """The case page's address by the case's number (never its code), on the public site."""
    if public:
        return public + url_for("staff.open_case", number=report.id, lang="fr")
    return url_for("staff.open_case", number=report.id, lang="fr", _external=True)


# Escalation ------------------------------------------------------------------------------


def escalate(db: Session) -> int:
    """Remind the referents of every open report nobody has opened within the configured
    hours (fewer when someone may be in danger); once per report and referent."""
    config = current_app.config
    now = utcnow()
    opened = exists().where(AuditEntry.report_id == Report.id,
                            AuditEntry.action == "case_view")
    oldest = now - datetime.timedelta(hours=float(config["REPORT_ESCALATE_URGENT_HOURS"]))
    candidates = db.scalars(select(Report).where(
        Report.status != CLOSED, ~opened, Report.created_at <= oldest)).all()
    queued = 0
    for report in candidates:
        hours = config["REPORT_ESCALATE_URGENT_HOURS"] if is_urgent(report) \
            else config["REPORT_ESCALATE_HOURS"]
        if report.created_at > now - datetime.timedelta(hours=float(hours)):
            continue
        try:
            queued += queue_alerts(db, report, "reminder", once=f"reminder:{report.id}")
            db.commit()
        except IntegrityError:  # another process queued the same reminder a moment ago
            db.rollback()
    return queued


def escalate_now_and_then(db: Session) -> None:
    """The reminders that need no operator: cheap to call on every staff page."""
    if ON_ACCESS.due():
        escalate(db)
