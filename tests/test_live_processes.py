"""Two app processes on one database serve one class, as behind a load balancer.

Each "browser" below keeps one cookie jar and sends each request to either process; the
session's state, the pupils' seats and the counts must not depend on which one answers.
Runs on SQLite by default and on PostgreSQL with PONT_TEST_DATABASE=postgresql.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

import pont
from pont.live.models import LiveAnswer, Participant
from pont.quizzes.models import QuestionCount

SERVER = """
import sys
from werkzeug.serving import make_server
from pont import create_app

# Each poll reads the database (LIVE_POLL_CACHE_SECONDS 0), so a step taken on one process is
# seen at once on the other; the half-second cache has its own test (test_live_fast_poll).
app = create_app({"SECRET_KEY": "shared-by-every-process", "DATABASE_URL": sys.argv[1],
                  "RATELIMIT_ENABLED": False, "LIVE_POLL_CACHE_SECONDS": 0})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture
def servers(app, database_url):
    """Two separate server processes (the shared app has already migrated the database)."""
    env = {**os.environ, "PYTHONPATH": str(Path(pont.__file__).resolve().parents[1])}
    processes = [subprocess.Popen([sys.executable, "-c", SERVER, database_url], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                 for _ in range(2)]
    try:
        ports = [process.stdout.readline().strip() for process in processes]
        assert all(ports), "a server process did not start"
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


class Browser:
    """A cookie jar and the pages it last saw; requests go to whichever server is named."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, url, data=None, headers=None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def post_form(self, form_url, action_url, data):
        """Read the CSRF token from a page on one server and post the form to another."""
        _status, page, _ = self.open(form_url)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.open(action_url, {**data, "csrf_token": token})


def count(app, model) -> int:
    with app.extensions["pont_sessionmaker"]() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_two_processes_serve_one_session(app, library, servers):
    a, b = servers
    module = next(m for m in library.audience("fr", "pupils")
                  if m.quiz and not m.quiz.questions[0].multiple)
    first = module.quiz.questions[0]
    right = next(o for o in first.options if o.correct)

    teacher = Browser()
    start = f"/fr/classe/nouvelle/eleves/{module.slug}"
    status, page, _ = teacher.post_form(a + start, b + start, {})
    assert status == 200
    code = re.search(r'data-state-url="/fr/classe/([A-Z0-9]{6})/animer/etat"', page).group(1)
    host = f"/fr/classe/{code}/animer"

    pupils = [Browser() for _ in range(12)]
    for n, pupil in enumerate(pupils):
        one, other = (a, b) if n % 2 else (b, a)
        status, page, _ = pupil.post_form(one + "/fr/classe", other + "/fr/classe",
                                          {"code": code})
        assert status == 200 and "Tu es dans la séance" in page
    assert "12 élèves ont rejoint la séance." in teacher.open(a + host)[1]
    names = {re.search(r'class="pseudonym">([^<]+)<', p.open(a + f"/fr/classe/{code}")[1])
             .group(1) for p in pupils}
    assert len(names) == 12

    status, _page, headers = pupils[0].open(b + f"/fr/classe/{code}/etat")
    etag = headers["ETag"]
    version = re.search(r'name="version" value="(\d+)"', teacher.open(a + host)[1]).group(1)
    assert teacher.post_form(b + host, a + host, {"action": "start", "version": version})[0] == 200
    # The other process sees the new state at once.
    assert pupils[0].open(b + f"/fr/classe/{code}/etat",
                          headers={"If-None-Match": etag})[0] == 200

    # Every pupil answers on one process and sends the same answer again on the other, at once.
    errors: list[BaseException] = []

    def answer(n, pupil):
        try:
            for server in ((a, b) if n % 2 else (b, a)):
                status, _page, _ = pupil.post_form(server + "/fr/classe",
                                                   server + f"/fr/classe/{code}",
                                                   {"question": first.id, "option": right.id})
                assert status == 200
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(n, p)) for n, p in enumerate(pupils)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(app, LiveAnswer) == 12
    for server in (a, b):
        status, body, _ = teacher.open(server + host + "/etat")
        state = json.loads(body)
        assert (state["participants"], state["answered"]) == (12, 12)
        assert state["options"][right.id] == 12

    # A teacher's double click reaching both processes moves on once.
    version = re.search(r'name="version" value="(\d+)"', teacher.open(b + host)[1]).group(1)
    statuses = [teacher.post_form(server + host, server + host,
                                  {"action": "next", "version": version})[0]
                for server in (a, b)]
    assert statuses == [200, 409]  # the second is refused by the other process
    assert "Question 2 sur" in pupils[3].open(a + f"/fr/classe/{code}")[1]
    assert "Question 2 sur" in pupils[4].open(b + f"/fr/classe/{code}")[1]

    # A stranger gets nowhere on either process.
    stranger = Browser()
    for server in (a, b):
        assert stranger.open(server + host)[0] == 403
    assert count(app, Participant) == 12

    # Ending it on both processes at once counts the class's answers once.
    page = teacher.open(a + host)[1]
    finish = {"action": "finish",
              "version": re.search(r'name="version" value="(\d+)"', page).group(1),
              "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)}
    assert [teacher.open(server + host, finish)[0] for server in (b, a)] == [200, 409]
    with app.extensions["pont_sessionmaker"]() as db:
        counts = db.scalar(select(QuestionCount).filter_by(
            audience="pupils", module=module.slug, question=first.id))
        assert (counts.answered, counts.right) == (12, 12)
