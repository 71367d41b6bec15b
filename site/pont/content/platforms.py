"""Platform guides: one TOML file per platform and language, `<lang>/platforms/<slug>.toml`.

A guide has the same five sections on every platform (block, report, choose who can contact
you, hide where you are, get a post removed). Each section is a numbered list of steps, or
several lists with a title each (`[[report]]` twice: a message, an account). Menus change, so
every step carries the date it was checked, `{checked 2026-12}`; the removal section names the
national helpline (a trusted flagger) and the appeal the DSA gives against a platform's refusal.
Problems are ContentErrors with the file and line, like every other content file.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from pathlib import Path

from . import dated
from .frontmatter import ContentError, key_line, parse_toml
from .library import Errors, SourceFile, Writer, _check_fields, _sources
from .model import GuideGroup, GuideSection, Library, PlatformGuide, Source

FOLDER = "platforms"
# The sections every guide has, in the order pages show them.
SECTIONS = ("block", "report", "contact", "location", "removal")
SECTION_HELP = {
    "block": "how to block someone",
    "report": "how to report an account, a post or a message",
    "contact": "how to choose who can contact you",
    "location": "how to hide where you are",
    "removal": "how to get a post removed",
}
GUIDE_FIELDS = {
    "name": str,
    "summary": str,
    "reviewed": datetime.date,
    "order": int,
    "sources": list,
    **{section: (dict, list) for section in SECTIONS},
}
GUIDE_REQUIRED = set(GUIDE_FIELDS) - {"order"}
GROUP_FIELDS = {"title": str, "intro": str, "steps": list, "note": str}
# The removal section must say what to do when the platform does nothing or refuses.
HELPLINE = re.compile(r"\{\{\s*helpline\.number\s*\}\}")
APPEAL = re.compile(r"\bDSA\b")


def is_guide_file(rel: Path) -> bool:
    """`platforms/<slug>.toml` inside a language folder."""
    return len(rel.parts) == 2 and rel.parts[0] == FOLDER and rel.suffix == ".toml" \
        and not rel.name.endswith(".quiz.toml")


def _header_lines(text: str, section: str) -> list[int]:
    """The lines of `[section]` or of each `[[section]]` header."""
    pattern = re.compile(rf"^[ \t]*\[\[?[ \t]*{re.escape(section)}[ \t]*\]\]?", re.MULTILINE)
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def _step_line(text: str, step: str, start: int, default: int) -> int:
    """The line where a step is written: its first words, searched from its section."""
    words = re.split(r'["\\]', step, maxsplit=1)[0][:40]
    lines = text.splitlines()
    for number in range(start, len(lines) + 1):
        if words and words in lines[number - 1]:
            return number
    return default


def _inline(writer: Writer, text: str, path, line: int) -> str:
    """A step or a note: Markdown of one paragraph (bold, links), without its <p>."""
    html, _, _ = writer.markdown(text, line, path)
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def _step(writer: Writer, step: str, path, line: int) -> str:
    """A step's HTML, its check date last and set apart: « (vérifié en décembre 2026) »."""
    marks = " ".join(m.group(0) for m in dated.CHECKED.finditer(step))
    html = _inline(writer, dated.CHECKED.sub("", step).strip(), path, line)
    if marks:
        html += f' <span class="checked">{writer.words(marks, path, line)}</span>'
    return html


def _groups(raw, section: str, file: SourceFile, writer: Writer) -> tuple[GuideGroup, ...]:
    errors, path, text = writer.errors, file.path, file.text
    headers = _header_lines(text, section) or [1]
    items = raw if isinstance(raw, list) else [raw]
    groups = []
    for index, item in enumerate(items):
        first = headers[min(index, len(headers) - 1)]
        last = headers[index + 1] - 1 if index + 1 < len(headers) else len(text.splitlines())
        block = "\n".join(text.splitlines()[first - 1:last])
        if not isinstance(item, dict):
            errors.add(path, first, f"[[{section}]] must be a table of title, intro, steps, note")
            continue
        if not _check_fields(item, GROUP_FIELDS, {"steps"}, block, path, errors, first):
            continue
        if len(items) > 1 and not item.get("title"):
            errors.add(path, first, f"[[{section}]] is written {len(items)} times: each one "
                       "needs a 'title' (e.g. \"A message\", \"An account\")")
        if not item["steps"]:
            errors.add(path, first + key_line(block, "steps") - 1,
                       f"[{section}] needs at least one step ({SECTION_HELP[section]})")
        steps = []
        for number, step in enumerate(item["steps"], 1):
            line = _step_line(text, str(step), first, first)
            if not isinstance(step, str) or not step.strip():
                errors.add(path, line, f"step {number} of [{section}] must be some text")
                continue
            if not dated.CHECKED.search(step):
                errors.add(path, line, f"step {number} of [{section}] needs the date it was "
                           "checked, at its end: {checked YYYY-MM}")
            steps.append(_step(writer, step, path, line))
        groups.append(GuideGroup(
            title=writer.words(item.get("title", ""), path, first),
            intro=_step(writer, item["intro"], path, first) if item.get("intro") else "",
            steps=tuple(steps),
            note=_step(writer, item["note"], path, first) if item.get("note") else "",
        ))
    return tuple(groups)


