"""How pages hold on a phone: a slim header, a quick exit always in view, phone numbers on one
line, quiz questions and results at 320 px, wide tables and bad input (a very long title, a
question with eight options); every page checked with both versions of axe-core."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from pont import create_app
from pont.config import Defaults

from ..content_tree import write_tree
from .axe import assert_no_violations
from .test_quiz import answer_all

PHONE = {"width": 375, "height": 740}
NARROW = {"width": 320, "height": 640}
WORDS = {"fr": {"pupils": "eleves", "help": "aide", "report": "signaler", "lessons": "fiches",
                "teachers": "enseignants", "parents": "parents"},
         "en": {"pupils": "pupils", "help": "help", "report": "report", "lessons": "lesson-plans",
                "teachers": "teachers", "parents": "parents"}}
MISSING = {"fr": "La question {} n'a pas encore de réponse.",
           "en": "Question {} has no answer yet."}
LONG_TITLE = ("Si un groupe de classe se retourne contre toi du jour au lendemain : "
              "comprendre, garder des preuves et trouver de l'aide")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport=NARROW)
    yield context.new_page()
    context.close()


def module_url(lang, module):
    return f"/{lang}/{WORDS[lang][module.audience]}/{module.slug}"


def submit_quiz(page, module, skip=()):
    answer_all(page, module, skip=skip)
    page.click("form[data-quiz] button[type=submit]")
    page.wait_for_load_state()


def chrome_height(page) -> float:
    """Height of everything above <main> (header and navigation) at the top of the page."""
    return page.evaluate("""() => {
        window.scrollTo(0, 0);
        return document.querySelector('main').getBoundingClientRect().top;
    }""")


def fits_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_header_takes_at_most_15_percent_of_a_phone_screen(phone, live_server, library, lang):
    module = library.audience(lang, "pupils")[0]
    words = WORDS[lang]
    pages = {"home": f"/{lang}/", "module": module_url(lang, module),
             "help": f"/{lang}/{words['help']}", "report form": f"/{lang}/{words['report']}"}
    for name, path in pages.items():
        phone.goto(live_server + path)
        assert chrome_height(phone) <= 0.15 * PHONE["height"], name
    phone.goto(live_server + module_url(lang, module))
    submit_quiz(phone, module)
    assert phone.locator(".marks").is_visible()
    assert chrome_height(phone) <= 0.15 * PHONE["height"], "quiz result"


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 720}])
def test_quick_exit_stays_in_view_at_the_bottom_of_the_longest_module(
        browser, live_server, library, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    longest = max((m for lang in ("fr", "en") for a in ("pupils", "teachers", "parents")
                   for m in library.audience(lang, a)), key=lambda m: len(m.html))
    lang = "fr" if "/fr/" in longest.path.replace("\\", "/") else "en"
    page.goto(live_server + module_url(lang, longest))
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 2000")
    # In view, and the element actually on top at its centre (nothing covers it).
    on_top = page.evaluate("""() => {
        const link = document.querySelector('[data-quick-exit]');
        const box = link.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return box.top >= 0 && box.bottom <= innerHeight && link.contains(hit);
    }""")
    assert on_top
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_phone_number_breaks_across_lines_at_320px(narrow, live_server, library, lang):
    module = next(m for m in library.audience(lang, "pupils") if "class=\"phone\"" in m.html)
    for path in (f"/{lang}/{WORDS[lang]['help']}", module_url(lang, module)):
        narrow.goto(live_server + path)
        lines = narrow.evaluate("""() => [...document.querySelectorAll('.phone')].map(
            el => [el.textContent, el.getClientRects().length])""")
        assert len(lines) >= 3, path
        assert [text for text, count in lines if count != 1] == [], path


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_quiz_at_320px_no_border_through_a_question(narrow, live_server, library, lang):
    module = max(library.audience(lang, "pupils"),
                 key=lambda m: max(len(q.prompt) for q in m.quiz.questions))
    narrow.goto(live_server + module_url(lang, module))
    crossed = narrow.evaluate("""() => [...document.querySelectorAll('fieldset[data-question]')]
        .filter(fieldset => {
            const border = parseFloat(getComputedStyle(fieldset).borderTopWidth);
            const legend = fieldset.querySelector('legend').getBoundingClientRect();
            return legend.top < fieldset.getBoundingClientRect().top + border;
        }).map(fieldset => fieldset.id)""")
    assert crossed == []
    assert fits_width(narrow)
    # "Several answers possible" is said once per multiple-choice question, by the form.
    hint = {"fr": "Plusieurs réponses possibles", "en": "Several answers possible"}[lang]
    many = [q for q in module.quiz.questions if q.multiple]
    assert narrow.locator(".many-hint").count() == len(many)
    for question in many:
        assert narrow.locator(f"#question-{question.id} legend").inner_text().count(hint) == 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_results_show_one_mark_per_question_and_a_labelled_verdict(narrow, live_server, library,
                                                                    lang):
    module = library.audience(lang, "pupils")[0]
    narrow.goto(live_server + module_url(lang, module))
    submit_quiz(narrow, module, skip={module.quiz.questions[0].id})
    first = module.quiz.questions[0]
    wrong = next(o for o in first.options if not o.correct)
    narrow.click(f'label[for="q-{first.id}-{wrong.id}"]')
    narrow.click("form[data-quiz] button[type=submit]")
    narrow.wait_for_selector(".marks")
    total = len(module.quiz.questions)
    assert narrow.locator(".marks .mark").count() == total
    assert narrow.locator(".marks .mark.right").count() == total - 1
    assert "not-yet" in narrow.locator(".marks .mark").first.get_attribute("class")
    verdict = narrow.locator(f"#result-{first.id} .verdict")
    assert verdict.inner_text().endswith({"fr": "Pas encore", "en": "Not yet"}[lang])
    # A label: white on a coloured background, not grey text.
    assert verdict.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    assert fits_width(narrow)
    assert_no_violations(narrow, newest=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_missing_answer_names_its_question(site, live_server, library, lang):
    module = library.audience(lang, "pupils")[0]
    fifth = module.quiz.questions[4]
    site.goto(live_server + module_url(lang, module))
    submit_quiz(site, module, skip={fifth.id})
    message = MISSING[lang].format(5)
    summary = site.locator(".error-summary a")
    assert summary.inner_text() == message
    assert site.locator(f"#missing-{fifth.id}").inner_text() == message
    summary.click()
    assert site.evaluate("location.hash") == f"#question-{fifth.id}"
    assert_no_violations(site, newest=True)


def test_wide_lesson_tables_scroll_with_the_keyboard(narrow, live_server, library):
    wide = []
    for module in library.audience("fr", "pupils"):
        lesson = library.lesson("fr", module.slug)
        if lesson is None or "<table" not in lesson.html:
            continue
        narrow.goto(f"{live_server}/fr/enseignants/fiches/{module.slug}")
        box = narrow.locator(".table-scroll").first
        if not box.evaluate("el => el.scrollWidth > el.clientWidth"):
            continue
        wide.append(module.slug)
        box.focus()
        narrow.keyboard.press("ArrowRight")
        narrow.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")
        assert fits_width(narrow)
        assert_no_violations(narrow, newest=True)
    assert wide, "no lesson plan has a table wider than a 320 px screen"


def test_newest_axe_catches_a_table_the_keyboard_cannot_scroll(narrow, live_server, library):
    """The check above could fail: without its tabindex, the box is an axe violation."""
    pytest.importorskip("axe_playwright_python")
    from .axe import NEWEST_SCRIPT, WCAG, engines
    if not NEWEST_SCRIPT.is_file():
        pytest.skip("axe-core is not installed in node_modules/ (npm install axe-core)")
    narrow.goto(f"{live_server}/fr/enseignants/fiches/violences-sexuelles-en-ligne")
    narrow.evaluate("document.querySelectorAll('.table-scroll').forEach("
                    "el => el.removeAttribute('tabindex'))")
    results = engines(newest=True)[-1].run(narrow, options=WCAG)
    assert "scrollable-region-focusable" in results.generate_report()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_both_axe_versions_on_the_pages_of_this_layout(site, live_server, library, lang):
    site.set_viewport_size(PHONE)
    module = library.audience(lang, "pupils")[0]
    words = WORDS[lang]
    for path in (f"/{lang}/", f"/{lang}/{words['pupils']}/", module_url(lang, module),
                 f"/{lang}/{words['help']}", f"/{lang}/{words['report']}"):
        site.goto(live_server + path)
        assert_no_violations(site, newest=True)


# Bad input: a 120-character title and a question with eight options, in a content tree of
# their own.

EIGHT_OPTIONS = "".join(f"""
  [[questions.options]]
  id = "o{n}"
  text = "Une réponse possible, un peu longue pour voir si elle tient sur un petit écran ({n})"
  correct = {"true" if n == 3 else "false"}
  feedback = "Une explication de cette réponse."
