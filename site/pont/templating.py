"""Names and helpers every template can use."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l

from .content.contacts import lookup
from .i18n import current_language, other_languages

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
LEVEL_NAMES = {"cycle3": _l("CM1 to 6e"), "college": _l("Collège"), "lycee": _l("Lycée")}
AUDIENCE_NAMES = {"pupils": _l("Pupils"), "teachers": _l("Teachers"), "parents": _l("Parents")}


def contact(name: str, key: str) -> str:
    value = lookup(current_app.extensions["pont_library"].contacts, current_language(), name, key)
    if value is None:
        raise KeyError(f"contacts.toml has no {name}.{key}")
    return value


def contact_checked():
    return current_app.extensions["pont_library"].contacts["checked"]


def switch_url(lang: str) -> str:
    """The same page in another language (its home page when there is no such page)."""
    if request.endpoint and request.url_rule and "lang" in (request.view_args or {}):
        return url_for(request.endpoint, **{**request.view_args, "lang": lang})
    return url_for("pages.home", lang=lang)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        contact=contact,
        contact_checked=contact_checked,
        switch_url=switch_url,
        other_languages=other_languages,
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        level_names=LEVEL_NAMES,
        audience_names=AUDIENCE_NAMES,
    )
