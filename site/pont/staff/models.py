"""Staff: referent accounts, what they keep about a case, and the audit log.

The audit log names who did what to which case and when, never what the case says: it can be
read by anyone of the school, and it outlives the case itself (without its code) after a purge.
"""

from __future__ import annotations

import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from ..reports.models import School


class Referent(Base):
    """A staff account of one school: the only people who may read its reports.

    Which reports an account sees is decided in one place, `cases.school_ids_for`.
    """

    __tablename__ = "referents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    # Copied into the staff session cookie at login; a new value (logout, new password)
    # makes every cookie issued before it worthless.
    session_token: Mapped[str | None] = mapped_column(String(64), nullable=True)

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
