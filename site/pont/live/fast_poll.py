"""The pupils' poll, answered in front of Flask.

Every pupil's page polls every three seconds: 100 classes make 1,170 polls a second, most of
the server's requests, and all the pupils of a class ask the same thing. So this layer answers
without Flask's request context, session cookie, CSRF check or error pages, from the session's
row as a process read it less than LIVE_POLL_CACHE_SECONDS ago (half a second: one read per
class and process, not one per pupil), with its JSON encoded once per version. A step taken in
another process is seen within that time; a browser that has already seen a newer version
than the one kept (from another process) makes this one read the database again. Any other
request, and any method but GET and HEAD, goes on to Flask.

Polls are counted, not logged one by one: a line per route and status every minute
(LOG_EVERY), and a line of its own for each 404, 410 and 429, as the request log does.

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
import threading
import time
from collections import Counter
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
# Sessions whose state a process keeps; past this, it starts again from empty.
CACHE_SIZE = 4096
# Seconds between two lines of poll counts in the request log.
LOG_EVERY = 60.0
COOKIE = re.compile(keys.COOKIE + r"=([^;\s]+)")

StartResponse = Callable[[str, list[tuple[str, str]]], object]


class Kept:
    """A session's poll state as this process read it, and its JSON."""

    __slots__ = ("read_at", "version", "expires_at", "etag", "body")

    def __init__(self, read_at: float, row: tuple, idle: datetime.timedelta):
        version, phase, position, touched_at = row
        self.read_at, self.version, self.expires_at = read_at, version, touched_at + idle
        self.etag = f'"{version}"'
        self.body = encode(sessions.pupil_state(version, phase, position))


class FastPoll:
    def __init__(self, app: Flask, next_app: Callable, clock: Callable[[], float] = time.monotonic):
        self.app, self.next_app, self.clock = app, next_app, clock
        self.routes: dict[str, tuple[str, re.Pattern]] | None = None
        self.endings: tuple[str, ...] = ()
        self.kept: dict[str, Kept] = {}
        self.counts: Counter[tuple[str, str]] = Counter()
        self.counted_since = clock()
        self.lock = threading.Lock()
        self.headers: list[tuple[str, str]] = []
        self.fresh_for, self.idle = 0.0, datetime.timedelta()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
        if self.routes is None:  # the app's languages and settings are known by now
            self.configure()
        if method not in ("GET", "HEAD") or not path.endswith(self.endings):
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

    def configure(self) -> None:
        """What every request needs, worked out once from the configured app."""
        routes = {}
        for lang in site_languages(self.app):
            rule = f"/{lang}{REGISTRY[lang].path(ROUTE)}"
            head, _, tail = rule.partition("<code>")
            routes[tail] = (rule, re.compile(re.escape(head) + "([^/]+)" + re.escape(tail)))
        self.endings = tuple(routes)
        self.headers = [("Cache-Control", SHARED_FOR_A_SECOND), *self.safety()]
        self.fresh_for = float(self.app.config["LIVE_POLL_CACHE_SECONDS"])
        self.idle = datetime.timedelta(hours=float(self.app.config["LIVE_IDLE_HOURS"]))
        self.routes = routes

    def state(self, code: str, seen: str | None) -> Kept | None:
        """The session's state, read again when the kept one is too old, or older than what
        the browser has already seen (`If-None-Match`, from another process)."""
        now = self.clock()
        kept = self.kept.get(code)
        if kept is not None and now - kept.read_at < self.fresh_for:
            if not seen or seen == kept.etag or newest(seen) <= kept.version:
                return kept
        row = sessions.poll_state(self.app.extensions["pont_engine"], code)
        if row is None:
            self.kept.pop(code, None)
            return None
        if len(self.kept) >= CACHE_SIZE:
            self.kept.clear()
        kept = self.kept[code] = Kept(now, row, self.idle)
        return kept

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
        seen = environ.get("HTTP_IF_NONE_MATCH")
        kept = self.state(code, seen) if codes.is_well_formed(code) else None
        if kept is None:
            if checked:
                unknown.spend()
            return self.error(404, "unknown")
        if kept.expires_at < utcnow():
            return self.error(410, "expired")
        headers = [("ETag", kept.etag), *self.headers]
        if seen and (seen == kept.etag or str(kept.version) in parse_etags(seen)):
            return "304 NOT MODIFIED", headers, b""
        return "200 OK", [("Content-Type", "application/json"),
                          ("Content-Length", str(len(kept.body))), *headers], kept.body

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
        """A refusal gets its line; answers are counted and said once a minute."""
        if status[0] == "2" or status[0] == "3":
            now = self.clock()
            with self.lock:
                self.counts[(f"{environ['REQUEST_METHOD']} {route}", status[:3])] += 1
                if now - self.counted_since < LOG_EVERY:
                    return
                counts, self.counts, since = self.counts, Counter(), self.counted_since
                self.counted_since = now
            for (request, code), count in sorted(counts.items()):
                request_log.logger.info(f"{request} {code} ×{count} in {now - since:.0f}s")
            return
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


def newest(etags: str) -> int:
    """The highest version among a browser's `If-None-Match` ETags (0 for none)."""
    versions = [int(tag) for tag in parse_etags(etags).as_set() if tag.isdigit()]
    return max(versions, default=0)


def encode(data: dict) -> bytes:
    """As Flask's jsonify outside debug mode: compact, keys sorted, a final newline."""
    return (json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n").encode()


def init_app(app: Flask) -> None:
    """Answer the poll before Flask unless LIVE_FAST_POLL is off (the benchmark's baseline)."""
    if app.config["LIVE_FAST_POLL"]:
        app.wsgi_app = FastPoll(app, app.wsgi_app)
