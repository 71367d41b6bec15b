"""A referent records a hand-off of a case to the 3018, then what came of it, in a real
browser: the guidance opens, the timeline shows both, axe-core finds nothing on the way."""

from __future__ import annotations

import re

import pytest

from .. import staff_helpers as staff
from ..reports_helpers import add_school, limiter_off_fixture, png  # noqa: F401
from .axe import assert_no_violations
from .test_reports import PHONE, fits, press_on

WORDS = {
    "fr": {"kind": "Le 3018 (e-Enfance)", "recorded": "Transmission enregistrée.",
           "outcome": "Contenu retiré", "saved": "Suite enregistrée."},
    "en": {"kind": "The 3018 (e-Enfance)", "recorded": "Hand-off recorded.",
           "outcome": "Content removed", "saved": "Outcome recorded."},
}


def submit(site, selector: str) -> None:
    """Press Enter on a form's button (the page has too many stops to Tab all the way)."""
    site.locator(selector).focus()
    site.keyboard.press("Enter")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_referent_records_a_handoff_to_the_3018_and_its_outcome(app, site, live_server,
                                                                   lang):
    words = WORDS[lang]
    add_school(app)
    code = staff.new_report(app.test_client(), lang, files=[("capture.png", png())])
    site.set_viewport_size(PHONE)
    site.goto(f"{live_server}{staff.url('login', lang=lang)}")
    site.fill("#email", staff.EMAIL)
    site.fill("#password", staff.PASSWORD)
    press_on(site, "form button[type=submit]")
    site.wait_for_url(f"{live_server}{staff.url('dashboard', lang=lang)}")
    site.goto(f"{live_server}{staff.url('case', code, lang)}")

    # The guidance for the 3018 opens from its summary, with the keyboard.
    summary = site.locator("#guidance-helpline_3018 summary")
    summary.focus()
    site.keyboard.press("Enter")
    assert site.locator("#guidance-helpline_3018").get_attribute("open") is not None
    assert "3018" in site.inner_text("#guidance-helpline_3018")
    fits(site, PHONE["width"])
    assert_no_violations(site)

    # The hand-off: to the 3018, with their reference, today.
    site.check("#handoff-kind-helpline_3018")
    site.fill("#handoff-reference", "E-2026-4471")
    submit(site, "#new-handoff button[type=submit]")
    site.wait_for_url(re.compile(r".*\?done=handoff#handoffs$"))
    assert words["recorded"] in site.inner_text("[role=status]")
    timeline = site.locator(".staff-handoffs > li").first
    assert words["kind"] in timeline.inner_text() and "E-2026-4471" in timeline.inner_text()
    assert re.search(r"[0-9a-f]{64}", timeline.inner_text())
    assert_no_violations(site)

    # Its outcome: the content was removed.
    timeline.locator("summary").click()
    timeline.locator("input[value=content_removed]").check()
    submit(site, ".staff-handoffs > li:first-child form button")
    site.wait_for_url(re.compile(r".*\?done=handoff_outcome#handoffs$"))
    assert words["saved"] in site.inner_text("[role=status]")
    assert words["outcome"] in site.locator(".staff-handoffs > li").first.inner_text()
    fits(site, PHONE["width"])
    site.locator(".staff-handoffs > li summary").first.click()
    assert_no_violations(site)
