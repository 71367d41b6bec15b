"""Audience indexes, module pages and lesson plans."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, render_template, url_for

from ..http_cache import cached_page
from ..i18n import audience_routes, localized_route, site_languages
from .library import ContentInvalid, load_or_fail
from .model import Library

bp = Blueprint("content", __name__)


def library() -> Library:
    return current_app.extensions["pont_library"]


@cached_page
def audience(lang: str, audience: str):
    return render_template(
        "content/audience.html",
        audience=audience,
        modules=library().audience(lang, audience),
        lessons=[library().lesson(lang, m.slug) for m in library().audience(lang, "pupils")]
        if audience == "teachers" else [],
        tracks=library().tracks.get(lang, []) if audience == "pupils" else [],
    )


@cached_page
def module(lang: str, audience: str, slug: str):
    found = library().module(lang, audience, slug)
    if found is None:
        abort(404)
    return render_template(
        "content/module.html",
        module=found,
        next_module=library().next_module(found),
        lesson=library().lesson(lang, slug) if audience == "pupils" else None,
        guides=[g for s in found.platforms if (g := library().platform(lang, s))],
    )


@cached_page
def lesson(lang: str, slug: str):
    plan = library().lesson(lang, slug)
    if plan is None:
        abort(404)
    return render_template(
        "content/lesson.html", plan=plan, module=library().module(lang, "pupils", slug)
    )


@cached_page
def printable_quiz(lang: str, slug: str):
    """A lesson plan's quiz on paper, for a class without screens: the questions for the
    pupils, then the answer key on a page of its own. Made from the module's quiz file, so the
    paper copy never drifts from the quiz online."""
    plan, module = library().lesson(lang, slug), library().module(lang, "pupils", slug)
    if plan is None or module is None or module.quiz is None:
        abort(404)
    return render_template("content/quiz_print.html", plan=plan, module=module)


@cached_page
def platforms(lang: str):
    return render_template("content/platforms.html", guides=library().platform_guides(lang))


@cached_page
def platform(lang: str, slug: str):
    guide = library().platform(lang, slug)
    if guide is None:
        abort(404)
    modules = [m for m in library().modules.values() if m.lang == lang and slug in m.platforms]
    return render_template(
        "content/platform.html", guide=guide,
        modules=sorted(modules, key=lambda m: (m.audience != "pupils", m.order, m.title)),
    )


audience_routes(bp, "/", audience)
audience_routes(bp, "/<slug>", module)
localized_route(bp, "/{teachers}/{lesson_plans}/<slug>", lesson)
localized_route(bp, "/{teachers}/{lesson_plans}/<slug>/{quiz}", printable_quiz)
localized_route(bp, "/{platforms}", platforms)
localized_route(bp, "/{platforms}/<slug>", platform)

LINK_ENDPOINTS = {
    "module": lambda target: ("content.module", dict(zip(("audience", "slug"),
                                                         target.split("/", 1), strict=True))),
    "lesson": lambda target: ("content.lesson", {"slug": target}),
    "platform": lambda target: ("content.platform", {"slug": target}),
    "audience": lambda target: ("content.audience", {"audience": target}),
    "help": lambda _: ("help.page", {}),
    "home": lambda _: ("pages.home", {}),
    "report": lambda _: ("help.page", {"_anchor": "school"}),
}


def build_link(kind: str, lang_target: str, anchor: str) -> str | None:
    lang, _, target = lang_target.partition(":")
    endpoint, values = LINK_ENDPOINTS[kind](target)
    if anchor:
        values["_anchor"] = anchor
    return url_for(endpoint, lang=lang, **values)


def init_app(app: Flask) -> None:
    """Load all content once; malformed content stops the app with the checker's message."""
    with app.test_request_context():
        try:
            app.extensions["pont_library"] = load_or_fail(
                Path(app.config["CONTENT_DIR"]), build_link,
                languages=site_languages(app), translations_dir=app.config["TRANSLATIONS_DIR"],
            )
        except ContentInvalid as error:
            raise SystemExit(str(error)) from None
