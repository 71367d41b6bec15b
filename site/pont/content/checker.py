"""`flask --app pont content check`: validate all content and report on it.

The command needs no working app (it is registered as a Flask CLI plugin), so it still runs
when the content is too broken for the site to start. Besides the loader's errors it applies
the editorial rules: a suicide line wherever suicide is mentioned, check dates on platform
menus, no penalties for the youngest pupils, durations that match the text, quizzes whose
answers cannot be guessed from their position or length, and an illustration for every module
(the site's own content against the site's own pictures; another `--root` only with `--art`). Those rules fail the check, not the
site: a page that reads badly is still better served than no page.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click
from click.core import ParameterSource

from .. import art as site_art
from ..config import Defaults
from ..i18n import AUDIENCES, LANGUAGES
from . import dated, tracks
from .contacts import PLACEHOLDER
from .frontmatter import ContentError, key_line, line_of, shown_path, split
from .library import Errors, SourceFile, load
from .model import LEVELS, Library, Module

PLACEHOLDER_TEXT = re.compile(r"\b(lorem ipsum|lorem|TODO|TBD|FIXME|XXX)\b", re.IGNORECASE)
# Numbers and hours belong in contacts.toml; these patterns catch them written out by hand.
HARD_CODED = re.compile(
    r"(?<![\w/.-])(3018|3020|3114|119|112|114|0 ?[89]\d\d ?\d{3} ?\d{3})(?![\w/-])"
    r"|\b\d{1,2} ?h ?\d{0,2} ?(?:-|–|à|to) ?\d{1,2} ?h\b"
    r"|\b\d{1,2} ?(?:am|pm)\b|\b24 ?h? ?/ ?24\b|\b24/7\b|\b7 ?j? ?/ ?7\b"
    r"|\b7 jours sur 7\b|\b7 days a week\b",
    re.IGNORECASE,
)
# Words that mention suicide or self-harm, in French and English.
SUICIDE = re.compile(
    r"\bsuicid\w*|\bid[ée]es?\s+noires?|\bautomutil\w*|\bscarifi\w*|\bse faire du mal\b"
    r"|\bself[- ]harm\w*|\bdark thoughts?\b"
    r"|\b(?:kill|hurt)(?:ing)? (?:your|him|her|them)sel(?:f|ves)\b",
    re.IGNORECASE,
)
SUICIDE_LINE = re.compile(r"\{\{\s*suicide\.number\s*\}\}|\(help:#suicide\)")
PLATFORMS = re.compile(
    r"\b(Instagram|Snapchat|TikTok|WhatsApp|Discord|YouTube|Roblox|Fortnite|Minecraft|Facebook"
    r"|Messenger|Twitch|Telegram|Pinterest|BeReal|Threads|Twitter|Signal)\b")
# A menu path: "⋯ > Signaler", "Paramètres > Confidentialité", "Settings › Privacy".
MENU_PATH = re.compile(r"[⋯…]\s*[›>→]?|\S\s*[›→]\s*\S|[^\W\d_]\s+>\s+\S")
# Prison terms and fines, stated in either language.
PENALTY = re.compile(
    r"\d[\d\s\u00a0\u202f]*\s*(?:ans?|années?|mois|years?|months?)\s+(?:de\s+prison"
    r"|d['’]emprisonnement|ferme|in prison|of prison|imprisonment|in jail)"
    r"|\d\s*€|€\s*\d|\d[\d\s\u00a0\u202f.,]*\s*euros?\b|\bamendes?\b|\bfines?\s+(?:of|up to)\b"
    r"|\bfined\b|\bprison (?:terms?|sentences?)\b|\bpeines? de prison\b",
    re.IGNORECASE,
)
YOUNGEST = "cycle3"
# Short sentences for the youngest: at most this many words a sentence, on average.
YOUNGEST_WORDS_PER_SENTENCE = 10

# Quality gates for each language's quizzes: above these shares the check fails.
RIGHT_FIRST_MAX = 0.40
RIGHT_LONGEST_MAX = 0.50
TRUE_FALSE_SAME_MAX = 0.65


@dataclass(frozen=True)
class Balance:
    """How guessable one language's quizzes are from option order, length and true/false."""

    lang: str
    choices: int  # single and scenario questions
    right_first: int
    right_longest: int
    true_false: int
    same_answer: int  # true/false questions with the most frequent answer

    def share(self, count: int, total: int) -> float:
        return count / total if total else 0.0

    def failures(self) -> list[str]:
        found = []
        for what, count, total, limit in (
            ("the right answer is shown first", self.right_first, self.choices, RIGHT_FIRST_MAX),
            ("the right answer is the longest option", self.right_longest, self.choices,
             RIGHT_LONGEST_MAX),
            ("true/false questions have the same answer", self.same_answer, self.true_false,
             TRUE_FALSE_SAME_MAX),
        ):
            if self.share(count, total) > limit:
                found.append(f"{self.lang}: {what} in {count} of {total} "
                             f"({self.share(count, total):.0%}, at most {limit:.0%})")
        return found


