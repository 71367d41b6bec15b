"""Live class sessions: everything a session needs lives in these three tables.

No process keeps session state of its own, so any number of app processes can serve the same
class. Nothing here names a pupil: a participant is a generated pseudonym and the digest of a
random token kept in their browser. All of it is deleted when the session expires; only the
anonymous quiz counters (pont.quizzes.models) keep the answers.
"""

from __future__ import annotations

import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..db import Base

LOBBY, QUESTION, REVEAL, FINISHED = "lobby", "question", "reveal", "finished"
PHASES = (LOBBY, QUESTION, REVEAL, FINISHED)


class LiveSession(Base):
    """One class running one module's quiz, paced by the teacher."""

    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    lang: Mapped[str] = mapped_column(String(2))
    audience: Mapped[str] = mapped_column(String(16))
    module: Mapped[str] = mapped_column(String(80))
    teacher_digest: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(12), default=LOBBY)
    # Index of the current question in the module's quiz.
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped by every change pupils see (phase, question): their pages poll it.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by every join, answer and removal: the teacher's screen polls it too.
    activity: Mapped[int] = mapped_column(Integer, default=0)
    # The teacher's screen shows the answers as they arrive; by default only once revealed,
    # so that the first answers on the board do not sway the others.
    show_counts: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    touched_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    @property
    def etag(self) -> str:
        return f"{self.version}.{self.activity}"


class Participant(Base):
    """A pupil in a session: a pseudonym id and the digest of their browser's token."""

    __tablename__ = "live_participants"
    __table_args__ = (UniqueConstraint("session_id", "pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(40))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)


class LiveAnswer(Base):
    """One participant's answer to one question; the unique key makes a repeat a no-op."""

    __tablename__ = "live_answers"
    __table_args__ = (
        UniqueConstraint("participant_id", "question"),
        Index("ix_live_answers_session_question", "session_id", "question"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("live_participants.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(80))
    # The chosen option ids, sorted and separated by spaces.
    options: Mapped[str] = mapped_column(String(800))
    right: Mapped[bool] = mapped_column(Boolean)
