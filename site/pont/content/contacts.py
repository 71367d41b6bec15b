"""Helplines, numbers and hours: one file, `content/contacts.toml`, the only place they live.

Modules and templates refer to them as `{{ helpline.number }}`; a key is looked up in the
language's own table first (`[helpline.fr]`), then in the contact's table (`[helpline]`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .frontmatter import ContentError, parse_toml

PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_]+)\.([a-z0-9_]+)\s*\}\}")
# Phone numbers are never broken across lines: HTML wraps them in `<span class="phone">`
# (templates with `phone()`, Markdown through `render.PHONE`); plain text gets no-break spaces.
PHONE_KEY = "number"
NBSP = "\u00a0"


def unbreakable(number: str) -> str:
    return number.replace(" ", NBSP)


def parse(text: str, path: Path) -> dict:
    """The contacts file's tables; `text` is empty when the file is missing."""
    if not text:
        raise ContentError(path, 1, "the contacts file is missing")
    return parse_toml(text, path)


def lookup(contacts: dict, lang: str, name: str, key: str) -> str | None:
    entry = contacts.get(name)
    if not isinstance(entry, dict):
        return None
    localized = entry.get(lang)
    if isinstance(localized, dict) and key in localized:
        return str(localized[key])
    value = entry.get(key)
    return None if value is None or isinstance(value, dict) else str(value)


def fill(text: str, contacts: dict, lang: str, path: Path | str, first_line: int = 1,
         phone: Callable[[str], str] = unbreakable) -> str:
    """Replace every `{{ contact.key }}`; an unknown one is a ContentError at its line.

    A phone number goes through `phone`, which keeps it on one line.
    """

    def replace(match: re.Match) -> str:
        value = lookup(contacts, lang, match.group(1), match.group(2))
        if value is None:
            line = first_line + text.count("\n", 0, match.start())
            raise ContentError(path, line, f"unknown contact '{match.group(1)}.{match.group(2)}'")
        return phone(value) if match.group(2) == PHONE_KEY else value

    return PLACEHOLDER.sub(replace, text)