@dataclass
class Report:
    library: Library
    errors: list[ContentError]
    stats: dict[tuple[str, str], dict] = field(default_factory=dict)
    balance: dict[str, Balance] = field(default_factory=dict)
    dated: list[dated.DatedFact] = field(default_factory=list)  # oldest first

    @property
    def failures(self) -> list[str]:
        return [failure for b in self.balance.values() for failure in b.failures()]


def _lines(file: SourceFile):
    for number, line in enumerate(file.text.splitlines(), 1):
        if not re.match(r"\s*(url|reviewed|chat_url)\s*=", line):
            yield number, re.sub(r"https?://\S+", "", line)


def policy_errors(files: list[SourceFile]) -> Errors:
    """Placeholder text, helpline numbers or hours typed by hand, suicide lines, menu dates."""
    errors = Errors()
    for file in files:
        suicide_line = SUICIDE_LINE.search(file.text)
        lines = file.text.splitlines()
        for number, line in _lines(file):
            text = PLACEHOLDER.sub("", line)
            if match := PLACEHOLDER_TEXT.search(text):
                errors.add(file.path, number, f"placeholder text '{match.group(0)}'")
            if match := HARD_CODED.search(text):
                errors.add(file.path, number, f"'{match.group(0)}' looks like a number or hours: "
                           "write it as a {{ contact.key }} from contacts.toml")
            if not suicide_line and (match := SUICIDE.search(text)):
                errors.add(file.path, number, f"'{match.group(0)}': a text that mentions suicide "
                           "or self-harm gives {{ suicide.number }} or links to (help:#suicide)")
                suicide_line = True  # once per file
            if (platform := PLATFORMS.search(text)) and MENU_PATH.search(text, platform.end()) \
                    and not dated.CHECKED.search(_paragraph(lines, number)):
                errors.add(file.path, number, f"a menu path in {platform.group(0)} needs the date "
                           "it was checked, right after it: {checked YYYY-MM}")
    return errors


def _paragraph(lines: list[str], number: int) -> str:
    """The line and the rest of its paragraph (up to the next blank line)."""
    rest = []
    for line in lines[number - 1:]:
        if not line.strip():
            break
        rest.append(line)
    return "\n".join(rest)


def age_errors(library: Library, files: list[SourceFile]) -> Errors:
    """The youngest pupils read short sentences and no penalties, and every duration covers
    reading the module."""
    errors = Errors()
    texts = {str(f.path): f for f in files}
    for module in library.modules.values():
        file = texts.get(module.path)
        if file is None:
            continue
        if YOUNGEST in module.levels and module.audience == "pupils":
            quiz = texts.get(module.quiz.path) if module.quiz else None
            for source in filter(None, (file, quiz)):
                for number, line in _lines(source):
                    if match := PENALTY.search(line):
                        errors.add(source.path, number, f"'{match.group(0).strip()}': a module "
                                   f"for {YOUNGEST} states no prison terms or fines (move them "
                                   "to a module for older pupils)")
            length = words_per_sentence(module.text)
            if length > YOUNGEST_WORDS_PER_SENTENCE:
                errors.add(file.path, key_line(file.text, "levels"), f"sentences of {length:.1f} "
                           f"words on average: a module for {YOUNGEST} keeps to "
                           f"{YOUNGEST_WORDS_PER_SENTENCE} (one idea a sentence)")
        if module.duration < module.minutes_needed:
            errors.add(file.path, key_line(file.text, "duration"), _duration_message(module))
    return errors


