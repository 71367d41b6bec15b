"""Real servers for the deployment tests: gunicorn with deploy/'s config, nginx with its site.

Each start returns once the server listens (gunicorn says so on its log; `nginx` returns after
binding its sockets), so no test waits on a clock.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, valid two days, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@contextlib.contextmanager
def gunicorn(bind: str, env: dict[str, str], *args: str) -> Iterator[list[str]]:
    """gunicorn with deploy/gunicorn.conf.py, bound to `bind` (e.g. unix:/path or host:port);
    yields its log, a list of lines that grows while it runs."""
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c",
         str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind", bind, *args],
        env={**os.environ, **env}, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    log = []
    try:
        for line in process.stderr:  # the master binds before the workers load the app
            log.append(line)
            if "Listening at" in line:
                break
        else:
            raise AssertionError("gunicorn did not start:\n" + "".join(log))
        reader = threading.Thread(target=lambda: log.extend(process.stderr), daemon=True)
        reader.start()
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)


def nginx_main_config(folder: Path, site: str) -> Path:
    """A whole nginx.conf around one site, with every path inside `folder`."""
    (folder / "site.conf").write_text(site)
    temp = "\n".join(f"  {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read this folder
    config = folder / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n{temp}\n"
        f"  include {folder / 'site.conf'};\n}}\n")
    return config


@contextlib.contextmanager
def nginx(folder: Path, site: str) -> Iterator[Path]:
    """nginx running `site` (its server blocks); returns once its sockets listen."""
    config = nginx_main_config(folder, site)
    command = [NGINX, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
    subprocess.run(command, check=True, capture_output=True)
    try:
        yield folder / "error.log"
    finally:
        subprocess.run([*command, "-s", "stop"], check=False, capture_output=True)
