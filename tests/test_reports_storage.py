"""Schools import, referents, encryption at rest, key rotation and the school poster."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text
from werkzeug.security import check_password_hash

from pont import create_app
from pont.reports.crypto import KeyConfigError, Vault, vault
from pont.reports.models import Report, School
from pont.staff.models import Referent

from .reports_helpers import (
    PATHS,
    SAMPLE_CSV,
    SCHOOL_NAME,
    UAI,
    limiter_off_fixture,  # noqa: F401
    png,
    receipt_codes,
    school_fixture,  # noqa: F401
    send,
    text_of,
)


def schools(app) -> dict[str, School]:
    with app.extensions["pont_sessionmaker"]() as session:
        return {school.uai: school for school in session.scalars(select(School))}


# Importing schools ----------------------------------------------------------------------


def test_sample_file_imports_and_reimporting_never_duplicates(app, runner, tmp_path):
    first = runner.invoke(args=["schools", "import", str(SAMPLE_CSV)])
    assert first.exit_code == 0, first.output
    assert "5 added, 0 updated, 0 unchanged" in first.output
    assert schools(app)["0339990E"].name == "Lycée Les Pins, site principal"
    again = runner.invoke(args=["schools", "import", str(SAMPLE_CSV)])
    assert "0 added, 0 updated, 5 unchanged" in again.output
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(SAMPLE_CSV.read_text(encoding="utf-8").replace(
        "Collège des Tilleuls", "Collège des Tilleuls (nouveau nom)"), encoding="utf-8")
    third = runner.invoke(args=["schools", "import", str(renamed)])
    assert "0 added, 1 updated, 4 unchanged" in third.output
    found = schools(app)
    assert len(found) == 5
    assert found["0759990B"].name == "Collège des Tilleuls (nouveau nom)"
    assert "nouveau nom" in found["0759990B"].search_key


def test_directory_style_files_with_semicolons_and_bom_are_understood(app, runner, tmp_path):
    csv_file = tmp_path / "annuaire.csv"
    csv_file.write_text(
        "\ufeffIdentifiant_de_l_etablissement;Nom_etablissement;Type;Nom_commune\n"
        "0699990j;  Collège   Sainte-Thérèse ;Collège;Lyon\n\n",
        encoding="utf-8")
    result = runner.invoke(args=["schools", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    school = schools(app)["0699990J"]
    assert (school.name, school.town) == ("Collège Sainte-Thérèse", "Lyon")


@pytest.mark.parametrize(("content", "problem"), [
    ("uai,name,town\n0759990C,Collège,Paris\n", "line 2: UAI 0759990C has a wrong check letter "
                                                "(expected B)"),
    ("uai,name,town\n75999B,Collège,Paris\n", "line 2: '75999B' is not a UAI"),
    ("uai,name,town\n0759990B,,Paris\n", "line 2: the name is empty"),
    ("uai,name,town\n0759990B,Collège,\n", "line 2: the town is empty"),
    ("uai,name,town\n0759990B,A,Paris\n0759990B,B,Paris\n", "line 3: UAI 0759990B is already "
                                                             "on line 2"),
    ("uai,name\n0759990B,A\n", "line 1: missing column(s) town"),
    ("", "line 1: the file is empty"),
    ("uai,name,town\n0759990B," + "x" * 201 + ",Paris\n", "longer than 200 characters"),
])
def test_a_bad_file_names_each_problem_and_imports_nothing(app, runner, tmp_path, content,
                                                           problem):
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["schools", "import", str(csv_file)])
    assert result.exit_code != 0
    assert problem in result.output
    assert "nothing was imported" in result.output
    assert schools(app) == {}


def test_a_file_that_is_not_utf8_is_refused_clearly(app, runner, tmp_path):
    csv_file = tmp_path / "latin1.csv"
    csv_file.write_bytes("uai,name,town\n0759990B,Collège,Paris\n".encode("latin-1"))
    result = runner.invoke(args=["schools", "import", str(csv_file)])
    assert result.exit_code != 0
    assert "not UTF-8" in result.output
    assert schools(app) == {}


# Referents ------------------------------------------------------------------------------


def test_add_referent_creates_an_account_with_a_hashed_password(app, runner):
    runner.invoke(args=["schools", "import", str(SAMPLE_CSV)])
    result = runner.invoke(args=["staff", "add-referent", "0759990b", "CPE@Example.org",
                                 "--password", "une phrase de passe longue"])
    assert result.exit_code == 0, result.output
    assert "cpe@example.org is now a referent of Collège des Tilleuls" in result.output
    with app.extensions["pont_sessionmaker"]() as session:
        referent = session.scalars(select(Referent)).one()
        assert referent.email == "cpe@example.org"
        assert "une phrase" not in referent.password_hash
        assert check_password_hash(referent.password_hash, "une phrase de passe longue")
    again = runner.invoke(args=["staff", "add-referent", UAI, "cpe@example.org",
                                "--password", "another long passphrase"])
    assert "password changed" in again.output
    with app.extensions["pont_sessionmaker"]() as session:
        assert len(session.scalars(select(Referent)).all()) == 1


@pytest.mark.parametrize(("args", "problem"), [
    (["0759999X", "a@example.org", "--password", "long enough password"], "no school has the UAI"),
    ([UAI, "not-an-email", "--password", "long enough password"], "is not an e-mail address"),
    ([UAI, "a@example.org", "--password", "short"], "at least 12 characters"),
])
def test_add_referent_refuses_bad_input(app, runner, args, problem):
    runner.invoke(args=["schools", "import", str(SAMPLE_CSV)])
    result = runner.invoke(args=["staff", "add-referent", *args])
    assert result.exit_code != 0
    assert problem in result.output


def test_a_referent_belongs_to_one_school(app, runner):
    runner.invoke(args=["schools", "import", str(SAMPLE_CSV)])
    runner.invoke(args=["staff", "add-referent", UAI, "a@example.org", "--password",
                        "long enough password"])
    result = runner.invoke(args=["staff", "add-referent", "0759991C", "a@example.org",
                                 "--password", "long enough password"])
    assert result.exit_code != 0
    assert "already a referent of another school" in result.output


# Encryption at rest ---------------------------------------------------------------------


SECRETS = {
    "description": "Texte très privé numéro 7319",
    "place_detail": "Groupe secret 7319",
    "links": "https://www.exemple.fr/privé-7319",
    "contact_value": "parent.7319@example.org",
    "other_kind": "autre chose 7319",
}


def test_a_database_dump_reveals_no_report_text(app, client, school, database_url):
    response = send(client, "fr", contact="email", kinds=["insults", "other"],
                    files=[("capture.png", png(color=(1, 2, 3)))], **SECRETS)
    code, secret = receipt_codes(response)
    client.post(PATHS["fr"]["add"], content_type="multipart/form-data",
                data={"code": code, "secret": secret, "message": "Ajout privé 7319"})
    dump = []
    with app.extensions["pont_engine"].connect() as connection:
        for table in ("reports", "report_evidence", "report_messages"):
            for row in connection.execute(text(f"SELECT * FROM {table}")):
                dump.append(repr(tuple(row)))
    blob = "\n".join(dump)
    # Each value has a space or an accent: never found by chance inside base64 ciphertext.
    typed = [*SECRETS.values(), "Ajout privé 7319"]
    for value in typed:
        assert value not in blob
    assert "insults" not in blob and "snapchat" not in blob
    assert secret.replace("-", "") not in blob
    if database_url.startswith("sqlite:///"):
        raw = b""
        for path in Path(database_url.removeprefix("sqlite:///")).parent.glob("pont.sqlite3*"):
            raw += path.read_bytes()
        for value in typed:
            assert value.encode() not in raw


def test_the_key_is_generated_once_into_the_instance_folder(tmp_path):
    settings = {"TESTING": True, "SECRET_KEY": "t", "AUTO_MIGRATE": False,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    first = create_app(settings)
    first.instance_path = str(tmp_path)  # not the repository's instance folder
    from pont.reports import crypto

    crypto.init_app(first)
    key_file = tmp_path / "report_keys"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip()
    Fernet(key.encode())  # a valid key
    token = first.extensions["pont_report_vault"].encrypt(b"hello")
    crypto.init_app(first)
    assert key_file.read_text().strip() == key  # not replaced
    assert first.extensions["pont_report_vault"].decrypt(token) == b"hello"
    first.extensions["pont_engine"].dispose()


@pytest.mark.parametrize("keys", ["not-a-key", f"{Fernet.generate_key().decode()},short"])
def test_a_bad_configured_key_stops_the_start_with_a_clear_message(tmp_path, keys):
    with pytest.raises(KeyConfigError, match="not a valid Fernet key"):
        create_app({"TESTING": True, "SECRET_KEY": "t", "AUTO_MIGRATE": False,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "REPORT_KEYS": keys})


def test_key_rotation_reencrypts_everything_with_the_new_key(app_config, school):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = create_app({**app_config, "REPORT_KEYS": old})
    client = before.test_client()
    code, secret = receipt_codes(send(client, "en", contact="phone",
                                      contact_value="+33 6 00 00 00 00",
                                      files=[("s.png", png())]))
    client.post(PATHS["en"]["add"], content_type="multipart/form-data",
                data={"code": code, "secret": secret, "message": "added before rotation"})

    during = create_app({**app_config, "REPORT_KEYS": f"{new}, {old}"})
    result = during.test_cli_runner().invoke(args=["reports", "rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "4 encrypted values now use the first key" in result.output  # answers, contact,
    # screenshot, message

    after = create_app({**app_config, "REPORT_KEYS": new})  # the old key is gone
    page = after.test_client().post(PATHS["en"]["follow"], data={"code": code, "secret": secret})
    assert page.status_code == 200
    assert "added before rotation" in text_of(page)
    with after.app_context(), after.extensions["pont_sessionmaker"]() as session:
        report = session.scalars(select(Report)).one()
        assert vault().decrypt_json(report.contact)["value"] == "+33 6 00 00 00 00"
        assert vault().decrypt(report.evidence[0].data).startswith(b"\x89PNG")
        with pytest.raises(InvalidToken):
            Vault([old]).decrypt(report.answers)
    for each in (before, during, after):
        each.extensions["pont_engine"].dispose()


def test_rotation_stops_clearly_on_a_value_no_key_opens(app_config, school):
    lost = Fernet.generate_key().decode()
    writer = create_app({**app_config, "REPORT_KEYS": lost})
    send(writer.test_client(), "fr")
    other = create_app({**app_config, "REPORT_KEYS": Fernet.generate_key().decode()})
    result = other.test_cli_runner().invoke(args=["reports", "rotate-keys"])
    assert result.exit_code != 0
    assert "opens with none of the configured keys" in result.output
    with writer.app_context(), writer.extensions["pont_sessionmaker"]() as session:
        report = session.scalars(select(Report)).one()
        assert Vault([lost]).decrypt_json(report.answers)["role"] == "target"  # untouched
    for each in (writer, other):
        each.extensions["pont_engine"].dispose()


def test_new_key_prints_a_usable_key(runner):
    result = runner.invoke(args=["reports", "new-key"])
    Fernet(result.output.strip().encode())


# The poster -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_poster_has_the_qr_code_and_the_school_link(app, client, school, lang):
    response = client.get(PATHS[lang]["poster"])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert SCHOOL_NAME in text_of(response)
    assert re.search(r'<img class="poster-qr" src="data:image/svg\+xml[^"]+" [^>]*alt="[^"]+"',
                     page)
    assert f"http://localhost{PATHS[lang]['form']}" in text_of(response)
    assert "3018" in text_of(response)
    assert "data-print" in page


def test_poster_uses_the_public_address_when_configured(app_config, school):
    public = create_app({**app_config, "PUBLIC_URL": "https://pont.example.fr/"})
    page = text_of(public.test_client().get(PATHS["fr"]["poster"]))
    assert f"https://pont.example.fr{PATHS['fr']['form']}" in page
    public.extensions["pont_engine"].dispose()


def test_poster_warns_when_the_school_has_no_referent(app, client):
    from .reports_helpers import add_school

    add_school(app, referent=False)
    assert "no referent yet" in text_of(client.get(PATHS["en"]["poster"]))


def test_the_suite_writes_nothing_into_the_repository(app):
    from pont.config import ROOT

    assert not Path(app.instance_path).resolve().is_relative_to(ROOT)
    with app.app_context():
        vault()  # the development key exists, in the throw-away instance folder
    assert (Path(app.instance_path) / "report_keys").exists()
