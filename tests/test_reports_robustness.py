"""Whatever arrives, never a 500; when the database fails, nothing typed is lost; fifty
reports sent at the same moment are fifty reports stored."""

from __future__ import annotations

import html
import logging
import threading
import urllib.parse
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.serving import make_server

from pont import create_app
from pont.reports.forms import tidy
from pont.reports.models import Report

from .reports_helpers import (
    ANSWERS,
    PATHS,
    add_school,
    limiter_off_fixture,  # noqa: F401
    receipt_codes,
    review,
    school_fixture,  # noqa: F401
    send,
    text_of,
    token_of,
)

TEXT_FIELDS = ("description", "other_kind", "place_detail", "links", "contact_value")
CHOICE_FIELDS = ("danger", "role", "kinds", "places", "in_school", "since", "how_often",
                 "contact")
PAYLOADS = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "{{ config }}", "{% raw %}", "'; DROP TABLE reports; --", "\u202eevil\u202c", "\x00\x01\x1f",
    "😀" * 50, "ﷺ" * 20, "é" * 3000, "\r\n" * 40, "%(x)s %s {0}",
]
any_text = st.one_of(st.text(max_size=400), st.sampled_from(PAYLOADS))


def report_count(app) -> int:
    with app.extensions["pont_sessionmaker"]() as session:
        return session.scalar(select(func.count()).select_from(Report))


FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(field=st.sampled_from(TEXT_FIELDS + CHOICE_FIELDS), value=any_text,
       lang=st.sampled_from(["fr", "en"]))
def test_any_value_in_any_field_of_the_form_is_never_a_server_error(client, school, field,
                                                                    value, lang):
    response = client.post(PATHS[lang]["form"], data={**ANSWERS, field: value})
    assert response.status_code in (200, 400), response.status_code
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    for payload in ("<script>alert(1)</script>", "<img src=x onerror"):
        assert payload not in page


@pytest.mark.parametrize("link", ["http://[", "https://[::1", "www.a]b.fr", "https://[zz]/x"])
def test_a_malformed_address_in_links_is_pointed_out_and_kept(client, school, link):
    response = client.post(PATHS["en"]["form"], data={**ANSWERS, "links": f"https://ok.fr\n{link}"})
    assert response.status_code == 400
    assert "Line 2 is not a web address" in text_of(response)
    assert link in html.unescape(response.get_data(as_text=True))


@FUZZ
@given(values=st.fixed_dictionaries({name: any_text for name in ("description", "other_kind",
                                                                  "place_detail")}))
def test_payloads_are_stored_and_shown_back_escaped(app, client, school, values):
    values = {**values, "description": values["description"] or "x"}
    checked = review(client, "en", **values)
    if checked.status_code == 400:  # refused with a message (too long, only control characters)
        assert "Something needs fixing" in text_of(checked)
        page = html.unescape(checked.get_data(as_text=True))
        for value in values.values():
            assert tidy(value) in page  # still there, to fix
        return
    response = send(client, "en", token=token_of(checked), **values)
    assert response.status_code == 200
    code, secret = receipt_codes(response)
    page = client.post(PATHS["en"]["follow"], data={"code": code, "secret": secret})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    shown = text_of(page)
    for value in values.values():
        assert " ".join(tidy(value).split()) in shown


@FUZZ
@given(code=any_text, secret=any_text, message=any_text)
def test_any_follow_up_input_is_never_a_server_error(client, school, code, secret, message):
    assert client.post(PATHS["fr"]["follow"], data={"code": code, "secret": secret}) \
        .status_code in (400, 403)
    assert client.post(PATHS["fr"]["add"], content_type="multipart/form-data",
                       data={"code": code, "secret": secret, "message": message}) \
        .status_code in (400, 403)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_huge_fields_get_a_message_and_stay_typed(app, client, school, field):
    huge = "Long texte. " * 40_000  # about 480 kB
    response = client.post(PATHS["fr"]["form"], data={**ANSWERS, "contact": "school",
                                                      field: huge})
    assert response.status_code == 400
    assert "C'est trop long" in text_of(response)
    assert huge.strip() in html.unescape(response.get_data(as_text=True))
    assert report_count(app) == 0


def test_a_thousand_checkbox_values_are_refused_politely(client, school):
    response = client.post(PATHS["en"]["form"], data={**ANSWERS, "kinds": ["x"] * 1000})
    assert response.status_code == 400


# The database is down ------------------------------------------------------------------


