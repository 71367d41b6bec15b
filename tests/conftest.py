"""Fixtures: one app per test run on a fresh database, SQLite by default.

`PONT_TEST_DATABASE=postgresql` runs the same tests on PostgreSQL (a throw-away database is
created for the run and dropped after); `PONT_TEST_POSTGRES_URL` says where the server is.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from pont import create_app
from pont.db import Base
from pont.extensions import limiter

POSTGRES_URL = os.environ.get(
    "PONT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ENGINE = os.environ.get("PONT_TEST_DATABASE", "sqlite")


def _postgres_database():
    """Create a database of our own for this run, so parallel runs never collide."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            name = f"pont_test_{uuid.uuid4().hex[:12]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any failure to connect means: no PostgreSQL here
        admin.dispose()
        # On a laptop the leg is skipped; in CI (CI=true) a missing database is a failure.
        in_ci = os.environ.get("CI", "").lower() == "true"
        pytest.exit(f"PostgreSQL is not reachable at {POSTGRES_URL} ({type(error).__name__}): "
                    + ("the PostgreSQL leg fails in CI." if in_ci else
                       "the PostgreSQL leg is skipped."), returncode=1 if in_ci else 0)
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"

    def drop():
        with admin.connect() as connection:
            connection.execute(text(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
            ))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url, drop


@pytest.fixture(scope="session", autouse=True)
def _instance_outside_the_repository(tmp_path_factory):
    """Every app of the run keeps its generated keys in a throw-away instance folder."""
    os.environ["PONT_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if ENGINE == "postgresql":
        url, drop = _postgres_database()
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'pont.sqlite3'}"


@pytest.fixture(scope="session")
def app_config(database_url, tmp_path_factory):
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        # Each poll reads the database: tests see another app's step at once (the cache has
        # its own test, with its own clock).
        "LIVE_POLL_CACHE_SECONDS": 0,
    }


@pytest.fixture(scope="session")
def app(app_config):
    app = create_app(app_config)
    yield app
    app.extensions["pont_engine"].dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Empty every table after each test that used the app."""
    yield
    # Tests sharing a module-scoped data set (marked `keeps_data`) leave it to that fixture.
    if "app" not in request.fixturenames or request.node.get_closest_marker("keeps_data"):
        return
    engine = request.getfixturevalue("app").extensions["pont_engine"]
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _limiter_as_found():
    """One Limiter object serves every app of the run: a test that turns it on must not leak."""
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def library(app):
    return app.extensions["pont_library"]
