"""The shipped deployment, for real: nginx (deploy/nginx/pont.conf) with a self-signed
certificate in front of gunicorn (deploy/gunicorn.conf.py) in production mode."""

from __future__ import annotations

import http.client
import re
import socket
import ssl

import pytest
from cryptography.fernet import Fernet

from .servers import NGINX, ROOT, free_port, gunicorn, nginx, self_signed_certificate

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed "
                                "(apt-get install nginx-light; .ci/run installs it)")
SITE = ROOT / "deploy" / "nginx" / "pont.conf"


def site_for_test(folder, http_port, https_port) -> str:
    """The shipped site with this machine's ports, folders and certificate."""
    site = SITE.read_text()
    for shipped, here in {
        "listen 80;": f"listen 127.0.0.1:{http_port};", "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/pont.example.fr/": f"{folder}/",
        "unix:/run/pont/gunicorn.sock": f"unix:{folder}/gunicorn.sock",
        "/var/cache/nginx/pont": f"{folder}/cache",
        "/srv/pont/site/pont/static/": f"{ROOT}/site/pont/static/",
    }.items():
        assert shipped in site, shipped
        site = site.replace(shipped, here)
    return site


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deploy")
    certificate, _key = self_signed_certificate(folder)
    http_port, https_port = free_port(), free_port()
    env = {"PONT_ENV": "production", "PONT_SECRET_KEY": "deploy-test-" + "k" * 20,
           "PONT_REPORT_KEYS": Fernet.generate_key().decode(),
           "DATABASE_URL": f"sqlite:///{folder / 'pont.sqlite3'}",
           "PONT_PUBLIC_URL": "https://pont.example.fr", "PONT_PROXY_COUNT": "1",
           "PONT_INSTANCE_PATH": str(folder / "instance")}
    # One worker with one thread: a slow body reaching it would block every other request.
    with gunicorn(f"unix:{folder}/gunicorn.sock", env, "--workers", "1", "--threads", "1") \
            as app_log, nginx(folder, site_for_test(folder, http_port, https_port)) as error_log:
        context = ssl.create_default_context(cafile=str(certificate))
        yield {"https": https_port, "http": http_port, "tls": context, "log": error_log,
               "app_log": app_log, "instance": folder / "instance"}


def get(deployed, path, **headers):
    connection = http.client.HTTPSConnection("127.0.0.1", deployed["https"],
                                             context=deployed["tls"], timeout=20)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def raw(deployed, data: bytes) -> bytes:
    """Send bytes as they are over TLS; the first line of the answer."""
    with socket.create_connection(("127.0.0.1", deployed["https"]), timeout=20) as plain, \
            deployed["tls"].wrap_socket(plain, server_hostname="127.0.0.1") as tls:
        tls.sendall(data)
        return tls.recv(4096).split(b"\r\n", 1)[0]


def test_https_with_hsts_and_secure_cookies(deployed):
    response, body = get(deployed, "/fr/etablissement/connexion")
    assert response.status == 200 and b"<!doctype html>" in body
    assert response.getheader("Strict-Transport-Security").startswith("max-age=")
    cookies = [value for name, value in response.getheaders() if name == "Set-Cookie"]
    assert cookies and all("; Secure" in cookie for cookie in cookies), cookies
    assert not deployed["instance"].exists()  # production writes no key file


def test_plain_http_is_sent_to_https(deployed):
    connection = http.client.HTTPConnection("127.0.0.1", deployed["http"], timeout=20)
    connection.request("GET", "/fr/")
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location").startswith("https://")


def test_static_files_have_fingerprinted_names_and_are_kept_a_year(deployed):
    _response, body = get(deployed, "/fr/")
    links = re.findall(rb'"(/static/[^"]+)"', body)
    assert links
    for link in links:
        assert re.search(rb"\.[0-9a-f]{12}\.\w+$", link), link
        response, content = get(deployed, link.decode())
        assert response.status == 200 and content
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"


def test_a_slow_body_does_not_block_a_normal_request(deployed):
    with socket.create_connection(("127.0.0.1", deployed["https"]), timeout=20) as plain, \
            deployed["tls"].wrap_socket(plain, server_hostname="127.0.0.1") as slow:
        slow.sendall(b"POST /fr/classe HTTP/1.1\r\nHost: pont.example.fr\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 1000\r\n\r\ncode=")
        # The body is far from complete: nginx holds it, the only worker stays free.
        response, _body = get(deployed, "/fr/aide")
        assert response.status == 200


@pytest.mark.parametrize("request_bytes", [
    b"POST /fr/classe HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /fr/etablissement HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /fr/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n",
    b"GET /fr/%ff%fe?q=%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"DELETE /fr/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
], ids=["smuggling", "header too large", "invalid utf-8", "wrong method"])
def test_bad_requests_get_a_clear_4xx(deployed, request_bytes):
    status = raw(deployed, request_bytes)
    assert re.match(rb"HTTP/1\.1 4\d\d ", status), status
    assert "[crit]" not in deployed["log"].read_text()
    assert "Traceback" not in "".join(deployed["app_log"])


def test_the_request_log_names_routes_never_codes(deployed):
    get(deployed, "/fr/classe/CDFHJK")
    log = "".join(deployed["app_log"])
    assert "GET /fr/classe/<code> 404" in log and "CDFHJK" not in log
    assert "127.0.0.1" not in log
