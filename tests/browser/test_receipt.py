"""The receipt after a reload, its copy buttons and its secret on one line; the school's newest
answer first on the follow-up page; staff pages as a back office and the dossier in print; a
very long school name on a 320 px screen."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .. import staff_helpers as staff
from ..reports_helpers import PATHS, UAI, add_school, limiter_off_fixture  # noqa: F401
from .axe import assert_no_violations
from .conftest import foreign_guard
from .test_reports import fits

RECEIPT = {lang: PATHS[lang]["receipt"] for lang in PATHS}
COPIED = {"fr": "Copié.", "en": "Copied."}
LONG_NAME = ("Lycée polyvalent régional d'enseignement général, technologique et professionnel "
             "Marie-Marguerite-Bourgeoys-de-Saint-Exupéry-sur-Loire, section européenne et "
             "internationale, campus des métiers")[:200].ljust(200, "x")


@pytest.fixture
def tab(browser, live_server):
    """A tab that may use the clipboard, and fails the test on any request to another host."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    foreign: list[str] = []
    page.route("**/*", foreign_guard(live_server, foreign))
    yield page
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


def send_report(page, live_server, lang, **answers) -> tuple[str, str]:
    page.goto(live_server + PATHS[lang]["form"])
    page.check(f"#danger-{answers.get('danger', 'no')}")
    page.check("#role-target")
    page.check("#kinds-insults")
    page.fill("#description", answers.get("description", "Des insultes tous les soirs."))
    page.click('form[data-report-form] button[type="submit"]')
    page.wait_for_selector("#who-sees")
    page.click("form[data-report-send] button[type=submit]:not([name])")
    page.wait_for_selector(".receipt-codes")
    code, secret = page.locator(".receipt-codes code").all_inner_texts()
    return code, secret


def shown_codes(page) -> list[str]:
    return page.locator(".receipt-codes code:visible").all_inner_texts()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_receipt_survives_a_reload_for_30_minutes_then_is_gone(app, tab, live_server, lang):
    add_school(app)
    sent = []
    tab.on("request", lambda request: sent.append(f"{request.url} {request.post_data or ''}"))
    code, secret = send_report(tab, live_server, lang, danger="unsure")
    assert_no_violations(tab)
    del sent[:]

    tab.reload()
    assert tab.url == live_server + RECEIPT[lang]  # a reload no longer sends the form
    assert shown_codes(tab) == [code, secret]
    assert tab.locator(".report-danger.urgent").is_visible()  # someone may be in danger
    assert "Collège des Tilleuls" in tab.inner_text("main .lead")
    assert tab.locator("[data-receipt-kept]").is_visible()
    assert_no_violations(tab)
    # The secret went nowhere: no request, address or cookie carried it after sending.
    cookies = " ".join(cookie["value"] for cookie in tab.context.cookies())
    for value in (secret, secret.replace("-", "")):
        assert not [line for line in sent if value in line]
        assert value not in cookies
    # The language switch leads to the same receipt in the other language.
    other = "en" if lang == "fr" else "fr"
    tab.click(f"a.lang-switch[hreflang={other}]")
    tab.wait_for_url(live_server + RECEIPT[other])
    assert shown_codes(tab) == [code, secret]

    # 30 minutes after sending (the stored expiry moved back, no waiting), it is gone.
    tab.evaluate("""() => {
        const kept = JSON.parse(sessionStorage.getItem("pont-receipt"));
        kept.until = Date.now() - 1;
        sessionStorage.setItem("pont-receipt", JSON.stringify(kept));
    }""")
    tab.reload()
    assert shown_codes(tab) == []
    assert secret not in tab.inner_text("body")
    assert tab.evaluate("sessionStorage.getItem('pont-receipt')") is None
    assert tab.locator("[data-receipt-missing] h1").is_visible()
    assert tab.locator(f'[data-receipt-missing] a[href="{PATHS[other]["follow"]}"]').count() == 1
    assert_no_violations(tab)