# --- Lesson plans a teacher can run as written -----------------------------------------------

LESSON_MINUTES = 55
TABLE_ROW = re.compile(r"^\|(.*)\|\s*$")
TIMING = re.compile(r"^\s*(\d+)\s*min\s*$")
HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)
HANDOUT = "{.handout}"
DISCLOSURE_LINK = "(module:teachers/accueillir-une-confidence)"
# The section on adapting a plan, and how its items for the youngest and oldest pupils start.
ADAPT = {
    "fr": ("Adapter la séance", "Pour les plus jeunes", "Pour les plus âgés"),
    "en": ("Adapting the session", "For the youngest", "For the oldest"),
}
# How a plan's materials name the printable quiz (a page made from the module's quiz file).
PRINTED_QUIZ = {"fr": "Quiz à imprimer", "en": "Quiz to print"}
# The classes of each level, as plans name them: "Pour les plus jeunes (CM1, CM2, 6e)".
CLASSES = {
    "cycle3": ("CM1", "CM2", "6e"),
    "college": ("6e", "5e", "4e", "3e"),
    "lycee": ("seconde", "première", "terminale", "lycée"),
}


def timings(body: str) -> list[int] | None:
    """The minutes of each row of a plan's first table (its outline), None without a table."""
    rows = []
    for line in body.splitlines():
        if match := TABLE_ROW.match(line.strip()):
            rows.append(match.group(1).split("|")[0].strip())
        elif rows:
            break
    if not rows:
        return None
    steps = [cell for cell in rows[1:] if not re.fullmatch(r":?-+:?", cell)]
    return [int(m.group(1)) if (m := TIMING.match(cell)) else -1 for cell in steps]


def _sections(body: str) -> list[tuple[str, str]]:
    """Each `## ` section of a body: (title, text)."""
    heads = list(HEADING.finditer(body))
    return [(h.group(1), body[h.end():(heads[i + 1].start() if i + 1 < len(heads) else None)])
            for i, h in enumerate(heads)]


def lesson_errors(library: Library, files: list[SourceFile]) -> Errors:
    """A plan fills its 55 minutes in its outline table, has its materials as handouts, says
    how to adapt it to the youngest and oldest levels of its module, and ends (before the
    handouts) with what to do when a pupil discloses, linking the disclosure script."""
    errors = Errors()
    texts = {str(f.path): f for f in files}
    for (lang, slug), plan in sorted(library.lessons.items()):
        file = texts.get(plan.path)
        module = library.module(lang, "pupils", slug)
        if file is None or module is None:
            continue
        _, body, first = split(file.text, file.path)
        path = file.path

        def line(pattern: str) -> int:
            return line_of(body, pattern, first, first)

        if plan.duration != LESSON_MINUTES:
            errors.add(path, key_line(file.text, "duration"),
                       f"a lesson plan lasts {LESSON_MINUTES} minutes, not {plan.duration}")
        steps = timings(body)
        if steps is None:
            errors.add(path, first, "no outline: a plan starts with a table of its steps, "
                       "the first column their minutes ('10 min')")
        elif -1 in steps:
            errors.add(path, line(r"^\|"), "each row of the outline table starts with its "
                       "minutes ('10 min')")
        elif sum(steps) != plan.duration:
            errors.add(path, line(r"^\|"), f"the outline's timings add up to {sum(steps)} "
                       f"minutes, not the plan's {plan.duration}")
        sections = _sections(body)
        handouts = [title for title, _ in sections if title.endswith(HANDOUT)]
        if not handouts:
            errors.add(path, first, "no handout: the materials to print (cards, a conversation, "
                       f"the pupils' written trace) go under '## … {HANDOUT}' headings")
        plan_sections = [(t, text) for t, text in sections if not t.endswith(HANDOUT)]
        if not plan_sections or DISCLOSURE_LINK not in plan_sections[-1][1]:
            errors.add(path, line(r"^## .*\{\.handout\}") if handouts else first,
                       "the plan ends (before its handouts) with what to do if a pupil "
                       f"discloses, linking the script: [...]{DISCLOSURE_LINK}")
        if lang in PRINTED_QUIZ and not any(PRINTED_QUIZ[lang] in m for m in plan.materials):
            errors.add(path, key_line(file.text, "materials"), "the materials name the quiz to "
                       f"print for a class without screens (« {PRINTED_QUIZ[lang]} », a page "
                       "of the plan made from the module's quiz, with its answer key)")
        if lang in ADAPT:
            errors.extend(_adapt_errors(path, body, first, sections, module.levels, ADAPT[lang]))
    return errors


