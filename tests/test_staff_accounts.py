"""Staff accounts: admins see exactly their schools on every staff page, invitations work once
and for 72 hours, two-factor login (app codes and recovery codes), deactivation ends sessions
at once, passwords, the create-admin command, and the admin's case list."""

from __future__ import annotations

import datetime
import re

import pyotp
import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from pont import clock, create_app
from pont.mail.models import OutboxMessage
from pont.reports.models import CLOSED, Evidence, Report, School
from pont.staff.models import ADMIN, AuditEntry, Invitation, RecoveryCode, Referent

from .reports_helpers import (
    UAI,
    add_school,
    limiter_off_fixture,  # noqa: F401
    png,
    school_fixture,  # noqa: F401
    text_of,
)
from .staff_helpers import (
    EMAIL,
    OTHER_EMAIL,
    OTHER_UAI,
    PASSWORD,
    log_in,
    new_report,
    rows,
    url,
)

THIRD_UAI = "0690001C"
ADMIN_EMAIL = "harcelement@ac-exemple.fr"
ACCOUNTS = {"fr": "/fr/etablissement/comptes", "en": "/en/school/accounts"}
MINE = {"fr": "/fr/etablissement/mon-compte", "en": "/en/school/my-account"}
CODE_STEP = {"fr": "/fr/etablissement/connexion/code", "en": "/en/school/login/code"}
STATS = {"fr": "/fr/etablissement/statistiques", "en": "/en/school/statistics"}


@pytest.fixture(autouse=True)
def _clock_runs_again():
    yield
    clock.set(None)


def session_of(app):
    return app.extensions["pont_sessionmaker"]()


def add_admin(app, uais, email=ADMIN_EMAIL) -> None:
    with session_of(app) as session:
        schools = list(session.scalars(select(School).where(School.uai.in_(uais))))
        session.add(Referent(email=email, role=ADMIN, school_id=None, overseen=schools,
                             password_hash=generate_password_hash(PASSWORD)))
        session.commit()


def make_head(app, email=EMAIL) -> None:
    with session_of(app) as session:
        session.scalars(select(Referent).where(Referent.email == email)).one().head = True
        session.commit()


@pytest.fixture
def three_schools(app, school):
    add_school(app, uai=OTHER_UAI, name="Lycée du Parc", town="Lyon")
    add_school(app, uai=THIRD_UAI, name="École Jean Macé", town="Lyon")
    add_admin(app, [UAI, OTHER_UAI])
    return UAI, OTHER_UAI, THIRD_UAI


def report_at(client, uai, **changes) -> str:
    from .reports_helpers import ANSWERS

    path = f"/fr/signaler/{uai}"
    data = {**ANSWERS, **changes}
    first = client.post(path, data=data)
    token = re.search(r'name="token" value="([^"]+)"', first.get_data(as_text=True)).group(1)
    sent = client.post(path + "/envoyer", data={**data, "token": token})
    code = re.findall(r"<code data-copy>([^<]+)</code>", sent.get_data(as_text=True))[0]
    return code.replace("-", "")


def case_addresses(code: str, evidence_id: int) -> list[str]:
    return [url("case", code), url("evidence", code, id=evidence_id), url("dossier", code),
            url("zip", code), url("purge", code)]


# An admin sees exactly their schools; a referent exactly one --------------------------------


