"""Default settings. An instance's `config.py` and `PONT_*` environment variables override them."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Defaults:
    # "production" (PONT_ENV) requires keys, database and public URL from the environment and
    # hardens HTTP: see production.py.
    ENV = "development"
    # Request log lines carry the client's address only when this is on (PONT_LOG_CLIENT_ADDRESS).
    LOG_CLIENT_ADDRESS = False
    CONTENT_DIR = str(ROOT / "content")
    # Days after which `content check` warns that a dated fact ({checked 2026-11}) is due.
    CONTENT_RECHECK_DAYS = 180
    TRANSLATIONS_DIR = str(ROOT / "translations")
    # SQLite in the instance folder unless DATABASE_URL says otherwise (see create_app).
    DATABASE_URL: str | None = None
    AUTO_MIGRATE = True
    # The languages the site serves, in order; each one is an entry of i18n.REGISTRY.
    LANGUAGES = ("fr", "en")
    DEFAULT_LANGUAGE = "fr"
    # Where the quick-exit button sends a visitor: a neutral, everyday page.
    QUICK_EXIT_URL = "https://www.google.com/"
    # The site's public address (e.g. "https://pont.example.fr"), for absolute links to each
    # language version; pages are cached per path, so it is never taken from the Host header.
    PUBLIC_URL = ""
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 200 * 1024
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    RATELIMIT_STORAGE_URI = "memory://"
    # How many reverse proxies stand in front of the app (0: none). See security.py.
    PROXY_COUNT = 0
    RATELIMIT_HEADERS_ENABLED = True
    # Only staff sessions are permanent: a referent's browser left alone is logged out after
    # this many seconds without a request (each request renews it).
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    # Days a closed case is kept, counted from its closing, before it is deleted.
    CASE_RETENTION_DAYS = 365


def from_environment() -> dict[str, object]:
    """Settings taken from the environment: DATABASE_URL, REDIS_URL and any PONT_<NAME>."""
    values: dict[str, object] = {}
    if os.environ.get("DATABASE_URL"):
        values["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if os.environ.get("REDIS_URL"):
        values["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    for key, raw in os.environ.items():
        if key.startswith("PONT_"):
            name = key.removeprefix("PONT_")
            values[name] = {"0": False, "false": False, "1": True, "true": True}.get(
                raw.lower(), raw
            )
    return values
