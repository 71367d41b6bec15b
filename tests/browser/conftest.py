"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Skipped, with the reason, where `chromium` is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(
                    reason="Debian's chromium is not installed (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(app):
    """The app on a free port of 127.0.0.1, in a thread, for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def foreign_guard(live_server: str, foreign: list[str]):
    """A route handler that lets requests to the site through and records any other one."""

    def guard(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    return guard


@pytest.fixture
def site(live_server, page):
    """A page that fails the test on any request to another host."""
    foreign: list[str] = []
    page.route("**/*", foreign_guard(live_server, foreign))
    page.foreign_requests = foreign
    yield page
    assert foreign == [], f"requests to other hosts: {foreign}"


def guarded_contexts(browser, base: str):
    """Make browser contexts (separate cookie jars) that fail on any request to another host."""
    made, foreign = [], []
    guard = foreign_guard(base, foreign)

    def new(**options):
        context = browser.new_context(**options)
        context.route("**/*", guard)
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"
