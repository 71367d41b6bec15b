"""In CI (CI=true) a missing PostgreSQL fails the PostgreSQL leg instead of skipping it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:9/postgres"


def run_postgres_leg(ci: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": ci, "PONT_TEST_DATABASE": "postgresql",
           "PONT_TEST_POSTGRES_URL": NOWHERE}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_health.py::test_healthz_and_readyz_answer_json_without_cookies"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_postgres_leg_fails_in_ci_and_skips_elsewhere():
    in_ci, at_home = run_postgres_leg("true"), run_postgres_leg("")
    assert in_ci.returncode != 0 and "fails in CI" in in_ci.stdout + in_ci.stderr
    assert at_home.returncode == 0 and "is skipped" in at_home.stdout + at_home.stderr
