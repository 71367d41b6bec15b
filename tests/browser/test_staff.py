"""A referent on a phone, with the keyboard only: from the footer link to logging in, the
school's reports, a case with its screenshot, a status, a step and a note saved together and
logging out; a referent who follows an e-mail alert's link; axe-core on every page."""

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
    # The back office's bar is three short rows: at most 15 % of a phone's first screen.
    assert site.evaluate("document.querySelector('main').getBoundingClientRect().top") \
        <= 0.15 * PHONE["height"]
    assert_no_violations(site)
    assert staff.EMAIL in site.inner_text(".staff-bar")
    assert {"fr": "Danger immédiat\u00a0: oui", "en": "Danger now: yes"}[lang] in \
        site.inner_text(".staff-case.urgent")
    press_on(site, f'a[href="{staff.url("case", code, lang)}"]')

    # The case, with its screenshot served through the staff route.
    site.wait_for_url(f"{live_server}{staff.url('case', code, lang)}")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    image = site.locator(".staff-evidence img")
    image.scroll_into_view_if_needed()
    assert image.evaluate("(img) => img.decode().then(() => img.naturalWidth)") == 320

    # Status: received → in progress with the arrow keys, a step ticked with the space bar,
    # a note typed: one Save keeps all three.
    tab_to(site, "#status-received", limit=120)
    site.keyboard.press("ArrowDown")
    assert site.is_checked("#status-in_progress")
    tab_to(site, "#steps-account")
    site.keyboard.press("Space")
    tab_to(site, "#note")
    site.keyboard.type("Famille appelée.")
    press_on(site, "#handling button[type=submit]")
    site.wait_for_url(re.compile(r".*\?done=status,steps,note$"))
    assert site.is_checked("#status-in_progress") and site.is_checked("#steps-account")
    assert "Famille appelée." in site.inner_text("#notes")
    assert {"fr": "État enregistré.", "en": "Status saved."}[lang] in \
        site.inner_text("[role=status]")
    assert_no_violations(site)

    # Logging out, from the bar every staff page shows.
    press_on(site, ".staff-bar button")
    site.wait_for_url(re.compile(r".*\?done=logout$"))
    site.goto(f"{live_server}{staff.url('case', code, lang)}")
    assert site.url.startswith(f"{live_server}{staff.url('login', lang=lang)}?next=")


def test_a_referent_follows_the_alert_link_logs_in_and_handles_the_case(app, site, live_server,
                                                                        caplog):
    """Without a mail server the alert goes to the log: its link is what the e-mail holds."""
    import logging

    from sqlalchemy import select

    from pont.mail.models import OutboxMessage

    add_school(app)
    caplog.set_level(logging.INFO)
    client = app.test_client()
    code = staff.new_report(client, "fr", danger="unsure")
    with app.extensions["pont_sessionmaker"]() as session:
        alert = session.scalars(select(OutboxMessage)).one()
    assert alert.recipient == staff.EMAIL and alert.subject.startswith("URGENT")
    link = re.search(r"https?://\S+/fr/etablissement/signalements/n/\d+", alert.body).group(0)
    assert code not in alert.body
    site.set_viewport_size(PHONE)
    site.goto(live_server + link[link.index("/fr/"):])
    site.wait_for_url(re.compile(r".*/fr/etablissement/connexion\?next=.*"))
    tab_to(site, "#email")
    site.keyboard.type(staff.EMAIL)
    site.keyboard.press("Tab")
    site.keyboard.type(staff.PASSWORD)
    site.keyboard.press("Enter")
    site.wait_for_url(f"{live_server}{staff.url('case', code)}")
    assert_no_violations(site)
    tab_to(site, "#reply", limit=150)
    site.keyboard.type("Nous vous recevons demain.")
    press_on(site, "#handling button[type=submit]")
    site.wait_for_url(re.compile(r".*\?done=reply$"))
    assert "Nous vous recevons demain." in site.inner_text("#messages")
