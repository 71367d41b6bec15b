"""Starting, joining and running a live session: each change is one short transaction.

Changes that depend on the session's state are conditional updates of its row
(`… WHERE version = :seen`), so two app processes, two teacher tabs or a double click can
never apply the same step twice, and an answer can never land on a question already closed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, case, delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..content.model import Module, Question
from ..db import add_unique
from ..quizzes import stats
from ..quizzes.scoring import Answer
from . import codes, pseudonyms
from .models import FINISHED, LOBBY, QUESTION, REVEAL, LiveAnswer, LiveSession, Participant, utcnow

# Far more than a class, a year group in a lecture hall included.
MAX_PARTICIPANTS = 250
ACTIONS = ("start", "reveal", "next", "finish")


class Problem(Exception):
    """A request that cannot be served: the view turns `reason` into a message and `status`."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def create(db: Session, module: Module, lang: str, show_counts: bool = False,
           new_code: Callable[[], str] = codes.new_code) -> tuple[LiveSession, str]:
    """A new session and the teacher's secret (the database keeps only its digest)."""
    secret = codes.new_secret()
    live = add_unique(db, lambda: LiveSession(
        code=new_code(), lang=lang, audience=module.audience, module=module.slug,
        teacher_digest=codes.digest(secret), show_counts=show_counts), tries=20)
    if live is None:
        raise RuntimeError("no free join code after 20 tries")
    db.commit()
    return live, secret


# Statements every page of a class runs, built once (building one costs as much as running it).
_FIND = select(LiveSession).where(LiveSession.code == bindparam("code"))
_PARTICIPANT = select(Participant).where(Participant.token_digest == bindparam("digest"))


def find(db: Session, code: str) -> LiveSession | None:
    return db.scalar(_FIND, {"code": code})


def is_expired(live: LiveSession, max_idle: datetime.timedelta) -> bool:
    return live.touched_at < utcnow() - max_idle


# Built once: the poll runs it for every class every half-second, in each process.
_POLL = (select(LiveSession.version, LiveSession.phase, LiveSession.position,
                LiveSession.touched_at)
         .where(LiveSession.code == bindparam("code")))


def poll_state(engine: Engine, code: str) -> tuple[int, str, int, datetime.datetime] | None:
    """What pupils' pages poll: (version, phase, position, touched_at), one indexed read.

    The hottest path of a class: a plain connection, no ORM session, no objects.
    """
    with engine.connect() as connection:
        row = connection.execute(_POLL, {"code": code}).first()
    return tuple(row) if row else None


def pupil_state(version: int, phase: str, position: int) -> dict:
    """The JSON pupils' pages poll; the same for every pupil, so it is cached per version."""
    return {"etag": str(version), "phase": phase, "position": position}


# Counting one more join, answer or removal: plain UPDATEs built once (no ORM object needs
# them: the teacher's screen reads the row again), on the conditions each change requires.
_SESSIONS = LiveSession.__table__
_TOUCH = (update(_SESSIONS).where(_SESSIONS.c.id == bindparam("session"))
          .values(activity=_SESSIONS.c.activity + 1, touched_at=bindparam("now")))
_TOUCH_UNFINISHED = _TOUCH.where(_SESSIONS.c.phase != FINISHED)
_TOUCH_AT_VERSION = _TOUCH.where(_SESSIONS.c.version == bindparam("seen"))


def _touch(db: Session, live: LiveSession, statement=_TOUCH, **values) -> bool:
    """Count one more change to the session, if it still meets the statement's condition."""
    result = db.connection().execute(statement, {"session": live.id, "now": utcnow(), **values})
    return result.rowcount == 1


def join(db: Session, live: LiveSession,
         choose: Callable[..., str] = pseudonyms.choose) -> tuple[Participant, str]:
    """A new participant with a pseudonym free in this session, and their browser's token."""
    if live.phase == FINISHED:
        raise Problem(410, "finished")
    token = codes.new_secret()

    def newcomer() -> Participant:
        taken = set(db.scalars(select(Participant.pseudonym)
                               .where(Participant.session_id == live.id)))
        if len(taken) >= MAX_PARTICIPANTS:
            raise Problem(409, "full")
        return Participant(session_id=live.id, token_digest=codes.digest(token),
                           pseudonym=choose(taken))

    # Someone joining at the same moment may get the same pseudonym: draw another.
    participant = add_unique(db, newcomer, tries=10)
    if participant is None:
        raise Problem(409, "full")
    if not _touch(db, live, _TOUCH_UNFINISHED):
        db.rollback()
        raise Problem(410, "finished")
    db.commit()
    return participant, token