def test_an_admin_sees_exactly_the_schools_given_on_every_staff_url(app, client, three_schools):
    codes = {uai: report_at(client, uai) for uai in three_schools}
    with session_of(app) as session:
        for uai, code in codes.items():
            report = session.scalars(select(Report).where(Report.code == code)).one()
            session.add(Evidence(report_id=report.id, received_sha256="0" * 64, received_bytes=1,
                                 stored_sha256="0" * 64, media_type="image/png", width=1,
                                 height=1, data=b""))
            report.status = CLOSED
        session.commit()
    evidence = {item.report_id: item.id for item in rows(app, Evidence)}
    ids = {report.code: report.id for report in rows(app, Report)}
    assert log_in(client, email=ADMIN_EMAIL).status_code == 303
    listing = client.get(url("dashboard")).get_data(as_text=True)
    assert codes[UAI] in listing and codes[OTHER_UAI] in listing
    assert codes[THIRD_UAI] not in listing
    for uai, code in codes.items():
        seen = uai != THIRD_UAI
        for address in case_addresses(code, evidence[ids[code]]):
            status = client.get(address).status_code
            assert (status != 404) == seen, (address, status)
        alert_link = f"/fr/etablissement/signalements/n/{ids[code]}"
        assert (client.get(alert_link).status_code == 303) == seen
    # Changes to a school that is not given are refused like a case that does not exist.
    assert client.post(url("case", codes[THIRD_UAI]), data={"status": "received"}).status_code \
        == 404
    assert client.post(url("purge", codes[THIRD_UAI])).status_code == 404
    assert {report.code: report.status for report in rows(app, Report)}[codes[THIRD_UAI]] \
        == CLOSED
    stats = client.get(STATS["fr"] + ".csv").get_data(as_text=True)
    assert UAI in stats and OTHER_UAI in stats and THIRD_UAI not in stats
    assert client.get(STATS["fr"] + f"?school={THIRD_UAI}").status_code == 400
    # A referent of one school sees that school only.
    client.post(url("logout"))
    assert log_in(client, email=OTHER_EMAIL).status_code == 303
    listing = client.get(url("dashboard")).get_data(as_text=True)
    assert codes[OTHER_UAI] in listing and codes[UAI] not in listing
    assert client.get(url("case", codes[UAI])).status_code == 404
    stats = client.get(STATS["fr"] + ".csv").get_data(as_text=True)
    assert OTHER_UAI in stats and UAI not in stats


def test_an_admin_with_no_school_given_sees_no_report(
        app, client, three_schools):
    code = report_at(client, UAI)
    add_admin(app, [], email="vide@ac-exemple.fr")
    assert log_in(client, email="vide@ac-exemple.fr").status_code == 303
    assert code not in client.get(url("dashboard")).get_data(as_text=True)
    assert client.get(url("case", code)).status_code == 404
    assert "Aucun établissement" in text_of(client.get(STATS["fr"]))


def test_the_admin_case_list_filters_by_school_and_status_and_puts_waiting_cases_first(
        app, client, three_schools):
    read = report_at(client, UAI)
    unread = report_at(client, UAI)
    other = report_at(client, OTHER_UAI)
    assert log_in(client, email=ADMIN_EMAIL).status_code == 303
    assert client.get(url("case", read)).status_code == 200
    page = client.get(url("dashboard")).get_data(as_text=True)
    order = re.findall(r'/fr/etablissement/signalements/([A-Z0-9]{10})"', page)
    # School by school, by name (Collège des Tilleuls, then Lycée du Parc); in the first, the
    # case nobody has opened comes before the one opened, although it is newer.
    assert order == [unread, read, other]
    only = client.get(url("dashboard") + f"?school={OTHER_UAI}")
    assert re.findall(r'/fr/etablissement/signalements/([A-Z0-9]{10})"',
                      only.get_data(as_text=True)) == [other]
    assert "Tous (1)" in text_of(only)
    both = client.get(url("dashboard") + f"?school={UAI}&status=closed")
    assert "Aucun signalement n'a cet état" in text_of(both)
    refused = client.get(url("dashboard") + f"?school={THIRD_UAI}")
    assert refused.status_code == 400
    assert other in refused.get_data(as_text=True)


# Invitations -----------------------------------------------------------------------------


def invite(client, email="nouveau@example.org", uai=UAI, lang="fr", **extra):
    return client.post(ACCOUNTS[lang] + ("/inviter" if lang == "fr" else "/invite"),
                       data={"email": email, "school": uai, **extra})


def link_of(response) -> str:
    return re.search(r'<p class="staff-link-once"><code>([^<]+)</code>',
                     response.get_data(as_text=True)).group(1)