def test_quick_exit_forgets_the_receipt(app, tab, live_server):
    """Back from the next site must not bring the codes back."""
    add_school(app)
    send_report(tab, live_server, "fr")
    tab.goto(live_server + "/fr/aide")
    tab.route(re.compile(r"^https://www\.google\.com/.*"),
              lambda route: route.fulfill(body="<title>Neutral</title>", content_type="text/html"))
    tab.click("[data-quick-exit]")
    tab.wait_for_url("https://www.google.com/")
    tab.go_back()
    assert tab.url == live_server + RECEIPT["fr"]
    assert shown_codes(tab) == []
    assert tab.locator("[data-receipt-missing]").is_visible()


def test_the_same_form_sent_again_shows_the_secret_only_in_the_tab_that_sent_it(
        app, tab, live_server):
    """The form posted a second time (a browser that resends it): the server gives the code
    only, and the tab that sent it adds the secret it kept."""
    add_school(app)
    posted = {}

    def keep(request):
        if request.method == "POST" and request.url.endswith(PATHS["en"]["send"]):
            posted.update(url=request.url, body=request.post_data_buffer,
                          headers=request.headers)

    tab.on("request", keep)
    code, secret = send_report(tab, live_server, "en")
    tab.route(posted["url"], lambda route: route.continue_(
        method="POST", post_data=posted["body"], headers=posted["headers"]))
    tab.goto(posted["url"])
    assert "already sent" in tab.inner_text("h1")
    assert shown_codes(tab) == [code, secret]
    other = tab.context.new_page()
    other.goto(live_server + RECEIPT["en"])
    assert shown_codes(other) == []  # another tab of the same browser holds nothing


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_copy_buttons_copy_and_say_so(app, tab, live_server, lang):
    add_school(app)
    code, secret = send_report(tab, live_server, lang)
    for name, value in (("code", code), ("secret", secret)):
        box = tab.locator(f'[data-clipboard-for="receipt-{name}"]')
        box.locator("button").click()
        # The clipboard answers with a promise: wait for the line it writes.
        box.locator(".copy-done").filter(has_text=COPIED[lang]).wait_for()
        assert box.locator(".copy-done").inner_text() == COPIED[lang]
        assert box.locator(".copy-done").is_visible()
        assert tab.evaluate("navigator.clipboard.readText()") == value
    assert_no_violations(tab)


