"""The database: an engine built from config, one session per request, Alembic migrations."""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
# The key of the PostgreSQL advisory lock taken while migrating (any constant: "pont").
MIGRATION_LOCK = 0x706F6E74
T = TypeVar("T")


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # A short busy wait instead of "database is locked" when two requests write at once.
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["pont_sessionmaker"]()
    return g.db_session


def rollback_after_failure() -> None:
    """Undo what a request began before the database failed; its connection may be gone."""
    try:
        get_session().rollback()
    except DBAPIError:
        pass  # nothing to undo on a lost connection


def add_unique(db: Session, make: Callable[[], T], tries: int) -> T | None:
    """Add and flush the row `make()` builds, building it again each time it collides with a
    unique value written meanwhile (a code drawn twice, two requests at once); None after
    `tries` collisions. `make` may raise to stop early; the caller commits."""
    for _ in range(tries):
        row = make()
        db.add(row)
        try:
            db.flush()
        except IntegrityError:
            db.rollback()
            continue
        return row
    return None


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply the migrations, one process at a time: the others wait, then find nothing to do."""
    with migration_lock(engine):
        command.upgrade(alembic_config(engine), "heads")


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """An advisory lock on PostgreSQL, a lock on a file next to the database on SQLite."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": MIGRATION_LOCK})
                connection.commit()
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with open(engine.url.database + ".migrate-lock", "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
    else:
        yield


def migrations_current(engine: Engine) -> bool:
    """Whether the database's schema is at the migrations' head (one query)."""
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


@click.group("db")
def db_cli() -> None:
    """Database commands."""


@db_cli.command("upgrade")
def upgrade_command() -> None:
    """Apply all migrations."""
    upgrade(current_app.extensions["pont_engine"])
    click.echo("Database is up to date.")


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'pont.sqlite3'}"
        app.config["DATABASE_URL"] = url
    engine = make_engine(url)
    app.extensions["pont_engine"] = engine
    app.extensions["pont_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)
    if app.config["AUTO_MIGRATE"]:
        upgrade(engine)
