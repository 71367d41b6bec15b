"""Failures that must become clear pages: a Host Werkzeug refuses, the database down."""

from __future__ import annotations

import logging

import pytest

from pont import create_app

from .reports_helpers import PATHS

CODE = "CDFHJK"  # well formed: the page must ask the database about it
DOWN = "postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2"


@pytest.mark.parametrize("path, lang", [("/fr/", "fr"), ("/en/help", "en"),
                                        ("/static/pont.css", "fr"), ("/nowhere", "fr")])
def test_a_host_werkzeug_refuses_gets_the_400_page_and_no_traceback(client, caplog, path,
                                                                     lang):
    caplog.set_level(logging.WARNING)
    response = client.get(path, headers={"Host": "a" * 64 + ".example"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page and 'href="/' in page
    assert caplog.records == []


@pytest.fixture(scope="module")
def down(app_config):
    """The app pointed at a PostgreSQL port where nothing listens."""
    app = create_app({**app_config, "AUTO_MIGRATE": False, "DATABASE_URL": DOWN})
    yield app
    app.extensions["pont_engine"].dispose()


def unavailable_pages(library):
    """(language, method, path, form) of the pages that need the database."""
    module = library.audience("en", "pupils")[0]
    answers = {f"q-{q.id}": sorted(q.correct_ids) for q in module.quiz.questions}
    for lang, words in (("fr", ("eleves", "classe", "etat", "statistiques")),
                        ("en", ("pupils", "class", "state", "statistics"))):
        pupils, live, state, stats = words
        yield lang, "GET", f"/{lang}/{live}/{CODE}", None
        yield lang, "GET", f"/{lang}/{live}/{CODE}/{state}", None
        yield lang, "POST", f"/{lang}/{live}", {"code": CODE}
        yield lang, "POST", f"/{lang}/{pupils}/{module.slug}/quiz", answers
        yield lang, "GET", f"/{lang}/{pupils}/{module.slug}/{stats}", None
        yield lang, "GET", PATHS[lang]["find"] + "?q=tilleuls", None
        yield lang, "GET", PATHS[lang]["poster"], None


HEADINGS = {"fr": "Cette page est indisponible pour un moment",
            "en": "This page is unavailable for a moment"}


def test_database_down_gives_a_503_page_in_the_visitors_language(down, library, caplog):
    caplog.set_level(logging.ERROR)
    client = down.test_client()
    problems = []
    for lang, method, path, form in unavailable_pages(library):
        response = client.open(path, method=method, data=form)
        page = response.get_data(as_text=True)
        if response.status_code != 503 or HEADINGS[lang] not in page:
            problems.append(f"{method} {path}: {response.status_code}")
    assert problems == [], "\n".join(problems)
    messages = [record.getMessage() for record in caplog.records]
    assert messages and all(m.startswith("database unavailable on ") for m in messages)
    assert not any(record.exc_info for record in caplog.records)


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/fr/%ff%fe", None),
    ("GET", "/fr/signaler?q=%ff%fe", None),
    ("GET", "/fr/classe/%ff/etat", None),
    ("POST", "/fr/classe", b"code=%ff%fe"),
    ("POST", "/fr/eleves/cest-quoi-le-cyberharcelement/quiz", b"q-x=%ff"),
    ("POST", "/fr/suivi", b"code=%ff&secret=%fe"),
    ("PUT", "/fr/", None),
    ("POST", "/fr/aide", None),
    ("POST", "/fr/classe", b"code=" + b"a" * (13 * 1024 * 1024)),
], ids=["path", "query", "code", "join form", "quiz form", "follow-up form", "PUT",
        "POST to a page", "body over the limit"])
def test_bad_input_is_never_a_500_nor_a_logged_error(client, caplog, method, path, body):
    caplog.set_level(logging.ERROR)
    response = client.open(path, method=method, data=body, content_type=FORM)
    assert response.status_code < 500
    assert caplog.records == []
