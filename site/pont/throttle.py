"""At most once every so often, per process: for the clean-ups that run on access."""

from __future__ import annotations

import time


class Every:
    """`due()` is true at the first call, then again once `seconds` have passed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.last: float | None = None

    def due(self) -> bool:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.seconds:
            return False
        self.last = now
        return True

    def reset(self) -> None:
        """The next `due()` is true (tests use it to run an on-access clean-up at once)."""
        self.last = None
