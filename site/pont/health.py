"""Health checks for load balancers and supervisors: JSON, no cookies, never rate-limited.

`/healthz` says the process answers; `/readyz` says it can serve: the database answers, its
schema is at the migrations' head, and the rate-limit store (Redis) answers when one is set.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from .db import migrations_current
from .extensions import limiter

bp = Blueprint("health", __name__)
limiter.exempt(bp)


def reply(code: int, **body):
    response = jsonify(body)
    response.status_code = code
    response.cache_control.no_store = True
    return response


@bp.get("/healthz")
def healthz():
    return reply(200, status="ok")


@bp.get("/readyz")
def readyz():
    try:
        migrated = migrations_current(current_app.extensions["pont_engine"])
        checks = {"database": True, "migrations": migrated}
    except SQLAlchemyError:
        checks = {"database": False, "migrations": False}
    if not current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        try:
            checks["rate_limit_store"] = bool(limiter.storage.check())
        except Exception:  # any failure of the store's client means: not reachable
            checks["rate_limit_store"] = False
    ready = all(checks.values())
    return reply(200 if ready else 503, status="ok" if ready else "unavailable", checks=checks)
