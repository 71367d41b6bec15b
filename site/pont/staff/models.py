"""Staff: accounts (referents and admins), what they keep about a case, and the audit log.

The audit log names who did what to which case and when, never what the case says: it can be
read by anyone of the school, and it outlives the case itself (without its code) after a purge.
"""

from __future__ import annotations

import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from ..reports.models import School

REFERENT, ADMIN = "referent", "admin"
ROLES = (REFERENT, ADMIN)

# The schools an admin is given: the only link between an admin and reports.
admin_schools = Table(
    "admin_schools", Base.metadata,
    Column("referent_id", ForeignKey("referents.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Referent(Base):
    """A staff account: a *referent* of one school, or an *admin* of the schools they are
    given (an academy's or a district's harassment team).

    Which reports an account sees is decided in one place, `cases.school_ids_for`.
    """

    __tablename__ = "referents"
    # The authenticator app's secret, re-encrypted by `reports rotate-keys` like reports.
    ENCRYPTED = ("totp_secret",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The referent's school; None for an admin, whose schools are `overseen`.
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True, nullable=True)
    role: Mapped[str] = mapped_column(String(16), default=REFERENT)
    # A school's head referent may invite and deactivate the other referents of the school.
    head: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, nullable=True)
    # Copied into the staff session cookie at login; a new value (logout, new password,
    # deactivation) makes every cookie issued before it worthless.
    session_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Two-factor login: the TOTP secret (Fernet token) once enrolment is confirmed, and the
    # last time step a code was accepted for, so that a code works once.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)

    school: Mapped[School | None] = relationship()
    overseen: Mapped[list[School]] = relationship(secondary=admin_schools,
                                                  order_by="School.name")

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def has_2fa(self) -> bool:
        return self.totp_secret is not None


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app, kept as a SHA-256 digest
    (the codes are long random strings, so a fast digest is enough)."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referent_id: Mapped[int] = mapped_column(ForeignKey("referents.id", ondelete="CASCADE"),
                                             index=True)
    digest: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, nullable=True)


class Invitation(Base):
    """A one-time link to set the password of a new referent account. Only the digest of
    the link's token is kept; the account is created when the link is used."""

    __tablename__ = "staff_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    head: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_by: Mapped[int | None] = mapped_column(
        ForeignKey("referents.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, nullable=True)

    school: Mapped[School] = relationship()


class StaffNote(Base):
    """Referents' internal notes: a table of their own, never read by the reporter's pages."""

    __tablename__ = "report_staff_notes"
    ENCRYPTED = ("body",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referents.id", ondelete="SET NULL"), nullable=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)


class CaseStep(Base):
    """A step of the pHARe protocol marked done on a case (see `protocol.STEPS`)."""

    __tablename__ = "case_steps"
    __table_args__ = (UniqueConstraint("report_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    step: Mapped[str] = mapped_column(String(32))
    done_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referents.id", ondelete="SET NULL"), nullable=True)


class AuditEntry(Base):
    """One read or change by staff. `detail` holds an id such as a status, never free text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referents.id", ondelete="SET NULL"), nullable=True, index=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True, index=True)
    # Both emptied when the case is purged: the entry then only says that something happened.
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL"), nullable=True, index=True)
    report_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(40), nullable=True)


class Handoff(Base):
    """A case handed to someone outside the school (see `handoffs.KINDS`), and what came of
    it. The reference the other side gave is encrypted like the rest of the case."""

    __tablename__ = "case_handoffs"
    ENCRYPTED = ("reference",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # The platform's id (`handoffs.platforms`) for a hand-off to a platform, else None.
    platform: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reference: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    handed_on: Mapped[datetime.date] = mapped_column(Date)
    # The SHA-256 of dossier.json as built when the hand-off was recorded.
    dossier_sha256: Mapped[str] = mapped_column(String(64))
    referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referents.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    outcome_on: Mapped[datetime.date | None] = mapped_column(Date, nullable=True)
    outcome_referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referents.id", ondelete="SET NULL"), nullable=True)
