"""The front door: `/` picks a language, `/<lang>/` shows the three doors and help."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from .http_cache import cached_page
from .i18n import AUDIENCES, localized_route, site_languages

bp = Blueprint("pages", __name__)


@bp.get("/")
def root():
    lang = request.accept_languages.best_match(site_languages()) or current_app.config[
        "DEFAULT_LANGUAGE"
    ]
    response = redirect(url_for("pages.home", lang=lang), code=302)
    response.headers["Vary"] = "Accept-Language"
    return response


@cached_page
def home(lang: str):
    library = current_app.extensions["pont_library"]
    modules = {audience: library.audience(lang, audience) for audience in AUDIENCES}
    return render_template("pages/home.html", modules=modules)


localized_route(bp, "/", home)
