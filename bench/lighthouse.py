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

from server import HERE, gunicorn

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
    with gunicorn() as (base, work):
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


if __name__ == "__main__":
    main()