def participant(db: Session, live: LiveSession, token: str | None) -> Participant | None:
    if not token:
        return None
    found = db.scalar(_PARTICIPANT, {"digest": codes.digest(token)})
    return found if found is not None and found.session_id == live.id else None


def current_question(live: LiveSession, module: Module) -> Question | None:
    if live.phase not in (QUESTION, REVEAL):
        return None
    return module.quiz.questions[min(live.position, len(module.quiz.questions) - 1)]


def read_choice(question: Question, values: list[str]) -> frozenset[str]:
    """The chosen option ids, or Problem(400) for none, unknown ones, or too many."""
    chosen = frozenset(v for v in values if v)
    if not chosen:
        raise Problem(400, "empty")
    if any(question.option(v) is None for v in chosen):
        raise Problem(400, "invalid")
    if not question.multiple and len(chosen) > 1:
        raise Problem(400, "invalid")
    return chosen


# A plain INSERT: the answer is never read back as an object (the hottest write of a class).
_ANSWER = insert(LiveAnswer.__table__)


def answer(db: Session, live: LiveSession, who: Participant, module: Module,
           question_id: str, values: list[str]) -> frozenset[str] | None:
    """Record an answer: the options recorded, or None when this participant had already
    answered (a no-op: the unique key on participant and question says so).

    The answer and the session's activity are committed together. The anonymous counters
    (pont.quizzes.stats) get the session's answers when it ends (`count_answers`): one
    addition per class instead of a write to the same rows at every pupil's answer.
    """
    if live.phase == FINISHED:
        raise Problem(410, "finished")
    if who.removed:
        raise Problem(403, "removed")
    question = current_question(live, module)
    if live.phase != QUESTION or question is None or question.id != question_id:
        raise Problem(409, "closed")
    chosen = read_choice(question, values)
    try:
        db.connection().execute(_ANSWER, {
            "session_id": live.id, "participant_id": who.id, "question": question_id,
            "options": " ".join(sorted(chosen)), "right": Answer(question, chosen).right})
    except IntegrityError:  # answered already, or the same answer sent twice at once
        db.rollback()
        return None
    if not _touch(db, live, _TOUCH_AT_VERSION, seen=live.version):
        db.rollback()
        raise Problem(409, "closed")
    db.commit()
    return chosen


def step(db: Session, live: LiveSession, module: Module, action: str, seen_version: int) -> bool:
    """Apply the teacher's action; False (a no-op) when the form was older than the state."""
    if seen_version != live.version:
        return False
    last = len(module.quiz.questions) - 1
    phase, position = live.phase, live.position
    if action == "start" and phase == LOBBY:
        target = (QUESTION, 0)
    elif action == "reveal" and phase == QUESTION:
        target = (REVEAL, position)
    elif action == "next" and phase in (QUESTION, REVEAL) and position < last:
        target = (QUESTION, position + 1)
    elif action == "finish" and phase != FINISHED:
        target = (FINISHED, position)
    elif phase == FINISHED:
        raise Problem(410, "finished")
    else:
        raise Problem(409, "not-now")
    done = db.execute(
        update(LiveSession)
        .where(LiveSession.id == live.id, LiveSession.version == seen_version)
        .values(phase=target[0], position=target[1], version=LiveSession.version + 1,
                touched_at=utcnow())
    ).rowcount == 1
    if done and target[0] == FINISHED:
        count_answers(db, live)  # in the same transaction as the step: once
    db.commit()
    return done


