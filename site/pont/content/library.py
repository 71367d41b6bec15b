"""Load and validate everything in content/; every problem is a ContentError with file and line."""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path

from . import contacts as contacts_file
from .frontmatter import ContentError, key_line, line_of, parse_toml, split
from .model import (
    LEVELS,
    QUESTION_KINDS,
    LessonPlan,
    Library,
    Module,
    Option,
    Question,
    Quiz,
    Source,
)
from .render import LinkBuilder, render

LANGUAGES = ("fr", "en")
AUDIENCES = ("pupils", "teachers", "parents")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")

MODULE_FIELDS = {
    "title": str,
    "summary": str,
    "audience": str,
    "levels": list,
    "duration": int,
    "reviewed": datetime.date,
    "sources": list,
    "order": int,
}
MODULE_REQUIRED = set(MODULE_FIELDS) - {"order"}
LESSON_FIELDS = {
    "title": str,
    "duration": int,
    "objectives": list,
    "materials": list,
    "reviewed": datetime.date,
}
QUESTION_FIELDS = {
    "id": str, "kind": str, "prompt": str, "options": list, "remember": str, "discuss": list,
}
OPTION_FIELDS = {"id": str, "text": str, "correct": bool, "feedback": str}

# A true/false option may leave out its text: it reads "True" or "False" in the file's language.
TRUE_FALSE = {"fr": {"true": "Vrai", "false": "Faux"}, "en": {"true": "True", "false": "False"}}

TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", bool: "true or false",
              datetime.date: "a date (YYYY-MM-DD)"}


class Errors(list):
    """Collects ContentErrors so that one run reports them all."""

    def add(self, path, line, message) -> None:
        self.append(ContentError(path, line, message))


def _check_fields(meta: dict, fields: dict, required: set, text: str, path, errors: Errors,
                  first_line: int = 1) -> bool:
    ok = True
    for key, value in meta.items():
        line = first_line + key_line(text, key) - 1
        if key not in fields:
            errors.add(path, line, f"unknown key '{key}' (allowed: {', '.join(sorted(fields))})")
            ok = False
        elif (not isinstance(value, fields[key])
              or (fields[key] is int and isinstance(value, bool))
              or (fields[key] is datetime.date and isinstance(value, datetime.datetime))):
            errors.add(path, line, f"'{key}' must be {TYPE_NAMES[fields[key]]}")
            ok = False
        elif fields[key] is str and not value.strip():
            errors.add(path, line, f"'{key}' must not be empty")
            ok = False
    for key in sorted(required - set(meta)):
        errors.add(path, first_line, f"missing key '{key}'")
        ok = False
    return ok


def _sources(meta: dict, text: str, path, errors: Errors) -> tuple[Source, ...]:
    sources = []
    line = key_line(text, "sources") + 1
    if not meta["sources"]:
        errors.add(path, line, "at least one source is required")
    for item in meta["sources"]:
        if not isinstance(item, dict) or set(item) != {"title", "url"}:
            errors.add(path, line, "each source needs exactly a 'title' and a 'url'")
            continue
        if not str(item["url"]).startswith(("https://", "http://")):
            errors.add(path, line_of(text, re.escape(str(item["url"])), 2, line),
                       f"source URL must start with https:// or http://: {item['url']}")
        sources.append(Source(str(item["title"]), str(item["url"])))
    return tuple(sources)


def _header_lines(text: str, header: str) -> list[int]:
    pattern = re.compile(rf"^[ \t]*\[\[{re.escape(header)}\]\]", re.MULTILINE)
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def _block(lines: list[str], first: int, last: int) -> str:
    """Lines first..last (1-based, inclusive) of a file, as one text."""
    return "\n".join(lines[first - 1 : last])


