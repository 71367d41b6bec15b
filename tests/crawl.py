"""Find every public page by following links from /fr/ and /en/, with the Flask test client."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


@dataclass
class Page:
    url: str
    status: int
    html: str
    ids: set[str]
    links: list[str]


@dataclass
class Crawl:
    pages: dict[str, Page] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)

    def html_pages(self) -> list[Page]:
        return [p for p in self.pages.values() if p.status == 200]


def is_internal(href: str) -> bool:
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and href.startswith(("/", "#"))


def crawl(client, seeds: list[str], limit: int = 400) -> Crawl:
    result = Crawl()
    queue = list(seeds)
    while queue and len(result.pages) < limit:
        url = queue.pop(0)
        if url in result.pages:
            continue
        response = client.get(url)
        text = response.get_data(as_text=True)
        parser = _Links()
        parser.feed(text)
        result.pages[url] = Page(url, response.status_code, text, parser.ids, parser.links)
        if response.status_code != 200:
            continue
        for href in parser.links:
            if not is_internal(href) or href.startswith("#"):
                continue
            target, _ = urldefrag(href)
            if not target.startswith("/static/") and target not in result.pages:
                queue.append(target)
    # Every internal link and anchor must land.
    for page in result.html_pages():
        for href in page.links:
            if not is_internal(href):
                continue
            target, fragment = urldefrag(href)
            target = target or page.url
            if target.startswith("/static/"):
                if client.get(target).status_code != 200:
                    result.broken.append(f"{page.url}: broken link {href}")
                continue
            found = result.pages.get(target)
            if found is None or found.status != 200:
                result.broken.append(f"{page.url}: broken link {href} "
                                     f"({found.status if found else 'not crawled'})")
            elif fragment and fragment not in found.ids:
                result.broken.append(f"{page.url}: broken anchor {href}")
    return result
