"""axe-core (bundled with axe-playwright-python), WCAG 2.1 A and AA rules."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
_axe = Axe()


def assert_no_violations(page) -> None:
    results = _axe.run(page, options=WCAG)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