def count_answers(db: Session, live: LiveSession) -> None:
    """Add a session's answers to the anonymous quiz counters, when it ends or expires.

    Called in the transaction that ends the session (a step that only one process can take,
    or the clean-up that deletes it unfinished): its answers are counted exactly once, and
    none is taken after that (the session is finished, or gone).
    """
    rows = db.execute(select(LiveAnswer.question, LiveAnswer.options, LiveAnswer.right)
                      .where(LiveAnswer.session_id == live.id)).all()
    stats.add(db, live.audience, live.module,
              ((question, options.split(), right) for question, options, right in rows))


def set_show_counts(db: Session, live: LiveSession, shown: bool) -> None:
    """Show the answers on the teacher's screen as they arrive, or only once revealed.

    Pupils never see the counts before the reveal, so their state (`version`) is unchanged.
    """
    if live.phase == FINISHED:
        raise Problem(410, "finished")
    db.execute(update(LiveSession).where(LiveSession.id == live.id).values(
        show_counts=shown, activity=LiveSession.activity + 1, touched_at=utcnow()))
    db.commit()


def counts_shown(live: LiveSession) -> bool:
    """Whether the answer distribution is on the teacher's screen: once revealed, or live."""
    return live.phase == REVEAL or (live.phase == QUESTION and live.show_counts)


def remove(db: Session, live: LiveSession, participant_id: int) -> None:
    """Take a participant off the session and its results; their browser cannot answer again.

    Answers already added to the anonymous quiz counters stay there: they cannot be told apart.
    """
    if live.phase == FINISHED:
        raise Problem(410, "finished")
    who = db.get(Participant, participant_id)
    if who is None or who.session_id != live.id:
        raise Problem(404, "no-participant")
    if who.removed:
        return
    who.removed = True
    db.execute(delete(LiveAnswer).where(LiveAnswer.participant_id == who.id))
    _touch(db, live)
    db.commit()


def roster(db: Session, live: LiveSession) -> list[tuple[int, str]]:
    """The participants still in the session, in the order they joined: (id, pseudonym id)."""
    return list(db.execute(select(Participant.id, Participant.pseudonym)
                           .where(Participant.session_id == live.id, Participant.removed.is_(False))
                           .order_by(Participant.joined_at, Participant.id)).all())


@dataclass(frozen=True)
class Tally:
    """Answers to one question: how many, how many right, and per option."""

    answered: int
    right: int
    options: dict[str, int]

    def share(self, count: int) -> int:
        return round(100 * count / self.answered) if self.answered else 0


def tally(db: Session, live: LiveSession, question: Question) -> Tally:
    rows = db.execute(
        select(LiveAnswer.options, LiveAnswer.right, func.count())
        .where(LiveAnswer.session_id == live.id, LiveAnswer.question == question.id)
        .group_by(LiveAnswer.options, LiveAnswer.right)
    ).all()
    options: Counter[str] = Counter({o.id: 0 for o in question.options})
    answered = right = 0
    for chosen, is_right, count in rows:
        answered += count
        right += count if is_right else 0
        for option_id in chosen.split():
            options[option_id] += count
    return Tally(answered, right, dict(options))


def mine(db: Session, who: Participant, question_id: str) -> frozenset[str] | None:
    chosen = db.scalar(select(LiveAnswer.options).where(
        LiveAnswer.participant_id == who.id, LiveAnswer.question == question_id))
    return frozenset(chosen.split()) if chosen is not None else None


def results(db: Session, who: Participant) -> dict[str, bool]:
    """One pupil's own answers: question id -> right. Shown to that pupil only."""
    return dict(db.execute(select(LiveAnswer.question, LiveAnswer.right)
                           .where(LiveAnswer.participant_id == who.id)).all())


def summary(db: Session, live: LiveSession, module: Module) -> list[tuple[Question, Tally]]:
    """Per question, how many answered and how many were right: the class, never a pupil."""
    rows = db.execute(
        select(LiveAnswer.question, func.count(),
               func.sum(case((LiveAnswer.right.is_(True), 1), else_=0)))
        .where(LiveAnswer.session_id == live.id)
        .group_by(LiveAnswer.question)
    ).all()
    found = {question: (int(count), int(right or 0)) for question, count, right in rows}
    return [(q, Tally(*found.get(q.id, (0, 0)), {})) for q in module.quiz.questions]
