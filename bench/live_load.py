"""Live class sessions under load: N classes of 35 pupils against gunicorn, SQLite and PostgreSQL.

Each class is one teacher and its pupils, simulated like the browsers they use with live.js:
pupils load the join page, join with the code (CSRF token and cookies included), load their
page, poll the state every 3 s with If-None-Match on the page's data-etag, and when the state
changes show the step from the page's templates (`<template data-view="question-3">`: the
answer's own reveal first, then the page's), or fetch the page's live part (`?part=live`)
when there is none, as at the end (backing off after failures, stopping on 403/404/410, as
live.js does); they send each answer in the background after a few seconds of thought and
keep the part it answers with. The teacher starts the session, polls the counts every 2 s,
fetches the screen's live part when they change and moves on every few seconds with buttons
sent the same way.
A probe fetches a static file every 100 ms: the baseline of the same run. Latencies and CPU
are those of the `--seconds` after the ramp-up (classes start over `--ramp` seconds, 30 by
default, and their pupils join in the next 8); the ramp-up's latencies are printed apart, and
errors count over the whole run.

For each number of classes, the Flask poll of before (LIVE_FAST_POLL=0) and the fast path
run one after the other on two servers of the same database (`--polls`). Per run: p50, p95,
p99 and errors per kind of request, the app's CPU per kind (bench/cpu_meter.py), the
server's CPU per pupil-minute, the load generator's own CPU, and the answers the server took
against the counts of each teacher's summary, per class and question.

The load is bounded (duration and classes) and stays on 127.0.0.1. The load generator
shares the machine's cores with the server: compare figures within one run.

Usage:
  .venv/bin/python bench/live_load.py [--classes 25,50,100] [--seconds 60]
      [--engines sqlite,postgresql] [--polls flask,fast] [--workers 2] [--threads 8]
      [--proxy] [--profile FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
POSTGRES_URL = os.environ.get(
    "PONT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PUPILS = 35
POLL, HOST_POLL = 3.0, 2.0  # live.js: a pupil's page polls every 3 s, the teacher's every 2
QUESTION_SECONDS = 14
REVEAL_SECONDS = 5
TIMEOUT = 10.0
JOIN_SECONDS = 8  # a teacher starts the quiz this long after the session
MAX_CLASSES = 250

CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')
QUESTION = re.compile(rb'name="question" value="([^"]+)"')
OPTION = re.compile(rb'name="option" value="([^"]+)"')
VERSION = re.compile(rb'name="version" value="(\d+)"')
# What live.js reads from the page: the state it shows, and whether it stops polling.
PAGE_ETAG = re.compile(rb'data-live [^>]*data-etag="([^"]+)"')
# The steps a pupil's page holds (live.js shows them from the poll), after its live region.
VIEW = re.compile(rb'<template data-view="([a-z]+-\d+)"[^>]*>(.*?)</template>', re.S)
VIEWS = b"<div data-live-views>"
FINISHED_PAGE = re.compile(rb"data-live [^>]*data-finished")
PAGE_STEP = re.compile(rb'data-live [^>]*data-step="([^"]+)"')
# live.js: EVERY, LONGEST, and the statuses after which it reloads the page and stops.
POLL_MAX = 30.0
# What live.js asks for to update a page and sends its forms to: the page's live part
# (`--pages part`); `--pages whole` is the whole page, as before, the baseline.
PART = {"part": "?part=live", "whole": ""}
STOP = (403, 404, 410)
CODE = re.compile(r"/([A-Z0-9]{6})/")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    # (class code, question id) -> answers the server took; per class, answers whose
    # fate is unknown (no response).
    sent: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    unsure: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    codes: list[str] = field(default_factory=list)
    # Latencies count from the end of the ramp-up (every class started, its pupils joined);
    # the ramp-up's own go to `ramp`. Errors count over the whole run.
    since: float = 0.0
    ramp: list[float] = field(default_factory=list)
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {what}")


class Client:
    """One browser: a cookie jar and HTTP/1.1 requests.

    With `keep_alive`, the connection is reused as browsers do (when the server keeps it
    open); otherwise each request opens its own, as behind a reverse proxy.
    """

    keep_alive = False

    def __init__(self, port: int, stats: Stats, address: str = HOST):
        self.port, self.stats, self.cookies, self.address = port, stats, {}, address
        self.connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.busy = asyncio.Lock()  # one request at a time on a kept-alive connection

    async def request(self, kind: str, method: str, path: str, form: dict | None = None,
                      headers: dict | None = None, expect: tuple[int, ...] = (200,)):
        async with self.busy:
            return await self._request(kind, method, path, form, headers, expect)

    async def _request(self, kind, method, path, form, headers, expect):
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}",
                 "Connection: " + ("keep-alive" if self.keep_alive else "close")]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded",
                      f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.monotonic()
        try:
            try:
                head, content = await asyncio.wait_for(self._exchange(raw), TIMEOUT)
            except (ConnectionError, asyncio.IncompleteReadError):
                if not self.connection:  # a fresh connection failed: a real error
                    raise
                # The server closed an idle kept-alive connection: retry on a new one.
                self._close()
                head, content = await asyncio.wait_for(self._exchange(raw), TIMEOUT)
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
            self._close()
            self.stats.error(kind, type(error).__name__)
            return None, {}, b""
        spent = time.monotonic() - started
        (self.stats.latencies[kind] if started >= self.stats.since else self.stats.ramp).append(
            spent)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1]) if status_line else 0
        found = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
            else:
                found[name] = value
        if not self.keep_alive or found.get("connection", "").lower() == "close":
            self._close()
        if status not in expect:
            self.stats.error(kind, f"HTTP {status} for {method} {path}")
        self.stats.statuses[kind][status] += 1
        if status == 429 and not found.get("retry-after", "").isdigit():
            self.stats.error(kind, "429 without Retry-After")
        return status, found, content

    async def _exchange(self, raw: bytes) -> tuple[bytes, bytes]:
        if self.connection is None:
            self.connection = await asyncio.open_connection(
                HOST, self.port, local_addr=(self.address, 0))
        reader, writer = self.connection
        writer.write(raw)
        head = (await reader.readuntil(b"\r\n\r\n"))[:-4]
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if length:
            content = await reader.readexactly(int(length.group(1)))
        elif head.startswith(b"HTTP/1.1 304") or head.startswith(b"HTTP/1.1 204"):
            content = b""
        else:
            content = await reader.read()
            self._close()
        return head, content

    def _close(self) -> None:
        if self.connection is not None:
            self.connection[1].close()
            self.connection = None


def page_etag(page: bytes | None) -> str | None:
    found = PAGE_ETAG.search(page or b"")
    return found.group(1).decode() if found else None


def page_step(page: bytes | None) -> str | None:
    found = PAGE_STEP.search(page or b"")
    return found.group(1).decode() if found else None


def wait_after(failures: int, every: float = POLL) -> float:
    """live.js's schedule(): every 3 s (the teacher's screen 2 s), doubling after each
    failure, at most 30 s."""
    return min(POLL_MAX, every * 2 ** failures) if failures else every


async def pupil(port, stats, code, end, part_query, address=HOST):
    """A pupil's browser running live.js: the page, then its poll and its updates."""
    client = Client(port, stats, address)
    await asyncio.sleep(random.uniform(0, JOIN_SECONDS - 2))  # a class joins in a few seconds
    _, _, page = await client.request("join", "GET", "/fr/classe")
    token = CSRF.search(page or b"")
    if not token:
        return
    status, _, _ = await client.request("join", "POST", "/fr/classe",
                                        {"code": code, "csrf_token": token.group(1).decode()},
                                        expect=(303,))
    if status != 303:
        return
    _, _, page = await client.request("page", "GET", f"/fr/classe/{code}")
    part = f"/fr/classe/{code}{part_query}"  # what live.js fetches and posts to
    answered, tasks = set(), []
    region, _, rest = (page or b"").partition(VIEWS)  # what the page shows now
    views = dict(VIEW.findall(rest))  # and the steps it holds
    now = {"region": region}

    async def answer(page_bytes, question):
        await asyncio.sleep(random.uniform(2, 9))
        options, csrf = OPTION.findall(page_bytes), CSRF.search(page_bytes)
        if options and csrf and time.monotonic() < end:
            form = {"question": question, "option": random.choice(options).decode(),
                    "csrf_token": csrf.group(1).decode()}
            # The live part (200) or, for the whole page, a redirect to it (303); 409 when
            # the teacher moved on while the pupil was thinking, 410 when the session ended
            # meanwhile: the right answers to late pupils.
            status, _, content = await client.request("answer", "POST", part, form,
                                                      expect=(200, 303, 409, 410))
            if status in (200, 303):
                stats.sent[(code, question)] += 1
            if status == 303:
                _, _, content = await client.request("page", "GET", part)
            elif status is None:
                stats.unsure[code] += 1
            if status in (200, 303) and content and now["question"] == question:
                now["region"] = content.partition(VIEWS)[0]  # its reveal holds this answer

    def shown(page_bytes):
        """A step with a question not answered yet: answer it after some thought."""
        question = QUESTION.search(page_bytes or b"")
        now["question"] = question.group(1).decode() if question else None
        if question and question.group(1) not in answered:
            answered.add(question.group(1))
            tasks.append(asyncio.create_task(answer(page_bytes, question.group(1).decode())))

    def from_page(data) -> bool:
        """live.js's show(): the step from a template of the region, then of the page."""
        name = f"{data['phase']}-{data['position']}".encode()
        view = dict(VIEW.findall(now["region"])).get(name) or views.get(name)
        if view is None or data["phase"] not in ("question", "reveal"):
            return False
        now["region"] = view
        shown(view)
        return True

    shown(region)
    etag, failures = page_etag(page), 0
    while etag and not FINISHED_PAGE.search(page or b"") and time.monotonic() < end:
        await asyncio.sleep(wait_after(failures))
        status, _, content = await client.request(
            "poll", "GET", f"/fr/classe/{code}/etat",
            headers={"If-None-Match": f'"{etag}"', "Accept": "application/json"},
            expect=(200, 304, *STOP))
        if status in STOP:
            await client.request("page", "GET", f"/fr/classe/{code}", expect=(200, *STOP))
            break
        if status not in (200, 304):
            failures += 1
            continue
        failures = 0
        data = json.loads(content) if status == 200 else None
        if data and data["etag"] != etag and from_page(data):
            etag = data["etag"]
        elif data and data["etag"] != etag:
            status, _, page = await client.request("page", "GET", part)
            if status != 200:
                failures += 1
                continue
            etag = page_etag(page)
            now["region"] = page.partition(VIEWS)[0]
            shown(now["region"])
    for task in tasks:
        task.cancel()


