"""The referents' pages: login, their school's reports only, handling a case, the dossier,
the audit log, retention and purge, and never a 500 whatever is sent."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import zipfile

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text, update

from pont import create_app
from pont.clock import utcnow
from pont.reports.models import CLOSED, Evidence, Report, ReportMessage
from pont.staff import retention
from pont.staff.models import AuditEntry, CaseStep, Referent, StaffNote

from .reports_helpers import (
    ANSWERS,
    PATHS,
    UAI,
    add_school,
    limiter_off_fixture,  # noqa: F401
    png,
    receipt_codes,
    school_fixture,  # noqa: F401
    send,
    text_of,
)
from .staff_helpers import (
    EMAIL,
    OTHER_EMAIL,
    OTHER_UAI,
    PASSWORD,
    STAFF,
    log_in,
    new_report,
    rows,
    url,
)

LANGS = ["fr", "en"]


def new_report_with_secret(client, lang="fr", **changes) -> tuple[str, str]:
    code, secret = receipt_codes(send(client, lang, **changes))
    return code.replace("-", ""), secret


def audit_actions(app, code=None) -> list[str]:
    where = [AuditEntry.report_code == code] if code else []
    return [entry.action for entry in rows(app, AuditEntry, *where)]


def set_report(app, code, **values) -> None:
    with app.extensions["pont_sessionmaker"]() as session:
        session.execute(update(Report).where(Report.code == code).values(**values))
        session.commit()


@pytest.fixture
def staff(client, school):
    """A logged-in referent of the school (the same client can also send reports)."""
    assert log_in(client).status_code == 303
    return client


@pytest.fixture
def other_school(app):
    add_school(app, uai=OTHER_UAI, name="Lycée du Parc", town="Lyon")
    return OTHER_UAI


# Logging in and out ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_login_opens_the_dashboard_and_logout_closes_it(client, school, lang):
    page = client.get(url("login", lang=lang))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in page.get_data(as_text=True)
    response = log_in(client, email=EMAIL.upper() + " ", lang=lang)
    assert response.status_code == 303
    assert response.headers["Location"] == url("dashboard", lang=lang)
    cookie = client.get_cookie("session")
    assert cookie.expires is not None  # permanent, with a short lifetime
    assert cookie.expires - datetime.datetime.now(datetime.UTC) < datetime.timedelta(hours=9)
    dashboard = client.get(url("dashboard", lang=lang))
    assert dashboard.status_code == 200
    assert dashboard.headers["Cache-Control"] == "no-store"
    assert EMAIL in text_of(dashboard)
    stolen = cookie.value
    out = client.post(url("logout", lang=lang))
    assert out.status_code == 303
    assert client.get(url("dashboard", lang=lang)).status_code == 303
    # The cookie from before the logout opens nothing any more.
    client.set_cookie("session", stolen)
    assert client.get(url("dashboard", lang=lang)).status_code == 303


def test_logout_by_get_only_leads_to_the_login_page(staff):
    response = staff.get(url("logout"))
    assert response.status_code == 303
    assert staff.get(url("dashboard")).status_code == 200


@pytest.mark.parametrize("email, password", [
    (EMAIL, "a wrong passphrase"),
    ("nobody@example.org", PASSWORD),
])
def test_wrong_password_and_unknown_email_get_the_same_message(client, school, email,
                                                               password):
    response = log_in(client, email=email, password=password)
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "ne correspondent à aucun compte" in text_of(response)
    assert f'value="{email}"' in page  # the e-mail stays, the password never comes back
    assert password not in page
    assert client.get(url("dashboard")).status_code == 303


def test_failed_logins_are_audited_per_referent_and_unknown_emails_are_not(app, client,
                                                                             school):
    log_in(client, password="wrong password!")
    log_in(client, email="nobody@example.org")
    log_in(client)
    entries = rows(app, AuditEntry)
    assert [entry.action for entry in entries] == ["login_failed", "login"]
    assert all(entry.referent_id and entry.school_id for entry in entries)


def test_an_inactive_referent_cannot_log_in_nor_stay_logged_in(app, client, school):
    assert log_in(client).status_code == 303
    with app.extensions["pont_sessionmaker"]() as session:
        session.execute(update(Referent).values(active=False))
        session.commit()
    assert client.get(url("dashboard")).status_code == 303
    refused = log_in(client)
    assert refused.status_code == 401
    assert "ne correspondent à aucun compte" in text_of(refused)


def test_a_new_password_from_the_command_line_logs_the_referent_out(app, staff, runner):
    assert staff.get(url("dashboard")).status_code == 200
    result = runner.invoke(args=["staff", "add-referent", UAI, EMAIL,
                                 "--password", "another long passphrase"])
    assert result.exit_code == 0, result.output
    assert staff.get(url("dashboard")).status_code == 303
    assert log_in(staff, password="another long passphrase").status_code == 303


@pytest.mark.parametrize("data", [
    {},
    {"email": "", "password": ""},
    {"email": "x" * 400, "password": "p"},
    {"email": EMAIL, "password": "p" * 500},
])
def test_incomplete_login_forms_are_a_400_with_the_email_kept(client, school, data):
    response = client.post(url("login"), data=data)
    assert response.status_code == 400
    assert "Something needs fixing" in text_of(response) or "corriger" in text_of(response)


def test_next_leads_back_to_the_staff_page_and_nowhere_else(client, school):
    response = client.post(url("login") + "?next=/fr/etablissement/signalements?status=closed",
                           data={"email": EMAIL, "password": PASSWORD})
    assert response.headers["Location"] == "/fr/etablissement/signalements?status=closed"
    client.post(url("logout"))
    for target in ("https://evil.example/", "//evil.example/", "/fr/aide"):
        response = client.post(url("login") + f"?next={target}",
                               data={"email": EMAIL, "password": PASSWORD})
        assert response.headers["Location"] == url("dashboard")
        client.post(url("logout"))


def test_the_login_page_says_who_is_logged_in(staff):
    page = staff.get(url("login"))
    assert page.status_code == 200
    assert EMAIL in text_of(page)


# Rate limits: their own app, with limits on -----------------------------------------------


def limited_app(app_config, **settings):
    return create_app({**app_config, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": "memory://", **settings})


def test_logins_are_limited_per_email_address_from_any_client(app_config, school):
    strict = limited_app(app_config, STAFF_LOGIN_EMAIL_LIMIT="3 per hour")
    client = strict.test_client()
    for _ in range(3):
        assert log_in(client, password="wrong password!").status_code == 401
    blocked = log_in(client)  # even the right password now waits
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert f'value="{EMAIL}"' in page and PASSWORD not in page
    assert "Trop de tentatives" in text_of(blocked)
    elsewhere = strict.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert log_in(elsewhere).status_code == 429
    # Another address of the same client is not blocked by this one's failures.
    assert log_in(client, email="other@example.org").status_code == 401
    strict.extensions["pont_engine"].dispose()


def test_logins_are_limited_per_client_and_successes_are_not_counted(app_config, school):
    strict = limited_app(app_config, STAFF_LOGIN_LIMIT="3 per hour")
    client = strict.test_client()
    for _ in range(5):
        assert log_in(client).status_code == 303
    for number in range(3):
        assert log_in(client, email=f"guess{number}@example.org").status_code == 401
    assert log_in(client, email="guess9@example.org").status_code == 429
    other = strict.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert log_in(other).status_code == 303
    strict.extensions["pont_engine"].dispose()


# Every page needs a login, and only the school's own cases exist --------------------------


def case_urls(code: str, evidence_id: int, lang: str) -> list[str]:
    return [url("case", code, lang), url("evidence", code, lang, id=evidence_id),
            url("dossier", code, lang), url("zip", code, lang), url("purge", code, lang)]


def post_urls(code: str, lang: str) -> list[tuple[str, dict]]:
    return [(url("status", code, lang), {"status": "closed"}),
            (url("steps", code, lang), {"steps": "account"}),
            (url("notes", code, lang), {"note": "typed note to keep"}),
            (url("reply", code, lang), {"reply": "typed answer to keep"}),
            (url("purge", code, lang), {})]


@pytest.mark.parametrize("lang", LANGS)
def test_every_staff_page_needs_a_login(app, client, school, lang):
    code = new_report(client, lang, files=[("a.png", png())])
    evidence_id = rows(app, Evidence)[0].id
    for address in [url("dashboard", lang=lang), *case_urls(code, evidence_id, lang)]:
        response = client.get(address)
        assert response.status_code == 303, address
        assert response.headers["Location"].startswith(url("login", lang=lang) + "?next="), \
            address
    for address, data in post_urls(code, lang):
        response = client.post(address, data=data)
        assert response.status_code == 401, address
        for typed in data.values():
            if typed.startswith("typed"):
                assert f">{typed}</textarea>" in response.get_data(as_text=True)
    assert rows(app, StaffNote) == []
    assert rows(app, Report)[0].status == "received"


def test_a_case_of_another_school_is_a_404_for_everything(app, client, school, other_school):
    code = new_report(client, files=[("a.png", png())])
    evidence_id = rows(app, Evidence)[0].id
    set_report(app, code, status=CLOSED)
    assert log_in(client, email=OTHER_EMAIL).status_code == 303
    assert code not in client.get(url("dashboard")).get_data(as_text=True)
    for address in case_urls(code, evidence_id, "fr"):
        assert client.get(address).status_code == 404, address
    for address, data in post_urls(code, "fr"):
        assert client.post(address, data=data).status_code == 404, address
    assert rows(app, Report)[0].status == CLOSED
    assert rows(app, StaffNote) == [] and len(rows(app, ReportMessage)) == 0


def test_a_screenshot_is_served_only_through_its_own_case(app, client, school):
    first = new_report(client, files=[("a.png", png())])
    second = new_report(client, description="Another one")
    evidence_id = rows(app, Evidence)[0].id
    log_in(client)
    assert client.get(url("evidence", first, id=evidence_id)).status_code == 200
    assert client.get(url("evidence", second, id=evidence_id)).status_code == 404
    assert client.get(url("evidence", first, id=evidence_id + 100)).status_code == 404


@pytest.mark.parametrize("code", ["nothing", "ABCDEFGHJK", "A" * 200, "%00", "<script>"])
def test_unknown_or_malformed_codes_are_404(staff, code):
    assert staff.get(url("case", code)).status_code == 404
    assert staff.post(url("notes", code), data={"note": "x"}).status_code == 404


# Dashboard -------------------------------------------------------------------------------


def test_dashboard_lists_urgent_cases_first_with_counts_and_a_filter(app, client, school):
    calm = new_report(client, danger="no", description="calm")
    urgent = new_report(client, danger="yes", description="urgent")
    unsure = new_report(client, danger="unsure", description="unsure")
    handled = new_report(client, danger="no", contact="email",
                         contact_value="parent@example.org")
    closed_urgent = new_report(client, danger="yes")
    set_report(app, handled, status="in_progress")
    set_report(app, closed_urgent, status=CLOSED)
    log_in(client)
    response = client.get(url("dashboard"))
    page = response.get_data(as_text=True)
    order = [code for code in re.findall(r'/fr/etablissement/signalements/([A-Z0-9]{10})"',
                                         page)]
    assert order.index(urgent) < order.index(calm) and order.index(unsure) < order.index(calm)
    assert order.index(calm) < order.index(handled) < order.index(closed_urgent)
    text = text_of(response)
    assert "Tous (5)" in text and "Reçu (3)" in text and "En cours (1)" in text
    assert "Clos (1)" in text
    assert "Danger immédiat : oui" in text and "Demande à être contacté" in text
    assert "parent@example.org" not in text  # the contact itself only on the case page
    only_closed = client.get(url("dashboard") + "?status=closed").get_data(as_text=True)
    assert closed_urgent in only_closed and calm not in only_closed
    bad = client.get(url("dashboard") + "?status=<b>nonsense</b>")
    assert bad.status_code == 400
    assert calm in bad.get_data(as_text=True)
    assert "<b>nonsense" not in bad.get_data(as_text=True)


def test_dashboard_counts_reporter_messages_arrived_since_the_case_was_opened(app, client,
                                                                            school):
    code, secret = new_report_with_secret(client)
    follow = {"code": code, "secret": secret}
    client.post(PATHS["fr"]["add"], data={**follow, "message": "first addition"})
    log_in(client)

    def new_count() -> str:
        page = client.get(url("dashboard")).get_data(as_text=True)
        return re.search(r"<dt>Nouveaux messages</dt><dd>(?:<strong>)?(\d+)", page).group(1)

    assert new_count() == "1"
    client.get(url("case", code))
    assert new_count() == "0"
    client.post(url("logout"))
    client.post(PATHS["fr"]["add"], data={**follow, "message": "second addition"})
    log_in(client)
    assert new_count() == "1"


# The case page and its changes -----------------------------------------------------------


def test_case_page_shows_answers_contact_screenshots_and_messages(app, client, school):
    code, secret = new_report_with_secret(client, files=[("a.png", png())], contact="email",
                                          contact_value="eleve@example.org")
    client.post(PATHS["fr"]["add"], data={"code": code, "secret": secret,
                                          "message": "Ça a recommencé hier."})
    log_in(client)
    response = client.get(url("case", code))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = text_of(response)
    assert ANSWERS["description"] in text and "groupe « 4eB »" in text
    assert "eleve@example.org" in text
    assert "Ça a recommencé hier." in text
    item = rows(app, Evidence)[0]
    assert item.received_sha256 in text and item.stored_sha256 in text
    image = client.get(url("evidence", code, id=item.id))
    assert image.status_code == 200
    assert image.mimetype == item.media_type == "image/png"
    assert image.headers["Cache-Control"] == "no-store"
    assert hashlib.sha256(image.data).hexdigest() == item.stored_sha256
    assert audit_actions(app, code) == ["case_view", "evidence_view"]


@pytest.mark.parametrize(("danger", "warned"), [("yes", True), ("unsure", True), ("no", False)])
def test_a_case_where_someone_may_be_in_danger_opens_with_the_numbers_to_call(
        app, client, school, library, danger, warned):
    code = new_report(client, danger=danger)
    log_in(client)
    text = text_of(client.get(url("case", code)))
    police, emergency = (library.contacts[name]["number"] for name in ("police", "emergency"))
    numbers = f"appelez le {police} ou le {emergency}"
    assert (numbers in text) is warned
    set_report(app, code, status=CLOSED)
    assert numbers not in text_of(client.get(url("case", code)))


@pytest.mark.parametrize("lang", LANGS)
def test_status_steps_note_and_reply_round_trip_with_audit(app, client, school, lang):
    code = new_report(client, lang)
    log_in(client, lang=lang)
    response = client.post(url("status", code, lang), data={"status": "in_progress"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(url("case", code, lang))
    report = rows(app, Report)[0]
    assert report.status == "in_progress"
    assert client.post(url("steps", code, lang),
                       data={"steps": ["account", "interviews"]}).status_code == 303
    assert {step.step for step in rows(app, CaseStep)} == {"account", "interviews"}
    assert client.post(url("steps", code, lang), data={"steps": ["account"]}).status_code == 303
    assert [step.step for step in rows(app, CaseStep)] == ["account"]
    assert client.post(url("notes", code, lang),
                       data={"note": "Rencontré la famille mardi."}).status_code == 303
    assert client.post(url("reply", code, lang),
                       data={"reply": "Nous vous recevons jeudi."}).status_code == 303
    page = client.get(url("case", code, lang) + "?done=reply")
    text = text_of(page)
    assert "Rencontré la famille mardi." in text and "Nous vous recevons jeudi." in text
    assert {"fr": "Réponse envoyée", "en": "Answer sent"}[lang] in text
    assert 'id="steps-account" value="account" checked' in page.get_data(as_text=True)
    assert audit_actions(app, code) == ["status", "steps", "steps", "note", "reply",
                                        "case_view"]
    entries = rows(app, AuditEntry, AuditEntry.action == "status")
    assert entries[0].detail == "in_progress" and entries[0].referent_id
    # Closing starts the retention period.
    before = utcnow()
    client.post(url("status", code, lang), data={"status": "closed"})
    assert rows(app, Report)[0].status_changed_at >= before - datetime.timedelta(seconds=1)


def test_nothing_changes_and_nothing_is_logged_when_the_status_stays(app, staff):
    code = new_report(staff)
    assert staff.post(url("status", code), data={"status": "received"}).status_code == 303
    assert staff.post(url("steps", code), data={}).status_code == 303
    assert audit_actions(app, code) == []


def test_notes_are_encrypted_in_the_database(app, staff):
    code = new_report(staff)
    staff.post(url("notes", code), data={"note": "Confidentiel : frère en 3eB"})
    with app.extensions["pont_engine"].connect() as connection:
        stored = connection.execute(text("SELECT body FROM report_staff_notes")).scalar_one()
        dump = " ".join(str(row) for row in connection.execute(
            text("SELECT * FROM report_staff_notes")))
    assert b"Confidentiel" not in bytes(stored) and "Confidentiel" not in dump


def test_a_case_no_configured_key_opens_is_an_error_page_with_a_log_line(app, staff, caplog):
    code = new_report(staff)
    foreign = Fernet(Fernet.generate_key()).encrypt(b'{"description": "Secret"}')
    set_report(app, code, answers=foreign)
    response = staff.get(url("case", code))
    assert response.status_code == 500
    assert "Traceback" not in response.get_data(as_text=True)
    assert "PONT_REPORT_KEYS" in caplog.text and "Secret" not in caplog.text


def test_the_reporter_sees_the_school_answer_and_never_the_notes(app, client, school):
    code, secret = new_report_with_secret(client)
    log_in(client)
    client.post(url("notes", code), data={"note": "Note interne à ne pas montrer"})
    client.post(url("reply", code), data={"reply": "Merci, nous nous en occupons."})
    client.post(url("logout"))
    page = client.post(PATHS["fr"]["follow"], data={"code": code, "secret": secret})
    text = text_of(page)
    assert "Merci, nous nous en occupons." in text
    assert "Réponse de l'établissement" in text
    assert "Note interne" not in page.get_data(as_text=True)
    english = client.post(PATHS["en"]["follow"], data={"code": code, "secret": secret})
    assert "The school's answer" in text_of(english)


# Bad input: a clear 4xx, what was typed kept ---------------------------------------------


@pytest.mark.parametrize("name, data, kept", [
    ("status", {"status": "deleted"}, None),
    ("steps", {"steps": ["account", "nonsense"]}, None),
    ("notes", {"note": "n" * 5001}, "n" * 5001),
    ("reply", {"reply": "r" * 6000}, "r" * 6000),
])
def test_bad_input_is_a_400_with_a_message_and_the_text_kept(app, staff, name, data, kept):
    code = new_report(staff)
    response = staff.post(url(name, code), data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    if kept:
        assert f">{kept}</textarea>" in page
    assert rows(app, StaffNote) == [] and rows(app, ReportMessage) == []
    assert rows(app, Report)[0].status == "received"


@pytest.mark.parametrize("address", [
    "/fr/etablissement/signalements/ABCDEFGHJK/captures/abc",
    "/fr/etablissement/signalements/ABCDEFGHJK/captures/99999999999999999999999",
    "/fr/etablissement/signalements/ABCDEFGHJK/dossier?notes=%ff",
    "/fr/etablissement/signalements?status=%00",
])
def test_odd_addresses_are_never_a_500(staff, address):
    assert 400 <= staff.get(address).status_code < 500


def test_odd_form_bodies_are_never_a_500(app, staff):
    code = new_report(staff)
    for name in ("case", "purge"):
        response = staff.post(url(name, code), data=b"\xff\xfe=\x00&&==",
                              content_type="application/x-www-form-urlencoded")
        # A case form that carries nothing changes nothing; an open case cannot be purged.
        assert response.status_code == (303 if name == "case" else 409), name
    assert rows(app, Report)[0].status == "received" and rows(app, CaseStep) == []
    response = staff.post(url("login"), data={"email": ["a@b.c", "d@e.f"], "password": "\x00"})
    assert 400 <= response.status_code < 500


def test_csrf_is_required_and_an_expired_form_keeps_the_text(app_config, client, school):
    code = new_report(client)  # sent through the shared app, the same database
    guarded = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = guarded.test_client()
    refused = client.post(url("login"), data={"email": EMAIL, "password": PASSWORD})
    assert refused.status_code == 400
    assert f'value="{EMAIL}"' in refused.get_data(as_text=True)
    page = client.get(url("login")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(url("login"), data={"email": EMAIL, "password": PASSWORD,
                                           "csrf_token": token}).status_code == 303
    page = client.get(url("case", code)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = client.post(url("notes", code), data={"note": "texte à garder"})
    assert refused.status_code == 400
    assert ">texte à garder</textarea>" in refused.get_data(as_text=True)
    assert client.post(url("notes", code), data={"note": "texte à garder",
                                                 "csrf_token": token}).status_code == 303
    for name, data in (("status", {"status": "closed"}), ("reply", {"reply": "x"}),
                       ("steps", {"steps": "account"})):
        assert client.post(url(name, code), data=data).status_code == 400, name
    assert client.post(url("logout")).status_code == 400
    assert client.get(url("dashboard")).status_code == 200  # still logged in
    guarded.extensions["pont_engine"].dispose()


# Dossier ---------------------------------------------------------------------------------


def test_dossier_page_and_file_hold_the_case_without_notes_unless_asked(app, client, school):
    code = new_report(client, files=[("a.png", png())], contact="phone",
                      contact_value="06 12 34 56 78")
    log_in(client)
    client.post(url("notes", code), data={"note": "Note interne du CPE"})
    client.post(url("reply", code), data={"reply": "Merci pour votre message."})
    client.post(url("steps", code), data={"steps": ["account"]})
    page = client.get(url("dossier", code))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = text_of(page)
    assert "Collège des Tilleuls" in text and UAI in text
    assert ANSWERS["description"] in text and "Merci pour votre message." in text
    item = rows(app, Evidence)[0]
    assert item.received_sha256 in text and item.stored_sha256 in text
    assert "Note interne du CPE" not in text and "06 12 34 56 78" not in text
    assert "Note interne du CPE" in text_of(client.get(url("dossier", code) + "?notes=1"))

    response = client.get(url("zip", code))
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert f"dossier-{code}.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    document = json.loads(archive.read("dossier.json"))
    assert document["school"]["uai"] == UAI
    assert document["report"]["code"] == code
    assert document["answers"]["description"] == ANSWERS["description"]
    assert document["internal_notes"] is None
    assert "06 12 34 56 78" not in archive.read("dossier.json").decode()
    assert [m["text"] for m in document["messages"]] == ["Merci pour votre message."]
    assert document["protocol_steps"][0]["id"] == "account"
    assert document["protocol_steps"][0]["done_at"]
    assert document["protocol_steps"][1]["done_at"] is None
    evidence = document["evidence"][0]
    assert evidence["stored_sha256"] == item.stored_sha256
    import hashlib

    assert hashlib.sha256(archive.read(evidence["file"])).hexdigest() == item.stored_sha256
    with_notes = json.loads(zipfile.ZipFile(io.BytesIO(
        client.get(url("zip", code) + "?notes=1").data)).read("dossier.json"))
    assert [n["text"] for n in with_notes["internal_notes"]] == ["Note interne du CPE"]
    exports = [(e.action, e.detail) for e in rows(app, AuditEntry)
               if e.action.startswith("export")]
    assert exports == [("export_print", None), ("export_print", "with_notes"),
                       ("export_file", None), ("export_file", "with_notes")]


# The audit log ---------------------------------------------------------------------------


def test_every_read_and_change_is_audited_without_content(app, client, school):
    code = new_report(client, files=[("a.png", png())])
    log_in(client)
    client.get(url("dashboard"))
    client.get(url("case", code))
    client.get(url("evidence", code, id=rows(app, Evidence)[0].id))
    client.get(url("dossier", code))
    client.get(url("zip", code))
    client.post(url("status", code), data={"status": "in_progress"})
    client.post(url("steps", code), data={"steps": "account"})
    client.post(url("notes", code), data={"note": "secret note"})
    client.post(url("reply", code), data={"reply": "public reply"})
    client.post(url("logout"))
    entries = rows(app, AuditEntry)
    assert [entry.action for entry in entries] == [
        "login", "dashboard_view", "case_view", "evidence_view", "export_print",
        "export_file", "status", "steps", "note", "reply", "logout"]
    school_id = rows(app, Report)[0].school_id
    assert all(entry.school_id == school_id and entry.referent_id for entry in entries)
    with app.extensions["pont_engine"].connect() as connection:
        dump = str(connection.execute(text("SELECT * FROM audit_log")).all())
    assert "secret note" not in dump and "public reply" not in dump
    assert ANSWERS["description"] not in dump
    log_in(client)
    trail = text_of(client.get(url("case", code)))
    assert "Ajout d'une note interne" in trail and "Réponse à la personne" in trail
    assert EMAIL in trail


def test_the_audit_trail_is_not_shown_to_another_school(app, client, school, other_school):
    code = new_report(client)
    log_in(client, email=OTHER_EMAIL)
    assert client.get(url("case", code)).status_code == 404


# Retention and purge ---------------------------------------------------------------------


def fill_case(app, client, code) -> None:
    client.post(url("notes", code), data={"note": "note"})
    client.post(url("reply", code), data={"reply": "reply"})
    client.post(url("steps", code), data={"steps": "account"})
    client.post(url("status", code), data={"status": "closed"})


def test_closed_cases_are_purged_after_the_retention_period(app, client, school):
    old = new_report(client, files=[("a.png", png())])
    recent = new_report(client, description="recent")
    open_old = new_report(client, description="open but old")
    log_in(client)
    fill_case(app, client, old)
    fill_case(app, client, recent)
    long_ago = utcnow() - datetime.timedelta(days=366)
    set_report(app, old, status_changed_at=long_ago, created_at=long_ago)
    set_report(app, recent, status_changed_at=utcnow() - datetime.timedelta(days=364))
    set_report(app, open_old, created_at=long_ago, status_changed_at=long_ago)
    retention.ON_ACCESS.reset()  # the on-access purge runs at most every few minutes
    assert client.get(url("dashboard")).status_code == 200
    codes = {report.code for report in rows(app, Report)}
    assert codes == {recent, open_old}
    assert len(rows(app, Evidence)) == 0
    assert len(rows(app, StaffNote)) == 1 and len(rows(app, CaseStep)) == 1
    assert len(rows(app, ReportMessage)) == 1
    assert rows(app, AuditEntry, AuditEntry.report_code == old) == []
    purged = rows(app, AuditEntry, AuditEntry.action == "purge")
    assert [(e.detail, e.referent_id, e.report_id) for e in purged] == [("retention", None,
                                                                          None)]
    assert purged[0].school_id is not None
    # The entries that named the case remain, anonymous.
    assert len(rows(app, AuditEntry, AuditEntry.report_id.is_(None),
                    AuditEntry.action == "note")) == 1
    assert client.get(url("case", old)).status_code == 404


def test_the_purge_command_uses_the_configured_retention(app, client, school, runner):
    code = new_report(client)
    log_in(client)
    fill_case(app, client, code)
    set_report(app, code, status_changed_at=utcnow() - datetime.timedelta(days=31))
    app.config["CASE_RETENTION_DAYS"] = 60
    try:
        result = runner.invoke(args=["staff", "purge"])
        assert result.exit_code == 0 and "0 closed case(s) older than 60 days" in result.output
        app.config["CASE_RETENTION_DAYS"] = 30
        result = runner.invoke(args=["staff", "purge"])
        assert result.exit_code == 0 and "1 closed case(s) older than 30 days" in result.output
    finally:
        app.config["CASE_RETENTION_DAYS"] = 365
    assert rows(app, Report) == [] and rows(app, StaffNote) == []


@pytest.mark.parametrize("value", ["a year", "-1", "1.5", ""])
def test_a_retention_that_is_not_a_number_of_days_stops_the_start(app_config, value):
    with pytest.raises(ValueError, match="CASE_RETENTION_DAYS"):
        create_app({**app_config, "CASE_RETENTION_DAYS": value})


def test_retention_comes_from_the_environment(app_config, monkeypatch):
    monkeypatch.setenv("PONT_CASE_RETENTION_DAYS", "90")
    configured = create_app(app_config)
    assert configured.config["CASE_RETENTION_DAYS"] == 90
    configured.extensions["pont_engine"].dispose()


def test_a_referent_can_delete_a_closed_case_after_confirming(app, client, school):
    code, secret = new_report_with_secret(client, files=[("a.png", png())])
    log_in(client)
    client.post(url("notes", code), data={"note": "note"})
    still_open = client.get(url("purge", code))
    assert still_open.status_code == 409
    assert client.post(url("purge", code)).status_code == 409
    client.post(url("status", code), data={"status": "closed"})
    case_page = client.get(url("case", code)).get_data(as_text=True)
    assert url("purge", code) in case_page
    confirm = client.get(url("purge", code))
    assert confirm.status_code == 200 and rows(app, Report)  # asking deletes nothing
    done = client.post(url("purge", code))
    assert done.status_code == 303
    assert rows(app, Report) == [] and rows(app, Evidence) == [] and rows(app, StaffNote) == []
    purge = rows(app, AuditEntry, AuditEntry.action == "purge")
    assert [(e.detail, e.report_code) for e in purge] == [("referent", None)]
    assert purge[0].referent_id is not None
    assert rows(app, AuditEntry, AuditEntry.report_code == code) == []
    assert "supprimé" in text_of(client.get(done.headers["Location"]))
    client.post(url("logout"))
    assert client.post(PATHS["fr"]["follow"],
                       data={"code": code, "secret": secret}).status_code == 403


# Navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, label", [("fr", "Espace établissement"),
                                         ("en", "School staff")])
def test_the_footer_leads_discreetly_to_the_staff_login(client, lang, label):
    page = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'href="{STAFF[lang]["login"]}">{label}</a>' in page


# Migration -------------------------------------------------------------------------------


def test_one_migration_head_and_it_builds_what_the_models_describe(app):
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from pont.db import Base, alembic_config

    engine = app.extensions["pont_engine"]
    assert len(ScriptDirectory.from_config(alembic_config(engine)).get_heads()) == 1
    found = inspect(engine)
    for name in ("audit_log", "case_steps", "referents", "mail_outbox", "admin_schools",
                 "staff_invitations", "staff_recovery_codes", "case_handoffs"):
        columns = {column["name"] for column in found.get_columns(name)}
        assert columns == set(Base.metadata.tables[name].columns.keys()), name


# The back office -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_staff_pages_have_their_own_bar_and_no_pupil_header_or_quick_exit(app, staff, lang):
    code = new_report(staff, lang)
    pages = [url("login", lang=lang), url("dashboard", lang=lang), url("case", code, lang),
             url("dossier", code, lang)]
    for address in pages:
        page = staff.get(address).get_data(as_text=True)
        assert "data-quick-exit" not in page, address
        assert 'class="site-header"' not in page and 'class="site-footer"' not in page, address
        assert 'class="staff-header"' in page and 'class="staff-footer"' in page, address
        assert EMAIL in page[page.index('class="staff-header"'):page.index("<main")], address
        first_link = re.search(r"<a [^>]*>", page[page.index("<body>"):]).group(0)
        assert 'class="skip-link"' in first_link, address
