"""The pupils' poll answered in front of Flask (live/fast_poll.py): the same answers as the
view, state read from the database at every poll, and the same limits."""

from __future__ import annotations

import logging

import pytest

from pont import create_app
from pont.live.fast_poll import FastPoll
from tests.test_live import age, join, module, start, step  # noqa: F401 (a fixture)


@pytest.fixture
def make_app(app_config):
    """More apps on the shared database, as other processes would be."""
    made = []

    def make(**config):
        made.append(create_app({**app_config, "AUTO_MIGRATE": False, **config}))
        return made[-1]

    yield make
    for other in made:
        other.extensions["pont_engine"].dispose()


def answered(response) -> tuple:
    return (response.status_code, response.get_data(),
            sorted((k, v) for k, v in response.headers.items() if k != "Date"))


def test_the_fast_path_answers_as_the_view_does_without_reaching_flask(app, make_app, module):
    fast, slow = make_app(), make_app(LIVE_FAST_POLL=False)
    assert isinstance(fast.wsgi_app, FastPoll) and not isinstance(slow.wsgi_app, FastPoll)
    reached = []
    fast.before_request(lambda: reached.append(1))
    teacher = app.test_client()
    code = start(teacher, module)
    join(app.test_client(), code)
    requests = [("GET", f"/fr/classe/{code}/etat", {}), ("HEAD", f"/en/class/{code}/state", {}),
                ("GET", f"/fr/classe/{code}/etat", {"If-None-Match": '"1"'}),
                ("GET", f"/en/class/{code}/state", {"If-None-Match": 'W/"1", "7"'}),
                ("GET", "/fr/classe/CDF479/etat", {}), ("GET", "/fr/classe/nope/etat", {})]

    def compare():
        for method, url, headers in requests:
            got = answered(fast.test_client().open(url, method=method, headers=headers))
            assert got == answered(slow.test_client().open(url, method=method, headers=headers))
        return got

    compare()
    step(teacher, code, "start")
    compare()
    step(teacher, code, "reveal")
    state = fast.test_client().get(f"/fr/classe/{code}/etat")
    assert (state.json["phase"], state.json["position"], state.headers["ETag"]) == (
        "reveal", 0, '"3"')
    compare()
    age(app, code, hours=5)
    compare()
    assert fast.test_client().get(f"/fr/classe/{code}/etat").json == {"error": "expired"}
    assert reached == []
    # Everything else still goes to Flask.
    assert fast.test_client().post(f"/fr/classe/{code}/etat").status_code == 405
    assert fast.test_client().get(f"/fr/classe/{code}").status_code == 410
    assert len(reached) == 2


def test_a_change_made_by_another_process_is_seen_by_the_next_poll(app, make_app, module):
    first, second = make_app(), make_app()
    teacher = second.test_client()
    code = start(teacher, module)
    pupil = first.test_client()
    join(pupil, code)
    url = f"/fr/classe/{code}/etat"
    lobby = pupil.get(url)
    etag = lobby.headers["ETag"]
    assert pupil.get(url, headers={"If-None-Match": etag}).status_code == 304
    step(teacher, code, "start")  # on the other app, with its own cache
    changed = pupil.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["phase"] == "question"
    step(teacher, code, "next")
    assert pupil.get(url).json["position"] == 1
    assert second.test_client().get(url).json == pupil.get(url).json


@pytest.fixture
def limited(make_app):
    return make_app(RATELIMIT_ENABLED=True, LIVE_UNKNOWN_CODE_LIMIT="3 per minute",
                    LIVE_POLL_LIMIT="5 per minute")