def test_a_head_referent_invites_and_the_link_works_once(app, client, school):
    make_head(app)
    clock.set(datetime.datetime(2026, 12, 1, 9, 0))
    assert log_in(client).status_code == 303
    response = invite(client, email="Nouveau@Example.org ")
    assert response.status_code == 200
    link = link_of(response)
    token = link.rsplit("/", 1)[1]
    assert link.startswith("http://localhost/fr/etablissement/invitation/")
    # Only a digest of the token is kept; the e-mail in the outbox carries the link.
    invitation = rows(app, Invitation)[0]
    assert invitation.email == "nouveau@example.org" and token not in invitation.digest
    assert invitation.expires_at == datetime.datetime(2026, 12, 4, 9, 0)
    mail = rows(app, OutboxMessage)[-1]
    assert mail.kind == "invitation" and mail.recipient == "nouveau@example.org"
    assert link in mail.body and "Collège des Tilleuls" in mail.subject
    listed = text_of(client.get(ACCOUNTS["fr"]))
    assert "nouveau@example.org" in listed and link not in listed  # shown once only
    client.post(url("logout"))
    path = link.removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "12 à 200 caractères" in text_of(short)
    differ = client.post(path, data={"password": "a brand new passphrase",
                                     "confirm": "another passphrase"})
    assert differ.status_code == 400
    done = client.post(path, data={"password": "a brand new passphrase",
                                   "confirm": "a brand new passphrase"})
    assert done.status_code == 303
    assert client.get(url("dashboard")).status_code == 200
    account = rows(app, Referent, Referent.email == "nouveau@example.org")[0]
    school_id = rows(app, School, School.uai == UAI)[0].id
    assert account.school_id == school_id and not account.head and account.last_login_at
    again = client.post(path, data={"password": "a brand new passphrase",
                                    "confirm": "a brand new passphrase"})
    assert again.status_code == 410 and "déjà été utilisé" in text_of(again)
    assert len(rows(app, Referent, Referent.email == "nouveau@example.org")) == 1


def test_an_invitation_expires_after_72_hours(app, client, three_schools):
    clock.set(datetime.datetime(2026, 12, 1, 9, 0))
    log_in(client, email=ADMIN_EMAIL)
    path = link_of(invite(client, uai=OTHER_UAI)).removeprefix("http://localhost")
    client.post(url("logout"))
    clock.set(datetime.datetime(2026, 12, 4, 8, 59))
    assert client.get(path).status_code == 200
    clock.set(datetime.datetime(2026, 12, 4, 9, 0))
    expired = client.post(path, data={"password": "a brand new passphrase",
                                      "confirm": "a brand new passphrase"})
    assert expired.status_code == 410 and "expiré" in text_of(expired)
    assert rows(app, Referent, Referent.email == "nouveau@example.org") == []


@pytest.mark.parametrize("token", ["nothing", "x" * 300, "%00", "<script>"])
def test_an_unknown_invitation_link_is_a_404_with_a_message(client, school, token):
    response = client.get(f"/fr/etablissement/invitation/{token}")
    assert response.status_code == 404
    assert "pas valide" in text_of(response)


@pytest.mark.parametrize("data, problem", [
    ({"email": "not an address", "school": UAI}, "pas une adresse"),
    ({"email": "", "school": UAI}, "Veuillez écrire une adresse"),
    ({"email": "x@example.org", "school": THIRD_UAI}, "Veuillez choisir l'un de vos établissements"),
    ({"email": "x@example.org", "school": "<b>"}, "Veuillez choisir l'un de vos établissements"),
    ({"email": EMAIL, "school": UAI}, "a déjà un compte"),
])
def test_bad_invitations_are_refused_with_the_address_kept(app, client, three_schools, data,
                                                           problem):
    log_in(client, email=ADMIN_EMAIL)
    response = invite(client, **data)
    assert response.status_code in (400, 409)
    assert problem in text_of(response) or problem in response.get_data(as_text=True)
    if data["email"]:
        assert f'value="{data["email"]}"' in response.get_data(as_text=True).replace(
            "&lt;", "<")
    assert rows(app, Invitation) == []


def test_only_admins_and_head_referents_manage_accounts(app, client, three_schools):
    log_in(client)  # a referent who is not the head
    assert client.get(ACCOUNTS["fr"]).status_code == 404
    assert invite(client).status_code == 404
    make_head(app)
    assert client.get(ACCOUNTS["fr"]).status_code == 200
    # A head referent invites to their own school only, and cannot name a head.
    assert invite(client, uai=OTHER_UAI).status_code == 400
    assert invite(client, head="y").status_code == 409
    assert rows(app, Invitation) == []


