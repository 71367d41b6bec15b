"""Platform guides in a real browser: readable at 320 px, no axe violation, and a print that
keeps the steps and sources, drops the navigation and fits on two A4 pages."""

from __future__ import annotations

import re

from pont.i18n import REGISTRY

from .axe import WCAG, _axe


def guide_urls(library) -> list[str]:
    urls = []
    for lang in ("fr", "en"):
        base = f"/{lang}/{REGISTRY[lang].words['platforms']}"
        urls += [base] + [f"{base}/{guide.slug}" for guide in library.platform_guides(lang)]
    return urls


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_guides_fit_320_px_and_pass_axe(browser, live_server, library):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    failures = []
    for url in guide_urls(library):
        page.goto(live_server + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            failures.append(f"{url}: {width} px wide at 320 px")
        results = _axe.run(page, options=WCAG)
        if results.violations_count:
            failures.append(f"{url}: axe\n{results.generate_report()}")
    context.close()
    assert failures == [], "\n".join(failures)


def test_a_guide_prints_its_steps_on_at_most_two_a4_pages(page, live_server, library):
    failures = []
    for url in guide_urls(library):
        if url.count("/") < 3:
            continue
        page.goto(live_server + url)
        pages = page_count(page.pdf(format="A4"))
        if pages > 2:
            failures.append(f"{url}: prints on {pages} A4 pages")
    assert failures == [], "\n".join(failures)
    page.emulate_media(media="print")
    assert page.locator("ol.guide-steps li").first.is_visible()
    assert page.locator(".sources").is_visible()
    for hidden in (".site-header", ".site-footer", ".help-box", ".toc", ".breadcrumb"):
        assert not page.locator(hidden).first.is_visible(), hidden


def test_the_keyboard_reaches_every_link_of_a_guide_with_visible_focus(page, live_server):
    from .test_quality import keyboard_failures

    failures = [f for url in ("/fr/plateformes", "/en/platforms/roblox")
                for f in keyboard_failures(page, live_server, url)]
    assert failures == [], "\n".join(failures)
