"""Typed, immutable content objects, built once at start-up."""

from __future__ import annotations

import datetime
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

LEVELS = ("cycle3", "college", "lycee")
# Words a minute for each level's youngest readers; adults read at the lycée pace.
READING_SPEED = {"cycle3": 130, "college": 180, "lycee": 200}
ADULT_READING_SPEED = 200
MINUTES_PER_QUESTION = 0.5


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
class Kind:
    """A kind of question: what the pupil does, and what its options must be.

    Loader, scoring, templates and scripts ask the kind (`question.multiple`,
    `question.is_right`), never compare its name.
    """

    name: str
    many: bool = False  # the pupil ticks every right option; otherwise picks one
    one_right: bool = True  # exactly one right option; otherwise at least one
    min_options: int = 2
    # Fewer options than this makes a question a guess: a content check error, though the site
    # still runs (a quality rule, like the answer-position rules of the checker).
    fair_options: int = 2
    fixed_ids: tuple[str, ...] = ()  # true/false: the two options every such question has
    shuffled: bool = True

    def __str__(self) -> str:
        return self.name

    @property
    def written_choice(self) -> bool:
        """The pupil picks one of options an author wrote (single, scenario)."""
        return not self.many and not self.fixed_ids

    def problems(self, option_ids: list[str], right: int) -> list[str]:
        """What is wrong with a question's options, in words an author understands."""
        found = []
        if self.one_right and right != 1:
            found.append(f"needs exactly one right answer, found {right}")
        elif right < 1:
            found.append("needs at least one right answer")
        if self.fixed_ids and sorted(option_ids) != sorted(self.fixed_ids):
            found.append("needs two options with ids "
                         + " and ".join(f"'{i}'" for i in self.fixed_ids))
        elif len(option_ids) < self.min_options:
            found.append(f"needs at least {self.min_options} options, found {len(option_ids)}")
        return found

    def is_right(self, chosen: frozenset[str], correct: frozenset[str]) -> bool:
        if self.many:
            return chosen == correct
        return bool(chosen) and chosen <= correct

    def display_order(self, question_id: str, options: Iterable[Option]) -> tuple[Option, ...]:
        """The order every page shows: a shuffle keyed on the ids only.

        It is the same in every language and for every visitor (pages stay cacheable), and it
        does not depend on which option is right or where the author wrote it.
        """
        if not self.shuffled:
            return tuple(options)
        return tuple(sorted(options, key=lambda o: hashlib.sha256(
            f"{question_id}/{o.id}".encode()).digest()))


KINDS = {kind.name: kind for kind in (
    Kind("single", fair_options=3),
    Kind("multiple", many=True, one_right=False),
    Kind("truefalse", fixed_ids=("true", "false"), shuffled=False),
    Kind("scenario", one_right=False),
)}


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    prompt: str
    options: tuple[Option, ...]
    remember: str = ""
    discuss: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)  # of its [[questions]] header, for the checker

    def __post_init__(self):
        if isinstance(self.kind, str):  # Question("q", "single", …) in tests and tools
            object.__setattr__(self, "kind", KINDS[self.kind])

    @property
    def multiple(self) -> bool:
        return self.kind.many

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)

    def is_right(self, chosen: frozenset[str]) -> bool:
        return self.kind.is_right(chosen, self.correct_ids)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]
    path: str = ""

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
    platforms: tuple[str, ...] = ()  # slugs of the platform guides the module names

    @property
    def reading_speed(self) -> int:
        """Words a minute for the module's youngest readers."""
        if self.audience != "pupils":
            return ADULT_READING_SPEED
        return min(READING_SPEED[level] for level in self.levels)

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / self.reading_speed))

    @property
    def minutes_needed(self) -> int:
        """Reading at the youngest level's pace, and half a minute a quiz question."""
        questions = len(self.quiz.questions) if self.quiz else 0
        return math.ceil(self.words / self.reading_speed + MINUTES_PER_QUESTION * questions)


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


@dataclass(frozen=True)
class Track:
    """A recommended order of pupil modules for one level, in one language (tracks.toml)."""

    lang: str
    level: str  # one of LEVELS
    title: str
    about: str  # one line: who the level is and what its modules are like
    modules: tuple[Module, ...]
    line: int = field(default=0, compare=False)  # of its [[tracks]] header, for the checker


@dataclass(frozen=True)
class GuideGroup:
    """A numbered list of steps in a platform guide's section, with its own title if several."""

    title: str
    intro: str
    steps: tuple[str, ...]  # HTML of each step
    note: str


@dataclass(frozen=True)
class GuideSection:
    id: str  # one of platforms.SECTIONS: block, report, contact, location, removal
    groups: tuple[GuideGroup, ...]


@dataclass(frozen=True)
class PlatformGuide:
    """How to block, report, limit contact, hide one's location and get a post removed on one
    platform, in one language (content/<lang>/platforms/<slug>.toml)."""

    lang: str
    slug: str
    name: str
    summary: str
    reviewed: datetime.date
    sources: tuple[Source, ...]
    sections: tuple[GuideSection, ...]
    order: int
    text: str  # plain text, for readability figures
    path: str = ""

    def section(self, section_id: str) -> GuideSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass
class Library:
    """Everything in content/, by language."""

    modules: dict[tuple[str, str, str], Module] = field(default_factory=dict)
    lessons: dict[tuple[str, str], LessonPlan] = field(default_factory=dict)
    platforms: dict[tuple[str, str], PlatformGuide] = field(default_factory=dict)
    tracks: dict[str, list[Track]] = field(default_factory=dict)  # by language, in file order
    contacts: dict = field(default_factory=dict)
    dated: list = field(default_factory=list)  # every DatedFact, for the checker
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

    def platform(self, lang: str, slug: str) -> PlatformGuide | None:
        return self.platforms.get((lang, slug))

    def platform_guides(self, lang: str) -> list[PlatformGuide]:
        found = [g for (lg, _), g in self.platforms.items() if lg == lang]
        return sorted(found, key=lambda g: (g.order, g.name.lower()))
