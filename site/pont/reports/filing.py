"""Filing a report and adding to it: every database rule of the reporter's side.

The views parse and render; this module stores, authenticates a follow-up code and secret,
cleans screenshots and adds messages. What happens to a report beyond storing it (whether a
school can receive reports at all, who is told when one arrives) is not decided here: the
factory gives `init_app` the `Receivers` that decide it, so this package never needs to know
who reads reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..db import add_unique
from . import codes, evidence
from .crypto import vault
from .models import CLOSED, Evidence, Report, ReportMessage, School

# A follow-up is a conversation, not a file store: past these, the reporter writes a new report.
MAX_MESSAGES = 20
MAX_SCREENSHOTS = 15
ARRIVED, ADDED = "report", "message"


@dataclass(frozen=True)
class Receivers:
    """Who receives a school's reports, as the rest of the site decides it.

    `accepts(db, school)`: whether anyone can read the school's reports yet.
    `arrived(db, report, event)`: called before the commit that stores a new report
    (`ARRIVED`) or a reporter's message (`ADDED`), to add to that same transaction.
    """

    accepts: Callable[[Session, School], bool]
    arrived: Callable[[Session, Report, str], None]


def init_app(app: Flask, receivers: Receivers) -> None:
    app.extensions["pont_report_receivers"] = receivers


def receivers() -> Receivers:
    return current_app.extensions["pont_report_receivers"]


def accepts_reports(db: Session, school: School) -> bool:
    """A report nobody can read helps nobody: the school needs someone to receive it first."""
    return receivers().accepts(db, school)


class Refused(Exception):
    """A change the report cannot take; `status` is the HTTP status, `reason` an id."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class AlreadySent(Exception):
    """This very form was sent before: `report` is what it stored."""

    def __init__(self, report: Report):
        super().__init__(report.id)
        self.report = report


def clean_screenshots(uploads: Iterable, room: int = evidence.MAX_FILES
                      ) -> tuple[list[evidence.CleanImage], list[str]]:
    """Clean every chosen file (at most `room` of them); messages name the file they are
    about."""
    chosen = [item for item in uploads if getattr(item, "filename", "")]
    if len(chosen) > evidence.MAX_FILES:
        return [], [str(_l("At most %(max)d screenshots, please: choose the most useful ones.",
                           max=evidence.MAX_FILES))]
    if len(chosen) > room:
        return [], [str(_l("This report can take %(count)d more screenshots, no more "
                           "(%(max)d in all): choose the most useful ones.",
                           count=room, max=MAX_SCREENSHOTS))]
    images, problems = [], []
    for upload in chosen:
        try:
            images.append(evidence.clean(evidence.read_upload(upload)))
        except evidence.EvidenceError as error:
            problems.append(f"{upload.filename[:80]}: {error.args[0]}")
    return images, problems


def store(db: Session, school: School, *, answers: dict, contact: dict | None, danger: str,
          lang: str, token: str, images: list[evidence.CleanImage]
          ) -> tuple[Report, str | None]:
    """Store a new report: (report, secret); secret is None when this very form (its one-time
    `token`) was already sent, and the report is the one stored then."""
    digest = hashlib.sha256(token.encode("ascii")).hexdigest()
    keys = vault()
    sealed_answers = keys.encrypt_json(answers)
    sealed_contact = keys.encrypt_json(contact) if contact else None
    drawn: list[str] = []

    def new_report() -> Report:
        earlier = db.scalars(select(Report).where(Report.submission_digest == digest)).first()
        if earlier is not None:
            raise AlreadySent(earlier)
        drawn.append(codes.new_secret())
        return Report(
            school_id=school.id, code=codes.new_code(), secret_hash=codes.hash_secret(drawn[-1]),
            submission_digest=digest, danger=danger, contact_requested=contact is not None,
            language=lang, answers=sealed_answers, contact=sealed_contact,
            evidence=[evidence.to_row(image, keys.encrypt) for image in images])

    try:
        report = add_unique(db, new_report, tries=5)
    except AlreadySent as sent:
        return sent.report, None
    if report is None:
        raise RuntimeError("could not draw an unused follow-up code")
    receivers().arrived(db, report, ARRIVED)
    db.commit()
    return report, drawn[-1]


def authenticate(db: Session, code: str, secret: str) -> Report | None:
    """The report this (normalized) code and secret open, or None.

    Always one slow hash, found or not, so timing says nothing about which codes exist.
    """
    report = None
    if codes.is_well_formed(code, codes.CODE_LENGTH):
        report = db.scalars(select(Report).where(Report.code == code)).first()
    stored = report.secret_hash if report is not None else codes.decoy_hash()
    matches = codes.check_secret(secret, stored)
    return report if matches and report is not None else None


def room_for_screenshots(db: Session, report: Report) -> int:
    """How many more screenshots the report can take."""
    held = db.scalar(select(func.count()).select_from(Evidence)
                     .where(Evidence.report_id == report.id)) or 0
    return max(MAX_SCREENSHOTS - held, 0)


def check_can_add(db: Session, report: Report) -> None:
    """Refused(409) when the reporter can add nothing more to this report."""
    if report.status == CLOSED:
        raise Refused(409, "closed")
    written = db.scalar(select(func.count()).select_from(ReportMessage).where(
        ReportMessage.report_id == report.id, ReportMessage.author == "reporter")) or 0
    if written >= MAX_MESSAGES:
        raise Refused(409, "full")


def add(db: Session, report: Report, message: str, images: list[evidence.CleanImage]) -> None:
    """The reporter adds a message (and screenshots) to their report."""
    check_can_add(db, report)
    if len(images) > room_for_screenshots(db, report):
        raise Refused(409, "screenshots")
    keys = vault()
    report.messages.append(ReportMessage(body=keys.encrypt_text(message)))
    report.evidence.extend(evidence.to_row(image, keys.encrypt) for image in images)
    report.updated_at = utcnow()
    db.flush()
    receivers().arrived(db, report, ADDED)
    db.commit()
