"""Load and validate everything in content/; every problem is a ContentError with file and line.

Loading is a few small steps, each with a named result: read every file once (`SourceFile`),
split the pages' front matter (`Page`), then build modules, their quizzes and lesson plans.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Defaults
from ..i18n import AUDIENCES, LANGUAGES, catalogue, typeset
from . import contacts as contacts_file
from . import dated
from .frontmatter import ContentError, key_line, line_of, parse_toml, split
from .model import (
    KINDS,
    LEVELS,
    LessonPlan,
    Library,
    Module,
    Option,
    Question,
    Quiz,
    Source,
    TocEntry,
)
from .render import LinkBuilder, render
from .render import phone as render_phone

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
LESSONS = "lessons"
QUIZ_SUFFIX = ".quiz.toml"

MODULE_FIELDS = {
    "title": str,
    "summary": str,
    "audience": str,
    "levels": list,
    "duration": int,
    "reviewed": datetime.date,
    "sources": list,
    "order": int,
    "platforms": list,
}
MODULE_REQUIRED = set(MODULE_FIELDS) - {"order", "platforms"}
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
QUESTION_REQUIRED = {"id", "kind", "prompt", "options"}
OPTION_FIELDS = {"id": str, "text": str, "correct": bool, "feedback": str}

# An option a kind fixes (true/false) may leave out its text: it reads as the catalogue's word.
FIXED_OPTION_LABELS = {"true": "True", "false": "False"}
CHECKED_PHRASE = "(checked {date})"

TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", bool: "true or false",
              datetime.date: "a date (YYYY-MM-DD)", (dict, list): "a table ([name] or [[name]])"}


class Errors(list):
    """Collects ContentErrors so that one run reports them all."""

    def add(self, path, line, message) -> None:
        self.append(ContentError(path, line, message))


@dataclass(frozen=True)
class SourceFile:
    """One content file, read once."""

    path: Path
    lang: str
    folder: str  # an audience or "lessons"
    slug: str
    text: str


@dataclass(frozen=True)
class Page:
    """A Markdown file split into its front matter and its body."""

    file: SourceFile
    meta: dict
    body: str
    body_line: int


@dataclass(frozen=True)
class Block:
    """The lines of one TOML table ([[questions]] or [[questions.options]]) in its file."""

    first: int
    text: str

    def line(self, key: str) -> int:
        return self.first + key_line(self.text, key) - 1


@dataclass
class Loaded:
    library: Library
    errors: Errors
    files: list[SourceFile] = field(default_factory=list)
    contacts_text: str = ""

    def __iter__(self):
        """`library, errors = load(root)` still reads naturally."""
        return iter((self.library, self.errors))


def _contact_words(contacts: dict, path: Path, translations_dir: str, errors: Errors) -> None:
    """Contacts' words (the `[name.<lang>]` tables) get their check dates in words and their
    language's typography, like every other text of that language."""
    for entry in contacts.values():
        for lang, words in (entry.items() if isinstance(entry, dict) else ()):
            if not isinstance(words, dict):
                continue
            phrase = catalogue(translations_dir, lang).gettext(CHECKED_PHRASE)
            for key, value in words.items():
                if isinstance(value, str):
                    try:
                        words[key] = typeset(lang, dated.localize(value, phrase, lang, path))
                    except ContentError as error:
                        errors.append(error)


