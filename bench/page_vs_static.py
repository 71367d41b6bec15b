"""Serving a module page against serving the same bytes as a static file, in one run.

Starts gunicorn (2 workers) on a free loopback port, then loads both URLs with `wrk`
(apt-get install wrk) in alternating rounds and prints requests per second and the ratio.
Usage: .venv/bin/python bench/page_vs_static.py [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def wrk(url: str, seconds: int) -> tuple[float, str]:
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    return rps, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", default="/fr/eleves/cest-quoi-le-cyberharcelement")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="pont-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
           "BENCH_STATIC_DIR": str(work), "PONT_SECRET_KEY": "bench"}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", "2", "-b", f"127.0.0.1:{port}",
         "--chdir", str(HERE), "--log-level", "warning", "wsgi_static:app"], env=env)
    try:
        wait_for(base + args.page)
        body = urllib.request.urlopen(base + args.page).read()
        (work / "page.html").write_bytes(body)
        static = base + "/bench-static/page.html"
        assert urllib.request.urlopen(static).read() == body
        print(f"Module page {args.page}: {len(body)} bytes, gunicorn -w 2, "
              f"wrk -t2 -c16 -d{args.seconds}s, {args.rounds} alternating rounds")
        page_runs, static_runs = [], []
        for _ in range(args.rounds):
            static_runs.append(wrk(static, args.seconds))
            page_runs.append(wrk(base + args.page, args.seconds))
        best_page = max(r for r, _ in page_runs)
        best_static = max(r for r, _ in static_runs)
        for name, runs in (("static file", static_runs), ("module page", page_runs)):
            figures = ", ".join(f"{r:,.0f} req/s (p99 {p})" for r, p in runs)
            print(f"  {name:12} {figures}")
        print(f"  best module page / best static file = {best_page / best_static:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
