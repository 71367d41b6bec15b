"""Hand-offs: a case handed to the 3018, a platform, PHAROS, the police or the prosecutor, or
child protection, with the reference the other side gave, the dossier sent (its SHA-256) and,
later, what came of it. Every rule about them is here; `cases.apply` writes them.

Pont sends nothing itself: the referent hands the dossier over and records it here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..clock import utcnow
from ..i18n import current_language
from ..reports.crypto import vault
from ..reports.forms import PLACES
from ..reports.models import Report
from .models import Handoff, Referent

HELPLINE, PLATFORM, PHAROS, POLICE, CHILD_PROTECTION = (
    "helpline_3018", "platform", "pharos", "police_or_prosecutor",
    "child_protection_crip_or_119")
KINDS = {
    HELPLINE: _l("The 3018 (e-Enfance)"),
    PLATFORM: _l("A platform"),
    PHAROS: _l("PHAROS (public content)"),
    POLICE: _l("The police or the prosecutor (art. 40 CPP)"),
    CHILD_PROTECTION: _l("Child protection (the department's CRIP, or the 119)"),
}
OUTCOMES = {
    "content_removed": _l("Content removed"),
    "account_closed": _l("Account closed"),
    "refused": _l("Refused"),
    "no_answer": _l("No answer"),
    "other": _l("Other outcome"),
}
REFERENCE_MAX = 120
# The report form's places that are not a platform one could hand a case to.
NOT_PLATFORMS = {"game", "sms", "other"}
OTHER_PLATFORM = "other"


class Invalid(ValueError):
    """A hand-off or an outcome that breaks a rule: `field` names the form field, `message`
    says what to change."""

    def __init__(self, field: str, message) -> None:
        super().__init__(str(message))
        self.field, self.message = field, message


def platforms() -> dict[str, object]:
    """Platform ids and names: the report form's platforms and the platform guides."""
    found: dict[str, object] = {key: label for key, label in PLACES if key not in NOT_PLATFORMS}
    library = current_app.extensions["pont_library"]
    for guide in library.platform_guides(current_language()):
        found.setdefault(guide.slug, guide.name)
    found[OTHER_PLATFORM] = _l("Another platform")
    return found


def today() -> datetime.date:
    """Today on the school's clock (hand-off and outcome dates are the school's days)."""
    zone = ZoneInfo(current_app.config["REPORT_TIMEZONE"])
    return utcnow().replace(tzinfo=datetime.UTC).astimezone(zone).date()


@dataclass(frozen=True)
class NewHandoff:
    """What a referent records when they hand the case over. `evidence` (screenshot numbers,
    from 1) is what a platform receives; the other kinds receive the whole dossier."""

    kind: str
    handed_on: datetime.date | None
    reference: str = ""
    platform: str | None = None
    evidence: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class NewOutcome:
    handoff_id: int
    outcome: str
    on: datetime.date | None


def check_handoff(report: Report, new: NewHandoff) -> None:
    """Raise `Invalid` for the first rule the hand-off breaks."""
    if new.kind not in KINDS:
        raise Invalid("kind", _l("Choose to whom the case was handed."))
    if new.kind == PLATFORM and new.platform not in platforms():
        raise Invalid("platform", _l("Choose the platform the case was handed to."))
    if len(new.reference) > REFERENCE_MAX:
        raise Invalid("reference", _l(
            "The reference is too long: at most %(max)s characters (%(count)s now).",
            max=REFERENCE_MAX, count=len(new.reference)))
    if not new.reference.isprintable():
        raise Invalid("reference", _l(
            "The reference may hold letters, digits, spaces and punctuation only: remove "
            "line breaks, tabs and invisible characters."))
    if new.handed_on is None:
        raise Invalid("handed_on", _l("Give the date of the hand-off."))
    if new.handed_on > today():
        raise Invalid("handed_on", _l("The date of the hand-off cannot be in the future."))
    if new.handed_on < report.created_at.date() - datetime.timedelta(days=1):
        raise Invalid("handed_on", _l("The date of the hand-off cannot be before the report "
                                      "was received."))
    if new.kind == PLATFORM and not new.evidence <= set(range(1, len(report.evidence) + 1)):
        raise Invalid("evidence", _l("Choose among the case's screenshots."))


def check_outcome(handoff: Handoff | None, new: NewOutcome) -> None:
    if handoff is None:
        raise Invalid("handoff", _l("There is no such hand-off on this case."))
    if new.outcome not in OUTCOMES:
        raise Invalid("outcome", _l("Choose what came of the hand-off."))
    if new.on is None:
        raise Invalid("outcome_on", _l("Give the date of the outcome."))
    if new.on < handoff.handed_on:
        raise Invalid("outcome_on", _l("The outcome cannot be dated before the hand-off."))
    if new.on > today():
        raise Invalid("outcome_on", _l("The date of the outcome cannot be in the future."))


def add(db: Session, account: Referent, report: Report, new: NewHandoff,
        dossier_sha256: str) -> Handoff:
    """Add a checked hand-off to the session; the caller audits and commits."""
    handoff = Handoff(report_id=report.id, kind=new.kind,
                      platform=new.platform if new.kind == PLATFORM else None,
                      reference=vault().encrypt_text(new.reference) if new.reference else None,
                      handed_on=new.handed_on, dossier_sha256=dossier_sha256,
                      referent_id=account.id)
    db.add(handoff)
    return handoff


def set_outcome(account: Referent, handoff: Handoff, new: NewOutcome) -> None:
    handoff.outcome, handoff.outcome_on = new.outcome, new.on
    handoff.outcome_referent_id = account.id


def find(db: Session, report: Report, number: int) -> Handoff | None:
    """The hand-off with this number if it belongs to this case."""
    handoff = db.get(Handoff, number)
    return handoff if handoff is not None and handoff.report_id == report.id else None


@dataclass(frozen=True)
class Shown:
    """A hand-off as pages and the dossier show it: the reference decrypted, who did it."""

    handoff: Handoff
    reference: str
    by: str | None
    outcome_by: str | None


def of(db: Session, report: Report) -> list[Shown]:
    """The case's hand-offs, oldest first."""
    outcome_author = aliased(Referent)
    rows = db.execute(
        select(Handoff, Referent.email, outcome_author.email)
        .outerjoin(Referent, Referent.id == Handoff.referent_id)
        .outerjoin(outcome_author, outcome_author.id == Handoff.outcome_referent_id)
        .where(Handoff.report_id == report.id)
        .order_by(Handoff.handed_on, Handoff.id)).all()
    keys = vault()
    return [Shown(handoff, keys.decrypt_text(handoff.reference) if handoff.reference else "",
                  by, outcome_by) for handoff, by, outcome_by in rows]