def test_unknown_codes_on_the_fast_path_spend_the_pages_budget(app, limited, module):
    code = start(app.test_client(), module)
    prober = limited.test_client()
    prober.environ_base["REMOTE_ADDR"] = "10.0.1.8"
    tried = [prober.get("/fr/classe/CDF479/etat").status_code,
             prober.get("/fr/classe/CDF47C").status_code,
             prober.get("/en/class/nope/state").status_code]
    assert tried == [404, 404, 404]
    # Spent: no code can be told from another any more, right ones included.
    for url in ("/fr/classe/CDF47D/etat", f"/fr/classe/{code}/etat", "/fr/classe/CDF47F"):
        refused = prober.get(url)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    other = limited.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.1.9"
    assert other.get(f"/fr/classe/{code}/etat").status_code == 200


def test_a_browser_that_polls_far_too_often_is_refused_alone(app, limited, module):
    teacher = app.test_client()
    code, elsewhere = start(teacher, module), start(teacher, module)
    script, classmate = limited.test_client(), limited.test_client()
    for browser in (script, classmate):
        browser.environ_base["REMOTE_ADDR"] = "10.0.2.1"  # one school network
        join(browser, code)
    url = f"/fr/classe/{code}/etat"
    assert [script.get(url).status_code for _ in range(5)] == [200] * 5
    refused = script.get(url, headers={"If-None-Match": '"1"'})
    assert refused.status_code == 429 and refused.json == {"error": "too-many"}
    assert int(refused.headers["Retry-After"]) > 0
    # Not kept by the proxy's one-second cache, where it would reach every pupil.
    assert refused.headers["Cache-Control"] == "no-store"
    assert classmate.get(url, headers={"If-None-Match": '"1"'}).status_code == 304
    other_class = limited.test_client()
    join(other_class, elsewhere)
    assert other_class.get(f"/fr/classe/{elsewhere}/etat").status_code == 200


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_a_process_reads_a_class_state_once_per_half_second(app, make_app, module, clock):
    """All the pupils of a class poll the same state: a process keeps it for half a second,
    unless a browser has already seen a newer one (served by another process)."""
    pupils = make_app(LIVE_POLL_CACHE_SECONDS=0.5)
    pupils.wsgi_app.clock = clock
    teacher = app.test_client()
    code = start(teacher, module)
    join(app.test_client(), code)
    url = f"/fr/classe/{code}/etat"
    poll = pupils.test_client()
    assert poll.get(url).json["phase"] == "lobby"
    step(teacher, code, "start")  # on another app
    clock.now += 0.4
    assert poll.get(url).json["phase"] == "lobby"
    assert poll.get(url, headers={"If-None-Match": '"1"'}).status_code == 304
    # A browser that got version 2 elsewhere is not sent back to version 1.
    newer = poll.get(url, headers={"If-None-Match": '"2"'})
    assert newer.status_code == 304 and newer.headers["ETag"] == '"2"'
    assert poll.get(url).json["phase"] == "question"
    step(teacher, code, "reveal")
    clock.now += 0.49
    assert poll.get(url).json["phase"] == "question"
    clock.now += 0.02
    assert poll.get(url).json == {"etag": "3", "phase": "reveal", "position": 0}


def test_polls_are_counted_in_the_log_once_a_minute_and_refusals_at_once(
        app, make_app, module, clock, caplog):
    pupils = make_app()
    pupils.wsgi_app.clock, pupils.wsgi_app.counted_since = clock, clock.now
    code = start(app.test_client(), module)
    url = f"/fr/classe/{code}/etat"
    caplog.set_level(logging.INFO, logger="pont.requests")
    poll = pupils.test_client()
    etag = poll.get(url).headers["ETag"]
    for _ in range(3):
        assert poll.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert poll.get("/fr/classe/CDF479/etat").status_code == 404


    def polls() -> list[str]:
        return [r.getMessage() for r in caplog.records if "/etat" in r.getMessage()]

    assert len(polls()) == 1 and polls()[0].startswith("GET /fr/classe/<code>/etat 404 ")
    clock.now += 61
    assert poll.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert polls()[1:] == ["GET /fr/classe/<code>/etat 200 ×1 in 61s",
                     "GET /fr/classe/<code>/etat 304 ×4 in 61s"]
    assert code not in caplog.text
