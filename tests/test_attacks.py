"""The holes an attack on the staff and report pages found, each closed, and the case page
that loses nothing: saved together, one audit line per visit, a paged list."""

from __future__ import annotations

import datetime
import io
import logging
import struct
import zlib

import pytest
from sqlalchemy import func, select

from pont import clock, create_app
from pont.live.models import Participant
from pont.reports import filing
from pont.reports.crypto import vault
from pont.reports.models import Evidence, Report, ReportMessage
from pont.staff.models import AuditEntry, CaseStep, StaffNote

from .reports_helpers import (
    ANSWERS,
    PATHS,
    limiter_off_fixture,  # noqa: F401
    png,
    receipt_codes,
    school_fixture,  # noqa: F401
    send,
    text_of,
    token_of,
)
from .staff_helpers import EMAIL, PASSWORD, log_in, new_report, url
from .test_live import JOIN, start


def count(app, model, *where) -> int:
    with app.extensions["pont_sessionmaker"]() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture(autouse=True)
def _clock_runs():
    yield
    clock.set(None)


# Logins ----------------------------------------------------------------------------------


def test_the_per_address_login_limit_counts_the_address_as_the_lookup_reads_it(app_config,
                                                                               school):
    strict = create_app({**app_config, "RATELIMIT_ENABLED": True,
                         "RATELIMIT_STORAGE_URI": "memory://",
                         "STAFF_LOGIN_EMAIL_LIMIT": "3 per hour",
                         "STAFF_LOGIN_LIMIT": "100 per hour"})
    client = strict.test_client()
    variants = [EMAIL, EMAIL + "\x01", " " + EMAIL.upper(), EMAIL + "\x7f"]
    statuses = [client.post(url("login"), data={"email": typed, "password": "wrong"},
                            environ_base={"REMOTE_ADDR": f"10.7.0.{number}"}).status_code
                for number, typed in enumerate(variants)]
    assert statuses == [401, 401, 401, 429]
    strict.extensions["pont_engine"].dispose()


