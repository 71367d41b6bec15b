"""Markdown to HTML, once per file at start-up.

Authors link with `module:pupils/slug`, `lesson:slug`, `help:` and `#anchor`; the renderer turns
them into the page's language URLs and records every link so the checker can flag dead ones.
Raw HTML in content is not rendered: it is shown as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .model import TocEntry

# (kind, target, anchor) -> URL, or None when the target does not exist.
LinkBuilder = Callable[[str, str, str], "str | None"]
# A phone number filled into the text between these two private-use characters is rendered as
# `<span class="phone">`, which never breaks across lines.
PHONE_START, PHONE_END = "\ue000", "\ue001"


def phone(number: str) -> str:
    return f"{PHONE_START}{number}{PHONE_END}"


@dataclass
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    links: list[str] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)


class _Links(Treeprocessor):
    def __init__(self, md, build: LinkBuilder, result: Rendered):
        super().__init__(md)
        self.build = build
        self.result = result

    def run(self, root: ElementTree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            self.result.links.append(href)
            if href.startswith(("http://", "https://", "mailto:", "#")):
                if href.startswith("http"):
                    link.set("rel", "noopener")
                continue
            kind, colon, rest = href.partition(":")
            target, _, anchor = rest.partition("#")
            url = self.build(kind, target, anchor) if colon else None
            if url is None:
                self.result.dead.append(href)
            else:
                link.set("href", url)


class _ScrollingTables(Treeprocessor):
    """A wide table scrolls sideways in a box that the keyboard can focus and scroll, named
    by the heading above it (or, with none, by its header row)."""

    def run(self, root: ElementTree.Element) -> None:
        heading = None
        for index, child in enumerate(list(root)):
            if child.tag in ("h2", "h3", "h4") and child.get("id"):
                heading = child.get("id")
            if child.tag != "table":
                continue
            box = ElementTree.Element("div", {"class": "table-scroll", "tabindex": "0",
                                              "role": "region"})
            if heading:
                box.set("aria-labelledby", heading)
            else:
                box.set("aria-label", " · ".join(
                    "".join(cell.itertext()).strip() for cell in child.iter("th")))
            root.remove(child)
            box.append(child)
            root.insert(index, box)


class _Phone(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        span = ElementTree.Element("span", {"class": "phone"})
        span.text = m.group(1)
        return span, m.start(0), m.end(0)


class _PontExtension(Extension):
    def __init__(self, build: LinkBuilder, result: Rendered):
        super().__init__()
        self.build = build
        self.result = result

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_Links(md, self.build, self.result), "pont_links", 1)
        md.treeprocessors.register(_ScrollingTables(md), "pont_tables", 0)
        md.inlinePatterns.register(_Phone(f"{PHONE_START}([^{PHONE_END}]+){PHONE_END}", md),
                                   "pont_phone", 200)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _toc_entries(tokens: list[dict]) -> tuple[TocEntry, ...]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(token["id"], token["name"], token["level"]))
        entries.extend(_toc_entries(token["children"]))
    return tuple(entries)


def render(text: str, build: LinkBuilder) -> Rendered:
    """Render Markdown with a fresh instance (Markdown objects keep state between calls)."""
    result = Rendered(html="", toc=())
    md = markdown.Markdown(
        extensions=["toc", "tables", "attr_list", "sane_lists", _PontExtension(build, result)],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    result.html = md.convert(text)
    result.toc = _toc_entries(md.toc_tokens)
    return result
