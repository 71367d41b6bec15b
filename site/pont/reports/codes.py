"""Follow-up code and secret: what a reporter writes down to come back without an account.

Both use 30 characters that cannot be mistaken for one another on paper or a phone screen
(no 0/O, 1/I/L, U/V). The code (10 characters, about 49 bits) finds the report; the secret
(18 characters, about 88 bits) proves the person holds the receipt. Only a salted PBKDF2 hash
of the secret is stored. The README shows why guessing is hopeless at the rate limits used.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
SECRET_LENGTH = 18
CODE_BITS = CODE_LENGTH * math.log2(len(ALPHABET))
SECRET_BITS = SECRET_LENGTH * math.log2(len(ALPHABET))
# The secret is random and long, so the hash's slowness is a second wall, not the first:
# enough to make a stolen table useless, cheap enough for 50 reports arriving at once.
ITERATIONS = 120_000
# U is not used: whoever reads one on paper is looking at a V.
LOOKALIKES = str.maketrans({"U": "V"})
SEPARATORS = " -–—_.·"


def random_string(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_code() -> str:
    return random_string(CODE_LENGTH)


def new_secret() -> str:
    return random_string(SECRET_LENGTH)


def normalize(typed: str) -> str:
    """What a person typed, as we stored it: no spaces or dashes, upper case."""
    cleaned = "".join(ch for ch in typed if ch not in SEPARATORS).upper()
    return cleaned.translate(LOOKALIKES)


def is_well_formed(value: str, length: int) -> bool:
    return len(value) == length and all(ch in ALPHABET for ch in value)


def group(value: str, size: int) -> str:
    """`ABCDEFGHJK` → `ABCDE-FGHJK`: easier to copy by hand."""
    return "-".join(value[i:i + size] for i in range(0, len(value), size))


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode("ascii"), salt, ITERATIONS)
    return f"pbkdf2_sha256${ITERATIONS}${salt.hex()}${digest.hex()}"


def check_secret(secret: str, stored: str) -> bool:
    try:
        algorithm, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algorithm != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", secret.encode("ascii", "replace"),
                                    bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)


@functools.cache
def decoy_hash() -> str:
    """Checked when a code does not exist, so that a wrong code takes as long as a wrong
    secret and timing tells nothing about which codes exist."""
    return hash_secret(new_secret())