def _adapt_errors(path, body: str, first: int, sections, levels, words) -> Errors:
    errors = Errors()
    title, youngest, oldest = words
    text = next((t for name, t in sections if name == title), None)
    if text is None:
        errors.add(path, first, f"no '## {title}' section: say how to adapt the plan for the "
                   "youngest and the oldest pupils it serves")
        return errors
    at = line_of(body, rf"^## {re.escape(title)}", first, first)
    ordered = sorted(levels, key=LEVELS.index)
    for start, level in ((youngest, ordered[0]), (oldest, ordered[-1])):
        item = re.search(rf"^- \*\*{re.escape(start)}\s*\(([^)]*)\)", text, re.MULTILINE)
        if item is None:
            errors.add(path, at, f"'{title}' needs an item '- **{start} (classes)**'")
        elif not any(name in item.group(1) for name in CLASSES[level]):
            errors.add(path, at, f"'{start} ({item.group(1)})' should name a class of {level}, "
                       f"the module's {'youngest' if start == youngest else 'oldest'} level "
                       f"({', '.join(CLASSES[level])})")
    return errors


def _duration_message(module: Module) -> str:
    questions = len(module.quiz.questions) if module.quiz else 0
    return (f"duration {module.duration} is too short: {module.words} words at "
            f"{module.reading_speed} a minute and {questions} quiz questions take "
            f"{module.minutes_needed} minutes")


def quiz_errors(library: Library) -> Errors:
    errors = Errors()
    for module in library.modules.values():
        for question in module.quiz.questions if module.quiz else ():
            if len(question.options) < question.kind.fair_options:
                errors.add(module.quiz.path, question.line,
                           f"question '{question.id}' ({question.kind}) needs at least "
                           f"{question.kind.fair_options} options, found {len(question.options)}")
    return errors


def art_errors(library: Library, folder: Path) -> Errors:
    """Every module has its picture: one file per audience and slug, for all languages."""
    errors = Errors()
    first = {}  # each (audience, slug) once, named by its file in the first language
    for (lang, audience, slug), module in library.modules.items():
        kept = first.get((audience, slug))
        if kept is None or _language_rank(lang) < _language_rank(kept.lang):
            first[(audience, slug)] = module
    for (audience, slug), module in sorted(first.items()):
        if not site_art.module_file(audience, slug, folder).is_file():
            errors.add(module.path, 1, f"module '{audience}/{slug}' has no illustration: draw "
                       f"{shown_path(site_art.module_file(audience, slug, folder))} "
                       "(see site/pont/art.py)")
    return errors


def _language_rank(lang: str) -> int:
    return LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)


def balance(library: Library, lang: str) -> Balance:
    questions = [q for (lg, _, _), m in sorted(library.modules.items()) if lg == lang and m.quiz
                 for q in m.quiz.questions]
    choices = [q for q in questions if q.kind.written_choice and q.options]
    true_false = Counter(q.correct_ids for q in questions if q.kind.fixed_ids)
    return Balance(
        lang=lang,
        choices=len(choices),
        right_first=sum(q.options[0].correct for q in choices),
        right_longest=sum(max(q.options, key=lambda o: len(o.text)).correct for q in choices),
        true_false=sum(true_false.values()),
        same_answer=max(true_false.values(), default=0),
    )


def contact_dates(root: Path, contacts: dict, text: str) -> list[dated.DatedFact]:
    """The contacts file's own check dates: `checked` and any `<what>_checked`."""
    path = root / "contacts.toml"
    return [dated.DatedFact(str(path), key_line(text, key), value, key.replace("_", " "))
            for key, value in contacts.items() if key.endswith("checked")
            and isinstance(value, datetime.date)]


