"""A live class in real browsers: one teacher and three pupils, each in a browser of their own.

One pupil uses only the keyboard, one reads in English, one has JavaScript turned off.
axe-core checks the teacher's, join, question and summary pages in both languages.
"""

from __future__ import annotations

import re

import pytest

from .axe import assert_no_violations
from .conftest import guarded_contexts

WAIT = 10_000  # ms: pages poll every 2 s (teacher) or 3 s (pupils)


@pytest.fixture
def contexts(browser, live_server):
    yield from guarded_contexts(browser, live_server)


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} never received focus with Tab")


def test_one_teacher_and_three_pupils(contexts, live_server, library):
    module = next(m for m in library.audience("fr", "pupils")
                  if m.quiz and not m.quiz.questions[0].multiple)
    english = library.module("en", "pupils", module.slug)
    first, first_en = module.quiz.questions[0], english.quiz.questions[0]

    teacher = contexts()
    teacher.goto(f"{live_server}/fr/eleves/{module.slug}")
    teacher.click("text=Lancer avec ma classe")
    assert_no_violations(teacher)
    teacher.click("button:has-text('Lancer une nouvelle séance')")
    teacher.wait_for_url(re.compile(r".*/fr/classe/[A-Z0-9]{6}/animer$"))
    code = re.search(r"/([A-Z0-9]{6})/animer", teacher.url).group(1)
    assert teacher.locator(".qr-box svg[role=img]").is_visible()
    assert_no_violations(teacher)

    # Pupil 1, keyboard only, from the home page.
    keyboard = contexts()
    keyboard.goto(f"{live_server}/fr/")
    tab_to(keyboard, '.doors a[href="/fr/classe"]')
    keyboard.keyboard.press("Enter")
    keyboard.wait_for_url(f"{live_server}/fr/classe")
    assert_no_violations(keyboard)
    tab_to(keyboard, "#code")
    keyboard.keyboard.type(f"{code[:3].lower()} {code[3:]}")
    keyboard.keyboard.press("Enter")
    keyboard.wait_for_url(f"{live_server}/fr/classe/{code}")
    name = keyboard.locator(".whoami .pseudonym").inner_text()
    assert_no_violations(keyboard)

    # Pupil 2, in English, mistypes the code first.
    reader = contexts()
    reader.goto(f"{live_server}/en/class")
    assert_no_violations(reader)
    reader.fill("#code", "OOPS")
    reader.click("button:has-text('Join')")
    assert reader.locator("[role=alert]").is_visible()
    assert reader.input_value("#code") == "OOPS"
    assert_no_violations(reader)
    reader.fill("#code", code)
    reader.click("button:has-text('Join')")
    reader.wait_for_url(f"{live_server}/en/class/{code}")

    # Pupil 3 has JavaScript turned off and scans the QR code (the direct link).
    plain = contexts(java_script_enabled=False)
    plain.goto(f"{live_server}/fr/classe/{code}")
    plain.click("button:has-text('Rejoindre')")
    plain.wait_for_url(f"{live_server}/fr/classe/{code}")

    # The teacher's screen counts them by itself.
    teacher.locator("text=3 élèves ont rejoint la séance.").wait_for(timeout=WAIT)
    assert name in teacher.locator(".roster-list").inner_text()

    teacher.click("button:has-text('Commencer le quiz')")
    # Pupils with JavaScript see the question arrive, read out politely; focus stays put.
    keyboard.locator(f"legend:has-text('{first.prompt[:30]}')").wait_for(timeout=WAIT)
    keyboard.locator("[data-live-status]:has-text('Question 1 sur')").wait_for(
        state="attached", timeout=WAIT)
    assert not focused_matches(keyboard, "[data-live-heading]")
    reader.locator(f"legend:has-text('{first_en.prompt[:30]}')").wait_for(timeout=WAIT)
    assert_no_violations(keyboard)
    assert_no_violations(reader)
    # Without JavaScript, the refresh link does it.
    plain.click("text=Actualiser")
    assert plain.locator("legend").inner_text().startswith(first.prompt[:30])

    # A reload keeps the pseudonym.
    keyboard.reload()
    assert keyboard.locator(".whoami .pseudonym").inner_text() == name

    right = next(o for o in first.options if o.correct)
    wrong = next(o for o in first.options if not o.correct)
    tab_to(keyboard, f"#option-1-{first.options[0].id}")
    for _ in range(first.options.index(right)):
        keyboard.keyboard.press("ArrowDown")
    keyboard.keyboard.press("Space")
    assert keyboard.is_checked(f"#option-1-{right.id}")
    tab_to(keyboard, "button[type=submit]")
    keyboard.keyboard.press("Enter")
    keyboard.locator("text=Ta réponse est enregistrée.").wait_for(timeout=WAIT)
    reader.check(f"#option-1-{wrong.id}")
    reader.click("button:has-text('Send my answer')")
    plain.check(f"#option-1-{right.id}")
    plain.click("button:has-text('Envoyer ma réponse')")

    teacher.locator("text=3 élèves sur 3 ont répondu").wait_for(timeout=WAIT)
    assert_no_violations(teacher)
    teacher.click("button:has-text('Montrer la réponse')")
    teacher.locator(".reveal-notes").wait_for()
    if first.discuss:
        assert first.discuss[0] in teacher.locator(".discuss").inner_text()
    reader.locator(f"text={first_en.option(wrong.id).feedback[:40]}").wait_for(timeout=WAIT)
    assert_no_violations(reader)

    teacher.click("button:has-text('Terminer la séance maintenant')")
    teacher.locator("h1:has-text('Résultats de la classe')").wait_for()
    assert "67" in teacher.locator(".live-summary li").first.inner_text()
    assert name not in teacher.content()
    assert_no_violations(teacher)
    keyboard.locator("h1:has-text('Le quiz est terminé')").wait_for(timeout=WAIT)
    assert_no_violations(keyboard)
    reader.locator("h1:has-text('The quiz is over')").wait_for(timeout=WAIT)
    assert_no_violations(reader)

    # The teacher's screen in English too.
    teacher.click("a.lang-switch")
    teacher.wait_for_url(f"{live_server}/en/class/{code}/host")
    assert teacher.locator("h1").inner_text() == "Class results"
    assert_no_violations(teacher)