@dataclass
class Writer:
    """Turns an author's text into the page's text for one language: contacts filled, check
    dates in words, the language's typography."""

    lang: str
    contacts: dict
    build: LinkBuilder
    errors: Errors
    translations_dir: str

    def gettext(self, message: str) -> str:
        return catalogue(self.translations_dir, self.lang).gettext(message)

    def _fill(self, text: str, path, line: int, phone=contacts_file.unbreakable) -> str:
        text = contacts_file.fill(text, self.contacts, self.lang, path, line, phone)
        return dated.localize(text, self.gettext(CHECKED_PHRASE), self.lang, path, line)

    def _typeset(self, text: str) -> str:
        return typeset(self.lang, text)

    def words(self, text: str, path, line: int) -> str:
        """Plain text (titles, quiz text); a problem is recorded and the text left empty."""
        try:
            return self._typeset(self._fill(text, path, line))
        except ContentError as error:
            self.errors.append(error)
            return ""

    def markdown(self, body: str, first_line: int, path) -> tuple[str, tuple, str]:
        """(HTML, table of contents, plain text) of a Markdown body; dead links recorded."""
        try:
            filled = self._fill(body, path, first_line, phone=render_phone)
        except ContentError as error:
            self.errors.append(error)
            filled = dated.CHECKED.sub("", contacts_file.PLACEHOLDER.sub("", body))
        rendered = render(filled, self.build)
        ids = set(re.findall(r'\bid="([^"]+)"', rendered.html))
        dead = rendered.dead + [h for h in rendered.links if h.startswith("#") and h[1:] not in ids]
        for href in dead:
            line = line_of(body, re.escape(f"({href}"), first_line, first_line)
            self.errors.add(path, line, f"dead link '{href}' (use module:<audience>/<slug>, "
                            "lesson:<slug>, platform:<slug>, help: or an #anchor of this page)")
        plain = re.sub(r"<[^>]+>", " ", rendered.html)
        toc = tuple(TocEntry(e.id, self._typeset(e.title), e.level) for e in rendered.toc)
        return self._typeset(rendered.html), toc, plain


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


# --- Step 1: read every file once -------------------------------------------------------------

def read_files(root: Path, languages: Iterable[str], errors: Errors) -> list[SourceFile]:
    from . import platforms

    files = []
    for lang in languages:
        for path in sorted((root / lang).rglob("*")):
            if path.is_dir():
                continue
            rel = path.relative_to(root / lang)
            name = path.name.removesuffix(QUIZ_SUFFIX) if path.name.endswith(QUIZ_SUFFIX) \
                else path.stem
            if platforms.is_guide_file(rel):
                pass
            elif (path.suffix != ".md" and not path.name.endswith(QUIZ_SUFFIX)) \
                    or len(rel.parts) != 2 or rel.parts[0] not in (*AUDIENCES, LESSONS) \
                    or (rel.parts[0] == LESSONS and path.suffix != ".md"):
                errors.add(path, 1, "unexpected file: content goes in "
                           f"<lang>/<{'|'.join(AUDIENCES)}|{LESSONS}>/<slug>.md "
                           f"or <lang>/{platforms.FOLDER}/<slug>.toml")
                continue
            if not SLUG.match(name):
                errors.add(path, 1, f"file name '{name}' must be lowercase words joined by '-'")
                continue
            files.append(SourceFile(path, lang, rel.parts[0], name,
                                    path.read_text(encoding="utf-8")))
    return files


def _pages(files: list[SourceFile], errors: Errors) -> list[Page]:
    pages = []
    for file in files:
        if file.path.suffix != ".md":
            continue
        try:
            pages.append(Page(file, *split(file.text, file.path)))
        except ContentError as error:
            errors.append(error)
    return pages


# --- Step 2: quizzes ---------------------------------------------------------------------------

def _header_lines(text: str, header: str) -> list[int]:
    pattern = re.compile(rf"^[ \t]*\[\[{re.escape(header)}\]\]", re.MULTILINE)
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def _blocks(text: str, count: int) -> list[tuple[Block, list[Block]]]:
    """Each question's block and its options' blocks, in file order (TOML keeps that order)."""
    lines = text.splitlines()

    def block(first: int, last: int) -> Block:
        return Block(first, "\n".join(lines[first - 1 : last]))

    starts = _header_lines(text, "questions")[:count] + [len(lines) + 1]
    option_starts = _header_lines(text, "questions.options")
    found = []
    for first, after in zip(starts, starts[1:], strict=False):
        own = [line for line in option_starts if first < line < after]
        bounds = own + [after]
        found.append((block(first, bounds[0] - 1),
                      [block(start, end - 1) for start, end in zip(own, bounds[1:], strict=True)]))
    return found


