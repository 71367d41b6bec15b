"""Pont's own illustrations and icons: where each one lives, in one place.

A module's illustration is `static/art/modules/<audience>/<slug>.svg` (slugs are the same in
every language); a module without one simply shows none. Audience illustrations say what
they show (their alt text is here, next to the files they describe). Icons are inlined, so
they take the colour of the text around them (`currentColor`), and hidden from screen
readers: the words next to them say the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

FOLDER = Path(__file__).parent / "static" / "art"
# Every illustration is drawn on this canvas; pages give it as width and height.
WIDTH, HEIGHT = 320, 180
ICONS = ("help", "evidence", "block", "talk", "report")
AUDIENCE_ALT = {
    "pupils": _l("Three pupils side by side, smiling, one in a wheelchair, one wearing a "
                 "headscarf, one holding a phone."),
    "teachers": _l("A teacher with glasses at the board, and pupils raising their hands."),
    "parents": _l("A parent and a child sitting together on a sofa, looking at a tablet."),
}


def module_file(audience: str, slug: str, folder: Path = FOLDER) -> Path:
    return folder / "modules" / audience / f"{slug}.svg"


def module_art(module) -> str | None:
    """The URL of a module's illustration, or None when it has none yet."""
    if not module_file(module.audience, module.slug).is_file():
        return None
    return url_for("static", filename=f"art/modules/{module.audience}/{module.slug}.svg")


def audience_art(audience: str) -> str:
    return url_for("static", filename=f"art/audiences/{audience}.svg")


@cache
def icon(name: str) -> Markup:
    """An icon's SVG, inline and decorative."""
    svg = (FOLDER / "icons" / f"{name}.svg").read_text(encoding="utf-8").strip()
    return Markup(svg.replace("<svg ", '<svg class="icon" aria-hidden="true" focusable="false" ', 1))

