"""Lighthouse scores (performance, accessibility, best practices, SEO) for key pages.

Needs Debian's chromium and the npm package: `cd bench && npm install lighthouse@12`.
Starts gunicorn on a free loopback port, audits each page once, prints a table.
Usage: .venv/bin/python bench/lighthouse.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from page_vs_static import HERE, free_port, wait_for

FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync")
PAGES = {
    "home": "/fr/",
    "module (with its quiz)": "/fr/eleves/cest-quoi-le-cyberharcelement",
    "quiz statistics": "/en/pupils/cest-quoi-le-cyberharcelement/statistics",
    "help": "/fr/aide",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main() -> None:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        raise SystemExit("run first: cd bench && npm install lighthouse@12")
    chromium = shutil.which("chromium")
    if not chromium:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    work = Path(tempfile.mkdtemp(prefix="pont-lh-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'lh.db'}",
           "PONT_SECRET_KEY": "bench", "BENCH_STATIC_DIR": str(work), "PONT_PUBLIC_URL": base}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", "2", "-b", f"127.0.0.1:{port}",
         "--chdir", str(HERE), "--log-level", "warning", "wsgi_static:app"], env=env)
    try:
        wait_for(base + "/fr/")
        print(f"{'page':28} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        for name, path in PAGES.items():
            out = work / "report.json"
            subprocess.run(
                [str(binary), base + path, f"--chrome-flags={FLAGS}", "--output=json",
                 f"--output-path={out}", "--quiet"],
                env={**os.environ, "CHROME_PATH": chromium}, check=True, timeout=180,
            )
            report = json.loads(out.read_text())
            categories = report["categories"]
            scores = [round(100 * (categories[c]["score"] or 0)) for c in CATEGORIES]
            print(f"{name:28} " + " ".join(f"{s:>14}" for s in scores))
            for category in CATEGORIES:
                for ref in categories[category]["auditRefs"]:
                    audit = report["audits"][ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                        print(f"    {category}: {audit['id']}: {audit['title']}")
                        for item in (audit.get("details") or {}).get("items", [])[:5]:
                            node = item.get("node") or {}
                            print(f"      {node.get('selector', '')} {node.get('snippet', '')[:90]}"
                                  f" {node.get('explanation', '')[:300]}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
