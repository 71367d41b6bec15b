"""axe-core, WCAG 2.1 A and AA rules: the copy bundled with axe-playwright-python and, when
`npm install axe-core` has put it in node_modules/, the newest one, which knows rules the
bundled copy misses (`scrollable-region-focusable` on wide tables)."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
NEWEST_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
_axe = Axe()
_newest = Axe.from_file(NEWEST_SCRIPT) if NEWEST_SCRIPT.is_file() else None


def engines(newest: bool) -> list[Axe]:
    """The bundled axe-core, and the newest one too when asked for and installed."""
    return [_axe] + ([_newest] if newest and _newest else [])


def assert_no_violations(page, newest: bool = False) -> None:
    """No violation on the page; `newest=True` checks with both versions of axe-core."""
    for axe in engines(newest):
        results = axe.run(page, options=WCAG)
        version = page.evaluate("axe.version")
        assert results.violations_count == 0, (
            f"{page.url} (axe-core {version})\n{results.generate_report()}")