# Deactivation ----------------------------------------------------------------------------


def test_deactivation_ends_the_sessions_at_once_and_happens_once(app, three_schools):
    victim = app.test_client()
    assert log_in(victim).status_code == 303
    assert victim.get(url("dashboard")).status_code == 200
    first, second = app.test_client(), app.test_client()
    add_admin(app, [UAI], email="autre@ac-exemple.fr")
    log_in(first, email=ADMIN_EMAIL)
    log_in(second, email="autre@ac-exemple.fr")
    number = rows(app, Referent, Referent.email == EMAIL)[0].id
    path = ACCOUNTS["fr"] + f"/{number}/desactiver"
    assert first.post(path).status_code == 303
    late = second.post(path)
    assert late.status_code == 409 and "déjà désactivé" in text_of(late)
    assert victim.get(url("dashboard")).status_code == 303
    # A form typed while being removed is kept on the login page.
    kept = victim.post(url("case", "ABCDEFGHJK"), data={"note": "typed note to keep"})
    assert kept.status_code == 401
    assert log_in(victim).status_code == 401
    assert [entry.detail for entry in rows(app, AuditEntry, AuditEntry.action == "deactivate")] \
        == [str(number)]
    listed = text_of(first.get(ACCOUNTS["fr"]))
    assert "Désactivé" in listed


def test_an_admin_cannot_deactivate_an_account_of_a_school_not_given(app, client,
                                                                     three_schools):
    add_school(app, uai="0130001D", name="Collège du Port", town="Marseille")
    log_in(client, email=ADMIN_EMAIL)
    stranger = rows(app, Referent, Referent.email == "referent-0130001d@example.org")[0]
    assert client.post(ACCOUNTS["fr"] + f"/{stranger.id}/desactiver").status_code == 404
    assert client.post(ACCOUNTS["fr"] + "/999999/desactiver").status_code == 404
    assert rows(app, Referent, Referent.id == stranger.id)[0].active


# Passwords -------------------------------------------------------------------------------


def test_changing_the_password_ends_the_other_sessions_only(app, school):
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here)
    log_in(elsewhere)
    wrong = here.post(MINE["fr"] + "/mot-de-passe", data={
        "current": "not my password", "password": "a new long passphrase",
        "confirm": "a new long passphrase"})
    assert wrong.status_code == 400 and "pas le bon" in text_of(wrong)
    done = here.post(MINE["fr"] + "/mot-de-passe", data={
        "current": PASSWORD, "password": "a new long passphrase",
        "confirm": "a new long passphrase"})
    assert done.status_code == 303
    assert here.get(url("dashboard")).status_code == 200
    assert elsewhere.get(url("dashboard")).status_code == 303
    assert log_in(elsewhere, password="a new long passphrase").status_code == 303


# Two-factor login ------------------------------------------------------------------------


def enrol(client, lang="fr") -> tuple[str, list[str]]:
    page = client.get(MINE[lang] + ("/double-authentification" if lang == "fr"
                                    else "/two-factor")).get_data(as_text=True)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0]
    secret = re.search(r"<code>([A-Z2-7]{4}(?: [A-Z2-7]{4}){7})</code>", page).group(1)
    secret = secret.replace(" ", "")
    path = MINE[lang] + ("/double-authentification" if lang == "fr" else "/two-factor")
    assert client.post(path, data={"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                   else "111111"}).status_code == 400
    done = client.post(path, data={"code": pyotp.TOTP(secret).at(clock.utcnow().replace(
        tzinfo=datetime.UTC))})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]{19})</code></li>", done.get_data(as_text=True))
    return secret, codes


def code_at(secret: str, moment: datetime.datetime) -> str:
    return pyotp.TOTP(secret).at(moment.replace(tzinfo=datetime.UTC))


