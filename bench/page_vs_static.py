"""Serving a module page against serving the same bytes as a static file, in one run.

Starts gunicorn (2 workers) on a free loopback port, then loads both URLs with `wrk`
(apt-get install wrk) in alternating rounds and prints requests per second and the ratio.
Usage: .venv/bin/python bench/page_vs_static.py [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import urllib.request

from server import gunicorn


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
    with gunicorn() as (base, work):
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


if __name__ == "__main__":
    main()
