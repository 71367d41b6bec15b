"""The JSON Schemas of what Pont hands to others, published at stable addresses with an
example of each: `/schemas/dossier/1.json` and `/schemas/dossier/1/example.json`."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, g, request

from ..i18n import site_languages

bp = Blueprint("schemas", __name__)
FOLDER = Path(__file__).parent
VERSIONS = (1,)


def schema_text(version: int) -> str:
    return (FOLDER / f"dossier-{version}.json").read_text(encoding="utf-8")


def dossier_schema(version: int = 1) -> dict:
    return json.loads(schema_text(version))


@bp.get("/schemas/dossier/<int:version>.json")
def dossier(version: int):
    if version not in VERSIONS:
        abort(404)
    return Response(schema_text(version), mimetype="application/schema+json",
                    headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/schemas/dossier/<int:version>/example.json")
def dossier_example(version: int):
    """A dossier made from made-up fixture data, in the site's default language (`?lang=en`
    for another)."""
    from .example import example_dossier

    if version not in VERSIONS:
        abort(404)
    lang = request.args.get("lang", "")
    if lang in site_languages():
        g.lang = lang
    body = json.dumps(example_dossier(), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Cache-Control": "public, max-age=3600"})
