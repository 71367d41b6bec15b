"""Schools, their referents, reports and what is attached to them.

What a database dump shows is limited on purpose: which school, when, the status, whether
someone said they were in danger and whether they want to be contacted. Every answer, free
text, contact detail, message, note and image is a Fernet token (see `crypto`).
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

RECEIVED, IN_PROGRESS, CLOSED = "received", "in_progress", "closed"
STATUSES = (RECEIVED, IN_PROGRESS, CLOSED)


def utcnow() -> datetime.datetime:
    """Naive UTC: SQLite and PostgreSQL then store and compare the same values."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class School(Base):
    """A school (établissement), known by its official UAI code."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uai: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(120))
    # Name and town without accents, case or punctuation: what the school finder searches.
    search_key: Mapped[str] = mapped_column(String(330), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow,
                                                          onupdate=utcnow)

    referents: Mapped[list[Referent]] = relationship(back_populates="school")

    @property
    def accepts_reports(self) -> bool:
        """A report nobody can read helps nobody: the school needs an active referent first."""
        return any(referent.active for referent in self.referents)


class Referent(Base):
    """A staff account of one school: the only people who may read its reports."""

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

    school: Mapped[School] = relationship(back_populates="referents")


class Report(Base):
    """One report to one school. `answers` and `contact` are encrypted JSON documents."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"),
                                           index=True)
    # The follow-up code the reporter writes down; the secret that goes with it is only
    # kept as a salted, slow hash.
    code: Mapped[str] = mapped_column(String(10), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(160))
    # Digest of the one-time token of the form that sent it: sending twice stores it once.
    submission_digest: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED, index=True)
    # "yes", "unsure" or "no": kept readable so that referents can see urgent cases first.
    danger: Mapped[str] = mapped_column(String(8))
    contact_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(2))
    answers: Mapped[bytes] = mapped_column(LargeBinary)
    contact: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    status_changed_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)

    school: Mapped[School] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="report", order_by="Evidence.id", cascade="all, delete-orphan")
    messages: Mapped[list[ReportMessage]] = relationship(
        back_populates="report", order_by="ReportMessage.id", cascade="all, delete-orphan")
    # Deliberately no relationship to StaffNote: nothing reached from a report by the
    # reporter's pages can load staff-internal notes by accident.


class Evidence(Base):
    """A screenshot, re-encoded without metadata, with the digests kept for the case file."""

    __tablename__ = "report_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    received_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    received_sha256: Mapped[str] = mapped_column(String(64))
    received_bytes: Mapped[int] = mapped_column(Integer)
    stored_sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    report: Mapped[Report] = relationship(back_populates="evidence")


class ReportMessage(Base):
    """What the reporter sees on the follow-up page: their additions (and, later, replies)."""

    __tablename__ = "report_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    # "reporter" (the reporter's additions) or "school" (a referent's answer).
    author: Mapped[str] = mapped_column(String(16), default="reporter")
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="messages")


class StaffNote(Base):
    """Referents' internal notes: a table of their own, never read by the reporter's pages."""

    __tablename__ = "report_staff_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referents.id", ondelete="SET NULL"), nullable=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
