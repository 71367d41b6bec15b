"""`flask --app pont content check`: validate all content and report on it.

The command needs no working app (it is registered as a Flask CLI plugin), so it still runs
when the content is too broken for the site to start.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..config import Defaults
from .contacts import PLACEHOLDER
from .frontmatter import ContentError
from .library import AUDIENCES, LANGUAGES, Errors, load
from .model import Library

PLACEHOLDER_TEXT = re.compile(r"\b(lorem ipsum|lorem|TODO|TBD|FIXME|XXX)\b", re.IGNORECASE)
# Numbers and hours belong in contacts.toml; these patterns catch them written out by hand.
HARD_CODED = re.compile(
    r"(?<![\w/.-])(3018|3020|119|112|114|0[89]\d0 ?\d{3} ?\d{3})(?![\w/-])"
    r"|\b\d{1,2} ?h ?\d{0,2} ?(?:-|–|à|to) ?\d{1,2} ?h\b"
    r"|\b\d{1,2} ?(?:am|pm)\b|\b24 ?h? ?/ ?24\b|\b24/7\b|\b7 ?j? ?/ ?7\b"
    r"|\b7 jours sur 7\b|\b7 days a week\b",
    re.IGNORECASE,
)


@dataclass
class Report:
    library: Library
    errors: list[ContentError]
    stats: dict[tuple[str, str], dict] = field(default_factory=dict)


def policy_errors(root: Path) -> Errors:
    """Placeholder text, and helpline numbers or hours typed outside contacts.toml."""
    errors = Errors()
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".md", ".toml") or path.name == "contacts.toml" \
                or path.name == "README.md":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*(url|reviewed)\s*=", line):
                continue
            text = re.sub(r"https?://\S+", "", PLACEHOLDER.sub("", line))
            if match := PLACEHOLDER_TEXT.search(text):
                errors.add(path, number, f"placeholder text '{match.group(0)}'")
            if match := HARD_CODED.search(text):
                errors.add(path, number, f"'{match.group(0)}' looks like a number or hours: "
                           "write it as a {{ contact.key }} from contacts.toml")
    return errors


SENTENCE_END = re.compile(r"[.!?…:;]+(?:\s|$)")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Flesch reading ease: (base, words-per-sentence weight, syllables-per-word weight).
# French uses the Kandel and Moles adaptation.
FLESCH = {"en": (206.835, 1.015, 84.6), "fr": (207.0, 1.015, 73.6)}


def readability(text: str, lang: str) -> float | None:
    """Flesch reading ease, higher is easier (about 60-70 reads easily at 12-15 years)."""
    import pyphen

    words = WORD.findall(text)
    if not words:
        return None
    dic = pyphen.Pyphen(lang={"fr": "fr_FR", "en": "en_GB"}[lang])
    syllables = sum(len(dic.positions(word.lower())) + 1 for word in words)
    sentences = max(1, len(SENTENCE_END.findall(text)))
    base, per_sentence, per_syllable = FLESCH[lang]
    score = base - per_sentence * len(words) / sentences - per_syllable * syllables / len(words)
    return round(score, 1)


def check(root: Path) -> Report:
    library, errors = load(root)
    errors.extend(policy_errors(root))
    report = Report(library, errors)
    for lang in LANGUAGES:
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
def check_command(root: Path) -> None:
    """Validate all content; exit 1 on any error. Each error names its file and line."""
    report = check(Path(root))
    click.echo(f"{'lang':4} {'audience':9} {'modules':>7} {'questions':>9} "
               f"{'plans':>5} {'no-src':>6} {'readability':>11}")
    for (lang, audience), s in report.stats.items():
        plans = "-" if s["lesson_plans"] is None else s["lesson_plans"]
        score = "-" if s["readability"] is None else s["readability"]
        click.echo(f"{lang:4} {audience:9} {s['modules']:>7} {s['questions']:>9} "
                   f"{plans:>5} {s['without_sources']:>6} {score:>11}")
    click.echo("(readability: Flesch reading ease, higher is easier; French uses "
               "the Kandel-Moles variant)")
    for error in report.errors:
        click.echo(str(error), err=True)
    if report.errors:
        raise SystemExit(f"{len(report.errors)} error(s) in content")
    click.echo("Content OK.")
