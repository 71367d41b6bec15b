"""Staff accounts run from the site: who may manage whom, invitations, deactivation, passwords.

An admin manages the referents of the schools they are given; a school's head referent those
of their school. Which schools that is comes from `cases.school_ids_for`, the one function
that decides what an account may see. An invitation is a one-time link, valid
`STAFF_INVITATION_HOURS`, whose token is kept only as a digest: the account is created when
the link is used. Each change is one conditional write, so that two people doing the same
thing at once change it once, and the second is told.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ..clock import utcnow
from ..mail import outbox
from ..reports.models import School
from . import audit
from .auth import check_password, new_token
from .cases import school_ids_for
from .models import REFERENT, Invitation, Referent

PASSWORD_MIN = 12


class Refused(Exception):
    """A change that cannot be made; `reason` names why, for the page to say it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Who may manage whom ---------------------------------------------------------------------


def managed_school_ids(account: Referent) -> list[int]:
    """The schools whose referents this account may invite and deactivate."""
    if account.is_admin or account.head:
        return school_ids_for(account)
    return []


def can_manage(account: Referent, target: Referent) -> bool:
    return (target.id != account.id and target.role == REFERENT
            and target.school_id in managed_school_ids(account))


def managed_schools(db: Session, account: Referent) -> list[School]:
    ids = managed_school_ids(account)
    return list(db.scalars(select(School).where(School.id.in_(ids)).order_by(School.name)))


def accounts_of(db: Session, account: Referent) -> list[Referent]:
    """The referent accounts of the schools this account manages, by school and e-mail."""
    return list(db.scalars(
        select(Referent).join(School, School.id == Referent.school_id)
        .where(Referent.school_id.in_(managed_school_ids(account)))
        .order_by(School.name, Referent.email)))


def pending_invitations(db: Session, account: Referent) -> list[Invitation]:
    return list(db.scalars(
        select(Invitation).where(Invitation.school_id.in_(managed_school_ids(account)),
                                 Invitation.used_at.is_(None),
                                 Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at)))


# Invitations -----------------------------------------------------------------------------


def invite(db: Session, account: Referent, email: str, school_id: int,
           head: bool = False) -> tuple[Invitation, str]:
    """Write an invitation (replacing any earlier one to the same address) and return it
    with its token, the only time the token exists in the clear. The caller commits."""
    if school_id not in managed_school_ids(account):
        raise Refused("school")
    if head and not account.is_admin:
        raise Refused("head")
    if db.scalar(select(Referent.id).where(Referent.email == email)) is not None:
        raise Refused("exists")
    db.execute(delete(Invitation).where(Invitation.email == email,
                                        Invitation.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        digest=digest(token), email=email, school_id=school_id, head=head,
        invited_by=account.id, created_at=now,
        expires_at=now + datetime.timedelta(hours=current_app.config["STAFF_INVITATION_HOURS"]))
    db.add(invitation)
    db.flush()
    audit.record(db, "invite", account, school_id=school_id, detail=str(invitation.id))
    return invitation, token


@dataclass(frozen=True)
class Opened:
    """What a link leads to: its invitation, or why it no longer works ("unknown",
    "expired", "used")."""

    invitation: Invitation | None
    problem: str | None = None


def open_invitation(db: Session, token: str) -> Opened:
    if not token or len(token) > 100:
        return Opened(None, "unknown")
    invitation = db.scalars(select(Invitation).where(Invitation.digest == digest(token))).first()
    if invitation is None:
        return Opened(None, "unknown")
    if invitation.used_at is not None:
        return Opened(None, "used")
    if invitation.expires_at <= utcnow():
        return Opened(None, "expired")
    return Opened(invitation)


def accept(db: Session, token: str, password: str) -> Referent:
    """Use the invitation once: create the account with this password and commit.

    The invitation is marked used by a conditional UPDATE, so that of two uses at once only
    one creates the account; the other is refused as "used".
    """
    opened = open_invitation(db, token)
    if opened.invitation is None:
        raise Refused(opened.problem)
    invitation = opened.invitation
    now = utcnow()
    claimed = db.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.used_at.is_(None),
        Invitation.expires_at > now).values(used_at=now))
    if claimed.rowcount != 1:
        db.rollback()
        raise Refused("used")
    referent = Referent(email=invitation.email, school_id=invitation.school_id,
                        head=invitation.head, role=REFERENT,
                        password_hash=generate_password_hash(password))
    db.add(referent)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise Refused("exists") from None
    audit.record(db, "invitation_used", referent, detail=str(invitation.id))
    db.commit()
    return referent


# Deactivation and passwords --------------------------------------------------------------


def deactivate(db: Session, account: Referent, target_id: int) -> Referent:
    """Deactivate an account this account manages and end its sessions at once; commits.

    Raises Refused("unknown") for an account it may not manage (as if it did not exist) and
    Refused("already") when someone else deactivated it first.
    """
    target = db.get(Referent, target_id)
    if target is None or not can_manage(account, target):
        raise Refused("unknown")
    done = db.execute(update(Referent).where(Referent.id == target.id,
                                             Referent.active.is_(True))
                      .values(active=False, session_token=new_token()))
    if done.rowcount != 1:
        db.rollback()
        raise Refused("already")
    audit.record(db, "deactivate", account, school_id=target.school_id, detail=str(target.id))
    db.commit()
    db.refresh(target)
    return target


def change_password(db: Session, account: Referent, current: str, new: str) -> None:
    """Check the current password, set the new one and end every other session; the caller
    logs this browser in again with the new session token. Commits."""
    if not check_password(account, current):
        raise Refused("password")
    account.password_hash = generate_password_hash(new)
    account.session_token = new_token()
    audit.record(db, "password", account)
    db.commit()


# The invitation e-mail ---------------------------------------------------------------------


def invitation_text(invitation: Invitation, link: str) -> tuple[str, str]:
    """Subject and text of the invitation: the school, the link and its limit, nothing else."""
    subject = _("Your referent account on Pont for {school}").format(
        school=invitation.school.name)
    body = _("You are invited to handle the reports sent to {school} ({town}) on Pont.\n\n"
             "Choose your password with this link, which works once, until {until} (UTC):\n"
             "{link}\n\n"
             "If you did not expect this message, ignore it: no account is created without "
             "the link.").format(school=invitation.school.name, town=invitation.school.town,
                                 until=invitation.expires_at.strftime("%Y-%m-%d %H:%M"),
                                 link=link)
    return subject, body


def send_mail(db: Session, kind: str, recipient: str, subject: str, body: str) -> None:
    """The one place account pages hand an e-mail over: the outbox, in the caller's
    transaction (sent after the commit, retried while the mail server is down)."""
    outbox.queue(db, kind, recipient, subject, body)
