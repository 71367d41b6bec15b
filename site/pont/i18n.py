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

AUDIENCES = ("pupils", "teachers", "parents")


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, for the language switch
    # The word each audience has in this language's paths (/fr/eleves/…).
    audiences: dict[str, str] = field(default_factory=dict)
    typography: str = ""  # a typography.py rule set applied to this language's text


REGISTRY: dict[str, Language] = {
    "fr": Language("fr", "Français", {"pupils": "eleves", "teachers": "enseignants",
                                      "parents": "parents"}, typography="french"),
    "en": Language("en", "English", {"pupils": "pupils", "teachers": "teachers",
                                     "parents": "parents"}),
}
LANGUAGES = tuple(REGISTRY)

# The path word for each audience, in each language.
AUDIENCE_PATHS = {
    audience: {code: language.audiences[audience] for code, language in REGISTRY.items()}
    for audience in AUDIENCES
}


def localized_route(
    bp: Blueprint, paths: dict[str, str], view: Callable, endpoint: str | None = None, **options
) -> None:
    """Register one URL rule per language for the same endpoint.

    Each rule carries `lang` as a default, so `url_for(endpoint, lang="en")` builds the English
    path and a request on the French one calls the view with `lang="fr"`.
    """
    defaults = options.pop("defaults", {})
    for lang, path in paths.items():
        bp.add_url_rule(
            f"/{lang}{path}",
            endpoint=endpoint or view.__name__,
            view_func=view,
            defaults={**defaults, "lang": lang},
            **options,
        )


def audience_routes(bp: Blueprint, suffix: str, view: Callable, **options) -> None:
    """Register `/<lang>/<audience word><suffix>` for every language and audience."""
    for audience, words in AUDIENCE_PATHS.items():
        localized_route(
            bp,
            {lang: f"/{word}{suffix}" for lang, word in words.items()},
            view,
            defaults={"audience": audience},
            **options,
        )


def language_from_path(path: str) -> str | None:
    first = path.strip("/").split("/", 1)[0]
    return first if first in LANGUAGES else None


def current_language() -> str:
    """The page's language: its URL first, then the browser's preference, then French."""
    lang = g.get("lang")
    if lang:
        return lang
    lang = language_from_path(request.path) if request else None
    if lang:
        return lang
    if request:
        return request.accept_languages.best_match(LANGUAGES) or "fr"
    return current_app.config["DEFAULT_LANGUAGE"]


def other_languages() -> list[str]:
    return [lang for lang in LANGUAGES if lang != current_language()]


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
        if values and values.get("lang") in LANGUAGES:
            g.lang = values["lang"]

    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang" not in values and app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = current_language()