async def teacher(port, stats, slug, end, start_delay, ready, part_query, address=HOST):
    client = Client(port, stats, address)
    await asyncio.sleep(start_delay)
    start = f"/fr/classe/nouvelle/eleves/{slug}"
    _, _, page = await client.request("teacher", "GET", start)
    token = CSRF.search(page or b"")
    if not token:
        ready.set_result(None)
        return
    status, found, _ = await client.request("teacher", "POST", start,
                                            {"csrf_token": token.group(1).decode()},
                                            expect=(303,))
    if status != 303:
        ready.set_result(None)
        return
    code = CODE.search(found["location"]).group(1)
    host = f"/fr/classe/{code}/animer"
    stats.codes.append(code)
    ready.set_result(code)

    part = host + part_query
    _, _, shown = await client.request("teacher", "GET", host)
    screen = {"page": shown, "etag": None, "step": None}  # what the teacher's screen shows

    def show(page):
        """The screen shows a page (or live part): live.js takes its ETag and step."""
        if page:
            screen.update(page=page, etag=page_etag(page) or screen.get("etag"),
                          step=page_step(page))

    show(screen["page"])

    async def poll_counts():
        """live.js on the teacher's screen: poll the counts, update the screen on a change."""
        failures = 0
        while screen["etag"] and time.monotonic() < end:
            await asyncio.sleep(wait_after(failures, HOST_POLL))
            status, _, content = await client.request(
                "teacher-poll", "GET", host + "/etat",
                headers={"If-None-Match": f'"{screen["etag"]}"', "Accept": "application/json"},
                expect=(200, 304))
            if status not in (200, 304):
                failures += 1
                continue
            failures = 0
            data = json.loads(content) if status == 200 else None
            if not data or data["etag"] == screen["etag"]:
                continue
            if data.get("parts") and data["step"] == screen["step"]:
                screen["etag"] = data["etag"]  # live.js's fill(): the counts came with the poll
                continue
            _, _, page = await client.request("teacher", "GET", part)
            show(page)
            if FINISHED_PAGE.search(page or b""):
                break

    async def act(action):
        """A button of the screen, sent in the background; the screen shows the answer."""
        page = screen["page"]
        version, token = VERSION.search(page or b""), CSRF.search(page or b"")
        if version and token:
            status, _, page = await client.request("teacher", "POST", part, {
                "action": action, "version": version.group(1).decode(),
                "csrf_token": token.group(1).decode()}, expect=(200, 303))
            if status == 303:
                _, _, page = await client.request("teacher", "GET", part)
            show(page)

    poller = asyncio.create_task(poll_counts())
    await asyncio.sleep(JOIN_SECONDS)  # pupils join
    action = "start"
    while time.monotonic() + QUESTION_SECONDS + REVEAL_SECONDS < end:
        await act(action)
        await asyncio.sleep(QUESTION_SECONDS)
        await act("reveal")
        await asyncio.sleep(REVEAL_SECONDS)
        action = "next"
    await act("finish")
    await poller


