"""Anonymous counters: per question, how many answered it and how many were right; per
option, how many chose it.

Each addition is a single `INSERT … ON CONFLICT DO UPDATE SET n = n + :added`, so
concurrent submissions never lose a count on SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..content.model import Module, Question
from .models import OptionCount, QuestionCount
from .scoring import Submission


def _upsert(session: Session, model, keys: dict, increments: dict) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**keys, **increments)
    table = model.__table__
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + statement.excluded[name] for name in increments},
    )
    session.execute(statement)


def add(session: Session, audience: str, module: str,
        answers: Iterable[tuple[str, Iterable[str], bool]]) -> None:
    """Count answers (question id, chosen option ids, right) in the session's transaction:
    one increment per counter, in a fixed order (concurrent additions cannot deadlock)."""
    answered, right, chosen = Counter(), Counter(), Counter()
    for question_id, options, is_right in answers:
        answered[question_id] += 1
        right[question_id] += int(is_right)
        chosen.update((question_id, option_id) for option_id in set(options))
    where = {"audience": audience, "module": module}
    for question_id in sorted(answered):
        _upsert(session, QuestionCount, {**where, "question": question_id},
                {"answered": answered[question_id], "right": right[question_id]})
    for question_id, option_id in sorted(chosen):
        _upsert(session, OptionCount, {**where, "question": question_id, "option": option_id},
                {"count": chosen[(question_id, option_id)]})


def record(session: Session, module: Module, submission: Submission) -> None:
    add(session, module.audience, module.slug,
        ((answer.question.id, answer.chosen, answer.right)
         for answer in submission.answers.values()))
    session.commit()


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answered: int
    right: int
    options: dict[str, int]

    @property
    def missed_share(self) -> float:
        return 1 - self.right / self.answered if self.answered else 0.0


def report(session: Session, module: Module) -> list[QuestionStats]:
    where = {"audience": module.audience, "module": module.slug}
    questions = {
        row.question: row
        for row in session.scalars(select(QuestionCount).filter_by(**where))
    }
    options: dict[str, dict[str, int]] = {}
    for row in session.scalars(select(OptionCount).filter_by(**where)):
        options.setdefault(row.question, {})[row.option] = row.count
    result = []
    for question in module.quiz.questions:
        counts = questions.get(question.id)
        result.append(QuestionStats(
            question,
            counts.answered if counts else 0,
            counts.right if counts else 0,
            {o.id: options.get(question.id, {}).get(o.id, 0) for o in question.options},
        ))
    return result
