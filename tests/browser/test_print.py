"""Printed pages: lesson plans fit on one or two A4 sheets (their handouts on pages of their own),
their quiz to print keeps its answer key on pages of its own, without the site's navigation."""

from __future__ import annotations

import re

LESSON_PATHS = {"fr": "/fr/enseignants/fiches/{}", "en": "/en/teachers/lesson-plans/{}"}


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_every_lesson_plan_prints_on_at_most_two_a4_pages(page, live_server, library):
    assert library.lessons
    too_long = []
    for lang, slug in sorted(library.lessons):
        page.goto(live_server + LESSON_PATHS[lang].format(slug))
        handouts = page.locator("h2.handout").count()
        whole = page_count(page.pdf(format="A4"))
        # The plan alone: everything from the first handout on is left out.
        page.evaluate("""() => {
            const first = document.querySelector('h2.handout');
            if (!first) return;
            for (let node = first; node; ) { const next = node.nextSibling; node.remove(); node = next; }
        }""")
        plan = page_count(page.pdf(format="A4"))
        assert plan >= 1
        if plan > 2:
            too_long.append(f"{lang}/lessons/{slug}.md: the plan prints on {plan} A4 pages")
        if whole < plan + handouts:
            too_long.append(f"{lang}/lessons/{slug}.md: {handouts} handouts share pages")
    assert too_long == [], "\n".join(too_long)


def test_every_printable_quiz_puts_its_answer_key_on_pages_of_its_own(page, live_server,
                                                                      library):
    """The pupils' sheets never show the answers: the key starts on a new page."""
    wrong = []
    for lang, slug in sorted(library.lessons):
        page.goto(live_server + LESSON_PATHS[lang].format(slug) + "/quiz")
        assert page.locator(".answer-key li").count() >= 5
        whole = page_count(page.pdf(format="A4"))
        key = page.evaluate("() => document.querySelector('.answer-key').outerHTML")
        page.evaluate("() => document.querySelector('.answer-key').remove()")
        questions = page_count(page.pdf(format="A4"))
        page.evaluate("""key => { const main = document.querySelector('.quiz-print');
            main.replaceChildren(); main.insertAdjacentHTML('beforeend', key); }""", key)
        answers = page_count(page.pdf(format="A4"))
        if whole != questions + answers:
            wrong.append(f"{lang}/{slug}: {whole} pages, not {questions} of questions and "
                         f"{answers} of answers")
    assert wrong == [], "\n".join(wrong)


def test_print_shows_the_content_not_the_navigation(page, live_server, library):
    module = library.audience("fr", "pupils")[0]
    page.goto(f"{live_server}/fr/eleves/{module.slug}")
    page.emulate_media(media="print")
    assert page.locator("h1").is_visible()
    assert page.locator(".sources").is_visible()
    for hidden in (".site-header", ".site-footer", ".help-box", ".toc", ".breadcrumb"):
        assert not page.locator(hidden).first.is_visible(), hidden
