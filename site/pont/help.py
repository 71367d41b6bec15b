"""Get help: danger now, the national helpline, reporting on platforms and illegal content."""

from flask import Blueprint, render_template

from .http_cache import cached_page
from .i18n import localized_route

bp = Blueprint("help", __name__)


@cached_page
def page(lang: str):
    return render_template("help/page.html")


localized_route(bp, "/{help}", page)
