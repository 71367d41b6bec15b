"""One error page for every HTTP error, in the visitor's language, never a stack trace."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError


def render_error(error: Exception):
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    return render_template("errors/error.html", error=error), error.code


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, render_error)
