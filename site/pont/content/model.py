"""Typed, immutable content objects, built once at start-up."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

QUESTION_KINDS = ("single", "multiple", "truefalse", "scenario")
LEVELS = ("cycle3", "college", "lycee")


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    options: tuple[Option, ...]
    remember: str = ""
    discuss: tuple[str, ...] = ()

    @property
    def multiple(self) -> bool:
        return self.kind == "multiple"

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str
    level: int


@dataclass(frozen=True)
class Module:
    lang: str
    audience: str
    slug: str
    title: str
    summary: str
    levels: tuple[str, ...]
    duration: int
    reviewed: datetime.date
    sources: tuple[Source, ...]
    order: int
    html: str
    toc: tuple[TocEntry, ...]
    words: int
    text: str
    quiz: Quiz | None = None
    path: str = ""

    @property
    def reading_minutes(self) -> int:
        # About 180 words a minute: a young reader's pace, not an adult's.
        return max(1, round(self.words / 180))


@dataclass(frozen=True)
class LessonPlan:
    lang: str
    slug: str
    title: str
    duration: int
    objectives: tuple[str, ...]
    materials: tuple[str, ...]
    reviewed: datetime.date
    html: str
    toc: tuple[TocEntry, ...]
    text: str
    path: str = ""


@dataclass
class Library:
    """Everything in content/, by language."""

    modules: dict[tuple[str, str, str], Module] = field(default_factory=dict)
    lessons: dict[tuple[str, str], LessonPlan] = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    version: str = ""

    def module(self, lang: str, audience: str, slug: str) -> Module | None:
        return self.modules.get((lang, audience, slug))

    def audience(self, lang: str, audience: str) -> list[Module]:
        found = [m for (lg, au, _), m in self.modules.items() if lg == lang and au == audience]
        return sorted(found, key=lambda m: (m.order, m.title))

    def next_module(self, module: Module) -> Module | None:
        siblings = self.audience(module.lang, module.audience)
        index = siblings.index(module)
        return siblings[index + 1] if index + 1 < len(siblings) else None

    def lesson(self, lang: str, slug: str) -> LessonPlan | None:
        return self.lessons.get((lang, slug))