def _quiz(path: Path, lang: str, contacts: dict, errors: Errors) -> Quiz | None:
    text = path.read_text(encoding="utf-8")
    try:
        data = parse_toml(text, path)
    except ContentError as error:
        errors.append(error)
        return None
    if set(data) != {"questions"} or not isinstance(data.get("questions"), list):
        errors.add(path, 1, "a quiz file holds only [[questions]] tables")
        return None
    if not data["questions"]:
        errors.add(path, 1, "a quiz needs at least one question")
        return None
    lines = text.splitlines()
    # Arrays of tables keep their order, so the n-th [[questions]] header is the n-th question.
    q_headers = _header_lines(text, "questions") + [len(lines) + 1]
    o_headers = _header_lines(text, "questions.options")
    fill = contacts_file.fill
    questions: list[Question] = []
    seen_questions: set[str] = set()
    before = len(errors)
    for index, raw in enumerate(data["questions"]):
        qline, next_q = q_headers[index], q_headers[index + 1]
        own = [line for line in o_headers if qline < line < next_q]
        block = _block(lines, qline, (own or [next_q])[0] - 1)
        if not _check_fields(raw, QUESTION_FIELDS, {"id", "kind", "prompt", "options"}, block,
                             path, errors, qline):
            continue
        qid, kind = raw["id"], raw["kind"]
        if not ID.match(qid):
            errors.add(path, qline + key_line(block, "id") - 1,
                       f"question id '{qid}' may hold only a-z, 0-9, - and _")
        if qid in seen_questions:
            errors.add(path, qline + key_line(block, "id") - 1, f"duplicate question id '{qid}'")
        seen_questions.add(qid)
        if kind not in QUESTION_KINDS:
            errors.add(path, qline + key_line(block, "kind") - 1,
                       f"question '{qid}': kind must be one of {', '.join(QUESTION_KINDS)}, "
                       f"not '{kind}'")
            continue
        options: list[Option] = []
        seen_ids: set[str] = set()
        seen_texts: set[str] = set()
        required = set(OPTION_FIELDS) - ({"text"} if kind == "truefalse" else set())
        for opt, oline, onext in zip(raw["options"], own, own[1:] + [next_q], strict=False):
            oblock = _block(lines, oline, onext - 1)
            if not isinstance(opt, dict) or not _check_fields(
                    opt, OPTION_FIELDS, required, oblock, path, errors, oline):
                continue
            oid, option_text = opt["id"], opt.get("text", "")
            if not option_text and kind == "truefalse":
                option_text = TRUE_FALSE[lang].get(oid, "")
            if oid in seen_ids:
                errors.add(path, oline + key_line(oblock, "id") - 1,
                           f"question '{qid}': duplicate option id '{oid}'")
            seen_ids.add(oid)
            if option_text and option_text.strip().lower() in seen_texts:
                errors.add(path, oline + key_line(oblock, "text") - 1,
                           f"question '{qid}': duplicate option text '{option_text}'")
            seen_texts.add(option_text.strip().lower())
            try:
                options.append(Option(oid, fill(option_text, contacts, lang, path, oline),
                                      opt["correct"],
                                      fill(opt["feedback"], contacts, lang, path, oline)))
            except ContentError as error:
                errors.append(error)
        right = sum(o.correct for o in options)
        if kind in ("single", "truefalse") and right != 1:
            errors.add(path, qline, f"question '{qid}' ({kind}) needs exactly one right answer, "
                       f"found {right}")
        if kind in ("multiple", "scenario") and right < 1:
            errors.add(path, qline, f"question '{qid}' ({kind}) needs at least one right answer")
        if kind == "truefalse" and seen_ids != {"true", "false"}:
            errors.add(path, qline, f"question '{qid}' (truefalse) needs two options with ids "
                       "'true' and 'false'")
        if kind != "truefalse" and len(raw["options"]) < 2:
            errors.add(path, qline, f"question '{qid}' needs at least two options")
        try:
            questions.append(Question(
                qid, kind, fill(raw["prompt"], contacts, lang, path, qline), tuple(options),
                fill(raw.get("remember", ""), contacts, lang, path, qline),
                tuple(fill(str(d), contacts, lang, path, qline) for d in raw.get("discuss", [])),
            ))
        except ContentError as error:
            errors.append(error)
    return Quiz(tuple(questions)) if len(errors) == before else None


