"""Pont's own pictures: small, self-contained, without words; and module pages stay light."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from pont import art
from pont.i18n import AUDIENCES, REGISTRY

SVGS = sorted(art.FOLDER.rglob("*.svg"))
FORBIDDEN = ("<script", 'href="http', "href='http", "<text", "<image", "<filter",
             "<foreignobject", "url(", "@import", "<style")
PAGE_LIMIT = 50 * 1024  # HTML, CSS and JS of one module page, as transferred
IMAGE_LIMIT = 40 * 1024  # the images a page shows, uncompressed


def is_icon(path: Path) -> bool:
    return path.parent.name == "icons"


def test_every_picture_the_pages_name_is_there():
    assert {p.stem for p in (art.FOLDER / "audiences").glob("*.svg")} == set(AUDIENCES)
    assert {p.stem for p in (art.FOLDER / "icons").glob("*.svg")} == set(art.ICONS)


@pytest.mark.parametrize("path", SVGS, ids=lambda p: p.relative_to(art.FOLDER).as_posix())
def test_each_svg_is_small_self_contained_minified_and_without_words(path):
    data = path.read_bytes()
    assert len(data) <= (1024 if is_icon(path) else 8 * 1024), f"{len(data)} bytes"
    text = data.decode("utf-8")
    root = ElementTree.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == ("0 0 24 24" if is_icon(path) else "0 0 320 180")
    for forbidden in FORBIDDEN:
        assert forbidden not in text.lower(), forbidden
    assert not re.search(r"\son\w+=", text), "an event handler"
    assert "\n" not in text.strip() and "  " not in text, "not minified"
    if is_icon(path):
        assert 'stroke="currentColor"' in text


def test_module_pictures_are_named_for_modules_that_exist(library):
    modules = {(m.audience, m.slug) for m in library.modules.values()}
    for path in (art.FOLDER / "modules").rglob("*.svg"):
        assert (path.parent.name, path.stem) in modules, path.name


def page_urls(library):
    for (lang, audience, slug) in sorted(library.modules):
        yield f"/{lang}/{REGISTRY[lang].words[audience]}/{slug}"
    for lang in REGISTRY:
        for audience in AUDIENCES:  # their cards show every module's picture
            yield f"/{lang}/{REGISTRY[lang].words[audience]}/"


def referenced(page: str) -> tuple[list[str], list[str]]:
    """The stylesheets and scripts, and the images, a page loads from the site."""
    code = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    code += re.findall(r'<script[^>]* src="([^"]+)"', page)
    images = re.findall(r'<img[^>]* src="([^"]+)"', page)
    images += re.findall(r'<link rel="icon"[^>]* href="([^"]+)"', page)
    return code, images


def transferred(client, url: str) -> int:
    """Bytes on the wire: pages come gzipped from the app, static files from nginx's gzip
    (deploy/nginx/pont.conf, at its default level 1)."""
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, url
    body = response.get_data()
    if url.startswith("/static/") and response.headers.get("Content-Encoding") != "gzip":
        body = gzip.compress(body, 1)
    return len(body)


def test_module_pages_send_at_most_50_kb_of_code_and_no_page_40_kb_of_images(client, library):
    heaviest = {}
    for url in page_urls(library):
        page = client.get(url).get_data(as_text=True)
        code, images = referenced(page)
        module_page = not url.endswith("/")
        if module_page:
            assert any("/art/modules/" in src for src in images), f"{url} shows no picture"
            code_bytes = transferred(client, url) + sum(transferred(client, s) for s in code)
            assert code_bytes <= PAGE_LIMIT, f"{url}: {code_bytes} bytes of HTML, CSS and JS"
            heaviest["code"] = max(heaviest.get("code", (0, "")), (code_bytes, url))
        image_bytes = sum(len(client.get(src).get_data()) for src in images)  # not gzipped
        assert image_bytes <= IMAGE_LIMIT, f"{url}: {image_bytes} bytes of images"
        key = "module images" if module_page else "index images"
        heaviest[key] = max(heaviest.get(key, (0, "")), (image_bytes, url))
    print(f"heaviest: {heaviest}")


def test_pictures_are_served_for_a_year_from_the_site_itself(client):
    home = client.get("/fr/")
    assert "img-src 'self'" in home.headers["Content-Security-Policy"]
    src = re.search(r'<img[^>]* src="(/static/art/audiences/pupils\.[0-9a-f]{12}\.svg)"',
                    home.get_data(as_text=True)).group(1)
    response = client.get(src)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_audience_pictures_say_what_they_show_and_module_pictures_are_decorative(
        client, library, lang):
    home = client.get(f"/{lang}/").get_data(as_text=True)
    alts = re.findall(r'<img class="door-art" src="[^"]+" alt="([^"]*)" width="320" '
                      r'height="180"', home)
    assert len(alts) == len(AUDIENCES) and all(len(alt) > 20 for alt in alts)
    word = {"fr": "fauteuil roulant", "en": "wheelchair"}[lang]
    assert word in alts[0]
    audience = client.get(f"/{lang}/{REGISTRY[lang].words['parents']}/").get_data(as_text=True)
    assert re.search(r'<img src="[^"]+/art/audiences/parents\.[^"]+" alt="[^"]{20,}"', audience)
    module = next(m for m in library.audience(lang, "pupils"))
    page = client.get(f"/{lang}/{REGISTRY[lang].words['pupils']}/{module.slug}")
    assert re.search(rf'<img class="module-art" src="[^"]+/{module.slug}\.[0-9a-f]+\.svg" '
                     r'alt="" width="320" height="180">', page.get_data(as_text=True))


def test_icons_are_inline_and_hidden_from_screen_readers(client):
    page = client.get("/en/help").get_data(as_text=True)
    icons = re.findall(r"<svg [^>]*>", page)
    assert len(icons) >= 5
    assert all('aria-hidden="true"' in tag and 'focusable="false"' in tag for tag in icons)


def test_a_module_without_a_picture_shows_none(app, library):
    module = next(iter(library.modules.values()))
    with app.test_request_context():
        assert art.module_art(module).startswith("/static/art/modules/")
        missing = type("Module", (), {"audience": "pupils", "slug": "not-drawn-yet"})()
        assert art.module_art(missing) is None
