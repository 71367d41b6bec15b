"""The secrets a browser keeps for its live sessions, in one signed, HttpOnly cookie.

A teacher's secret lets that browser run its session; a pupil's token brings back the same
pseudonym and answers after a reload or a lost connection. The database keeps only digests.
The cookie is scoped to the live pages of each language, so no other page ever receives it.
"""

from __future__ import annotations

import time

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "pont_live"
TEACHER, PUPIL = "t", "p"
# A school day: a browser forgets its sessions after this, whatever happens.
MAX_AGE = 12 * 3600
# The most sessions one browser remembers per role (a shared school PC sees many classes).
MAX_ENTRIES = 8


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="pont-live")


def read() -> dict[str, dict[str, list]]:
    """{role: {code: [secret, time saved]}}; empty for a missing, forged or old cookie."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    oldest = time.time() - MAX_AGE
    return {
        role: {code: entry for code, entry in entries.items()
               if isinstance(entry, list) and len(entry) == 2 and entry[1] > oldest}
        for role, entries in data.items()
        if role in (TEACHER, PUPIL) and isinstance(entries, dict)
    }


def secret(role: str, code: str) -> str | None:
    entry = read().get(role, {}).get(code)
    return entry[0] if entry else None


def codes(role: str) -> list[str]:
    """The codes this browser holds a secret for, most recent first."""
    entries = read().get(role, {})
    return sorted(entries, key=lambda code: -entries[code][1])


def keep(response: Response, role: str, code: str, value: str, paths: list[str]) -> None:
    data = read()
    entries = data.setdefault(role, {})
    entries[code] = [value, int(time.time())]
    if len(entries) > MAX_ENTRIES:
        for old in sorted(entries, key=lambda c: entries[c][1])[:-MAX_ENTRIES]:
            del entries[old]
    signed = _serializer().dumps(data)
    for path in paths:
        response.set_cookie(COOKIE, signed, max_age=MAX_AGE, path=path, httponly=True,
                            secure=request.is_secure, samesite="Lax")
