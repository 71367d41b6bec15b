"""Sending reports, as browsers do, against reading the help page, in one run.

Starts gunicorn (2 workers) on a free loopback port with a fresh database, one school and one
referent, rate limits off and CSRF on. Each client thread sends complete reports the way a
browser does: open the form (session cookie and CSRF token), read it again, send it. The
baseline is the same number of threads reading the help page. Prints reports per second,
the time one report takes (p50, p99) and, at the end, how many reports the database holds.
Usage: .venv/bin/python bench/report_send.py [--threads 8] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from cryptography.fernet import Fernet

from server import gunicorn

UAI = "0759990B"
SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "schools.csv"
ANSWERS = {"danger": "no", "role": "witness", "kinds": ["insults", "rumours"],
           "places": ["snapchat"], "since": "weeks", "how_often": "daily", "contact": "none",
           "description": "Un groupe se moque d'une élève tous les soirs. " * 8,
           "links": "https://www.example.com/post/1"}


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "pont", *args],
                   env=env, check=True, capture_output=True)


def field(page: str, name: str) -> str:
    return re.search(rf'name="{name}"(?: type="hidden")? value="([^"]+)"', page).group(1)


def one_report(base: str) -> float:
    started = time.perf_counter()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{base}/fr/signaler/{UAI}").read().decode()
    data = {**ANSWERS, "csrf_token": field(form, "csrf_token")}
    review = opener.open(f"{base}/fr/signaler/{UAI}",
                         urllib.parse.urlencode(data, doseq=True).encode()).read().decode()
    data.update(csrf_token=field(review, "csrf_token"), token=field(review, "token"))
    receipt = opener.open(f"{base}/fr/signaler/{UAI}/envoyer",
                          urllib.parse.urlencode(data, doseq=True).encode()).read().decode()
    assert "data-copy" in receipt, "no receipt"
    return time.perf_counter() - started


def read_help(base: str) -> float:
    started = time.perf_counter()
    urllib.request.urlopen(f"{base}/fr/aide").read()
    return time.perf_counter() - started


def load(action, base: str, threads: int, seconds: float) -> list[float]:
    deadline = time.monotonic() + seconds
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        while time.monotonic() < deadline:
            try:
                elapsed = action(base)
            except Exception as error:  # a failed request is a figure too: count it, go on
                with lock:
                    errors.append(type(error).__name__)
                continue
            with lock:
                timings.append(elapsed)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        print(f"  {len(errors)} failed requests: {sorted(set(errors))}")
    if not timings:
        raise SystemExit("no request succeeded")
    return timings


def summary(name: str, timings: list[float], seconds: float) -> float:
    rate = len(timings) / seconds
    p99 = statistics.quantiles(timings, n=100)[98] if len(timings) > 1 else timings[0]
    print(f"  {name:22} {rate:8.1f}/s   p50 {statistics.median(timings) * 1000:6.0f} ms"
          f"   p99 {p99 * 1000:6.0f} ms   ({len(timings)} in {seconds:.0f} s)")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    settings = {"PONT_REPORT_KEYS": Fernet.generate_key().decode(),
                "PONT_RATELIMIT_ENABLED": "0"}
    with gunicorn(**settings) as (base, work):
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
               "PONT_SECRET_KEY": "bench", **settings}
        flask(env, "schools", "import", str(SAMPLE))
        flask(env, "staff", "add-referent", UAI, f"bench-{uuid.uuid4().hex[:6]}@example.org",
              "--password", "bench passphrase 2026")
        print(f"gunicorn -w 2, SQLite, {args.threads} client threads, {args.seconds:.0f} s each")
        baseline = summary("help page (baseline)",
                           load(read_help, base, args.threads, args.seconds), args.seconds)
        reports = summary("complete reports",
                          load(one_report, base, args.threads, args.seconds), args.seconds)
        print(f"  one complete report costs as much as {baseline / reports:.0f} help pages "
              "(3 requests, PBKDF2, Fernet, one INSERT)")
        count = subprocess.run(
            [sys.executable, "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1])"
             ".execute('select count(*) from reports').fetchone()[0])", str(work / "bench.db")],
            capture_output=True, text=True, check=True).stdout.strip()
        print(f"  reports stored: {count}")


if __name__ == "__main__":
    main()
