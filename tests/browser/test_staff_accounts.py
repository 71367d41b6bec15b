"""An admin invites a referent, who sets a password, turns on two-factor login, logs in
again with a code and handles a case; axe-core on every page, which must fit a phone."""

from __future__ import annotations

import datetime
import re

import pyotp
import pytest

from pont import clock

from .. import staff_helpers as staff
from ..reports_helpers import UAI, add_school, limiter_off_fixture  # noqa: F401
from ..test_staff_accounts import ADMIN_EMAIL, add_admin
from .axe import assert_no_violations
from .test_reports import PHONE, fits

NEW_EMAIL = "cpe.nouvelle@example.org"
NEW_PASSWORD = "trois mots choisis ensemble"
START = datetime.datetime(2026, 12, 1, 9, 0, 0)


@pytest.fixture(autouse=True)
def _clock_runs_again():
    yield
    clock.set(None)


def code_at(secret: str, moment: datetime.datetime) -> str:
    return pyotp.TOTP(secret).at(moment.replace(tzinfo=datetime.UTC))


def log_in(site, live_server, email, password):
    site.goto(f"{live_server}{staff.url('login')}")
    site.fill("#email", email)
    site.fill("#password", password)
    site.click("form.report-form button[type=submit]")


def test_an_admin_invites_a_referent_who_logs_in_with_two_factor_and_handles_a_case(
        app, site, live_server):
    add_school(app, referent=False)
    add_admin(app, [UAI])
    code = staff.new_report(app.test_client(), "fr", danger="yes")
    site.set_viewport_size(PHONE)

    # The admin invites a referent of their school; the link is shown once.
    log_in(site, live_server, ADMIN_EMAIL, staff.PASSWORD)
    site.wait_for_url(f"{live_server}{staff.url('dashboard')}")
    assert code in site.content()
    site.click(".staff-bar a[href='/fr/etablissement/comptes']")
    site.wait_for_url(f"{live_server}/fr/etablissement/comptes")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    site.fill("#email", NEW_EMAIL)
    site.click("#invite ~ form button[type=submit]")
    link = site.inner_text(".staff-link-once code")
    assert "/fr/etablissement/invitation/" in link
    fits(site, PHONE["width"])
    assert_no_violations(site)
    site.click(".staff-bar button")

    # The referent follows the link and chooses a password: logged in at once.
    site.goto(live_server + link[link.index("/fr/"):])
    assert_no_violations(site)
    site.fill("#password", NEW_PASSWORD)
    site.fill("#confirm", NEW_PASSWORD)
    site.click("form.report-form button[type=submit]")
    site.wait_for_url(f"{live_server}{staff.url('dashboard')}")
    assert NEW_EMAIL in site.inner_text(".staff-bar")

    # Two-factor login: the QR code is drawn in the page, the key can be typed instead.
    site.click(".staff-bar a[href='/fr/etablissement/mon-compte']")
    assert_no_violations(site)
    site.click("a[href='/fr/etablissement/mon-compte/double-authentification']")
    assert site.locator(".staff-qr svg").count() == 1
    fits(site, PHONE["width"])
    assert_no_violations(site)
    secret = site.inner_text("ol code").replace(" ", "")
    clock.set(START)
    site.fill("#code", code_at(secret, START))
    site.click("ol form button[type=submit]")
    codes = site.locator(".staff-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_no_violations(site)
    site.click(".staff-bar button")

    # Logging in again, a minute later, asks for the code, then opens the school's reports.
    later = START + datetime.timedelta(minutes=1)
    clock.set(later)
    log_in(site, live_server, NEW_EMAIL, NEW_PASSWORD)
    site.wait_for_url(re.compile(r".*/fr/etablissement/connexion/code.*"))
    assert_no_violations(site)
    site.fill("#code", code_at(secret, later))
    site.click("form.report-form button[type=submit]")
    site.wait_for_url(f"{live_server}{staff.url('dashboard')}")

    # The referent handles the case.
    site.click(f"a[href='{staff.url('case', code)}']")
    site.wait_for_url(f"{live_server}{staff.url('case', code)}")
    site.check("#status-in_progress")
    site.click("#handling button[type=submit]")
    site.wait_for_url(re.compile(r".*\?done=status$"))
    assert site.is_checked("#status-in_progress")

    # The statistics count it, without anything that names it.
    site.click(".staff-bar a[href='/fr/etablissement/statistiques']")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    assert "1 signalement" in site.inner_text("main")
    assert code not in site.content()
