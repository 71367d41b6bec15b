"""Who is logged in: a staff account's id and session token, kept in the signed session cookie.

The token is the referent's current `session_token`. Logging out or getting a new password
draws a new one, so every cookie issued before stops opening anything, on every device. The
session is permanent with a short lifetime (`PERMANENT_SESSION_LIFETIME`), renewed by each
request: an unattended staff browser is logged out after that much idleness.

With two-factor login, the right password only opens the second step: the cookie then holds
the account as *pending* for a few minutes, until a right code logs it in. With
`STAFF_REQUIRE_2FA`, an account without it can open nothing but the enrolment page.
"""

from __future__ import annotations

import datetime
import hmac
import secrets
from functools import wraps

from flask import current_app, g, session
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import utcnow
from ..db import get_session
from .models import Referent

SESSION_KEY = "staff"
PENDING_KEY = "staff_pending"
# How long the second step of a login waits for its code.
SECOND_STEP = datetime.timedelta(minutes=5)
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
    referent.last_login_at = utcnow()
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = [referent.id, referent.session_token]


def begin_second_step(referent: Referent) -> None:
    """The password was right: remember the account, not yet logged in, for `SECOND_STEP`."""
    if not referent.session_token:
        referent.session_token = new_token()
    session.clear()
    session[PENDING_KEY] = [referent.id, referent.session_token,
                            int(utcnow().replace(tzinfo=datetime.UTC).timestamp())]


def pending_referent() -> Referent | None:
    """The active account whose password was right a moment ago and that waits for its code."""
    value = session.get(PENDING_KEY)
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], int)
            and isinstance(value[1], str) and isinstance(value[2], int)):
        return None
    started = datetime.datetime.fromtimestamp(value[2], datetime.UTC).replace(tzinfo=None)
    if not started <= utcnow() < started + SECOND_STEP:
        return None
    return valid_account(value[0], value[1])


def valid_account(account_id: int, token: str) -> Referent | None:
    candidate = get_session().get(Referent, account_id)
    if (candidate is not None and candidate.active and candidate.session_token
            and hmac.compare_digest(candidate.session_token, token)):
        return candidate
    return None


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
        referent = valid_account(value[0], value[1])
    g.staff_referent = referent
    return referent


class LoginRequired(Exception):
    """Nobody (or nobody still valid) is logged in; the blueprint shows the login page."""


class EnrolmentRequired(Exception):
    """Two-factor login is required and this account has not set it up yet."""


def needs_enrolment(referent: Referent) -> bool:
    return bool(current_app.config["STAFF_REQUIRE_2FA"]) and not referent.has_2fa


def login_required(view=None, *, before_enrolment: bool = False):
    """Runs the view with `referent=` the logged-in account, or raises `LoginRequired`
    (or `EnrolmentRequired`, except for the views that set two-factor login up)."""
    if view is None:
        return lambda view: login_required(view, before_enrolment=before_enrolment)

    @wraps(view)
    def wrapper(**kwargs):
        referent = current_referent()
        if referent is None:
            raise LoginRequired()
        if not before_enrolment and needs_enrolment(referent):
            raise EnrolmentRequired()
        return view(referent=referent, **kwargs)

    return wrapper
