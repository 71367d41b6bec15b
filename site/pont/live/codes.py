"""Join codes and secrets.

A join code is read aloud in a noisy classroom and typed on a phone, so its alphabet leaves
out every character that looks or sounds like another (0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V)
and every vowel, so that no code spells a word. A few letter groups that French pupils read
as insults are refused as well.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

ALPHABET = "CDFHJKMNPRTWX3479"
LENGTH = 6
# Abbreviations that read as insults in a French classroom, refused anywhere in a code.
BLOCKED = ("PD", "FDP", "NTM", "PTN", "MRD", "KK", "WTF", "FCK", "TPD")

_SEPARATORS = re.compile(r"[\s\-.·]+")


def new_code(choice: Callable[[str], str] = secrets.choice) -> str:
    while True:
        code = "".join(choice(ALPHABET) for _ in range(LENGTH))
        if not any(word in code for word in BLOCKED):
            return code


def normalize(typed: str) -> str:
    """What a pupil typed, as a code: upper case, without spaces or dashes."""
    return _SEPARATORS.sub("", typed).upper()


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(char in ALPHABET for char in code)


def foreign(code: str) -> list[str]:
    """The printable characters of `code` that no join code contains, each once, in order."""
    return list(dict.fromkeys(c for c in code if c not in ALPHABET and c.isprintable()))


def spaced(code: str) -> str:
    """The code in two groups of three, easier to read from the back of the room."""
    return f"{code[:3]} {code[3:]}"


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    """What the database keeps of a secret: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str | None, stored_digest: str) -> bool:
    return bool(secret) and hmac.compare_digest(digest(secret), stored_digest)
