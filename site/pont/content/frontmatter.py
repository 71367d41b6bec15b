"""Split a content file into its TOML front matter and its Markdown body."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

FENCE = "+++"


def shown_path(path: Path | str) -> str:
    """A path as an author would type it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


class ContentError(Exception):
    """A problem in a content file, with the file and line an author should look at."""

    def __init__(self, path: Path | str, line: int, message: str):
        super().__init__(f"{shown_path(path)}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


def toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    lineno = getattr(error, "lineno", None)
    if lineno:
        return lineno
    match = re.search(r"at line (\d+)", str(error))
    return int(match.group(1)) if match else 1


def toml_message(error: tomllib.TOMLDecodeError) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", getattr(error, "msg", str(error)))


def parse_toml(text: str, path: Path | str, first_line: int = 1) -> dict:
    """Parse TOML; a syntax error names the file and the line in that file."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = first_line + toml_error_line(error) - 1
        raise ContentError(path, line, f"invalid TOML: {toml_message(error)}") from None


def split(text: str, path: Path | str) -> tuple[dict, str, int]:
    """Return (front matter, body, line number of the body's first line).

    The file must start with a `+++` line and the front matter ends at the next `+++` line.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(path, 1, "the file must start with a '+++' line (front matter)")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            meta = parse_toml("".join(lines[1:index]), path, first_line=2)
            return meta, "".join(lines[index + 1 :]), index + 2
    raise ContentError(path, 1, "the front matter opened on line 1 is never closed by '+++'")


def line_of(text: str, pattern: str, start_line: int = 1, default: int = 1) -> int:
    """The line (counting from `start_line`) where a regular expression first matches."""
    match = re.search(pattern, text, flags=re.MULTILINE)
    if not match:
        return default
    return start_line + text.count("\n", 0, match.start())


def key_line(text: str, key: str, default: int = 1) -> int:
    """The line where `key = …` is written in a TOML text."""
    return line_of(text, rf"^[ \t]*{re.escape(key)}[ \t]*=", default=default)