async def probe(port, stats, end):
    client = Client(port, stats)
    while time.monotonic() < end:
        await client.request("static", "GET", "/static/pont.css")
        await asyncio.sleep(0.1)


async def run_classes(port: int, classes: int, seconds: float, slug: str, part_query: str,
                      snapshot, ramp: float, abuse: bool = False):
    """The classes for `seconds` after the ramp-up (classes start over `ramp` seconds, then
    their pupils join); `snapshot()` is taken at the end of the ramp-up, in a thread."""
    stats = Stats()
    started = time.monotonic()
    stats.since = started + ramp + JOIN_SECONDS
    end = stats.since + seconds
    jobs = [asyncio.create_task(probe(port, stats, end))]

    async def at_ramp_end():
        await asyncio.sleep(stats.since - time.monotonic())
        return await asyncio.to_thread(snapshot)

    before = asyncio.create_task(at_ramp_end())
    for n in range(classes):
        ready = asyncio.get_running_loop().create_future()
        jobs.append(asyncio.create_task(
            teacher(port, stats, slug, end, ramp * n / max(classes, 1), ready, part_query,
                    school(n))))
        jobs.append(asyncio.create_task(class_pupils(port, stats, ready, end, part_query,
                                                     school(n))))
    if abuse:
        jobs.append(asyncio.create_task(misuse(port, stats, slug, stats.since + seconds / 3)))
    await asyncio.gather(*jobs)
    return stats, time.monotonic() - stats.since, await before


