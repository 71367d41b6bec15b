"""The pupils' poll, answered in front of Flask.

Every pupil's page polls every two seconds: 100 classes make 1,750 polls a second, most of
the server's requests. The answer is one indexed read of the session's row, so this layer
gives it without Flask's request context, session cookie, CSRF check or error pages, from a
per-process cache of the encoded JSON keyed by the session's version: every process reads the
version from the database at each poll, so any number of them stay right. Any other request,
and any method but GET and HEAD, goes on to Flask.

It keeps the view's rules (live/views.py `pupil_state`): the same JSON, ETag and
`Cache-Control` (a proxy's one-second cache still works), 404 and 410 in JSON, the budget of
unknown codes per address shared with the live pages (LIVE_UNKNOWN_CODE_LIMIT), and one more
budget per browser (LIVE_POLL_LIMIT) for a script that polls far too often: 429 with
Retry-After, for that browser only. A browser is its live cookie, or its address without one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re
import time
from collections.abc import Callable, Iterable

from flask import Flask
from limits import RateLimitItem, parse_many
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_etags

from .. import production, request_log, security
from ..extensions import limiter
from ..i18n import REGISTRY, site_languages
from . import codes, keys, sessions
from .models import utcnow

ROUTE = "/{class}/<code>/{state}"
# The pupils' poll is the same for every pupil of a session and reads no cookie, so a
# reverse proxy may answer it for a second (see README, Deploying); browsers revalidate.
SHARED_FOR_A_SECOND = "public, max-age=0, s-maxage=1"
UNKNOWN_SCOPE, POLL_SCOPE = "live-unknown-code", "live-poll"
# Sessions whose encoded state a process keeps; past this, it starts again from empty.
CACHE_SIZE = 4096
COOKIE = re.compile(keys.COOKIE + r"=([^;\s]+)")

StartResponse = Callable[[str, list[tuple[str, str]]], object]


class FastPoll:
    def __init__(self, app: Flask, next_app: Callable):
        self.app, self.next_app = app, next_app
        self.routes: dict[str, tuple[str, re.Pattern]] | None = None
        self.cache: dict[str, tuple[int, bytes]] = {}

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
        if method not in ("GET", "HEAD") or not path.endswith(self.endings()):
            return self.next_app(environ, start_response)
        for route, pattern in self.routes.values():
            match = pattern.fullmatch(path)
            if match:
                break
        else:
            return self.next_app(environ, start_response)
        started = time.perf_counter()
        try:
            status, headers, body = self.answer(environ, match.group(1))
        except SQLAlchemyError:  # the database is down: Flask's error page says so (503)
            return self.next_app(environ, start_response)
        start_response(status, headers)
        self.log(environ, route, status, started)
        return [] if method == "HEAD" else [body]

    def endings(self) -> tuple[str, ...]:
        if self.routes is None:  # the app's languages are known once it is configured
            self.routes = {}
            for lang in site_languages(self.app):
                rule = f"/{lang}{REGISTRY[lang].path(ROUTE)}"
                head, _, tail = rule.partition("<code>")
                self.routes[tail] = (rule, re.compile(re.escape(head) + "([^/]+)"
                                                      + re.escape(tail)))
        return tuple(self.routes)

    def answer(self, environ: dict, code: str) -> tuple[str, list[tuple[str, str]], bytes]:
        address = environ.get("REMOTE_ADDR") or "127.0.0.1"
        checked = limiter.enabled and limiter.initialized
        config = self.app.config
        if checked:
            unknown = Budget(UNKNOWN_SCOPE, address, config["LIVE_UNKNOWN_CODE_LIMIT"])
            browser = Budget(POLL_SCOPE, browser_key(environ, address), config["LIVE_POLL_LIMIT"])
            refused = unknown.exhausted() or browser.spend()
            if refused:
                return self.error(429, "too-many", ("Retry-After", str(refused)))
        row = sessions.poll_state(self.app.extensions["pont_engine"],
                                  code) if codes.is_well_formed(code) else None
        if row is None:
            if checked:
                unknown.spend()
            return self.error(404, "unknown")
        version, phase, position, touched_at = row
        idle = datetime.timedelta(hours=float(config["LIVE_IDLE_HOURS"]))
        if touched_at < utcnow() - idle:
            return self.error(410, "expired")
        etag = f'"{version}"'
        headers = [("ETag", etag), ("Cache-Control", SHARED_FOR_A_SECOND), *self.safety()]
        seen = environ.get("HTTP_IF_NONE_MATCH")
        if seen and (seen == etag or str(version) in parse_etags(seen)):
            return "304 NOT MODIFIED", headers, b""
        cached = self.cache.get(code)
        if cached is None or cached[0] != version:
            if len(self.cache) >= CACHE_SIZE:
                self.cache.clear()
            cached = self.cache[code] = (version, encode(
                sessions.pupil_state(version, phase, position)))
        body = cached[1]
        return "200 OK", [("Content-Type", "application/json"),
                          ("Content-Length", str(len(body))), *headers], body

    def error(self, status: int, reason: str, *extra: tuple[str, str]):
        body = encode({"error": reason})
        phrase = {404: "NOT FOUND", 410: "GONE", 429: "TOO MANY REQUESTS"}[status]
        return f"{status} {phrase}", [
            ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"), *extra, *self.safety()], body

    def safety(self) -> list[tuple[str, str]]:
        headers = list(security.HEADERS.items())
        if production.is_production(self.app):
            headers.append(("Strict-Transport-Security", production.HSTS))
        return headers

    def log(self, environ: dict, route: str, status: str, started: float) -> None:
        line = (f"{environ['REQUEST_METHOD']} {route} {status[:3]} "
                f"{(time.perf_counter() - started) * 1000:.1f}ms")
        if self.app.config.get("LOG_CLIENT_ADDRESS"):
            line += f" client={environ.get('REMOTE_ADDR')}"
        request_log.logger.info(line)


class Budget:
    """One of the limiter's budgets, read and spent as Flask-Limiter's decorators do, so that
    the fast path and the live pages spend the same one (same storage, same keys)."""

    def __init__(self, scope: str, key: str, limits: str):
        self.items: list[RateLimitItem] = parse_many(limits)
        self.args = [a for a in (limiter._key_prefix, key, scope) if a]

    def exhausted(self) -> int:
        """0 while every limit has room, else the seconds to wait."""
        return self.wait(lambda item: limiter.limiter.test(item, *self.args))

    def spend(self) -> int:
        return self.wait(lambda item: limiter.limiter.hit(item, *self.args))

    def wait(self, check: Callable[[RateLimitItem], bool]) -> int:
        try:
            for item in self.items:
                if not check(item):
                    reset = limiter.limiter.get_window_stats(item, *self.args).reset_time
                    return max(1, math.ceil(reset - time.time()))
        except Exception:  # the storage is down: go on in memory, as Flask-Limiter does
            if not limiter._in_memory_fallback_enabled or limiter._storage_dead:
                raise
            limiter._storage_dead = True
            return self.wait(check)
        return 0


def browser_key(environ: dict, address: str) -> str:
    """A pupil's browser: the digest of its live cookie (it holds a random token), else its
    address. A forged cookie only buys a new budget; floods are a proxy's job."""
    cookie = COOKIE.search(environ.get("HTTP_COOKIE", ""))
    if cookie is None:
        return address
    return "browser:" + hashlib.sha256(cookie.group(1).encode()).hexdigest()[:32]


def encode(data: dict) -> bytes:
    """As Flask's jsonify outside debug mode: compact, keys sorted, a final newline."""
    return (json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n").encode()


def init_app(app: Flask) -> None:
    """Answer the poll before Flask unless LIVE_FAST_POLL is off (the benchmark's baseline)."""
    if app.config["LIVE_FAST_POLL"]:
        app.wsgi_app = FastPoll(app, app.wsgi_app)
