"""What referents do with a case: the protocol steps they have done, and the audit log.

The audit log names who did what to which case and when, never what the case says: it can be
read by anyone of the school, and it outlives the case itself (without its code) after a purge.
"""

from __future__ import annotations

import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..reports.models import utcnow


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