async def class_pupils(port, stats, ready, end, part_query, address):
    code = await ready
    if code:
        await asyncio.gather(*(pupil(port, stats, code, end, part_query, address)
                               for _ in range(PUPILS)))


def school(n: int) -> str:
    """Each class comes from its school's network: one address of its own (127.0.0.0/8 is
    all loopback), as per-address limits see it."""
    return f"127.1.{n // 250}.{n % 250 + 1}"


# The misuses of `--abuse`, measured apart from the classes' figures.
ABUSE = ("storm", "flood", "double")
STORM, FLOOD_EVERY, FLOOD_SECONDS = 250, 0.05, 10


async def misuse(port, stats, slug, when):
    """A year group of 250 joining in the same second from one network, a modified script
    polling every 50 ms, and a teacher pressing "next" twice at once: each gets its 429 (with
    Retry-After) or 409 while the classes go on."""
    await asyncio.sleep(max(0.0, when - time.monotonic()))
    start = f"/fr/classe/nouvelle/eleves/{slug}"
    teacher = Client(port, stats, "127.2.0.1")
    _, _, page = await teacher.request("double", "GET", start)
    status, found, _ = await teacher.request("double", "POST", start, {
        "csrf_token": CSRF.search(page).group(1).decode()}, expect=(303,))
    code = CODE.search(found["location"]).group(1)
    host = f"/fr/classe/{code}/animer"

    async def press(action):
        page = (await teacher.request("double", "GET", host))[2]
        form = {"action": action, "version": VERSION.search(page).group(1).decode(),
                "csrf_token": CSRF.search(page).group(1).decode()}
        twice = [Client(port, stats, "127.2.0.1") for _ in range(2)]
        for other in twice:
            other.cookies = dict(teacher.cookies)
        return await asyncio.gather(*(other.request("double", "POST", host + "?part=live", form,
                                                    expect=(200, 409)) for other in twice))

    async def join_at_once(n):
        browser = Client(port, stats, "127.2.0.2")
        _, _, page = await browser.request("storm", "GET", "/fr/classe")
        token = CSRF.search(page or b"")
        if token:
            await browser.request("storm", "POST", "/fr/classe", {
                "code": code, "csrf_token": token.group(1).decode()}, expect=(303, 429))
        return browser

    async def flood():
        script = Client(port, stats, "127.2.0.3")
        _, _, page = await script.request("flood", "GET", "/fr/classe")
        await script.request("flood", "POST", "/fr/classe", {
            "code": code, "csrf_token": CSRF.search(page).group(1).decode()}, expect=(303,))
        stop = time.monotonic() + FLOOD_SECONDS
        while time.monotonic() < stop:
            await script.request("flood", "GET", f"/fr/classe/{code}/etat",
                                 headers={"If-None-Match": '"1"'}, expect=(200, 304, 429))
            await asyncio.sleep(FLOOD_EVERY)

    flooding = asyncio.create_task(flood())
    await asyncio.gather(*(join_at_once(n) for n in range(STORM)))
    await press("start")
    await press("next")
    await flooding