# --- Readability ---------------------------------------------------------------------------

SENTENCE_END = re.compile(r"[.!?…:;]+(?:\s|$)")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Flesch reading ease: (base, words-per-sentence weight, syllables-per-word weight).
# French uses the Kandel and Moles adaptation.
FLESCH = {"en": (206.835, 1.015, 84.6), "fr": (207.0, 1.015, 73.6)}
FRENCH_VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæ"
# A vowel that starts a syllable of its own after another vowel (naïf, aéroport, théâtre).
HIATUS = "éèêëïüÿ"
VOWEL_CHARS = frozenset(FRENCH_VOWELS)


def french_syllables(word: str) -> int:
    """Written syllables, as a French school counts them: é-co-le (3), i-dée (2).

    Each group of vowels is one syllable; a diaeresis or an accented é after a vowel opens a
    new one (na-ïf, a-é-ro-port), and so does a vowel after é (ré-u-nion, cré-er) except the
    final mute e of -ée(s), and a y between vowels (cra-yon, es-sa-yer). The u of gu and qu
    before a vowel is a consonant (quand, guérir).
    """
    w = word.lower().replace("'", " ").replace("’", " ")
    count = 0
    for part in w.split():
        part = re.sub(r"(?<=[gq])u(?=[aeiouyéèêiîâ])", "", part)
        previous = ""
        for index, char in enumerate(part):
            if char not in FRENCH_VOWELS:
                previous = ""
                continue
            final_mute = part[index:] in ("e", "es") and previous == "é"
            # A y between vowels closes one syllable and opens the next: cra-yon, vo-ya-ge.
            y_between = char == "y" and previous and part[index + 1:index + 2] in VOWEL_CHARS
            if not previous or char in HIATUS or y_between \
                    or (previous == "é" and not final_mute):
                count += 1
            previous = char
    return max(1, count)


def english_syllables(word: str) -> int:
    import pyphen

    return len(pyphen.Pyphen(lang="en_GB").positions(word.lower())) + 1


SYLLABLES = {"fr": french_syllables, "en": english_syllables}


def words_per_sentence(text: str) -> float:
    return len(WORD.findall(text)) / max(1, len(SENTENCE_END.findall(text)))


def readability(text: str, lang: str) -> float | None:
    """Flesch reading ease, higher is easier (about 60-70 reads easily at 12-15 years)."""
    words = WORD.findall(text)
    if not words or lang not in FLESCH:
        return None
    syllables = sum(SYLLABLES[lang](word) for word in words)
    sentences = max(1, len(SENTENCE_END.findall(text)))
    base, per_sentence, per_syllable = FLESCH[lang]
    score = base - per_sentence * len(words) / sentences - per_syllable * syllables / len(words)
    return round(score, 1)


def check(root: Path, languages=LANGUAGES, art: Path | None = None) -> Report:
    """All errors and statistics; with `art`, a folder of illustrations every module needs."""
    loaded = load(root, languages=languages)
    library = loaded.library
    errors = loaded.errors
    errors.extend(policy_errors(loaded.files))
    errors.extend(age_errors(library, loaded.files))
    errors.extend(quiz_errors(library))
    errors.extend(lesson_errors(library, loaded.files))
    if (root / tracks.FILE).exists():
        errors.extend(tracks.errors(library, root))
    if art is not None:
        errors.extend(art_errors(library, art))
    report = Report(library, errors)
    report.dated = sorted(
        library.dated + contact_dates(root, library.contacts, loaded.contacts_text),
        key=lambda fact: (fact.checked, fact.path, fact.line))
    for lang in languages:
        report.balance[lang] = balance(library, lang)
        for audience in AUDIENCES:
            modules = library.audience(lang, audience)
            scores = [s for m in modules if (s := readability(m.text, lang)) is not None]
            report.stats[(lang, audience)] = {
                "modules": len(modules),
                "questions": sum(len(m.quiz.questions) for m in modules if m.quiz),
                "lesson_plans": sum(1 for m in modules if library.lesson(lang, m.slug))
                if audience == "pupils" else None,
                "without_sources": sum(1 for m in modules if not m.sources),
                "readability": round(sum(scores) / len(scores), 1) if scores else None,
            }
    return report


