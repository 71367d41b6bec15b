"""Reading a submitted quiz form and scoring it. Pure functions: no Flask, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..content.model import Question, Quiz

FIELD_PREFIX = "q-"


@dataclass(frozen=True)
class Answer:
    question: Question
    chosen: frozenset[str]

    @property
    def right(self) -> bool:
        return self.question.is_right(self.chosen)


@dataclass
class Submission:
    """What a form held: valid answers kept, and every problem found."""

    answers: dict[str, Answer] = field(default_factory=dict)
    missing: list[Question] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid

    def chosen(self, question_id: str) -> frozenset[str]:
        answer = self.answers.get(question_id)
        return answer.chosen if answer else frozenset()


def read(quiz: Quiz, form: Mapping[str, list[str]]) -> Submission:
    """Check a form (field name -> values) against the quiz.

    Unknown questions, unknown options and several options for a one-answer question are
    reported, never passed on: only option ids that exist in the quiz reach the database.
    """
    submission = Submission()
    known = {FIELD_PREFIX + q.id for q in quiz.questions}
    for name in form:
        if name.startswith(FIELD_PREFIX) and name not in known:
            submission.invalid.append(f"unknown question '{name.removeprefix(FIELD_PREFIX)}'")
    for question in quiz.questions:
        values = [v for v in form.get(FIELD_PREFIX + question.id, []) if v != ""]
        if not values:
            submission.missing.append(question)
            continue
        unknown = [v for v in values if question.option(v) is None]
        if unknown:
            submission.invalid.append(f"unknown option for question '{question.id}'")
            continue
        if not question.multiple and len(set(values)) > 1:
            submission.invalid.append(f"one answer only for question '{question.id}'")
            continue
        submission.answers[question.id] = Answer(question, frozenset(values))
    return submission


def score(submission: Submission) -> int:
    return sum(answer.right for answer in submission.answers.values())
