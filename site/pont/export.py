"""`flask --app pont export DIR`: every public page, in both languages, as static files.

For the busiest day (nginx or a CDN serves the folder, no Python involved) and for classrooms
without a network (the folder works opened from a disk or a USB stick). The pages exported are
those that depend only on their URL (`http_cache.cached_page`: home, audiences, modules,
lesson plans, help), found by following links from /fr/ and /en/. Every link between them
becomes relative and ends in `.html`; a link to any other page of the site (the report form,
live sessions, statistics, staff) goes to `PONT_PUBLIC_URL`. Quizzes are scored in the
browser (`quiz_offline.js`), and say so to a browser without JavaScript.

Frozen-Flask was considered: it writes extension-less files for extension-less URLs and only
makes `url_for` links relative, not those in rendered Markdown, so a copy opened from a folder
would not work.
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask
from flask.cli import ScriptInfo
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from .i18n import LANGUAGES
from .static_files import fingerprinted_names

ATTRIBUTE = re.compile(r'\b(href|src|action)="([^"]*)"')
QUIZ_FORM = re.compile(r"<form ([^>]*)\bdata-quiz\b")
MARKER = ".pont-export"  # says a folder holds an export, which a new one may replace


class ExportError(click.ClickException):
    """A page could not be exported: nothing is left half-written under its name."""


def file_for(path: str) -> str:
    """The file holding a URL path: `/fr/` -> `fr/index.html`, `/fr/aide` -> `fr/aide.html`."""
    path = path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path + ".html"


def relative(from_file: str, to_file: str) -> str:
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


class Exporter:
    def __init__(self, app: Flask, public_url: str):
        self.app = app
        self.public_url = public_url.rstrip("/")
        self.adapter = app.url_map.bind("localhost")
        self.static = fingerprinted_names(Path(app.static_folder))
        self.static_paths = {f"{app.static_url_path}/{name}": f"static/{name}"
                             for name in self.static.values()}

    def is_exported(self, path: str) -> bool:
        """Whether the page at `path` depends only on its URL (and so can be a file)."""
        try:
            endpoint, _args = self.adapter.match(path, method="GET")
        except (HTTPException, RequestRedirect):
            return False
        return getattr(self.app.view_functions[endpoint], "depends_only_on_url", False)

    def crawl(self) -> dict[str, str]:
        client = self.app.test_client()
        pages: dict[str, str] = {}
        queue = [f"/{lang}/" for lang in LANGUAGES]
        while queue:
            path = queue.pop(0)
            if path in pages:
                continue
            response = client.get(path)
            if response.status_code != 200:
                raise ExportError(f"{path} answered {response.status_code}")
            pages[path] = response.get_data(as_text=True)
            for _name, url in ATTRIBUTE.findall(pages[path]):
                target = urlsplit(html.unescape(url))
                if (not target.scheme and not target.netloc and target.path
                        and self.is_exported(target.path) and target.path not in pages):
                    queue.append(target.path)
        return pages

    def link(self, url: str, page_file: str) -> str:
        """One href, src or action of the page written to `page_file`, made to work there."""
        parts = urlsplit(html.unescape(url))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return url
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.path in self.static_paths:
            return relative(page_file, self.static_paths[parts.path])
        if parts.path == "/":
            return relative(page_file, f"{self.app.config['DEFAULT_LANGUAGE']}/index.html")
        if self.is_exported(parts.path) and not parts.query:
            return relative(page_file, file_for(parts.path)) + fragment
        return html.escape(self.public_url) + url

    def page(self, path: str, text: str) -> str:
        page_file = file_for(path)
        text = ATTRIBUTE.sub(
            lambda m: f'{m.group(1)}="{self.link(m.group(2), page_file)}"', text)
        if QUIZ_FORM.search(text):
            text = self.offline_quiz(text, page_file)
        return text

    def offline_quiz(self, text: str, page_file: str) -> str:
        """The quiz form scored by quiz_offline.js; without JavaScript, a line saying so."""
        lang = re.search(r'<html lang="(\w+)"', text).group(1)
        with self.app.test_request_context(f"/{lang}/"), force_locale(lang):
            notice = _("This copy of Pont scores quizzes with JavaScript, which is turned off "
                       "here. Turn it on, or take the quiz on %(site)s.", site=self.public_url)
            sentences = {
                # The online quiz's words, naming the first question left without answer.
                "missing": _("Question %(num)d has no answer yet.").replace("%(num)d", "{num}"),
                "score": re.sub("<[^>]+>", "", _(
                    "You got <strong>%(score)s out of %(total)s</strong> right.",
                    score="{score}", total="{total}")),
                "perfect": _("Well done!"),
                "imperfect": _("Read the explanations below: they matter more than the score."),
            }
        data = "".join(f' data-{name}="{html.escape(value)}"' for name, value in sentences.items())
        script = relative(page_file, f"static/{self.static['quiz_offline.js']}")
        text = QUIZ_FORM.sub(lambda m: f"<form {m.group(1)}data-quiz data-offline{data}", text,
                             count=1)
        text = text.replace("</form>", f'</form>\n<noscript><p class="notice">'
                                       f"{html.escape(notice)}</p></noscript>", 1)
        return text.replace("</head>", f'<script src="{script}" defer></script>\n</head>', 1)

    def write(self, destination: Path) -> int:
        """Write into a new folder, then put it in place of the previous export (which nginx
        may be serving) in one rename; a folder that is not an export is never replaced."""
        if destination.exists() and not (destination / MARKER).exists():
            if any(destination.iterdir()):
                raise ExportError(f"{destination} is not empty and holds no previous export")
            destination.rmdir()
        pages = self.crawl()
        folder = destination.with_name(f".{destination.name}.new")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / MARKER).write_text("Written by `flask --app pont export`.\n")
        for path, text in pages.items():
            target = folder / file_for(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.page(path, text), encoding="utf-8")
        for name, fingerprinted in self.static.items():
            target = folder / "static" / fingerprinted
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(self.app.static_folder) / name, target)
        home = relative("index.html", f"{self.app.config['DEFAULT_LANGUAGE']}/index.html")
        (folder / "index.html").write_text(
            f'<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="refresh" content="0; url={home}">\n<title>Pont</title>\n'
            f'</head>\n<body>\n<p><a href="fr/index.html" hreflang="fr">Français</a> · '
            f'<a href="en/index.html" hreflang="en" lang="en">English</a></p>\n</body>\n'
            f"</html>\n", encoding="utf-8")
        if destination.exists():
            old = destination.with_name(f".{destination.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            destination.rename(old)
            folder.rename(destination)
            shutil.rmtree(old)
        else:
            folder.rename(destination)
        return len(pages)


@click.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--public-url", help="The live site's address (default: PONT_PUBLIC_URL).")
@click.pass_context
def export_command(context: click.Context, folder: Path, public_url: str | None) -> None:
    """Write every public page, in both languages, as static files into FOLDER."""
    # No app context around the crawl: each page gets its own, and with it its language
    # (Flask-Babel keeps the locale on `g`, which one shared context would carry over).
    app = context.ensure_object(ScriptInfo).load_app()
    public_url = public_url or app.config.get("PUBLIC_URL")
    if not public_url:
        raise click.UsageError("the report form and live sessions need the live site's "
                               "address: set PONT_PUBLIC_URL or pass --public-url")
    count = Exporter(app, public_url).write(folder)
    click.echo(f"Exported {count} pages into {folder}.")