def test_english_teacher_screens_pass_axe(contexts, live_server, library):
    module = next(m for m in library.audience("en", "pupils") if m.quiz)
    teacher = contexts()
    teacher.goto(f"{live_server}/en/class/new/pupils/{module.slug}")
    assert_no_violations(teacher)
    teacher.click("button:has-text('Start a new session')")
    teacher.wait_for_url(re.compile(r".*/en/class/[A-Z0-9]{6}/host$"))
    assert_no_violations(teacher)
    pupil = contexts()
    code = re.search(r"/([A-Z0-9]{6})/host", teacher.url).group(1)
    pupil.goto(f"{live_server}/en/class/{code}")
    assert_no_violations(pupil)
    pupil.click("button:has-text('Join')")
    teacher.locator("text=1 pupil has joined.").wait_for(timeout=WAIT)
    teacher.click("button:has-text('Start the quiz')")
    teacher.locator("text=0 of 1 pupil answered").wait_for()
    assert_no_violations(teacher)
    teacher.click("button:has-text('Show the answer')")
    teacher.locator("text=Right answer:").first.wait_for()
    assert_no_violations(teacher)


def test_the_pages_fit_a_small_phone(contexts, live_server, library):
    module = next(m for m in library.audience("fr", "pupils") if m.quiz)
    teacher = contexts(viewport={"width": 320, "height": 640})
    teacher.goto(f"{live_server}/fr/classe/nouvelle/eleves/{module.slug}")
    teacher.click("button:has-text('Lancer une nouvelle séance')")
    teacher.wait_for_url(re.compile(r".*/animer$"))
    code = re.search(r"/([A-Z0-9]{6})/animer", teacher.url).group(1)
    pupil = contexts(viewport={"width": 320, "height": 640})
    pupil.goto(f"{live_server}/fr/classe")
    pupil.fill("#code", code)
    pupil.click("button:has-text('Rejoindre')")
    teacher.click("button:has-text('Commencer le quiz')")
    pupil.locator("legend").wait_for(timeout=WAIT)
    for page in (teacher, pupil):
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (page.url, width)
