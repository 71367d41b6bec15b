"""Default settings. An instance's `config.py` and `PONT_*` environment variables override them."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Defaults:
    """Every setting and its default, in one table (the README's tables are tested against it).

    A setting is read as `app.config["NAME"]`, never with a default of its own.
    """

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
    # Signs cookies; made once into the instance folder when not set (see create_app).
    SECRET_KEY: str | None = None
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
    # With Redis unreachable, limits go on in each process's memory instead of failing pages.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # How many reverse proxies stand in front of the app (0: none). See security.py.
    PROXY_COUNT = 0

    # Live class sessions.
    LIVE_IDLE_HOURS = 4
    LIVE_START_LIMIT = "30 per hour"
    LIVE_JOIN_LIMIT = "120 per minute"
    LIVE_ANSWER_LIMIT = "30 per minute"
    LIVE_UNKNOWN_CODE_LIMIT = "30 per minute"
    # Polls per pupil's browser (live.js polls every 3 s): more is a modified script.
    LIVE_POLL_LIMIT = "90 per minute"
    # The pupils' poll is answered in front of Flask (live/fast_poll.py); off only to compare.
    LIVE_FAST_POLL = True
    # How long a process answers the pupils' poll from the state it read (one read per class
    # and process, not per pupil); a step taken elsewhere is seen within this time.
    LIVE_POLL_CACHE_SECONDS = 0.5

    # Reports. Encryption keys, comma-separated, the first one encrypts; without any, one is
    # generated once into the instance folder (see reports/crypto.py).
    REPORT_KEYS = ""
    REPORT_SEND_LIMIT = "20 per hour; 100 per day"
    REPORT_CHECK_LIMIT = "60 per hour"
    REPORT_CODE_LIMIT = "10 per hour; 30 per day"
    REPORT_ADD_LIMIT = "20 per hour; 50 per day"
    REPORT_READ_WITHIN_DAYS = 2
    REPORT_TIMEZONE = "Europe/Paris"

    # School staff. Only staff sessions are permanent: a referent's browser left alone is
    # logged out after this many seconds without a request (each request renews it).
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    # Days a closed case is kept, counted from its closing, before it is deleted.
    CASE_RETENTION_DAYS = 365
    STAFF_LOGIN_LIMIT = "30 per hour"
    STAFF_LOGIN_EMAIL_LIMIT = "10 per hour; 30 per day"
    # Two-factor login (TOTP) for every staff account: asked for at the next login.
    STAFF_REQUIRE_2FA = False
    # How long an invitation link to set a password stays valid.
    STAFF_INVITATION_HOURS = 72
    # A report no referent has opened after this many hours sends them a reminder; sooner
    # when the reporter said someone is (or may be) in danger.
    REPORT_ESCALATE_HOURS = 48
    REPORT_ESCALATE_URGENT_HOURS = 4

    # E-mail alerts. Without a server, they are only written to the log (without content).
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_FROM = "pont@localhost"
    # Seconds to wait for the mail server before trying again later.
    MAIL_TIMEOUT = 10


# Environment variables with a name of their own, and the setting each one sets.
ENVIRONMENT_NAMES = {"DATABASE_URL": "DATABASE_URL", "REDIS_URL": "RATELIMIT_STORAGE_URI"}


def from_environment() -> dict[str, object]:
    """Settings taken from the environment: DATABASE_URL, REDIS_URL and any PONT_<NAME>."""
    values: dict[str, object] = {}
    for variable, name in ENVIRONMENT_NAMES.items():
        if os.environ.get(variable):
            values[name] = os.environ[variable]
    for key, raw in os.environ.items():
        if key.startswith("PONT_"):
            name = key.removeprefix("PONT_")
            values[name] = {"0": False, "false": False, "1": True, "true": True}.get(
                raw.lower(), raw
            )
    return values
