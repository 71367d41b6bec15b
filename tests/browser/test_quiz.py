"""The quiz in a real browser: with and without JavaScript, by keyboard, with axe-core."""

from __future__ import annotations

import pytest

from .axe import assert_no_violations
from .test_navigation import focused_is_visible, tab_to

WORDS = {"fr": "eleves", "en": "pupils"}


def answer_all(page, module, right=True, skip=()):
    """Tick answers by clicking their labels."""
    for question in module.quiz.questions:
        if question.id in skip:
            continue
        options = [o for o in question.options if o.correct == right] or question.options[:1]
        for option in options if question.multiple else options[:1]:
            page.click(f'label[for="q-{question.id}-{option.id}"]')


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_without_javascript_scored_on_the_server(browser, live_server, library, lang):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    module = library.audience(lang, "pupils")[0]
    page.goto(f"{live_server}/{lang}/{WORDS[lang]}/{module.slug}")
    first = module.quiz.questions[0]
    answer_all(page, module, skip={first.id})
    page.click("form[data-quiz] button[type=submit]")
    # The form comes back with the given answers still ticked and the gap pointed out.
    assert page.locator(".error-summary").is_visible()
    assert page.locator(f"#missing-{first.id}").is_visible()
    second = module.quiz.questions[1]
    ticked = page.locator(f'input[name="q-{second.id}"]:checked').count()
    assert ticked >= 1
    answer_all(page, module, skip={q.id for q in module.quiz.questions[1:]})
    page.click("form[data-quiz] button[type=submit]")
    total = len(module.quiz.questions)
    expected = {"fr": f"{total} bonnes réponses sur {total}", "en": f"{total} out of {total}"}
    assert expected[lang] in page.locator(".score").inner_text()
    assert page.locator(".remember").is_visible()
    assert page.locator(".help-box").is_visible()
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_with_javascript_feedback_appears_as_you_answer(site, live_server, library, lang):
    module = library.audience(lang, "pupils")[0]
    site.goto(f"{live_server}/{lang}/{WORDS[lang]}/{module.slug}")
    single = next(q for q in module.quiz.questions if not q.multiple)
    wrong = next(o for o in single.options if not o.correct)
    site.click(f'label[for="q-{single.id}-{wrong.id}"]')
    box = site.locator(f'[data-feedback-for="{single.id}"]')
    assert box.get_attribute("aria-live") == "polite"
    assert wrong.feedback in box.inner_text()
    multi = next((q for q in module.quiz.questions if q.multiple), None)
    if multi:
        box = site.locator(f'[data-feedback-for="{multi.id}"]')
        site.click(f'label[for="q-{multi.id}-{sorted(multi.correct_ids)[0]}"]')
        assert box.inner_text() == ""  # several answers: feedback only on "Check"
        site.locator(f"#question-{multi.id} button").click()
        assert box.inner_text() != ""
    assert_no_violations(site)
    # The retry page (a question left out) and the result page, checked with axe too.
    site.click("form[data-quiz] button[type=submit]")
    site.wait_for_selector(".error-summary")
    assert_no_violations(site)
    answer_all(site, module)
    site.click("form[data-quiz] button[type=submit]")
    site.wait_for_selector(".score")
    assert_no_violations(site)


def test_keyboard_only_quiz(site, live_server, library):
    module = library.audience("en", "pupils")[0]
    site.goto(f"{live_server}/en/pupils/{module.slug}")
    for question in module.quiz.questions:
        correct = sorted(question.correct_ids)
        if question.multiple:
            for option_id in correct:
                tab_to(site, f"#q-{question.id}-{option_id}")
                assert focused_is_visible(site)
                site.keyboard.press("Space")
        else:
            # Tab enters a radio group on its first option; arrows move and select.
            tab_to(site, f'input[name="q-{question.id}"]')
            ids = [o.id for o in question.options]
            for _ in range(ids.index(correct[0])):
                site.keyboard.press("ArrowDown")
            site.keyboard.press("Space")
    tab_to(site, "form[data-quiz] button[type=submit]")
    site.keyboard.press("Enter")
    total = len(module.quiz.questions)
    site.wait_for_selector(".score")
    assert f"{total} out of {total}" in site.locator(".score").inner_text()
