"""One error page for every HTTP error, in the visitor's language, never a stack trace.

Two failures get their page here rather than a bare 500: a request whose `Host` Werkzeug
refuses (no URL adapter could be bound, so one is bound to the configured address for the
page's links), and the database being unreachable (a 503 that says so, logged in one line).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask.globals import request_ctx
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from .db import rollback_after_failure


def render_error(error: Exception):
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    if request_ctx and request_ctx.url_adapter is None:
        bind_fallback_adapter()
    return render_template("errors/error.html", error=error), error.code


def bind_fallback_adapter() -> None:
    """Links on the error page of a request whose Host could not be used (they are paths,
    so any host will do: the public address, else localhost)."""
    public = urlsplit(current_app.config.get("PUBLIC_URL") or "http://localhost")
    request_ctx.url_adapter = current_app.url_map.bind(
        public.netloc, script_name=request.script_root or "/", url_scheme=public.scheme)


def database_unavailable(error: OperationalError):
    """The database does not answer: a 503 page, and one log line without the query."""
    rollback_after_failure()
    route = request.url_rule.rule if request.url_rule else "-"
    current_app.logger.error("database unavailable on %s %s (%s)", request.method, route,
                             type(getattr(error, "orig", error)).__name__)
    return render_error(ServiceUnavailable())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, render_error)
    app.register_error_handler(OperationalError, database_unavailable)