def _option(raw, block: Block, kind, writer: Writer, path) -> Option | None:
    required = set(OPTION_FIELDS) - ({"text"} if kind.fixed_ids else set())
    if not isinstance(raw, dict) or not _check_fields(raw, OPTION_FIELDS, required, block.text,
                                                      path, writer.errors, block.first):
        return None
    text = raw.get("text", "")
    if not text and raw["id"] in kind.fixed_ids:
        text = writer.gettext(FIXED_OPTION_LABELS.get(raw["id"], raw["id"]))
    return Option(raw["id"], writer.words(text, path, block.first), raw["correct"],
                  writer.words(raw["feedback"], path, block.first))


def _question(raw: dict, block: Block, option_blocks: list[Block], writer: Writer,
              path) -> Question | None:
    errors = writer.errors
    if not _check_fields(raw, QUESTION_FIELDS, QUESTION_REQUIRED, block.text, path, errors,
                         block.first):
        return None
    qid, kind = raw["id"], KINDS.get(raw["kind"])
    if not ID.match(qid):
        errors.add(path, block.line("id"), f"question id '{qid}' may hold only a-z, 0-9, - and _")
    if kind is None:
        errors.add(path, block.line("kind"), f"question '{qid}': kind must be one of "
                   f"{', '.join(KINDS)}, not '{raw['kind']}'")
        return None
    options, ids, texts = [], set(), set()
    for opt, oblock in zip(raw["options"], option_blocks, strict=False):
        option = _option(opt, oblock, kind, writer, path)
        if option is None:
            continue
        if option.id in ids:
            errors.add(path, oblock.line("id"), f"question '{qid}': duplicate option id "
                       f"'{option.id}'")
        if option.text and option.text.strip().lower() in texts:
            errors.add(path, oblock.line("text"), f"question '{qid}': duplicate option text "
                       f"'{option.text}'")
        ids.add(option.id)
        texts.add(option.text.strip().lower())
        options.append(option)
    ids_written = [o.get("id") for o in raw["options"] if isinstance(o, dict)]
    for problem in kind.problems(ids_written, sum(o.correct for o in options)):
        errors.add(path, block.first, f"question '{qid}' ({kind}) {problem}")
    return Question(
        qid, kind, writer.words(raw["prompt"], path, block.line("prompt")),
        kind.display_order(qid, options),
        writer.words(raw.get("remember", ""), path, block.first),
        tuple(writer.words(str(d), path, block.first) for d in raw.get("discuss", [])),
        line=block.first,
    )


def _quiz(file: SourceFile, writer: Writer) -> Quiz | None:
    errors, path = writer.errors, file.path
    try:
        data = parse_toml(file.text, path)
    except ContentError as error:
        errors.append(error)
        return None
    if set(data) != {"questions"} or not isinstance(data.get("questions"), list):
        errors.add(path, 1, "a quiz file holds only [[questions]] tables")
        return None
    if not data["questions"]:
        errors.add(path, 1, "a quiz needs at least one question")
        return None
    before = len(errors)
    questions, seen = [], set()
    blocks = _blocks(file.text, len(data["questions"]))
    blocks += [(Block(1, file.text), [])] * (len(data["questions"]) - len(blocks))
    for raw, (block, option_blocks) in zip(data["questions"], blocks, strict=True):
        question = _question(raw, block, option_blocks, writer, path)
        if question is None:
            continue
        if question.id in seen:
            errors.add(path, block.line("id"), f"duplicate question id '{question.id}'")
        seen.add(question.id)
        questions.append(question)
    return Quiz(tuple(questions), str(path)) if len(errors) == before else None


# --- Step 3: modules and lesson plans ----------------------------------------------------------

