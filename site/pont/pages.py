"""The front door: `/` picks a language, `/<lang>/` shows the three doors and help."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from .http_cache import cached_page
from .i18n import LANGUAGES, localized_route

bp = Blueprint("pages", __name__)


@bp.get("/")
def root():
    lang = request.accept_languages.best_match(LANGUAGES) or current_app.config[
        "DEFAULT_LANGUAGE"
    ]
    response = redirect(url_for("pages.home", lang=lang), code=302)
    response.headers["Vary"] = "Accept-Language"
    return response


@cached_page
def home(lang: str):
    library = current_app.extensions["pont_library"]
    audiences = {a: library.audience(lang, a) for a in ("pupils", "teachers", "parents")}
    return render_template("pages/home.html", audiences=audiences)


localized_route(bp, {"fr": "/", "en": "/"}, home)