def test_two_factor_enrolment_then_login_with_a_code_once(app, client, school):
    clock.set(datetime.datetime(2026, 12, 1, 9, 0, 0))
    log_in(client)
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = rows(app, Referent)[0]
    assert stored.totp_secret and secret.encode() not in stored.totp_secret  # encrypted
    assert all(code.replace("-", "") not in row.digest for row in rows(app, RecoveryCode)
               for code in codes)
    client.post(url("logout"))
    clock.set(datetime.datetime(2026, 12, 1, 9, 5, 0))
    first = log_in(client)
    assert first.status_code == 303 and first.headers["Location"].startswith(CODE_STEP["fr"])
    assert client.get(url("dashboard")).status_code == 303  # the password alone opens nothing
    wrong = client.post(CODE_STEP["fr"], data={"code": "123456" if code_at(
        secret, clock.utcnow()) != "123456" else "654321"})
    assert wrong.status_code == 401 and "pas le bon" in text_of(wrong)
    right = code_at(secret, clock.utcnow())
    assert client.post(CODE_STEP["fr"], data={"code": right}).status_code == 303
    assert client.get(url("dashboard")).status_code == 200
    # The same code does not work twice, even right away on another device.
    other = app.test_client()
    log_in(other)
    assert other.post(CODE_STEP["fr"], data={"code": right}).status_code == 401
    actions = [entry.action for entry in rows(app, AuditEntry)]
    assert actions.count("code_failed") == 2 and "2fa_on" in actions


def test_a_recovery_code_logs_in_once(app, client, school):
    clock.set(datetime.datetime(2026, 12, 1, 9, 0, 0))
    log_in(client)
    _secret, codes = enrol(client)
    client.post(url("logout"))
    log_in(client)
    assert client.post(CODE_STEP["fr"], data={"code": codes[3].upper()}).status_code == 303
    client.post(url("logout"))
    log_in(client)
    assert client.post(CODE_STEP["fr"], data={"code": codes[3]}).status_code == 401
    assert client.post(CODE_STEP["fr"], data={"code": codes[4]}).status_code == 303
    assert "Codes de secours restants : 8." in text_of(client.get(MINE["fr"]))


def test_the_second_step_waits_five_minutes_only(app, client, school):
    clock.set(datetime.datetime(2026, 12, 1, 9, 0, 0))
    log_in(client)
    secret, _codes = enrol(client)
    client.post(url("logout"))
    log_in(client)
    clock.set(datetime.datetime(2026, 12, 1, 9, 5, 1))
    late = client.post(CODE_STEP["fr"], data={"code": code_at(secret, clock.utcnow())})
    assert late.status_code == 401 and "cinq minutes" in text_of(late)
    assert client.get(url("dashboard")).status_code == 303


def test_wrong_codes_are_limited_like_wrong_passwords(app_config, school):
    strict = create_app({**app_config, "RATELIMIT_ENABLED": True,
                         "RATELIMIT_STORAGE_URI": "memory://", "STAFF_LOGIN_EMAIL_LIMIT": "3 per hour"})
    client = strict.test_client()
    clock.set(datetime.datetime(2026, 12, 1, 9, 0, 0))
    log_in(client)
    secret, _codes = enrol(client)
    client.post(url("logout"))
    log_in(client)
    wrong = "123456" if code_at(secret, clock.utcnow()) != "123456" else "654321"
    for _ in range(3):
        assert client.post(CODE_STEP["fr"], data={"code": wrong}).status_code == 401
    blocked = client.post(CODE_STEP["fr"], data={"code": code_at(secret, clock.utcnow())})
    assert blocked.status_code == 429 and "Trop de tentatives" in text_of(blocked)
    strict.extensions["pont_engine"].dispose()


def test_required_two_factor_login_opens_nothing_before_enrolment(app_config, school):
    required = create_app({**app_config, "STAFF_REQUIRE_2FA": True})
    client = required.test_client()
    code = new_report(client)
    assert log_in(client).status_code == 303
    for address in (url("dashboard"), url("case", code), STATS["fr"], MINE["fr"]):
        response = client.get(address)
        assert response.status_code == 303, address
        assert response.headers["Location"] == MINE["fr"] + "/double-authentification"
    clock.set(datetime.datetime(2026, 12, 1, 9, 0, 0))
    enrol(client)
    assert client.get(url("case", code)).status_code == 200
    required.extensions["pont_engine"].dispose()