def _module(page: Page, quiz_file: SourceFile | None, writer: Writer) -> Module | None:
    file, meta, errors = page.file, page.meta, writer.errors
    path, text = file.path, file.text
    if not _check_fields(meta, MODULE_FIELDS, MODULE_REQUIRED, text, path, errors):
        return None
    if meta["audience"] != file.folder:
        errors.add(path, key_line(text, "audience"),
                   f"audience '{meta['audience']}' does not match the folder '{file.folder}'")
    bad_levels = [lv for lv in meta["levels"] if lv not in LEVELS]
    if bad_levels or not meta["levels"]:
        errors.add(path, key_line(text, "levels"),
                   f"levels must be one or more of {', '.join(LEVELS)}")
        return None
    if not 1 <= meta["duration"] <= 60:
        errors.add(path, key_line(text, "duration"), "duration is in minutes, 1 to 60")
    sources = tuple(Source(writer.words(s.title, path, key_line(text, "sources")), s.url)
                    for s in _sources(meta, text, path, errors))
    html, toc, plain = writer.markdown(page.body, page.body_line, path)
    if quiz_file is None:
        errors.add(path, 1, f"no quiz: every module needs {file.slug}{QUIZ_SUFFIX} beside it")
    quiz = _quiz(quiz_file, writer) if quiz_file else None
    title = writer.words(meta["title"], path, key_line(text, "title"))
    summary = writer.words(meta["summary"], path, key_line(text, "summary"))
    return Module(
        lang=file.lang, audience=file.folder, slug=file.slug, title=title, summary=summary,
        levels=tuple(meta["levels"]), duration=meta["duration"], reviewed=meta["reviewed"],
        sources=sources, order=meta.get("order", 100), html=html, toc=toc,
        words=len(plain.split()), text=plain, quiz=quiz, path=str(path),
        platforms=tuple(str(p) for p in meta.get("platforms", ())),
    )


def _lesson(page: Page, writer: Writer) -> LessonPlan | None:
    file, meta = page.file, page.meta
    if not _check_fields(meta, LESSON_FIELDS, set(LESSON_FIELDS), file.text, file.path,
                         writer.errors):
        return None
    html, toc, plain = writer.markdown(page.body, page.body_line, file.path)
    return LessonPlan(
        lang=file.lang, slug=file.slug,
        title=writer.words(meta["title"], file.path, key_line(file.text, "title")),
        duration=meta["duration"],
        objectives=tuple(writer.words(str(o), file.path, key_line(file.text, "objectives"))
                         for o in meta["objectives"]),
        materials=tuple(writer.words(str(m), file.path, key_line(file.text, "materials"))
                        for m in meta["materials"]),
        reviewed=meta["reviewed"], html=html, toc=toc, text=plain, path=str(file.path),
    )


def _link_builder(lang: str, pages: list[Page], build: LinkBuilder | None,
                  guides: frozenset[str] = frozenset()) -> LinkBuilder:
    """Builds the URL of a link in a `lang` page, or None when its target does not exist."""
    modules = {(p.file.folder, p.file.slug) for p in pages
               if p.file.lang == lang and p.file.folder != LESSONS}
    lessons = {p.file.slug for p in pages if p.file.lang == lang and p.file.folder == LESSONS}

    def exists(kind: str, target: str) -> bool:
        if kind == "module":
            return tuple(target.partition("/")[::2]) in modules
        if kind == "lesson":
            return target in lessons
        if kind == "platform":
            return target in guides
        if kind == "audience":
            return target in AUDIENCES
        return kind in ("help", "report", "home") and not target

    def building(kind: str, target: str, anchor: str) -> str | None:
        if not exists(kind, target):
            return None
        if build is None:
            return f"/{lang}/{kind}/{target}" + (f"#{anchor}" if anchor else "")
        return build(kind, f"{lang}:{target}", anchor)

    return building


