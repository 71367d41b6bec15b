"""Health checks and the request log."""

from __future__ import annotations

import logging

import pytest

from pont import create_app
from pont.extensions import limiter

DOWN = "postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2"


def test_healthz_and_readyz_answer_json_without_cookies(client):
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json["status"] == "ok"
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/readyz").json["checks"] == {"database": True, "migrations": True}


def test_health_checks_are_never_rate_limited(client):
    limiter.enabled = True
    assert {client.get("/readyz").status_code for _ in range(150)} == {200}


@pytest.mark.parametrize("override", [
    {"DATABASE_URL": DOWN, "AUTO_MIGRATE": False},
    {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9", "RATELIMIT_ENABLED": True},
], ids=["database down", "redis down"])
def test_readyz_fails_when_a_dependency_is_down(app_config, override):
    app = create_app({**app_config, **override})
    response = app.test_client().get("/readyz")
    app.extensions["pont_engine"].dispose()
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert False in response.json["checks"].values()
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_sees_a_schema_behind_the_migrations(app_config, tmp_path):
    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    with app.extensions["pont_engine"].begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    response = app.test_client().get("/readyz")
    app.extensions["pont_engine"].dispose()
    assert response.status_code == 503
    assert response.json["checks"] == {"database": True, "migrations": False}


def test_one_log_line_per_request_with_the_route_not_the_path(client, caplog):
    caplog.set_level(logging.INFO, logger="pont.requests")
    client.get("/fr/classe/QWRTPX?token=private-token")
    client.post("/fr/suivi", data={"code": "PRIVATECODE", "secret": "PRIVATESECRET",
                                   "email": "eleve@example.org"})
    lines = [r.getMessage() for r in caplog.records if r.name == "pont.requests"]
    assert len(lines) == 2, lines
    assert lines[0].startswith("GET /fr/classe/<code> ")
    method, route, status, duration = lines[1].split()
    assert (method, route) == ("POST", "/fr/suivi") and status.isdigit()
    assert duration.endswith("ms")
    logged = "\n".join(lines)
    for private in ("QWRTPX", "private-token", "PRIVATECODE", "PRIVATESECRET", "example.org",
                    "127.0.0.1"):
        assert private not in logged


def test_client_address_is_logged_only_when_asked(app, client, caplog):
    caplog.set_level(logging.INFO, logger="pont.requests")
    app.config["LOG_CLIENT_ADDRESS"] = True
    try:
        client.get("/healthz", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    finally:
        app.config["LOG_CLIENT_ADDRESS"] = False
    assert caplog.records[-1].getMessage().endswith("client=192.0.2.7")
