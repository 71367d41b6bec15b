"""Facts that expire carry their check date: `{checked 2026-11}` or `{checked 2026-11-20}`.

The renderer shows the date in the page's language, « (vérifié en novembre 2026) »; the checker
lists every dated fact by age so that an editor knows what to check again.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date

from .frontmatter import ContentError

CHECKED = re.compile(r"\{checked (\d{4})-(\d{2})(?:-(\d{2}))?\}")


@dataclass(frozen=True)
class DatedFact:
    path: str
    line: int
    checked: datetime.date
    text: str

    def age_days(self, today: datetime.date) -> int:
        return (today - self.checked).days


def parse(match: re.Match) -> datetime.date:
    """The date a mark names; a month alone counts from its first day."""
    year, month, day = match.group(1), match.group(2), match.group(3) or "01"
    return datetime.date(int(year), int(month), int(day))


def localize(text: str, phrase: str, locale: str, path: Path | str, first_line: int = 1) -> str:
    """Replace every mark with `phrase` (e.g. "(checked {date})") and the month in `locale`."""

    def replace(match: re.Match) -> str:
        try:
            when = parse(match)
        except ValueError:
            line = first_line + text.count("\n", 0, match.start())
            raise ContentError(path, line, f"'{match.group(0)}' is not a real date") from None
        return phrase.format(date=format_date(when, "MMMM y", locale=locale))

    return CHECKED.sub(replace, text)


def find(path: Path, text: str) -> list[DatedFact]:
    """Every valid mark in a file, with the words written just before it."""
    facts = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in CHECKED.finditer(line):
            try:
                when = parse(match)
            except ValueError:
                continue
            before = CHECKED.sub("", line[: match.start()]).strip(" -*|\t")
            facts.append(DatedFact(str(path), number, when, before[-70:]))
    return facts
