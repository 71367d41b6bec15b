"""The time, in one place: naive UTC, so that SQLite and PostgreSQL store and compare the same
values. Tests set the clock (`clock.set`) instead of sleeping."""

from __future__ import annotations

import datetime

_fixed: datetime.datetime | None = None


def utcnow() -> datetime.datetime:
    if _fixed is not None:
        return _fixed
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def set(moment: datetime.datetime | None) -> None:  # noqa: A001 - reads as clock.set(...)
    """Stop the clock at `moment` (naive UTC), or let it run again with None."""
    global _fixed
    _fixed = moment
