"""Production mode (`PONT_ENV=production`): refuse to start half-configured, and harden HTTP.

A production process needs its keys and its database from the environment, so that every
process shares them and none is ever written into the instance folder; it sends only
`Secure` cookies and HSTS, and it builds absolute URLs from `PONT_PUBLIC_URL`, never from a
request's `Host` or `X-Forwarded-Host`.
"""

from __future__ import annotations

import fcntl
import os
from urllib.parse import urlsplit

from flask import Flask, Response
from sqlalchemy.engine import make_url

# Setting name in app.config -> what the operator sets.
REQUIRED = {
    "SECRET_KEY": "PONT_SECRET_KEY",
    "REPORT_KEYS": "PONT_REPORT_KEYS",
    "DATABASE_URL": "DATABASE_URL",
    "PUBLIC_URL": "PONT_PUBLIC_URL",
}
HSTS = "max-age=63072000; includeSubDomains"


class ProductionConfigError(RuntimeError):
    """Production mode lacks a setting it needs: the process stops, saying which."""


def is_production(app: Flask) -> bool:
    return str(app.config["ENV"]).lower() == "production"


def init_app(app: Flask) -> None:
    if not is_production(app):
        return
    missing = [variable for name, variable in REQUIRED.items() if not app.config.get(name)]
    if missing:
        raise ProductionConfigError(
            "PONT_ENV=production needs " + ", ".join(missing) + " in the environment "
            "(see the README's deployment guide); nothing was started and nothing written.")
    public = urlsplit(app.config["PUBLIC_URL"])
    if public.scheme not in ("http", "https") or not public.netloc:
        raise ProductionConfigError(
            f"PONT_PUBLIC_URL must be an address such as https://pont.example.fr, "
            f"not {app.config['PUBLIC_URL']!r}")
    hold_sqlite(app, app.config["DATABASE_URL"])
    app.config.update(SESSION_COOKIE_SECURE=True, PREFERRED_URL_SCHEME=public.scheme)
    app.wsgi_app = PublicAddress(app.wsgi_app, public.scheme, public.netloc)

    @app.after_request
    def harden(response: Response) -> Response:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
        cookies = response.headers.getlist("Set-Cookie")
        if cookies:
            response.headers.setlist("Set-Cookie", [
                cookie if "secure" in cookie.lower().split("; ") else cookie + "; Secure"
                for cookie in cookies])
        return response


def hold_sqlite(app: Flask, url: str) -> None:
    """SQLite is for one process: hold a lock on the database for this process's lifetime,
    so that a second process (another gunicorn worker) refuses to start instead of sharing
    it."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    if not parsed.database or parsed.database == ":memory:":
        raise ProductionConfigError("PONT_ENV=production needs a database file or PostgreSQL, "
                                    "not an in-memory SQLite database")
    descriptor = os.open(parsed.database + ".process-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise ProductionConfigError(
            f"another process already uses the SQLite database {parsed.database}: with several "
            "processes (gunicorn -w 2 or more), use PostgreSQL (DATABASE_URL)") from None
    app.extensions["pont_sqlite_lock"] = descriptor


class PublicAddress:
    """Every request is seen as addressed to the public URL, whatever Host it carried."""

    def __init__(self, wsgi_app, scheme: str, netloc: str):
        self.wsgi_app, self.scheme, self.netloc = wsgi_app, scheme, netloc

    def __call__(self, environ, start_response):
        environ["HTTP_HOST"] = self.netloc
        environ["wsgi.url_scheme"] = self.scheme
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        return self.wsgi_app(environ, start_response)