def _body(body: str, first_line: int, contacts: dict, lang: str, path, build: LinkBuilder,
          errors: Errors):
    try:
        filled = contacts_file.fill(body, contacts, lang, path, first_line)
    except ContentError as error:
        errors.append(error)
        filled = contacts_file.PLACEHOLDER.sub("", body)
    rendered = render(filled, build)
    ids = set(re.findall(r'\bid="([^"]+)"', rendered.html))
    for href in rendered.links:
        if href.startswith("#") and href[1:] not in ids:
            rendered.dead.append(href)
    for href in rendered.dead:
        line = line_of(body, re.escape(f"({href}"), first_line, first_line)
        errors.add(path, line, f"dead link '{href}' (use module:<audience>/<slug>, "
                   "lesson:<slug>, help: or an #anchor of this page)")
    plain = re.sub(r"<[^>]+>", " ", rendered.html)
    return rendered, plain


def load(root: Path, build: LinkBuilder | None = None) -> tuple[Library, Errors]:
    """Read content/ into a Library. Returns every error found instead of stopping at the first."""
    errors = Errors()
    library = Library()
    digest = hashlib.sha256()
    try:
        library.contacts = contacts_file.load(root / "contacts.toml")
    except ContentError as error:
        errors.append(error)
    contacts = library.contacts
    found: dict[tuple[str, str, str], tuple[Path, dict, str, int]] = {}
    lessons: dict[tuple[str, str], tuple[Path, dict, str, int]] = {}

    for lang in LANGUAGES:
        for path in sorted((root / lang).rglob("*")):
            if path.is_dir() or path.name.endswith(".quiz.toml"):
                continue
            rel = path.relative_to(root / lang)
            text = path.read_text(encoding="utf-8")
            digest.update(str(path.relative_to(root)).encode() + text.encode())
            if path.suffix != ".md" or len(rel.parts) != 2 or \
                    rel.parts[0] not in (*AUDIENCES, "lessons"):
                errors.add(path, 1, "unexpected file: content goes in "
                           "<lang>/<pupils|teachers|parents|lessons>/<slug>.md")
                continue
            slug = path.stem
            if not SLUG.match(slug):
                errors.add(path, 1, f"file name '{slug}' must be lowercase words joined by '-'")
                continue
            try:
                meta, body, body_line = split(text, path)
            except ContentError as error:
                errors.append(error)
                continue
            if rel.parts[0] == "lessons":
                lessons[(lang, slug)] = (path, meta, body, body_line)
            else:
                found[(lang, rel.parts[0], slug)] = (path, meta, body, body_line)
        for path in sorted((root / lang).rglob("*.quiz.toml")):
            digest.update(path.read_bytes())
            md_path = path.with_name(path.name.removesuffix(".quiz.toml") + ".md")
            if not md_path.exists():
                errors.add(path, 1, f"quiz without a module: {md_path.name} does not exist")

    def exists(kind: str, lang: str, target: str) -> bool:
        if kind == "module":
            audience, _, slug = target.partition("/")
            return (lang, audience, slug) in found
        if kind == "lesson":
            return (lang, target) in lessons
        if kind == "audience":
            return target in AUDIENCES
        return kind in ("help", "report", "home") and not target

    def builder_for(lang: str) -> LinkBuilder:
        def building(kind: str, target: str, anchor: str) -> str | None:
            if not exists(kind, lang, target):
                return None
            if build is None:
                return f"/{lang}/{kind}/{target}" + (f"#{anchor}" if anchor else "")
            return build(kind, f"{lang}:{target}", anchor)
        return building

    for (lang, audience, slug), (path, meta, body, body_line) in found.items():
        text = path.read_text(encoding="utf-8")
        if not _check_fields(meta, MODULE_FIELDS, MODULE_REQUIRED, text, path, errors):
            continue
        if meta["audience"] != audience:
            errors.add(path, key_line(text, "audience"),
                       f"audience '{meta['audience']}' does not match the folder '{audience}'")
        bad_levels = [lv for lv in meta["levels"] if lv not in LEVELS]
        if bad_levels or not meta["levels"]:
            errors.add(path, key_line(text, "levels"),
                       f"levels must be one or more of {', '.join(LEVELS)}")
        if not 1 <= meta["duration"] <= 60:
            errors.add(path, key_line(text, "duration"), "duration is in minutes, 1 to 60")
        sources = _sources(meta, text, path, errors)
        rendered, plain = _body(body, body_line, contacts, lang, path, builder_for(lang), errors)
        quiz_path = path.with_name(f"{slug}.quiz.toml")
        quiz = _quiz(quiz_path, lang, contacts, errors) if quiz_path.exists() else None
        if not quiz_path.exists():
            errors.add(path, 1, f"no quiz: every module needs {quiz_path.name} beside it")
        try:
            title = contacts_file.fill(meta["title"], contacts, lang, path, key_line(text, "title"))
            summary = contacts_file.fill(meta["summary"], contacts, lang, path,
                                         key_line(text, "summary"))
        except ContentError as error:
            errors.append(error)
            continue
        library.modules[(lang, audience, slug)] = Module(
            lang=lang, audience=audience, slug=slug, title=title, summary=summary,
            levels=tuple(meta["levels"]), duration=meta["duration"], reviewed=meta["reviewed"],
            sources=sources, order=meta.get("order", 100), html=rendered.html, toc=rendered.toc,
            words=len(plain.split()), text=plain, quiz=quiz, path=str(path),
        )

    for (lang, slug), (path, meta, body, body_line) in lessons.items():
        text = path.read_text(encoding="utf-8")
        if not _check_fields(meta, LESSON_FIELDS, set(LESSON_FIELDS), text, path, errors):
            continue
        if (lang, "pupils", slug) not in found:
            errors.add(path, 1,
                       f"lesson plan for a pupil module that does not exist: pupils/{slug}")
        rendered, plain = _body(body, body_line, contacts, lang, path, builder_for(lang), errors)
        library.lessons[(lang, slug)] = LessonPlan(
            lang=lang, slug=slug, title=meta["title"], duration=meta["duration"],
            objectives=tuple(map(str, meta["objectives"])),
            materials=tuple(map(str, meta["materials"])), reviewed=meta["reviewed"],
            html=rendered.html, toc=rendered.toc, text=plain, path=str(path),
        )

    _check_translations(root, found, lessons, library, errors)
    library.version = digest.hexdigest()[:16]
    return library, errors


