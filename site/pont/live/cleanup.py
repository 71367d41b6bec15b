"""Deleting expired sessions: pseudonyms and answers go, the anonymous quiz counters stay.

Runs by itself when sessions are started or joined (at most every few minutes per process),
and as `flask --app pont live cleanup` for a scheduler such as cron.
"""

from __future__ import annotations

import datetime

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..throttle import Every
from . import sessions
from .models import FINISHED, LiveAnswer, LiveSession, Participant, utcnow

# A clean-up run on access, by one process, at most every five minutes.
ON_ACCESS = Every(300)


def max_idle() -> datetime.timedelta:
    """How long a session lives after its last activity (LIVE_IDLE_HOURS)."""
    return datetime.timedelta(hours=float(current_app.config["LIVE_IDLE_HOURS"]))


def purge(db: Session, idle: datetime.timedelta) -> int:
    """Delete every session idle for longer than `idle`, with all it holds; return how many.

    A session that was never finished has its answers counted first (a finished one had them
    counted when it ended), in the same transaction as the deletion. Marking it finished
    claims it: when two processes clean up at once, only one of them counts it.
    """
    expired = {live.id: live for live in db.scalars(
        select(LiveSession).where(LiveSession.touched_at < utcnow() - idle))}
    ids = list(expired)
    claimed = db.scalars(
        update(LiveSession).where(LiveSession.id.in_(ids), LiveSession.phase != FINISHED)
        .values(phase=FINISHED).returning(LiveSession.id)
        .execution_options(synchronize_session=False)).all()
    for session_id in claimed:
        sessions.count_answers(db, expired[session_id])
    db.execute(delete(LiveAnswer).where(LiveAnswer.session_id.in_(ids)))
    db.execute(delete(Participant).where(Participant.session_id.in_(ids)))
    db.execute(delete(LiveSession).where(LiveSession.id.in_(ids)))
    db.commit()
    return len(ids)


def purge_now_and_then(db: Session) -> None:
    """The clean-up that needs no operator: cheap to call on every join."""
    if ON_ACCESS.due():
        purge(db, max_idle())