def test_two_factor_login_can_be_turned_off_with_the_password(app, client, school):
    clock.set(datetime.datetime(2026, 12, 1, 9, 0, 0))
    log_in(client)
    enrol(client)
    path = MINE["fr"] + "/double-authentification/desactiver"
    assert client.post(path, data={"off-current": "wrong"}).status_code == 400
    assert client.post(path, data={"off-current": PASSWORD}).status_code == 303
    assert rows(app, Referent)[0].totp_secret is None and rows(app, RecoveryCode) == []
    client.post(url("logout"))
    assert log_in(client).headers["Location"] == url("dashboard")


# The command line ------------------------------------------------------------------------


def test_create_admin_gives_schools_and_refuses_an_unknown_one(app, runner, three_schools):
    bad = runner.invoke(args=["staff", "create-admin", "equipe@ac-exemple.fr",
                              "--school", UAI, "--school", "0999999Z",
                              "--password", "a long admin passphrase"])
    assert bad.exit_code != 0 and "0999999Z" in bad.output
    assert rows(app, Referent, Referent.email == "equipe@ac-exemple.fr") == []
    good = runner.invoke(args=["staff", "create-admin", "Equipe@ac-exemple.fr",
                               "--school", UAI, "--school", THIRD_UAI.lower(),
                               "--password", "a long admin passphrase"])
    assert good.exit_code == 0, good.output
    admin = rows(app, Referent, Referent.email == "equipe@ac-exemple.fr")[0]
    assert admin.role == ADMIN and admin.school_id is None
    client = app.test_client()
    assert log_in(client, email="equipe@ac-exemple.fr",
                  password="a long admin passphrase").status_code == 303
    assert "École Jean Macé" in text_of(client.get(MINE["fr"]))
    taken = runner.invoke(args=["staff", "create-admin", EMAIL, "--school", UAI,
                                "--password", "a long admin passphrase"])
    assert taken.exit_code != 0 and "already a referent" in taken.output


def test_a_school_with_only_an_admin_can_receive_reports(app, client):
    add_school(app, referent=False)
    refused = client.get(f"/fr/signaler/{UAI}")
    add_admin(app, [UAI])
    accepted = client.get(f"/fr/signaler/{UAI}")
    assert refused.get_data(as_text=True) != accepted.get_data(as_text=True)
    assert new_report(client, files=[("a.png", png())])


def test_admins_get_the_reminders_and_the_alerts_of_a_school_without_referent(app, client,
                                                                              three_schools):
    start = datetime.datetime(2026, 12, 1, 8, 0)
    clock.set(start)
    report_at(client, UAI)
    assert [mail.recipient for mail in rows(app, OutboxMessage)] == [EMAIL]
    clock.set(start + datetime.timedelta(hours=49))
    result = app.test_cli_runner().invoke(args=["staff", "remind"])
    assert result.exit_code == 0, result.output
    reminded = [mail.recipient for mail in rows(app, OutboxMessage, OutboxMessage.kind ==
                                                "reminder")]
    assert reminded == [EMAIL, ADMIN_EMAIL]
    add_school(app, uai="0130001D", name="Collège du Port", town="Marseille", referent=False)
    add_admin(app, ["0130001D"], email="sud@ac-exemple.fr")
    report_at(client, "0130001D")
    alerted = rows(app, OutboxMessage, OutboxMessage.kind == "report_alert")
    assert [mail.recipient for mail in alerted][-1:] == ["sud@ac-exemple.fr"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_account_page_needs_a_login(app, client, school, lang):
    number = rows(app, Referent)[0].id
    pages = [MINE[lang], ACCOUNTS[lang], STATS[lang], STATS[lang] + ".csv",
             MINE[lang] + ("/double-authentification" if lang == "fr" else "/two-factor")]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 303, address
        assert "?next=" in response.headers["Location"], address
    posts = [MINE[lang] + ("/mot-de-passe" if lang == "fr" else "/password"),
             ACCOUNTS[lang] + ("/inviter" if lang == "fr" else "/invite"),
             ACCOUNTS[lang] + (f"/{number}/desactiver" if lang == "fr"
                               else f"/{number}/deactivate")]
    for address in posts:
        assert client.post(address, data={"email": "x@example.org"}).status_code == 401, address
    assert rows(app, Referent)[0].active and rows(app, Invitation) == []
    # Without a pending password, the code step sends back to the login page.
    assert client.post(CODE_STEP[lang], data={"code": "123456"}).status_code == 401