""" for n in range(1, 9))


@pytest.fixture(scope="module")
def bad_input_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("bad-input")
    tree = write_tree(tmp_path / "content")
    shutil.copy(Defaults.CONTENT_DIR + "/contacts.toml", tree / "contacts.toml")
    for lang in ("fr", "en"):
        module = tree / lang / "pupils" / "sample.md"
        module.write_text(module.read_text(encoding="utf-8").replace(
            f'title = "Sample {lang}"', f'title = "{LONG_TITLE}"'), encoding="utf-8")
        quiz = tree / lang / "pupils" / "sample.quiz.toml"
        quiz.write_text(quiz.read_text(encoding="utf-8") + f"""
[[questions]]
id = "eight"
kind = "multiple"
prompt = "Parmi ces huit réponses, lesquelles sont justes quand on lit la question jusqu'au bout ?"
{EIGHT_OPTIONS}""", encoding="utf-8")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False,
                      "CONTENT_DIR": str(tree),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'pont.sqlite3'}"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app.extensions["pont_library"]
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["pont_engine"].dispose()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_long_title_and_eight_options_hold_at_320px(narrow, bad_input_server, lang):
    server, library = bad_input_server
    module = library.module(lang, "pupils", "sample")
    assert len(module.title) == 120
    assert len(module.quiz.question("eight").options) == 8
    narrow.goto(server + module_url(lang, module))
    assert narrow.locator("h1").inner_text() == module.title
    assert narrow.locator("#question-eight .choice").count() == 8
    assert narrow.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert_no_violations(narrow, newest=True)
    submit_quiz(narrow, module)
    assert narrow.locator(".marks .mark").count() == len(module.quiz.questions)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    assert_no_violations(narrow, newest=True)
    narrow.goto(server + f"/{lang}/{WORDS[lang]['pupils']}/")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
