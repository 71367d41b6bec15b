"""nginx serving the static export against gunicorn serving the same pages, in one run.

Exports the site (`flask --app pont export`), serves the folder with nginx (Debian's
nginx-light, one worker) and the app with gunicorn (2 workers), then loads the same module
page from each with `wrk` in alternating rounds and prints requests per second and the ratio.
Usage: .venv/bin/python bench/export_vs_app.py [--seconds 5] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from page_vs_static import wrk
from server import free_port, gunicorn

NGINX_CONF = """{user}worker_processes 1;
pid {work}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    gzip on;
    location /static/ {{ add_header Cache-Control "public, max-age=31536000, immutable"; }}
  }}
}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--page", default="/fr/eleves/cest-quoi-le-cyberharcelement")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.which("wrk") or not Path(nginx).exists():
        raise SystemExit("needs wrk and nginx: apt-get install wrk nginx-light")
    with gunicorn() as (base, work):
        export = work / "export"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
               "PONT_SECRET_KEY": "bench", "PONT_INSTANCE_PATH": str(work)}
        subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "pont", "export",
                        str(export), "--public-url", base], env=env, check=True,
                       capture_output=True)
        port = free_port()
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the scratch folder
        (work / "nginx.conf").write_text(NGINX_CONF.format(user=user, work=work, port=port,
                                                           root=export))
        command = [nginx, "-p", str(work), "-c", str(work / "nginx.conf"),
                   "-e", str(work / "nginx-error.log")]
        subprocess.run(command, check=True)
        try:
            static = f"http://127.0.0.1:{port}{args.page}.html"
            app_page = base + args.page
            sizes = [len(urllib.request.urlopen(url).read()) for url in (static, app_page)]
            print(f"Module page {args.page}: export {sizes[0]} bytes, app {sizes[1]} bytes; "
                  f"nginx 1 worker against gunicorn -w 2; wrk -t2 -c16 -d{args.seconds}s, "
                  f"{args.rounds} alternating rounds")
            runs = {"nginx, export": [], "gunicorn, app": []}
            for _ in range(args.rounds):
                runs["nginx, export"].append(wrk(static, args.seconds))
                runs["gunicorn, app"].append(wrk(app_page, args.seconds))
        finally:
            subprocess.run([*command, "-s", "stop"], check=False)
        for name, figures in runs.items():
            print(f"  {name:14} " + ", ".join(f"{r:,.0f} req/s (p99 {p})" for r, p in figures))
        best = {name: max(r for r, _ in figures) for name, figures in runs.items()}
        print(f"  best nginx / best gunicorn = "
              f"{best['nginx, export'] / best['gunicorn, app']:.1f}")


if __name__ == "__main__":
    main()
