"""Languages: the URL decides (`/fr/…`, `/en/…`), and each language has its own path words.

`REGISTRY` is the one list of languages and audiences: routes, the content loader, the
templates and the content checker all read it. Adding a language is its entry here, a
catalogue in translations/ and its content files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, current_app, g, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .content import typography


@dataclass(frozen=True)
class Audience:
    """A public the site writes for; its words are in the catalogue."""

    id: str
    name: LazyString
    lead: LazyString  # the first line of its page
    door: LazyString  # its door on the home page
    door_text: LazyString
    joins_classes: bool = False  # its door also leads to a live class session


AUDIENCES_INFO = (
    Audience("pupils", _l("Pupils"),
             _l("Short modules to understand cyberbullying and know what to do. Each one ends "
                "with a quiz."),
             _l("I am a pupil"),
             _l("Understand what cyberbullying is, what to do if it happens to you or a friend, "
                "and test yourself."), joins_classes=True),
    Audience("teachers", _l("Teachers"),
             _l("Spot, handle and prevent cyberbullying with your class, step by step."),
             _l("I am a teacher"),
             _l("Spot the signs, follow the school's protocol, and run a class session with "
                "lesson plans and live quizzes.")),
    Audience("parents", _l("Parents"),
             _l("Understand what your child may be going through, and know how to help."),
             _l("I am a parent"),
             _l("Signs to look for, how to talk with your child, and what to do whether they "
                "are targeted, a witness or involved.")),
)
AUDIENCES = tuple(a.id for a in AUDIENCES_INFO)


@dataclass(frozen=True)
class Language:
    """A language of the site: its code (the first path segment) and its path words.

    Routes are written once with `{word}` fields, `"/{class}/<code>/{host}"`, and each
    language fills them in; every audience id is also a word (`{pupils}`).
    """

    code: str
    name: str  # in the language itself, for the language switch
    words: dict[str, str] = field(default_factory=dict)
    # The language's typography rules, applied to its content and interface text.
    typography: Callable[[str], str] | None = None

    def path(self, pattern: str) -> str:
        return pattern.format_map(self.words)

    def typeset(self, text: str) -> str:
        return self.typography(text) if self.typography else text


REGISTRY: dict[str, Language] = {
    "fr": Language("fr", "Français", {
        "pupils": "eleves", "teachers": "enseignants", "parents": "parents",
        "help": "aide", "lesson_plans": "fiches", "quiz": "quiz", "statistics": "statistiques",
        "report": "signaler", "send": "envoyer", "poster": "affiche", "follow_up": "suivi",
        "add": "ajouter", "class": "classe", "new": "nouvelle", "state": "etat",
        "host": "animer", "school": "etablissement", "reports": "signalements",
        "login": "connexion", "logout": "deconnexion", "status": "statut", "steps": "etapes",
        "notes": "notes", "reply": "reponse", "screenshots": "captures", "dossier": "dossier",
        "delete": "supprimer", "code": "code", "my_account": "mon-compte",
        "password": "mot-de-passe", "two_factor": "double-authentification",
        "two_factor_off": "desactiver", "recovery_codes": "codes-de-secours",
        "accounts": "comptes", "invite": "inviter", "deactivate": "desactiver",
        "invitation": "invitation", "platforms": "plateformes",
        "receipt": "recu",
        "handoffs": "transmissions",
    }, typography=typography.french),
    "en": Language("en", "English", {
        "pupils": "pupils", "teachers": "teachers", "parents": "parents",
        "help": "help", "lesson_plans": "lesson-plans", "quiz": "quiz",
        "statistics": "statistics", "report": "report", "send": "send", "poster": "poster",
        "follow_up": "follow-up", "add": "add", "class": "class", "new": "new",
        "state": "state", "host": "host", "school": "school", "reports": "reports",
        "login": "login", "logout": "logout", "status": "status", "steps": "steps",
        "notes": "notes", "reply": "reply", "screenshots": "screenshots", "dossier": "dossier",
        "delete": "delete", "code": "code", "my_account": "my-account",
        "password": "password", "two_factor": "two-factor", "two_factor_off": "off",
        "recovery_codes": "recovery-codes", "accounts": "accounts", "invite": "invite",
        "deactivate": "deactivate", "invitation": "invitation", "platforms": "platforms",
        "receipt": "receipt",
        "handoffs": "hand-offs",
    }),
}
LANGUAGES = tuple(REGISTRY)


def typeset(lang: str, text: str) -> str:
    """Text or HTML in the typography of its language (unchanged for an unknown one)."""
    return REGISTRY[lang].typeset(text) if lang in REGISTRY else text


def site_languages(app: Flask | None = None) -> tuple[str, ...]:
    """The languages this site serves (the LANGUAGES setting), each one in the registry."""
    return tuple((app or current_app).config["LANGUAGES"])


def localized_route(bp: Blueprint, pattern: str, view: Callable, endpoint: str | None = None,
                    **options) -> None:
    """Register one URL rule per language of the app for the same endpoint.

    Each rule carries `lang` as a default, so `url_for(endpoint, lang="en")` builds the English
    path and a request on the French one calls the view with `lang="fr"`. The rules are made
    when the blueprint is registered, from that app's languages.
    """
    defaults = options.pop("defaults", {})

    def register(state) -> None:
        for code in site_languages(state.app):
            state.add_url_rule(
                f"/{code}{REGISTRY[code].path(pattern)}",
                endpoint or view.__name__,
                view,
                defaults={**defaults, "lang": code},
                **options,
            )

    bp.record(register)


def audience_routes(bp: Blueprint, suffix: str, view: Callable, prefix: str = "",
                    **options) -> None:
    """Register `/<lang><prefix>/<audience word><suffix>` for every audience."""
    for audience in AUDIENCES:
        localized_route(bp, f"{prefix}/{{{audience}}}{suffix}", view,
                        defaults={"audience": audience}, **options)


def language_from_path(path: str) -> str | None:
    first = path.strip("/").split("/", 1)[0]
    return first if first in site_languages() else None


def current_language() -> str:
    """The page's language: its URL first, then the browser's preference, then the default."""
    lang = g.get("lang")
    if lang:
        return lang
    lang = language_from_path(request.path) if request else None
    if lang:
        return lang
    if request:
        return request.accept_languages.best_match(site_languages()) \
            or current_app.config["DEFAULT_LANGUAGE"]
    return current_app.config["DEFAULT_LANGUAGE"]


def other_languages() -> list[str]:
    return [lang for lang in site_languages() if lang != current_language()]


@functools.cache
def catalogue(directory: str, lang: str) -> NullTranslations:
    """A language's compiled catalogue, for text made outside a request (content loading)."""
    compile_catalogues(Path(directory))
    return Translations.load(directory, [lang])


def compile_catalogues(directory: Path) -> None:
    """Compile each `.po` into its `.mo` when the `.mo` is missing or older.

    `.mo` files are build products, not kept in git, so a fresh clone compiles them here.
    """
    for po_path in directory.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor
    def pull_lang(_endpoint, values):
        if values and values.get("lang") in site_languages(app):
            g.lang = values["lang"]

    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()
