"""Deleting expired sessions: pseudonyms and answers go, the anonymous quiz counters stay.

Runs by itself when sessions are started or joined (at most every few minutes per process),
and as `flask --app pont live cleanup` for a scheduler such as cron.
"""

from __future__ import annotations

import datetime

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..throttle import Every
from .models import LiveAnswer, LiveSession, Participant, utcnow

# A clean-up run on access, by one process, at most every five minutes.
ON_ACCESS = Every(300)


def max_idle() -> datetime.timedelta:
    """How long a session lives after its last activity (LIVE_IDLE_HOURS)."""
    return datetime.timedelta(hours=float(current_app.config["LIVE_IDLE_HOURS"]))


def purge(db: Session, idle: datetime.timedelta) -> int:
    """Delete every session idle for longer than `idle`, with all it holds; return how many."""
    cutoff = utcnow() - idle
    expired = select(LiveSession.id).where(LiveSession.touched_at < cutoff)
    db.execute(delete(LiveAnswer).where(LiveAnswer.session_id.in_(expired)))
    db.execute(delete(Participant).where(Participant.session_id.in_(expired)))
    count = db.execute(delete(LiveSession).where(LiveSession.touched_at < cutoff)).rowcount
    db.commit()
    return count


def purge_now_and_then(db: Session) -> None:
    """The clean-up that needs no operator: cheap to call on every join."""
    if ON_ACCESS.due():
        purge(db, max_idle())