def _check_translations(root: Path, found, lessons, library: Library, errors: Errors) -> None:
    """Every slug exists in every language, and quizzes share their question and option ids."""
    keys = {(au, slug) for (_, au, slug) in found}
    for audience, slug in sorted(keys):
        present = [lg for lg in LANGUAGES if (lg, audience, slug) in found]
        for lang in LANGUAGES:
            if lang not in present:
                other = present[0]
                errors.add(found[(other, audience, slug)][0], 1,
                           f"missing translation: {lang}/{audience}/{slug}.md does not exist")
        modules = [library.module(lg, audience, slug) for lg in LANGUAGES]
        if all(m and m.quiz for m in modules):
            shapes = [[(q.id, q.kind, tuple((o.id, o.correct) for o in q.options))
                       for q in m.quiz.questions] for m in modules]
            if shapes[0] != shapes[1]:
                errors.add(root / LANGUAGES[1] / audience / f"{slug}.quiz.toml", 1,
                           "quiz differs from the French one: questions, kinds, option ids and "
                           "right answers must be the same in every language")
    for lang, slug in sorted(lessons):
        for other in LANGUAGES:
            if (other, slug) not in lessons:
                errors.add(lessons[(lang, slug)][0], 1,
                           f"missing translation: {other}/lessons/{slug}.md does not exist")
    for lang in LANGUAGES:
        for (lg, audience, slug) in found:
            if lg == lang and audience == "pupils" and (lang, slug) not in lessons:
                errors.add(found[(lg, audience, slug)][0], 1,
                           f"no lesson plan: {lang}/lessons/{slug}.md does not exist")


def load_or_fail(root: Path, build: LinkBuilder | None = None) -> Library:
    library, errors = load(root, build)
    if errors:
        raise ContentInvalid(errors)
    return library


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("content has errors:\n" + "\n".join(str(e) for e in errors))

