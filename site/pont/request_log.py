"""One log line per request: method, route template, status and duration.

The route template (`/fr/classe/<code>`), never the path, so that join codes, follow-up
codes and UAIs stay out of the log; never a query string, a form value, a cookie or a header;
the client's address only when `LOG_CLIENT_ADDRESS` is on (`PONT_LOG_CLIENT_ADDRESS=1`).
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, Response, g, request

logger = logging.getLogger("pont.requests")


def init_app(app: Flask) -> None:
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        route = request.url_rule.rule if request.url_rule else "-"
        line = f"{request.method} {route} {response.status_code} {duration:.1f}ms"
        if app.config.get("LOG_CLIENT_ADDRESS"):
            line += f" client={request.remote_addr}"
        logger.info(line)
        return response
