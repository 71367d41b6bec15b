"""Who is logged in: a referent's id and session token, kept in the signed session cookie.

The token is the referent's current `session_token`. Logging out or getting a new password
draws a new one, so every cookie issued before stops opening anything, on every device. The
session is permanent with a short lifetime (`PERMANENT_SESSION_LIFETIME`), renewed by each
request: an unattended staff browser is logged out after that much idleness.
"""

from __future__ import annotations

import hmac
import secrets
from functools import wraps

from flask import g, session
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import get_session
from .models import Referent

SESSION_KEY = "staff"
_decoy: list[str] = []


def new_token() -> str:
    return secrets.token_urlsafe(32)


def check_password(referent: Referent | None, password: str) -> bool:
    """One slow hash whether or not the e-mail is known, so timing says nothing about it."""
    if not _decoy:
        _decoy.append(generate_password_hash(secrets.token_urlsafe(16)))
    stored = referent.password_hash if referent is not None else _decoy[0]
    return check_password_hash(stored, password) and referent is not None


def log_in(referent: Referent) -> None:
    if not referent.session_token:
        referent.session_token = new_token()
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = [referent.id, referent.session_token]


def log_out(referent: Referent) -> None:
    referent.session_token = new_token()
    session.pop(SESSION_KEY, None)


def current_referent() -> Referent | None:
    """The logged-in, active referent, or None. Looked up once per request."""
    if "staff_referent" in g:
        return g.staff_referent
    referent = None
    value = session.get(SESSION_KEY)
    if (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)
            and isinstance(value[1], str)):
        candidate = get_session().get(Referent, value[0])
        if (candidate is not None and candidate.active and candidate.session_token
                and hmac.compare_digest(candidate.session_token, value[1])):
            referent = candidate
    g.staff_referent = referent
    return referent


class LoginRequired(Exception):
    """Nobody (or nobody still valid) is logged in; the blueprint shows the login page."""


def login_required(view):
    """Runs the view with `referent=` the logged-in referent, or raises `LoginRequired`."""

    @wraps(view)
    def wrapper(**kwargs):
        referent = current_referent()
        if referent is None:
            raise LoginRequired()
        return view(referent=referent, **kwargs)

    return wrapper
