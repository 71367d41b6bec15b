"""Names and helpers every template can use."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, request, url_for
from flask_babel import LazyString, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from . import art
from .content.contacts import lookup
from .i18n import (
    AUDIENCES_INFO,
    REGISTRY,
    current_language,
    other_languages,
    site_languages,
    typeset,
)

LEVEL_NAMES = {"cycle3": _l("CM1 to 6e"), "college": _l("Collège"), "lycee": _l("Lycée")}


def contact(name: str, key: str) -> str:
    value = lookup(current_app.extensions["pont_library"].contacts, current_language(), name, key)
    if value is None:
        raise KeyError(f"contacts.toml has no {name}.{key}")
    return value


def phone(number: str) -> Markup:
    """A phone number as the site shows it: on one line, never broken."""
    return Markup('<span class="phone">%s</span>') % number


def contact_checked(key: str = "checked"):
    """A check date of contacts.toml: `checked` (numbers and hours) or `<what>_checked`."""
    return current_app.extensions["pont_library"].contacts[key]


def switch_url(lang: str) -> str:
    """The same page in another language (its home page when there is no such page)."""
    if request.endpoint and request.url_rule and "lang" in (request.view_args or {}):
        return url_for(request.endpoint, **{**request.view_args, "lang": lang})
    return url_for("pages.home", lang=lang)


def _typeset(text: str) -> str:
    """Interface text in the typography of the language it was translated into."""
    locale = get_locale()
    return _typeset_in(locale.language, text) if locale else text


# The interface's strings are few and typesetting them is pure: each page (a live class
# reloads its pages at every step) would otherwise run the rules on every string again.
_typeset_in = lru_cache(maxsize=8192)(typeset)


def typeset_interface_text(app: Flask) -> None:
    """French no-break spaces in every translated string a template shows.

    Templates get their words from gettext (`_()`, `{% trans %}`) or as lazy strings from
    Python (level and audience names, form labels and errors): both pass through here, once.
    Values a visitor typed are plain strings and are shown exactly as typed.
    """
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _typeset(get_translations().ugettext(s)),
        ngettext=lambda s, p, n: _typeset(get_translations().ungettext(s, p, n)),
        pgettext=lambda c, s: _typeset(get_translations().upgettext(c, s)),
        npgettext=lambda c, s, p, n: _typeset(get_translations().unpgettext(c, s, p, n)),
        newstyle=True,
    )
    app.jinja_env.finalize = lambda value: (
        _typeset(str(value)) if isinstance(value, LazyString) else value)


def init_app(app: Flask) -> None:
    typeset_interface_text(app)
    app.jinja_env.globals.update(
        contact=contact,
        phone=phone,
        contact_checked=contact_checked,
        switch_url=switch_url,
        other_languages=other_languages,
        current_language=current_language,
        site_languages=site_languages,
        language_names={code: language.name for code, language in REGISTRY.items()},
        level_names=LEVEL_NAMES,
        audiences=AUDIENCES_INFO,
        audience_info={audience.id: audience for audience in AUDIENCES_INFO},
        audience_names={audience.id: audience.name for audience in AUDIENCES_INFO},
        module_art=art.module_art,
        audience_art=art.audience_art,
        audience_alt=art.AUDIENCE_ALT,
        art_size=(art.WIDTH, art.HEIGHT),
        icon=art.icon,
    )