@pytest.fixture
def unreachable_app(app_config):
    """The app pointed at a PostgreSQL port where nothing listens."""
    down = create_app({**app_config, "AUTO_MIGRATE": False,
                       "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/none"
                                       "?connect_timeout=2"})
    yield down
    down.extensions["pont_engine"].dispose()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_database_down_shows_a_clear_page_holding_the_text(unreachable_app, caplog, lang):
    client = unreachable_app.test_client()
    caplog.set_level(logging.ERROR)
    page = client.get(PATHS[lang]["form"])
    assert page.status_code == 503
    assert "3018" in text_of(page)
    typed = {**ANSWERS, "description": "Mon texte à ne pas perdre <b>gras</b>",
             "place_detail": "groupe 4eB", "contact": "email", "contact_value": "moi@example.org"}
    for step in ("form", "send"):
        data = {**typed, "token": "t" * 32} if step == "send" else typed
        response = client.post(PATHS[lang][step], data=data,
                               content_type="multipart/form-data" if step == "send" else None)
        assert response.status_code == 503
        assert response.headers["Cache-Control"] == "no-store"
        text = text_of(response)
        assert {"fr": "Pas encore envoyé", "en": "Not sent yet"}[lang] in text
        assert "Mon texte à ne pas perdre <b>gras</b>" in text
        assert "&lt;b&gt;gras&lt;/b&gt;" in response.get_data(as_text=True)
        assert "groupe 4eB" in text and "moi@example.org" in text
        assert "3018" in text and "17" in text
        assert f'action="{PATHS[lang][step]}"' in response.get_data(as_text=True)  # try again
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "database unavailable" in logged
    for secret in ("Mon texte", "4eB", "moi@example.org"):
        assert secret not in logged
        assert all(secret not in str(record.args) for record in caplog.records)


def test_adding_information_while_the_database_is_down_keeps_the_text(unreachable_app):
    response = unreachable_app.test_client().post(
        PATHS["en"]["add"], content_type="multipart/form-data",
        data={"code": "ABCDE-FGHJK", "secret": "A" * 18, "message": "What I wanted to add"})
    assert response.status_code == 503
    assert "What I wanted to add" in text_of(response)


@pytest.fixture
def read_only_app(app_config, tmp_path, database_url):
    """A database that can be read (the school is there) but refuses every write."""
    if database_url.startswith("postgresql"):
        writer = create_app(app_config)
        add_school(writer)
        separator = "&" if "?" in database_url else "?"
        url = f"{database_url}{separator}options=-c%20default_transaction_read_only%3Don"
        writer.extensions["pont_engine"].dispose()
    else:
        path = tmp_path / "ro.sqlite3"
        writer = create_app({**app_config, "DATABASE_URL": f"sqlite:///{path}"})
        add_school(writer)
        writer.extensions["pont_engine"].dispose()
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
    read_only = create_app({**app_config, "AUTO_MIGRATE": False, "DATABASE_URL": url})
    yield read_only
    read_only.extensions["pont_engine"].dispose()


def test_a_failed_save_shows_the_text_back_and_logs_none_of_it(app, read_only_app, caplog):
    caplog.set_level(logging.ERROR)
    client = read_only_app.test_client()
    checked = client.post(PATHS["fr"]["form"], data={**ANSWERS, "description": "Secret 8842"})
    assert checked.status_code == 200  # reading works: the school is found
    response = client.post(PATHS["fr"]["send"], content_type="multipart/form-data",
                           data={**ANSWERS, "description": "Secret 8842",
                                 "token": token_of(checked)})
    assert response.status_code == 503
    assert "Secret 8842" in text_of(response)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "database unavailable" in logged and "8842" not in logged


# Fifty at once --------------------------------------------------------------------------


def test_fifty_reports_sent_at_the_same_moment_are_all_stored(app, school):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}{PATHS['en']['send']}"
    barrier = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def reporter(number: int) -> None:
        body = urllib.parse.urlencode(
            {**ANSWERS, "description": f"report number {number}", "token": uuid.uuid4().hex},
            doseq=True).encode()
        request = urllib.request.Request(url, data=body, method="POST")
        barrier.wait()
        with urllib.request.urlopen(request, timeout=120) as response:
            with lock:
                statuses.append(response.status)

    threads = [threading.Thread(target=reporter, args=(n,)) for n in range(50)]
    for each in threads:
        each.start()
    for each in threads:
        each.join(timeout=180)
    server.shutdown()
    thread.join(timeout=5)
    assert statuses == [200] * 50
    with app.extensions["pont_sessionmaker"]() as session:
        reports = list(session.scalars(select(Report)))
    assert len(reports) == 50
    assert len({report.code for report in reports}) == 50
