"""Printed pages: lesson plans fit on one or two A4 sheets (their handouts on pages of their own),
without the site's navigation."""

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


def test_print_shows_the_content_not_the_navigation(page, live_server, library):
    module = library.audience("fr", "pupils")[0]
    page.goto(f"{live_server}/fr/eleves/{module.slug}")
    page.emulate_media(media="print")
    assert page.locator("h1").is_visible()
    assert page.locator(".sources").is_visible()
    for hidden in (".site-header", ".site-footer", ".help-box", ".toc", ".breadcrumb"):
        assert not page.locator(hidden).first.is_visible(), hidden