@click.group("content")
def content_cli() -> None:
    """Content commands."""


@content_cli.command("check")
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=lambda: os.environ.get("PONT_CONTENT_DIR", Defaults.CONTENT_DIR),
              help="The content folder (default: the project's content/).")
@click.option("--recheck-days", type=click.IntRange(min=1),
              default=lambda: int(os.environ.get("PONT_CONTENT_RECHECK_DAYS",
                                                 Defaults.CONTENT_RECHECK_DAYS)),
              help="Warn about dated facts checked longer ago than this (CONTENT_RECHECK_DAYS).")
@click.option("--art", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The illustrations every module needs (default: the site's own, when --root "
                   "is not given).")
def check_command(root: Path, recheck_days: int, art: Path | None) -> None:
    """Validate all content; exit 1 on any error. Each error names its file and line."""
    if art is None and click.get_current_context().get_parameter_source("root") in (
            ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP):
        art = site_art.FOLDER
    report = check(Path(root), art=art)
    click.echo(f"{'lang':4} {'audience':9} {'modules':>7} {'questions':>9} "
               f"{'plans':>5} {'no-src':>6} {'readability':>11}")
    for (lang, audience), s in report.stats.items():
        plans = "-" if s["lesson_plans"] is None else s["lesson_plans"]
        score = "-" if s["readability"] is None else s["readability"]
        click.echo(f"{lang:4} {audience:9} {s['modules']:>7} {s['questions']:>9} "
                   f"{plans:>5} {s['without_sources']:>6} {score:>11}")
    for lang in report.balance:
        guides = report.library.platform_guides(lang)
        scores = [s for g in guides if (s := readability(g.text, lang)) is not None]
        steps = sum(len(gr.steps) for g in guides for sec in g.sections for gr in sec.groups)
        score = round(sum(scores) / len(scores), 1) if scores else "-"
        click.echo(f"{lang:4} {'platforms':9} {len(guides):>7} {'-':>9} {'-':>5} "
                   f"{sum(1 for g in guides if not g.sources):>6} {score:>11}"
                   f"  ({steps} dated steps)")
    for lang in report.balance:
        found = report.library.tracks.get(lang, [])
        click.echo(f"{lang:4} {'tracks':9} " + (", ".join(
            f"{t.level} {len(t.modules)} modules" for t in found) or "none"))
    click.echo("(readability: Flesch reading ease, higher is easier; French uses "
               "the Kandel-Moles variant)")
    click.echo("\nQuiz answers (single-choice and scenario questions; true/false):")
    for b in report.balance.values():
        click.echo(f"{b.lang:4} right answer first {b.right_first}/{b.choices} "
                   f"({b.share(b.right_first, b.choices):.0%}, at most {RIGHT_FIRST_MAX:.0%}); "
                   f"longest {b.right_longest}/{b.choices} "
                   f"({b.share(b.right_longest, b.choices):.0%}, at most {RIGHT_LONGEST_MAX:.0%}); "
                   f"same true/false answer {b.same_answer}/{b.true_false} "
                   f"({b.share(b.same_answer, b.true_false):.0%}, "
                   f"at most {TRUE_FALSE_SAME_MAX:.0%})")
    today = datetime.date.today()
    click.echo(f"\nDated facts, oldest first ({len(report.dated)}):")
    for fact in report.dated:
        click.echo(f"{fact.checked:%Y-%m-%d} {fact.age_days(today):>5} days  "
                   f"{shown_path(fact.path)}:{fact.line}  {fact.text}")
    for fact in report.dated:
        if fact.age_days(today) > recheck_days:
            click.echo(f"warning: {shown_path(fact.path)}:{fact.line}: checked "
                       f"{fact.age_days(today)} days ago (more than {recheck_days}): "
                       "check it again and update its date", err=True)
    for error in report.errors:
        click.echo(str(error), err=True)
    for failure in report.failures:
        click.echo(f"quiz answers too easy to guess: {failure}", err=True)
    if report.errors or report.failures:
        raise SystemExit(f"{len(report.errors)} error(s) and {len(report.failures)} quiz "
                         "rule(s) failed in content")
    click.echo("Content OK.")
