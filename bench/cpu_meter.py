"""The app gunicorn serves in live_load.py: Pont's, with each request's CPU time summed per kind.

The time is the worker thread's CPU (`time.thread_time`) from the call into the app to the
end of its body: gunicorn's own parsing and writing are outside it (live_load.py shows them as
the rest of the server's CPU). `GET /__cpu` answers this process's sums in JSON.
"""

from __future__ import annotations

import json
import os
import threading
import time

from pont import create_app

pont = create_app()
# Per worker thread, kind -> [requests, CPU seconds]: each thread adds to its own, with no
# lock on the hot path; `/__cpu` sums them.
threads: list[dict[str, list[float]]] = []
lock = threading.Lock()
own = threading.local()


def own_totals() -> dict[str, list[float]]:
    totals = getattr(own, "totals", None)
    if totals is None:
        totals = own.totals = {}
        with lock:
            threads.append(totals)
    return totals


def summed() -> dict[str, list[float]]:
    with lock:
        every = list(threads)
    found: dict[str, list[float]] = {}
    for totals in every:
        for kind, (requests, seconds) in list(totals.items()):
            entry = found.setdefault(kind, [0, 0.0])
            entry[0] += requests
            entry[1] += seconds
    return found


def kind_of(method: str, path: str) -> str:
    if path.startswith("/static/"):
        return "static"
    if path.startswith("/fr/classe/nouvelle/"):
        return "teacher"
    if path.endswith("/animer/etat"):
        return "teacher-poll"
    if path.endswith("/etat"):
        return "poll"
    if path.endswith("/animer"):
        return "teacher"
    if path == "/fr/classe":
        return "join"
    if path.startswith("/fr/classe/"):
        return "answer" if method == "POST" else "page"
    return "other"


class Metered:
    """The app's body, passed through; its end closes the count."""

    def __init__(self, body, kind: str, started: float):
        self.body, self.kind, self.started = body, kind, started

    def __iter__(self):
        return iter(self.body)

    def close(self) -> None:
        if hasattr(self.body, "close"):
            self.body.close()
        self.count()

    def count(self) -> None:
        spent = time.thread_time() - self.started
        entry = own_totals().setdefault(self.kind, [0, 0.0])
        entry[0] += 1
        entry[1] += spent


# One function per kind, so that a profiler's stacks say which kind each sample served
# (bench/profile_kinds.py), Flask's own layers included.
def serve_poll(environ, start_response):
    return pont(environ, start_response)


def serve_page(environ, start_response):
    return pont(environ, start_response)


def serve_answer(environ, start_response):
    return pont(environ, start_response)


def serve_join(environ, start_response):
    return pont(environ, start_response)


def serve_teacher(environ, start_response):
    return pont(environ, start_response)


def serve_teacher_poll(environ, start_response):
    return pont(environ, start_response)


def serve_static(environ, start_response):
    return pont(environ, start_response)


def serve_other(environ, start_response):
    return pont(environ, start_response)


SERVE = {"poll": serve_poll, "page": serve_page, "answer": serve_answer, "join": serve_join,
         "teacher": serve_teacher, "teacher-poll": serve_teacher_poll, "static": serve_static,
         "other": serve_other}


def app(environ, start_response):
    if environ["PATH_INFO"] == "/__cpu":
        body = json.dumps({"pid": os.getpid(), "kinds": summed()}).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    started = time.thread_time()
    kind = kind_of(environ["REQUEST_METHOD"], environ["PATH_INFO"])
    metered = Metered(SERVE[kind](environ, start_response), kind, started)
    file_wrapper = environ.get("wsgi.file_wrapper")
    if file_wrapper and isinstance(metered.body, file_wrapper):  # keep gunicorn's sendfile
        metered.count()
        return metered.body
    return metered
