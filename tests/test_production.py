"""Production mode: refuses to start half-configured, hardens cookies and HTTP."""

from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet

from pont import create_app, keyfiles
from pont.production import ProductionConfigError


def production_config(tmp_path, **overrides):
    return {"ENV": "production", "SECRET_KEY": "s" * 32,
            "REPORT_KEYS": Fernet.generate_key().decode(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'pont.sqlite3'}",
            "PUBLIC_URL": "https://pont.example.fr", **overrides}


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("PONT_INSTANCE_PATH", str(folder))
    return folder


@pytest.mark.parametrize("missing", ["SECRET_KEY", "REPORT_KEYS", "DATABASE_URL", "PUBLIC_URL"])
def test_refuses_to_start_without_a_required_setting(tmp_path, instance, missing):
    config = production_config(tmp_path, **{missing: ""})
    with pytest.raises(ProductionConfigError) as error:
        create_app(config)
    variable = missing if missing == "DATABASE_URL" else f"PONT_{missing}"
    assert variable in str(error.value)
    assert not instance.exists() or list(instance.iterdir()) == []


def test_refuses_a_sqlite_database_shared_by_a_second_process(tmp_path, instance):
    first = create_app(production_config(tmp_path))
    with pytest.raises(ProductionConfigError, match="another process already uses"):
        create_app(production_config(tmp_path))
    first.extensions["pont_engine"].dispose()


def test_writes_no_key_into_the_instance_folder_and_sends_secure_cookies_and_hsts(
        tmp_path, instance):
    app = create_app(production_config(tmp_path, WTF_CSRF_ENABLED=True))
    response = app.test_client().get("/fr/etablissement/connexion",
                                     headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in cookie for cookie in cookies), cookies
    assert not (instance / "secret_key").exists() and not (instance / "report_keys").exists()
    app.extensions["pont_engine"].dispose()


def test_absolute_urls_come_from_the_public_url_never_from_the_request(tmp_path, instance):
    app = create_app(production_config(tmp_path, PROXY_COUNT=1, RATELIMIT_ENABLED=False,
                                       WTF_CSRF_ENABLED=False))
    client = app.test_client()
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example",
              "X-Forwarded-Proto": "https"}
    module = app.extensions["pont_library"].audience("fr", "pupils")[0]
    started = client.post(f"/fr/classe/nouvelle/eleves/{module.slug}", headers=forged)
    assert started.status_code == 303
    host_page = client.get(started.headers["Location"], headers=forged).get_data(as_text=True)
    assert "https://pont.example.fr/fr/classe/" in host_page
    assert "evil.example" not in host_page + started.headers["Location"]
    app.extensions["pont_engine"].dispose()


def test_development_key_files_are_private_from_their_first_byte(tmp_path):
    path = tmp_path / "key"
    assert keyfiles.read_or_create(path, lambda: "first") == "first"
    assert keyfiles.read_or_create(path, lambda: "second") == "first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key"]