def _removal_rules(raw, file: SourceFile, errors: Errors) -> None:
    items = raw if isinstance(raw, list) else [raw]
    said = " ".join(str(v) for item in items if isinstance(item, dict) for v in item.values())
    line = (_header_lines(file.text, "removal") or [1])[0]
    if not HELPLINE.search(said):
        errors.add(file.path, line, "[removal] must say that {{ helpline.number }} can ask the "
                   "platform to remove a post (it is a trusted flagger)")
    if not APPEAL.search(said):
        errors.add(file.path, line, "[removal] must say how to appeal a refusal: the DSA "
                   "gives a complaint against the platform's decision")


def guide(file: SourceFile, writer: Writer) -> PlatformGuide | None:
    errors, path, text = writer.errors, file.path, file.text
    try:
        meta = parse_toml(text, path)
    except ContentError as error:
        errors.append(error)
        return None
    ok = _check_fields(meta, GUIDE_FIELDS, GUIDE_REQUIRED, text, path, errors)
    for section in SECTIONS:
        value = meta.get(section)
        if isinstance(value, list) and not value:
            errors.add(path, key_line(text, section), f"[{section}] is empty")
            ok = False
    if not ok:
        return None
    sources = tuple(Source(writer.words(s.title, path, key_line(text, "sources")), s.url)
                    for s in _sources(meta, text, path, errors))
    sections = tuple(GuideSection(s, _groups(meta[s], s, file, writer)) for s in SECTIONS)
    _removal_rules(meta["removal"], file, errors)
    plain = " ".join(  # what a reader reads, check dates aside
        re.sub(r"<[^>]+>", " ", re.sub(r'<span class="checked">.*?</span>', "", part))
        for section in sections for group in section.groups
        for part in (group.title, group.intro, *group.steps, group.note))
    return PlatformGuide(
        lang=file.lang, slug=file.slug,
        name=writer.words(meta["name"], path, key_line(text, "name")),
        summary=writer.words(meta["summary"], path, key_line(text, "summary")),
        reviewed=meta["reviewed"], sources=sources, sections=sections,
        order=meta.get("order", 100), text=plain, path=str(path),
    )


def load_guides(lang: str, files: Iterable[SourceFile], writer: Writer, library: Library) -> None:
    """Every guide of one language, into the library."""
    for file in files:
        if file.lang == lang and file.folder == FOLDER:
            if (found := guide(file, writer)) is not None:
                library.platforms[(lang, file.slug)] = found


def _shape(found: PlatformGuide | None):
    """What translations share: the sections, their lists and the number of steps in each."""
    if found is None:
        return None
    return [(s.id, [len(g.steps) for g in s.groups]) for s in found.sections]


def check_translations(languages: tuple[str, ...], files: list[SourceFile], library: Library,
                       errors: Errors) -> None:
    """Every guide exists in every language, with the same sections and steps."""
    by_key = {(f.lang, f.slug): f for f in files if f.folder == FOLDER}
    first = languages[0]
    for slug in sorted({slug for (_, slug) in by_key}):
        present = [lang for lang in languages if (lang, slug) in by_key]
        for lang in languages:
            if lang not in present:
                errors.add(by_key[(present[0], slug)].path, 1, f"missing translation: "
                           f"{lang}/{FOLDER}/{slug}.toml does not exist")
        reference = _shape(library.platform(first, slug))
        for lang in present:
            shape = _shape(library.platform(lang, slug))
            if lang != first and None not in (shape, reference) and shape != reference:
                errors.add(by_key[(lang, slug)].path, 1, f"guide differs from the {first} one: "
                           "the same sections, lists and number of steps in every language")


def check_module_links(library: Library, files: list[SourceFile], errors: Errors) -> None:
    """A module's `platforms = [...]` names guides that exist in its language."""
    texts = {str(f.path): f.text for f in files}
    for module in library.modules.values():
        for slug in module.platforms:
            if library.platform(module.lang, slug) is None:
                text = texts.get(module.path, "")
                errors.add(module.path, key_line(text, "platforms"),
                           f"platforms: no guide '{slug}' ({module.lang}/{FOLDER}/{slug}.toml "
                           "does not exist)")

