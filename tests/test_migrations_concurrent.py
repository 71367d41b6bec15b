"""Several processes starting at once on a fresh instance, as `gunicorn -w 4` does.

One migrates while the others wait for its lock; all of them start, on one schema, with one
development key. Runs on SQLite by default and on PostgreSQL with PONT_TEST_DATABASE=postgresql.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import pont

from .conftest import ENGINE, _postgres_database

PROCESSES = 4
START = """
import sys
from pont import create_app

sys.stdin.readline()  # every process is imported and waiting: go
app = create_app({"DATABASE_URL": sys.argv[1]})
print(app.config["SECRET_KEY"], flush=True)
"""


@pytest.fixture
def fresh_database(tmp_path):
    if ENGINE == "postgresql":
        url, drop = _postgres_database()
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"


def test_processes_starting_at_once_migrate_once_and_all_start(fresh_database, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(pont.__file__).resolve().parents[1]),
           "PONT_INSTANCE_PATH": str(tmp_path / "instance")}
    processes = [subprocess.Popen([sys.executable, "-c", START, fresh_database], env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for _ in range(PROCESSES)]
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = [process.communicate(timeout=120) for process in processes]
    failures = [err for (_out, err), process in zip(results, processes, strict=True)
                if process.returncode != 0]
    assert failures == [], "\n\n".join(failures)
    assert len({out for out, _err in results}) == 1, "the processes made different keys"
    engine = create_engine(fresh_database)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert len(versions) == 1
