"""The pictures in a real browser: three doors in a row or in a column, and no axe violation."""

from __future__ import annotations

import pytest

from .axe import assert_no_violations

SIZES = [(375, 740), (1280, 800), (1920, 1080)]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=lambda v: str(v))
def test_home_doors_leave_no_card_alone_on_a_row(site, live_server, width, height):
    site.set_viewport_size({"width": width, "height": height})
    site.goto(f"{live_server}/fr/")
    doors = site.eval_on_selector_all(".doors > .door:not(.door-help)", """doors => doors.map(
        d => { const r = d.getBoundingClientRect(); return [Math.round(r.top), r.width]; })""")
    assert len(doors) == 3
    rows = sorted({top for top, _ in doors})
    # One row of three on a wide screen, one column on a phone: never two and one.
    assert len(rows) == (3 if width < 768 else 1), doors
    grid, help_door = site.eval_on_selector_all(".doors, .doors > .door-help", """els => els.map(
        e => { const r = e.getBoundingClientRect(); return [Math.round(r.top), r.width]; })""")
    assert help_door[0] > rows[-1] and abs(help_door[1] - grid[1]) < 1  # the whole row
    # Every picture is loaded, at its drawn shape (no layout shift: width and height are set).
    pictures = site.eval_on_selector_all(".door-art", """imgs => imgs.map(
        i => [i.complete && i.naturalWidth > 0, i.getBoundingClientRect().width
              / i.getBoundingClientRect().height])""")
    assert all(loaded and abs(ratio - 320 / 180) < 0.02 for loaded, ratio in pictures)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_on_pages_with_pictures(site, live_server, library, lang):
    module = library.audience(lang, "pupils")[0]
    words = {"fr": ("eleves", "parents"), "en": ("pupils", "parents")}[lang]
    for path in (f"/{lang}/", f"/{lang}/{words[1]}/", f"/{lang}/{words[0]}/{module.slug}",
                 {"fr": "/fr/aide", "en": "/en/help"}[lang]):
        site.goto(live_server + path)
        assert site.locator("img").count() >= 1 or path.endswith(("aide", "help"))
        assert_no_violations(site)
