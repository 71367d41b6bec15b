"""A person with a keyboard, a screen reader's rules, and a quick way out."""

from __future__ import annotations

import re

import pytest

from .axe import assert_no_violations


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received focus with Tab")


def focused_is_visible(page) -> bool:
    """The focused element shows an outline or a box shadow (a visible focus ring)."""
    return page.evaluate("""() => {
        const s = getComputedStyle(document.activeElement);
        const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        return outlined || s.boxShadow !== 'none';
    }""")


def test_skip_link_is_the_first_focusable_element(site, live_server):
    site.goto(f"{live_server}/fr/")
    site.keyboard.press("Tab")
    assert site.evaluate("document.activeElement.className") == "skip-link"
    assert focused_is_visible(site)
    site.keyboard.press("Enter")
    assert site.evaluate("location.hash") == "#main"


def test_keyboard_only_from_home_to_a_module_and_to_help(site, live_server, library):
    module = library.audience("fr", "pupils")[0]
    site.goto(f"{live_server}/fr/")
    tab_to(site, '.doors a[href="/fr/eleves/"]')
    assert focused_is_visible(site)
    site.keyboard.press("Enter")
    site.wait_for_url(f"{live_server}/fr/eleves/")
    tab_to(site, f'a[href="/fr/eleves/{module.slug}"]')
    site.keyboard.press("Enter")
    site.wait_for_url(f"{live_server}/fr/eleves/{module.slug}")
    assert site.locator("h1").inner_text() == module.title
    tab_to(site, ".help-button")
    assert focused_is_visible(site)
    site.keyboard.press("Enter")
    site.wait_for_url(f"{live_server}/fr/aide")
    assert site.locator("#danger").is_visible()


def test_quick_exit_leaves_and_replaces_history(page, live_server):
    page.route(re.compile(r"^https://www\.google\.com/.*"),
               lambda route: route.fulfill(body="<title>Neutral</title>", content_type="text/html"))
    page.goto(f"{live_server}/fr/")
    page.goto(f"{live_server}/fr/aide")
    page.click("[data-quick-exit]")
    page.wait_for_url("https://www.google.com/")
    page.go_back()
    # The help page was replaced in the history: Back lands on the page before it.
    assert page.url == f"{live_server}/fr/"


def test_escape_twice_leaves(page, live_server):
    page.route(re.compile(r"^https://www\.google\.com/.*"),
               lambda route: route.fulfill(body="<title>Neutral</title>", content_type="text/html"))
    page.goto(f"{live_server}/en/help")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url("https://www.google.com/")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_on_home_audience_module_and_help(site, live_server, library, lang):
    words = {"fr": ("eleves", "aide"), "en": ("pupils", "help")}[lang]
    module = library.audience(lang, "pupils")[0]
    for path in (f"/{lang}/", f"/{lang}/{words[0]}/", f"/{lang}/{words[0]}/{module.slug}",
                 f"/{lang}/{words[1]}"):
        site.goto(live_server + path)
        assert_no_violations(site)
