"""A referent on a phone, with the keyboard only: from the footer link to logging in, the
school's reports, a case with its screenshot, a status change and logging out; axe-core on
every page."""

from __future__ import annotations

import re

import pytest

from .. import staff_helpers as staff
from ..reports_helpers import add_school, limiter_off_fixture, png  # noqa: F401
from .axe import assert_no_violations
from .test_navigation import tab_to
from .test_reports import PHONE, fits, press_on


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_referent_handles_a_case_with_the_keyboard_only(app, site, live_server, lang):
    add_school(app)
    code = staff.new_report(app.test_client(), lang, files=[("capture.png", png())],
                            danger="yes")
    site.set_viewport_size(PHONE)
    site.goto(f"{live_server}/{lang}/")

    # The footer's discreet link leads to the login page.
    press_on(site, f'.site-footer a[href="{staff.url("login", lang=lang)}"]')
    site.wait_for_url(f"{live_server}{staff.url('login', lang=lang)}")
    assert_no_violations(site)
    tab_to(site, "#email")
    site.keyboard.type(staff.EMAIL)
    site.keyboard.press("Tab")
    assert site.evaluate("document.activeElement.id") == "password"
    site.keyboard.type(staff.PASSWORD)
    site.keyboard.press("Enter")

    # The school's reports: the urgent case says so in words.
    site.wait_for_url(f"{live_server}{staff.url('dashboard', lang=lang)}")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    assert staff.EMAIL in site.inner_text(".staff-bar")
    assert {"fr": "Danger immédiat : oui", "en": "Danger now: yes"}[lang] in \
        site.inner_text(".staff-case.urgent")
    press_on(site, f'a[href="{staff.url("case", code, lang)}"]')

    # The case, with its screenshot served through the staff route.
    site.wait_for_url(f"{live_server}{staff.url('case', code, lang)}")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    image = site.locator(".staff-evidence img")
    image.scroll_into_view_if_needed()
    assert image.evaluate("(img) => img.decode().then(() => img.naturalWidth)") == 320

    # Status: received → in progress, with the arrow keys, then the form's button.
    tab_to(site, "#status-received", limit=120)
    site.keyboard.press("ArrowDown")
    assert site.is_checked("#status-in_progress")
    site.keyboard.press("Tab")
    assert site.evaluate("document.activeElement.type") == "submit"
    site.keyboard.press("Enter")
    site.wait_for_url(re.compile(r".*\?done=status#handling$"))
    assert site.is_checked("#status-in_progress")
    assert {"fr": "État enregistré.", "en": "Status saved."}[lang] in \
        site.inner_text("[role=status]")
    assert_no_violations(site)

    # Logging out, from the bar every staff page shows.
    press_on(site, ".staff-bar button")
    site.wait_for_url(re.compile(r".*\?done=logout$"))
    site.goto(f"{live_server}{staff.url('case', code, lang)}")
    assert site.url.startswith(f"{live_server}{staff.url('login', lang=lang)}?next=")