def test_copy_buttons_and_print_button_are_hidden_without_javascript(app, browser, live_server):
    add_school(app)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    code, secret = send_report(page, live_server, "fr")
    assert page.locator(".receipt-copy button:visible, [data-print]:visible").count() == 0
    page.emulate_media(media="print")
    assert page.locator(".report-receipt").is_visible()
    for hidden in ("h1", ".receipt-next", ".help-box", ".site-header", ".site-footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert shown_codes(page) == [code, secret]
    context.close()


@pytest.mark.parametrize("width", [375, 320])
def test_the_secret_stays_on_one_line_on_a_phone(app, tab, live_server, width):
    add_school(app)
    tab.set_viewport_size({"width": width, "height": 740})
    send_report(tab, live_server, "fr")
    fits(tab, width)
    for name in ("code", "secret"):
        lines = tab.evaluate(f"""() => {{
            const code = document.querySelector("#receipt-{name} code");
            const range = document.createRange();
            range.selectNodeContents(code);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            const box = code.getBoundingClientRect();
            return {{lines: tops.size, right: box.right}};
        }}""")
        assert lines["lines"] == 1, name
        assert lines["right"] <= width, name


def staff_tab(page, live_server, lang="fr"):
    page.goto(live_server + staff.url("login", lang=lang))
    page.fill("#email", staff.EMAIL)
    page.fill("#password", staff.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}{staff.url('dashboard', lang=lang)}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_follow_up_page_shows_the_school_s_newest_answer_first(app, tab, live_server, lang):
    add_school(app)
    code, secret = send_report(tab, live_server, lang)
    client = app.test_client()
    staff.log_in(client, lang=lang)
    case = staff.url("case", code.replace("-", ""), lang)
    for reply in ("First answer.", "Second answer, the newest."):
        client.post(case, data={"status": "in_progress", "steps_listed": "1", "reply": reply})
    tab.goto(live_server + PATHS[lang]["follow"])
    tab.fill("#code", code)
    tab.fill("#secret", secret)
    tab.click("form.report-form button[type=submit]")
    notice = tab.locator(".report-answered")
    notice.wait_for()
    # The notice comes before anything else the page says about the report.
    assert tab.evaluate("""() => document.querySelector('.report-answered')
        .compareDocumentPosition(document.querySelector('.report-facts'))
        & Node.DOCUMENT_POSITION_FOLLOWING""")
    messages = tab.locator(".report-messages li").all_inner_texts()
    assert "Second answer, the newest." in messages[0] and "First answer." in messages[1]
    notice.locator("a").click()
    assert tab.evaluate("location.hash") == "#" + tab.locator(".report-messages li").first \
        .get_attribute("id")
    # The file button speaks the page's language, whatever the browser's.
    assert tab.locator("#screenshots-choose").inner_text() == \
        {"fr": "Choisir des images", "en": "Choose pictures"}[lang]
    assert_no_violations(tab)


def test_staff_pages_are_a_back_office(app, tab, live_server):
    add_school(app)
    code, _secret = send_report(tab, live_server, "fr")
    raw = code.replace("-", "")
    tab.goto(live_server + staff.url("login"))
    assert_back_office(tab, staff.url("login"))
    staff_tab(tab, live_server)
    for page_url in (staff.url("dashboard"), staff.url("case", raw), staff.url("dossier", raw),
                     "/fr/etablissement/statistiques", "/fr/etablissement/mon-compte",
                     staff.url("dashboard", lang="en")):
        tab.goto(live_server + page_url)
        assert_back_office(tab, page_url)
        assert_no_violations(tab)
    # Escape twice leaves nothing on a staff page: there is no quick exit to take.
    tab.keyboard.press("Escape")
    tab.keyboard.press("Escape")
    assert tab.url == live_server + staff.url("dashboard", lang="en")


def assert_back_office(tab, page_url):
    assert tab.locator("[data-quick-exit]").count() == 0, page_url
    assert tab.locator(".site-header, .site-nav, .site-footer").count() == 0, page_url
    assert tab.locator(".staff-header").is_visible(), page_url
    assert tab.locator(".staff-footer").is_visible(), page_url


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext is not installed (apt-get install poppler-utils)")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_dossier_prints_confidential_and_page_numbers_on_every_a4_page(
        app, tab, live_server, tmp_path, lang):
    add_school(app)
    long_story = " ".join(["Ils recommencent chaque soir dans le groupe de la classe."] * 120)
    code, _secret = send_report(tab, live_server, lang, description=long_story)
    staff_tab(tab, live_server, lang)
    tab.goto(live_server + staff.url("dossier", code.replace("-", ""), lang))
    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(tab.pdf(format="A4"))
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))
    assert pages >= 2
    for number in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "Confidentiel / Confidential" in text, number
        assert re.search(rf"(?m)^\s*{number}\s*/\s*{pages}\s*$", text), (number, text[-200:])
        for chrome in ("Pont Espace établissement", "School staff", "Se déconnecter", "Log out"):
            assert chrome not in text


def test_a_200_character_school_name_holds_at_320_px(app, tab, live_server):
    add_school(app, name=LONG_NAME)
    assert len(LONG_NAME) == 200
    tab.set_viewport_size({"width": 320, "height": 640})
    tab.goto(live_server + PATHS["fr"]["find"] + "?q=lycee")
    fits(tab, 320)
    tab.goto(live_server + PATHS["fr"]["form"])
    fits(tab, 320)
    code, secret = send_report(tab, live_server, "fr")
    fits(tab, 320)
    tab.reload()
    assert shown_codes(tab) == [code, secret]
    fits(tab, 320)
    tab.goto(live_server + PATHS["fr"]["poster"])
    fits(tab, 320)
    tab.goto(live_server + PATHS["fr"]["follow"])
    tab.fill("#code", code)
    tab.fill("#secret", secret)
    tab.click("form.report-form button[type=submit]")
    tab.wait_for_selector(".report-facts")
    fits(tab, 320)
    staff_tab(tab, live_server)
    fits(tab, 320)
    for page_url in (staff.url("case", code.replace("-", "")),
                     staff.url("dossier", code.replace("-", ""))):
        tab.goto(live_server + page_url)
        fits(tab, 320)
    assert UAI in tab.inner_text("main")