def _contacts(path: Path, translations_dir: str, library: Library, errors: Errors) -> str:
    """Read contacts.toml into the library; its text, for the digest and the checker."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        library.contacts = contacts_file.parse(text, path)
        _contact_words(library.contacts, path, translations_dir, errors)
    except ContentError as error:
        errors.append(error)
    library.dated.extend(dated.find(path, text))
    return text


def _version(root: Path, files: list[SourceFile], contacts_text: str) -> str:
    """Changes whenever any content file does (pages' ETags depend on it)."""
    digest = hashlib.sha256(contacts_text.encode())
    for file in files:
        digest.update(str(file.path.relative_to(root)).encode() + file.text.encode())
    return digest.hexdigest()[:16]


def _build(lang: str, pages: list[Page], quizzes: dict, writer: Writer, library: Library) -> None:
    """Every module (with its quiz) and lesson plan of one language, into the library."""
    modules = {(p.file.folder, p.file.slug) for p in pages if p.file.lang == lang}
    for page in (p for p in pages if p.file.lang == lang):
        file = page.file
        if file.folder == LESSONS:
            if ("pupils", file.slug) not in modules:
                writer.errors.add(file.path, 1, "lesson plan for a pupil module that does not "
                                  f"exist: pupils/{file.slug}")
            if (plan := _lesson(page, writer)) is not None:
                library.lessons[(lang, file.slug)] = plan
        elif (module := _module(page, quizzes.get((lang, file.folder, file.slug)),
                                writer)) is not None:
            library.modules[(lang, file.folder, file.slug)] = module


def load(root: Path, build: LinkBuilder | None = None,
         languages: Iterable[str] = LANGUAGES,
         translations_dir: str = Defaults.TRANSLATIONS_DIR) -> Loaded:
    """Read content/ into a Library, with every error found instead of stopping at the first."""
    from . import platforms, tracks

    languages = tuple(languages)
    errors = Errors()
    library = Library()
    contacts_text = _contacts(root / "contacts.toml", translations_dir, library, errors)
    files = read_files(root, languages, errors)
    pages = _pages(files, errors)
    quizzes = {(f.lang, f.folder, f.slug): f for f in files if f.path.name.endswith(QUIZ_SUFFIX)}
    written = {(p.file.lang, p.file.folder, p.file.slug) for p in pages}
    for key in sorted(quizzes.keys() - written):
        errors.add(quizzes[key].path, 1,
                   f"quiz without a module: {quizzes[key].slug}.md does not exist")
    for lang in languages:
        guides = frozenset(f.slug for f in files if f.lang == lang and f.folder == platforms.FOLDER)
        writer = Writer(lang, library.contacts, _link_builder(lang, pages, build, guides), errors,
                        translations_dir)
        _build(lang, pages, quizzes, writer, library)
        platforms.load_guides(lang, files, writer, library)
    for file in files:
        library.dated.extend(dated.find(file.path, file.text))
    _check_translations(root, languages, pages, library, errors)
    platforms.check_translations(languages, files, library, errors)
    platforms.check_module_links(library, files, errors)
    tracks_text = tracks.load(root, languages, library, errors)
    library.version = _version(root, files, contacts_text + tracks_text)
    return Loaded(library, errors, files, contacts_text)


def _quiz_shape(module: Module | None):
    """What must match across languages: ids, kinds and right answers, not words."""
    if module is None or module.quiz is None:
        return None
    return [(q.id, q.kind.name, sorted((o.id, o.correct) for o in q.options))
            for q in module.quiz.questions]


def _check_translations(root: Path, languages: tuple[str, ...], pages: list[Page],
                        library: Library, errors: Errors) -> None:
    """Every slug exists in every language, and quizzes share their question and option ids."""
    by_key = {(p.file.lang, p.file.folder, p.file.slug): p.file for p in pages}
    for folder, slug in sorted({(folder, slug) for (_, folder, slug) in by_key}):
        present = [lang for lang in languages if (lang, folder, slug) in by_key]
        for lang in languages:
            if lang not in present:
                errors.add(by_key[(present[0], folder, slug)].path, 1,
                           f"missing translation: {lang}/{folder}/{slug}.md does not exist")
        if folder == LESSONS:
            continue
        if folder == "pupils":
            for lang in present:
                if (lang, LESSONS, slug) not in by_key:
                    errors.add(by_key[(lang, folder, slug)].path, 1,
                               f"no lesson plan: {lang}/{LESSONS}/{slug}.md does not exist")
        shapes = {lang: _quiz_shape(library.module(lang, folder, slug)) for lang in present}
        first = languages[0]
        for lang, shape in shapes.items():
            if lang != first and shape is not None and shapes.get(first) not in (None, shape):
                errors.add(root / lang / folder / f"{slug}{QUIZ_SUFFIX}", 1,
                           f"quiz differs from the {first} one: questions, kinds, option ids "
                           "and right answers must be the same in every language")


def load_or_fail(root: Path, build: LinkBuilder | None = None, **options) -> Library:
    library, errors = load(root, build, **options)
    if errors:
        raise ContentInvalid(errors)
    return library


class ContentInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("content has errors:\n" + "\n".join(str(e) for e in errors))
