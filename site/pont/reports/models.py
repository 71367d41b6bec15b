"""Schools, reports and what is attached to them.

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

from ..clock import utcnow
from ..db import Base

RECEIVED, IN_PROGRESS, CLOSED = "received", "in_progress", "closed"
STATUSES = (RECEIVED, IN_PROGRESS, CLOSED)


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


class Report(Base):
    """One report to one school. `answers` and `contact` are encrypted JSON documents."""

    __tablename__ = "reports"
    # Fernet tokens, re-encrypted by `flask --app pont reports rotate-keys`.
    ENCRYPTED = ("answers", "contact")

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
    # Nothing here leads to what staff keep about a report (`pont.staff.models`): the
    # reporter's pages cannot load it by accident.


class Evidence(Base):
    """A screenshot, re-encoded without metadata, with the digests kept for the case file."""

    __tablename__ = "report_evidence"
    ENCRYPTED = ("data",)

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
    ENCRYPTED = ("body",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    # "reporter" (the reporter's additions) or "school" (a referent's answer).
    author: Mapped[str] = mapped_column(String(16), default="reporter")
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="messages")
