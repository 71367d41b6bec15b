"""Age tracks: `content/tracks.toml`, one recommended order of pupil modules for each level.

A track names its level (cycle3, college, lycee), its title and one line about the level in
each language, and the ordered slugs of its modules. A slug must be a pupil module in every
language whose `levels` include the track's level: so the checker's rules for that level
(short sentences and no penalties for cycle3, a duration at that level's reading pace) hold
for every module of the track. How many modules a track needs is a quality rule of the
checker (`MIN_MODULES`).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..i18n import typeset
from .frontmatter import ContentError, line_of, parse_toml
from .library import Errors
from .model import LEVELS, Library, Track

FILE = "tracks.toml"
MIN_MODULES = 6
TRACK_FIELDS = {"level", "modules"}
WORDS = ("title", "about")


def load(root: Path, languages: tuple[str, ...], library: Library, errors: Errors) -> str:
    """Read the tracks into `library.tracks` (by language); the file's text, for the digest.

    Without the file the site has no tracks (a content tree for tests may leave it out)."""
    path = root / FILE
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    try:
        data = parse_toml(text, path)
    except ContentError as error:
        errors.append(error)
        return text
    if set(data) != {"tracks"} or not isinstance(data["tracks"], list):
        errors.add(path, 1, "tracks.toml holds only [[tracks]] tables")
        return text
    headers = list(re.finditer(r"^[ \t]*\[\[tracks\]\]", text, re.MULTILINE))
    seen = set()
    for raw, header in zip(data["tracks"], headers, strict=False):
        first, track_text = text.count("\n", 0, header.start()) + 1, text[header.start():]
        level = raw.get("level")
        if level not in LEVELS:
            errors.add(path, first, f"a track's level is one of {', '.join(LEVELS)}")
            continue
        if level in seen:
            errors.add(path, first, f"two tracks for the level '{level}'")
        seen.add(level)
        if unknown := set(raw) - TRACK_FIELDS - set(languages):
            errors.add(path, first, f"unknown key(s) {', '.join(sorted(unknown))} "
                       f"(allowed: level, modules, {', '.join(languages)})")
        slugs = raw.get("modules")
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            errors.add(path, first, "'modules' must be a list of pupil module slugs")
            continue
        for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
            errors.add(path, _slug_line(track_text, slug, first), f"'{slug}' is twice in the "
                       f"{level} track")
        for slug in slugs:
            for lang in languages:
                module = library.module(lang, "pupils", slug)
                if module is None:
                    errors.add(path, _slug_line(track_text, slug, first),
                               f"{level} track: no pupil module {lang}/pupils/{slug}.md")
                elif level not in module.levels:
                    errors.add(path, _slug_line(track_text, slug, first),
                               f"{level} track: {lang}/pupils/{slug}.md is not for {level} "
                               f"(its levels: {', '.join(module.levels)})")
                    break
        for lang in languages:
            words = raw.get(lang)
            if not isinstance(words, dict) or set(words) != set(WORDS) \
                    or not all(isinstance(words[w], str) and words[w].strip() for w in WORDS):
                errors.add(path, first, f"{level} track: [tracks.{lang}] needs exactly a "
                           "'title' and an 'about' line")
                continue
            modules = tuple(m for s in slugs if (m := library.module(lang, "pupils", s)))
            library.tracks.setdefault(lang, []).append(Track(
                lang, level, typeset(lang, words["title"]), typeset(lang, words["about"]),
                modules, line=first))
    return text


def _slug_line(text: str, slug: str, first: int) -> int:
    return line_of(text, re.escape(f'"{slug}"'), first, first)


def errors(library: Library, root: Path) -> Errors:
    """The checker's rules: a track for every level, each with at least MIN_MODULES modules."""
    found = Errors()
    path = root / FILE
    for lang in sorted({m.lang for m in library.modules.values()}):
        tracks = {t.level: t for t in library.tracks.get(lang, ())}
        for level in LEVELS:
            track = tracks.get(level)
            if track is None:
                found.add(path, 1, f"{lang}: no track for the level '{level}'")
            elif len(track.modules) < MIN_MODULES:
                found.add(path, track.line, f"{lang}: the {level} track has "
                          f"{len(track.modules)} modules (at least {MIN_MODULES})")
    return found