async def warm_up(port: int, slug: str) -> None:
    """Let every worker load the content and compile its templates before measuring."""
    stats = Stats()
    clients = [Client(port, stats) for _ in range(8)]
    for path in ("/fr/classe", f"/fr/classe/nouvelle/eleves/{slug}", "/fr/classe/CDF479/etat",
                 "/static/pont.css"):
        await asyncio.gather(*(c.request("warm", "GET", path, expect=(200, 404, 429))
                               for c in clients for _ in range(6)))
    if stats.errors:
        raise SystemExit(f"warm-up failed: {stats.examples}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


KINDS = ("poll", "page", "answer", "join", "teacher", "teacher-poll", "static")


def report(name: str, classes: int, stats: Stats, elapsed: float, cpu: dict) -> dict:
    """One run: latencies and errors per kind, CPU per kind and per pupil-minute, answers."""
    every = [v for kind, values in stats.latencies.items() if kind not in ("static", *ABUSE)
             for v in values]
    pupils = classes * PUPILS
    server_ms = cpu["server"] * 1000
    per_pupil_minute = server_ms / (pupils * elapsed / 60)
    # With PostgreSQL on the same machine, its processes are part of the server's cost.
    with_database = (server_ms + cpu["database"] * 1000) / (pupils * elapsed / 60)
    row = {
        "name": name, "classes": classes, "pupils": pupils, "requests": len(every),
        "rps": len(every) / elapsed, "p50": percentile(every, .5) * 1000,
        "p95": percentile(every, .95) * 1000, "p99": percentile(every, .99) * 1000,
        "errors": sum(stats.errors.values()), "server_cpu": cpu["server"],
        "client_cpu": cpu["client"], "per_pupil_minute": per_pupil_minute,
        "with_database": with_database,
        "answers": check_answers(stats, cpu["counted"]),
    }
    print(f"{name:18} {classes:4d} classes {pupils:5d} pupils | {row['requests']:6d} req "
          f"{row['rps']:7.1f} req/s | p50 {row['p50']:6.1f} p95 {row['p95']:7.1f} "
          f"p99 {row['p99']:7.1f} ms | errors {row['errors']} | load avg "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    print(f"    {'kind':13} {'req':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'errors':>6}"
          f" {'CPU ms/req':>10} {'CPU s':>6}")
    app_total = 0.0
    for kind in KINDS:
        values = stats.latencies.get(kind, [])
        requests, seconds = cpu["kinds"].get(kind, (0, 0.0))
        app_total += seconds
        if not values and not requests:
            continue
        print(f"    {kind:13} {len(values):6d} {percentile(values, .5) * 1000:7.1f}"
              f" {percentile(values, .95) * 1000:7.1f} {percentile(values, .99) * 1000:7.1f}"
              f" {max(values, default=0) * 1000:7.1f} {stats.errors.get(kind, 0):6d}"
              f" {1000 * seconds / requests if requests else 0:10.2f} {seconds:6.1f}")
        row[f"{kind}_p99"] = percentile(values, .99) * 1000
        row[f"{kind}_cpu_ms"] = 1000 * seconds / requests if requests else 0.0
    cores_16 = 16 * 60_000 * 0.7 / (with_database * PUPILS)
    print(f"    server CPU {cpu['server']:.1f} s ({app_total:.1f} s in the app, the rest in "
          f"gunicorn) = {per_pupil_minute:.1f} ms per pupil-minute: 16 cores at 70 % would "
          f"hold about {cores_16:.0f} classes; load generator {cpu['client']:.1f} s; "
          f"PostgreSQL's processes {cpu['database']:.1f} s ({with_database:.1f} ms per "
          f"pupil-minute with them); "
          f"{elapsed:.0f} s")
    ramp_p50, ramp_p99 = (percentile(stats.ramp, share) * 1000 for share in (.5, .99))
    print(f"    ramp-up (not in the figures above): {len(stats.ramp)} requests, p50 "
          f"{ramp_p50:.0f} ms, p99 {ramp_p99:.0f} ms")
    row["ramp_p99"] = ramp_p99
    for kind in ABUSE:
        if stats.statuses.get(kind):
            counts = ", ".join(f"{n} × {status}" for status, n in sorted(
                stats.statuses[kind].items(), key=lambda item: item[0] or 0))
            slowest = percentile(stats.latencies[kind], .99) * 1000
            print(f"    misuse {kind:6}: {counts}; p99 {slowest:.0f} ms")
            row[f"{kind}_statuses"] = dict(stats.statuses[kind])
    print(f"    answers: {row['answers']}")
    for example in stats.examples:
        print("    e.g.", example)
    return row


def check_answers(stats: Stats, counted: dict[tuple[str, str], int]) -> str:
    """The answers the server took, per class and question, against the teacher's summary."""
    wrong = [(key, sent, counted.get(key, 0)) for key, sent in stats.sent.items()
             if counted.get(key, 0) != sent]
    wrong += [(key, 0, n) for key, n in counted.items() if key not in stats.sent and n]
    unsure = sum(stats.unsure.values())
    if wrong:
        print("    ANSWERS DIFFER (class, question, sent, counted):", wrong[:10])
    return (f"{sum(stats.sent.values())} sent = {sum(counted.values())} counted in the "
            f"summaries of {len(stats.codes)} classes" if not wrong else
            f"{len(wrong)} class questions differ") + (
            f" ({unsure} answers without a response)" if unsure else "")


def summaries(app, codes: list[str], slug: str) -> dict[tuple[str, str], int]:
    """What each teacher's summary shows: answers per question (sessions.summary)."""
    from pont.live import sessions

    library = app.extensions["pont_library"]
    found = {}
    with app.extensions["pont_sessionmaker"]() as db:
        for code in codes:
            live = sessions.find(db, code)
            module = library.module(live.lang, live.audience, live.module)
            for question, tally in sessions.summary(db, live, module):
                found[(code, question.id)] = tally.answered
    return found


def app_cpu(port: int, workers: int) -> dict[str, tuple[int, float]]:
    """The app's CPU per kind of request, summed over every worker (bench/cpu_meter.py)."""
    seen: dict[int, dict] = {}
    for _ in range(50 * workers):
        with urllib.request.urlopen(f"http://{HOST}:{port}/__cpu", timeout=60) as response:
            data = json.loads(response.read())
        seen[data["pid"]] = data["kinds"]
        if len(seen) == workers:
            break
    else:
        print(f"    (CPU per kind from {len(seen)} of {workers} workers only)")
    totals: dict[str, tuple[int, float]] = {}
    for kinds in seen.values():
        for kind, (requests, seconds) in kinds.items():
            before = totals.get(kind, (0, 0.0))
            totals[kind] = (before[0] + requests, before[1] + seconds)
    return totals


def difference(after: dict, before: dict) -> dict[str, tuple[int, float]]:
    return {kind: (n - before.get(kind, (0, 0.0))[0], s - before.get(kind, (0, 0.0))[1])
            for kind, (n, s) in after.items()}


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children that are still running (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def database_cpu_seconds() -> float:
    """CPU time used so far by the machine's PostgreSQL processes (0 without any)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        if name == "postgres":
            fields = fields.split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def database(engine: str, work: Path):
    """A throw-away database URL and a function that removes it."""
    if engine == "sqlite":
        return f"sqlite:///{work / 'live-bench.db'}", lambda: None
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"pont_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='{name}'"))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}", drop


def start_server(url: str, work: Path, workers: int, threads: int, content: str,
                 fast_poll: bool = True, limits: str | None = None):
    """gunicorn on a free port; `limits`, a Redis URL: the rate limits on, as in production
    (each class comes from an address of its own), else off."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PONT_SECRET_KEY": "bench",
           "PONT_CONTENT_DIR": content, "PONT_AUTO_MIGRATE": "0",
           "PONT_LIVE_FAST_POLL": "1" if fast_poll else "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "site"), str(ROOT / "bench")]),
           "PONT_RATELIMIT_ENABLED": "1" if limits else "0"}
    if limits:
        import redis

        redis.Redis.from_url(limits).flushdb()  # budgets of an earlier run
        env["REDIS_URL"] = limits
    command = [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers),
               "-b", f"{HOST}:{port}", "--backlog", "4096", "--log-level", "warning",
               "--error-logfile", str(work / "gunicorn.log"), "--chdir", str(ROOT / "site")]
    if threads > 1:
        command += ["-k", "gthread", "--threads", str(threads), "--keep-alive", "5",
                    "--worker-connections", "4000"]
    # The request log (one line per request, as in production) goes to a file.
    with open(work / f"requests-{port}.log", "w") as log:
        server = subprocess.Popen(command + ["cpu_meter:app"], env=env, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/static/pont.css", timeout=1).read()
            return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit(f"gunicorn did not start; see {work / 'gunicorn.log'}") from None
            time.sleep(0.2)


def raise_open_files_limit() -> None:
    """Thousands of simulated browsers hold thousands of sockets at once."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))


NGINX = """
worker_processes 1;
user root;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 16384; }}
http {{
  access_log off;
  proxy_cache_path {work}/cache levels=1:2 keys_zone=live:10m max_size=64m inactive=1m;
  upstream app {{ server {host}:{app_port}; keepalive 64; }}
  server {{
    listen {host}:{port} backlog=4096;
    keepalive_requests 100000;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    location ~ "^/(fr/classe|en/class)/[A-Z0-9]{{6}}/(etat|state)$" {{
      proxy_pass http://app;
      proxy_cache live;
      proxy_cache_key $uri;
      proxy_cache_lock on;
    }}
    location / {{ proxy_pass http://app; }}
  }}
}}
"""


def start_proxy(app_port: int, work: Path):
    """nginx in front of gunicorn, answering the pupils' poll from a one-second cache."""
    port = free_port()
    work.mkdir(exist_ok=True)
    (work / "nginx.conf").write_text(NGINX.format(work=work, host=HOST, app_port=app_port,
                                                  port=port))
    proxy = subprocess.Popen(["nginx", "-p", str(work), "-c", str(work / "nginx.conf"),
                              "-g", "daemon off;"])
    deadline = time.monotonic() + 10
    while True:
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/static/pont.css", timeout=1).read()
            return proxy, port
        except OSError:
            if time.monotonic() > deadline or proxy.poll() is not None:
                proxy.kill()
                raise SystemExit("nginx did not start") from None
            time.sleep(0.1)


def main() -> None:
    raise_open_files_limit()
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--classes", default="25,50,100")
    parser.add_argument("--seconds", type=float, default=60,
                        help="seconds measured, after the ramp-up (latencies shown apart)")
    parser.add_argument("--ramp", type=float, default=30,
                        help="seconds over which the classes start; their pupils join in the "
                             f"next {JOIN_SECONDS}, then the measure starts")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--polls", default="flask,fast",
                        help="which poll to measure, in turn for each number of classes: "
                             "flask (the view, LIVE_FAST_POLL=0: the baseline) and fast")
    parser.add_argument("--pages", default="part",
                        help="what a page's update fetches, in turn: part (the live part, "
                             "as live.js does) and/or whole (the whole page, the baseline)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8,
                        help="more than 1: gthread workers, and browsers keep connections open")
    parser.add_argument("--module", default="cest-quoi-le-cyberharcelement")
    parser.add_argument("--content", default=str(ROOT / "content"),
                        help="content folder (e.g. a copy of the last commit's, while the "
                             "working tree's is being edited)")
    parser.add_argument("--profile", metavar="FILE",
                        help="sample gunicorn with py-spy (pip install py-spy) into "
                             "FILE.<engine>.<poll>, collapsed stacks; bench/profile_kinds.py "
                             "sums them per request kind")
    parser.add_argument("--limits", metavar="REDIS_URL", nargs="?",
                        const="redis://127.0.0.1:6379/14",
                        help="rate limits on, in this Redis database (emptied first), as in "
                             "production; off by default")
    parser.add_argument("--abuse", action="store_true",
                        help="add, a third into the measure, a year group of 250 joining in "
                             "the same second from one network, a script polling every 50 ms "
                             "and a double click on next (implies --limits)")
    parser.add_argument("--proxy", action="store_true",
                        help="put nginx in front (apt-get install nginx-light), the pupils' "
                             "poll cached one second, as the README suggests for production")
    args = parser.parse_args()
    counts = [int(n) for n in args.classes.split(",")]
    if args.abuse and not args.limits:
        args.limits = "redis://127.0.0.1:6379/14"
    polls, pages = args.polls.split(","), args.pages.split(",")
    Client.keep_alive = args.threads > 1
    if max(counts) > MAX_CLASSES or not 5 <= args.seconds <= 600 or not set(polls) <= {
            "flask", "fast"} or not set(pages) <= set(PART):
        raise SystemExit(f"at most {MAX_CLASSES} classes, 5 to 600 seconds per run, "
                         "--polls flask and/or fast, --pages part and/or whole")
    print(f"{os.cpu_count()} cores; {'nginx (1 worker) -> ' if args.proxy else ''}"
          f"gunicorn -w {args.workers}"
          f"{f' gthread --threads {args.threads}' if args.threads > 1 else ' (sync)'}; "
          f"{PUPILS} pupils a class polling every {POLL:.0f} s, teachers every "
          f"{HOST_POLL:.0f} s; {args.seconds:.0f} s measured a run, "
          f"after classes start over {args.ramp:.0f} s and their pupils join; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; latencies in ms; static = a "
          "CSS file fetched every 100 ms during the same run", flush=True)
    sys.path.insert(0, str(ROOT / "site"))
    from pont import create_app

    rows = []
    for engine in args.engines.split(","):
        work = Path(tempfile.mkdtemp(prefix="pont-live-bench-"))
        try:
            url, drop = database(engine, work)
        except Exception as error:  # no PostgreSQL here: say so and go on
            print(f"{engine}: skipped ({type(error).__name__}: {error})")
            continue
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench",  # migrates once
                          "CONTENT_DIR": args.content})
        servers, spies, proxies = {}, [], []
        try:
            for poll in polls:
                server, port = start_server(url, work, args.workers, args.threads,
                                            args.content, fast_poll=poll == "fast",
                                            limits=args.limits)
                servers[poll] = [server, port, port]
                if args.proxy:
                    proxy, servers[poll][1] = start_proxy(port, work / poll)
                    proxies.append(proxy)
                asyncio.run(warm_up(servers[poll][1], args.module))
                if args.profile:
                    spies.append(subprocess.Popen(
                        [str(Path(sys.executable).with_name("py-spy")), "record", "--pid",
                         str(server.pid), "--subprocesses", "--nonblocking", "--gil",
                         "--rate", "100", "--format", "raw",
                         "--output", f"{args.profile}.{engine}.{poll}"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for classes, poll, shown in ((c, p, s) for c in counts for p in polls
                                         for s in pages):
                server, port, app_port = servers[poll]
                name = f"{engine}{'+nginx' if args.proxy else ''} {poll} poll, {shown} pages"

                def snapshot():
                    return (cpu_seconds(server.pid), time.process_time(),  # noqa: B023
                            app_cpu(app_port, args.workers), database_cpu_seconds())  # noqa: B023

                stats, elapsed, before = asyncio.run(run_classes(
                    port, classes, args.seconds, args.module, PART[shown], snapshot,
                    args.ramp, args.abuse))
                server_cpu, own_cpu, kinds_before, db_cpu = before
                cpu = {"server": cpu_seconds(server.pid) - server_cpu,
                       "client": time.process_time() - own_cpu,
                       "database": database_cpu_seconds() - db_cpu,
                       "kinds": difference(app_cpu(app_port, args.workers), kinds_before),
                       "counted": summaries(app, stats.codes, args.module)}
                rows.append(report(name, classes, stats, elapsed, cpu))
        finally:
            for spy in spies:
                spy.send_signal(2)  # py-spy writes its file on SIGINT
                spy.wait(timeout=60)
            for process in [*proxies, *(s[0] for s in servers.values())]:
                process.terminate()
                process.wait(timeout=30)
            app.extensions["pont_engine"].dispose()
            drop()
    print("\n| | classes | req/s | p50 | p95 | p99 | poll p99 | page p99 | answer p99 | "
          "static p99 | errors | CPU ms/poll | CPU ms/page | server CPU ms per pupil-min | "
          "same with PostgreSQL's processes | load generator CPU s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['classes']} | {r['rps']:.0f} | {r['p50']:.0f} | "
              f"{r['p95']:.0f} | {r['p99']:.0f} | {r.get('poll_p99', 0):.0f} | "
              f"{r.get('page_p99', 0):.0f} | {r.get('answer_p99', 0):.0f} | "
              f"{r.get('static_p99', 0):.0f} | {r['errors']} | {r.get('poll_cpu_ms', 0):.2f} | "
              f"{r.get('page_cpu_ms', 0):.2f} | {r['per_pupil_minute']:.0f} | "
              f"{r['with_database']:.0f} | "
              f"{r['client_cpu']:.1f} |")


if __name__ == "__main__":
    main()
