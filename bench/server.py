"""Start Pont under gunicorn on a free loopback port, for the benchmarks."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
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


@contextlib.contextmanager
def gunicorn(workers: int = 2, **env: str) -> Iterator[tuple[str, Path]]:
    """Yield (base URL, scratch folder) of a fresh site on SQLite in the scratch folder.

    The app is `wsgi_static:app`: Pont plus a route serving the scratch folder's files.
    """
    work = Path(tempfile.mkdtemp(prefix="pont-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
           "PONT_SECRET_KEY": "bench", "PONT_INSTANCE_PATH": str(work),
           "BENCH_STATIC_DIR": str(work), "PONT_PUBLIC_URL": base, **env}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--chdir", str(HERE), "--log-level", "warning",
         "wsgi_static:app"], env=env)
    try:
        wait_for(base + "/fr/")
        yield base, work
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