@pytest.mark.parametrize(("base", "headers", "secure"), [
    ("http://localhost", {}, False),
    ("https://localhost", {}, True),
    ("http://localhost", {"X-Forwarded-Proto": "https"}, True),
])
def test_the_session_cookie_is_secure_over_https_direct_or_proxied(app_config, school, base,
                                                                    headers, secure):
    proxied = create_app({**app_config, "PROXY_COUNT": 1})
    response = proxied.test_client().post(url("login"), base_url=base, headers=headers,
                                          data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert ("; Secure" in cookie) is secure
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    proxied.extensions["pont_engine"].dispose()


@pytest.mark.parametrize("typed", ["/fr/etablissement/signalements\r\nX-Evil: 1",
                                   "/fr/etablissement/signalements\x00", "/fr/etablissement/ a"])
def test_a_next_address_with_control_characters_leads_to_the_case_list(client, school, typed):
    response = client.post(url("login"), query_string={"next": typed},
                           data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == url("dashboard")


# HEAD never changes anything -------------------------------------------------------------


def test_head_never_runs_a_post_branch(app, client, school, library):
    module = next(m for m in library.audience("fr", "pupils") if m.quiz)
    code = start(app.test_client(), module)
    for _ in range(3):
        client.open(JOIN["fr"], method="HEAD", data={"code": code})
    assert count(app, Participant) == 0
    review = client.post(PATHS["fr"]["form"], data=ANSWERS)
    client.open(PATHS["fr"]["send"], method="HEAD", data={**ANSWERS, "token": token_of(review)})
    assert count(app, Report) == 0
    client.open(url("login"), method="HEAD", data={"email": EMAIL, "password": PASSWORD})
    assert count(app, AuditEntry, AuditEntry.action == "login") == 0


# Adding to a report ----------------------------------------------------------------------


def add(client, code, secret, message="Encore un message.", files=()):
    data = {"code": code, "secret": secret, "message": message}
    if files:
        data["screenshots"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(PATHS["fr"]["add"], data=data, content_type="multipart/form-data")


def test_adding_with_a_valid_code_is_rate_limited_and_keeps_the_text(app_config, school):
    strict = create_app({**app_config, "RATELIMIT_ENABLED": True,
                         "RATELIMIT_STORAGE_URI": "memory://", "REPORT_ADD_LIMIT": "2 per hour"})
    client = strict.test_client()
    code, secret = receipt_codes(send(client, "fr"))
    assert [add(client, code, secret).status_code for _ in range(2)] == [200, 200]
    refused = add(client, code, secret, "Texte à ne pas perdre")
    assert refused.status_code == 429
    assert "Texte à ne pas perdre" in refused.get_data(as_text=True)
    strict.extensions["pont_engine"].dispose()


def test_a_report_takes_at_most_20_messages(app, client, school):
    code, secret = receipt_codes(send(client, "fr"))
    with app.app_context(), app.extensions["pont_sessionmaker"]() as session:
        report = session.scalars(select(Report)).one()
        report.messages.extend(ReportMessage(body=vault().encrypt_text("Déjà dit."))
                               for _ in range(filing.MAX_MESSAGES))
        session.commit()
    refused = add(client, code, secret, "Le 21e message")
    assert refused.status_code == 409
    assert "a atteint sa limite de 20 messages" in text_of(refused)
    assert "Le 21e message" in refused.get_data(as_text=True)
    assert count(app, ReportMessage) == filing.MAX_MESSAGES


def test_a_report_takes_at_most_15_screenshots(app, client, school):
    picture = ("capture.png", png())
    code, secret = receipt_codes(send(client, "fr", files=[picture] * 5))
    assert add(client, code, secret, files=[picture] * 5).status_code == 200
    assert add(client, code, secret, files=[picture] * 5).status_code == 200
    refused = add(client, code, secret, "Encore une", files=[picture])
    assert refused.status_code == 400
    assert "peut encore recevoir 0 captures" in text_of(refused)
    assert count(app, Evidence) == filing.MAX_SCREENSHOTS


def huge_png(width: int, height: int) -> bytes:
    """A PNG header announcing `width` × `height` pixels, with almost no data behind it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_pictures_over_20_million_pixels_are_refused_before_decoding(app, client, school):
    response = send(client, "fr", files=[("bomb.png", huge_png(5000, 4001))])
    assert response.status_code == 400
    assert "bomb.png" in text_of(response)
    assert count(app, Report) == 0


# Redis down ------------------------------------------------------------------------------


def test_with_redis_down_limited_pages_work_on_memory_and_log_it_once(app_config, school,
                                                                      caplog):
    caplog.set_level(logging.WARNING)
    down = create_app({**app_config, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1"})
    client = down.test_client()
    assert [send(client, "fr").status_code for _ in range(3)] == [200, 200, 200]
    assert caplog.text.count("falling back to in-memory storage") == 1
    down.extensions["pont_engine"].dispose()


# The case page ---------------------------------------------------------------------------


def test_status_steps_answer_and_note_are_saved_together(app, client, school):
    code = new_report(client)
    log_in(client)
    response = client.post(url("case", code), data={
        "status": "in_progress", "steps": ["account", "protection"], "steps_listed": "1",
        "reply": "Nous vous recevons jeudi.", "note": "Famille appelée."})
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    for done in ("État enregistré.", "Étapes du protocole enregistrées.", "Réponse envoyée",
                 "Note ajoutée"):
        assert done in page, done
    assert count(app, CaseStep) == 2 and count(app, StaffNote) == 1
    assert count(app, ReportMessage, ReportMessage.author == "school") == 1
    with app.extensions["pont_sessionmaker"]() as session:
        assert session.scalars(select(Report)).one().status == "in_progress"
    # Unticking every step is a change the page's form carries.
    client.post(url("case", code), data={"status": "in_progress", "steps_listed": "1"})
    assert count(app, CaseStep) == 0


def test_an_error_in_one_part_keeps_every_other_part_as_typed(app, client, school):
    code = new_report(client)
    log_in(client)
    response = client.post(url("case", code), data={
        "status": "closed", "steps": ["account"], "steps_listed": "1",
        "reply": "r" * 6000, "note": "Note à garder"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert ">Note à garder</textarea>" in page and f">{'r' * 6000}</textarea>" in page
    assert 'value="account" checked' in page and 'value="closed" checked' in page
    assert count(app, CaseStep) == 0 and count(app, StaffNote) == 0


def test_the_case_page_reads_what_was_reported_before_the_actions(client, school):
    code = new_report(client)
    log_in(client)
    page = client.get(url("case", code)).get_data(as_text=True)
    assert page.index('id="sent-title"') < page.index('id="handling-title"')
    assert page.count(f'<form method="post" action="{url("case", code)}"') == 1


def test_one_audit_line_per_visit(app, client, school):
    code = new_report(client)
    log_in(client)
    start_at = datetime.datetime(2026, 12, 1, 10, 0)
    for minutes in (0, 5, 20):
        clock.set(start_at + datetime.timedelta(minutes=minutes))
        client.get(url("case", code))
    assert count(app, AuditEntry, AuditEntry.action == "case_view") == 1
    clock.set(start_at + datetime.timedelta(minutes=90))
    client.get(url("case", code))
    assert count(app, AuditEntry, AuditEntry.action == "case_view") == 2


def test_the_case_list_is_paged_by_50_and_filtered(app, client, school):
    send(client, "fr")
    with app.extensions["pont_sessionmaker"]() as session:
        first = session.scalars(select(Report)).one()
        session.add_all(Report(school_id=first.school_id, code=f"AAAAA{number:05d}",
                               secret_hash="x", submission_digest=f"{number:064d}",
                               danger="no", language="fr", answers=first.answers,
                               status="closed" if number % 2 else "received")
                        for number in range(60))
        session.commit()
    log_in(client)
    first_page = client.get(url("dashboard")).get_data(as_text=True)
    assert first_page.count('<li class="staff-case') == 50
    assert 'aria-current="page">Page 1' in first_page
    second = client.get(url("dashboard"), query_string={"page": 2}).get_data(as_text=True)
    assert second.count('<li class="staff-case') == 11
    closed = client.get(url("dashboard"), query_string={"status": "closed"})
    assert closed.get_data(as_text=True).count('<li class="staff-case') == 30
    assert client.get(url("dashboard"), query_string={"page": "x" * 50}).status_code == 200
