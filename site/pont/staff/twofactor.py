"""Two-factor login with an authenticator app (TOTP, RFC 6238) and one-time recovery codes.

The secret is kept encrypted like a report (`reports.crypto`); each code is accepted once
(the time step it was accepted for is kept), one step early or late is allowed for a phone's
clock. Recovery codes are long random strings shown once and kept as SHA-256 digests; each
works once. A wrong code is limited like a wrong password (see the login views).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..reports.crypto import vault
from . import audit
from .models import RecoveryCode, Referent

ISSUER = "Pont"
RECOVERY_CODES = 10
# Letters and digits that cannot be mistaken for one another when copied from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code(uri: str) -> Markup:
    """The enrolment link as an inline SVG QR code: nothing is loaded from elsewhere."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, omitsize=True))


def matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step (now, or one either side) whose code this is, if later than `after`."""
    totp = pyotp.TOTP(secret)
    now = int(utcnow().replace(tzinfo=datetime.UTC).timestamp()) // totp.interval
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def normalize(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def check_code(db: Session, account: Referent, typed: str) -> str | None:
    """Accept an authenticator code or an unused recovery code, once; return which
    ("totp" or "recovery"), or None. Writes what it uses up; the caller commits."""
    code = normalize(typed)
    if account.totp_secret is None or not code or len(code) > 40:
        return None
    if code.isdigit() and len(code) == 6:
        secret = vault().decrypt_text(account.totp_secret)
        step = matching_step(secret, code, account.totp_last_step)
        if step is None:
            return None
        # Conditional: the same code sent twice at once is accepted once.
        used = db.execute(update(Referent).where(
            Referent.id == account.id,
            (Referent.totp_last_step.is_(None)) | (Referent.totp_last_step < step))
            .values(totp_last_step=step))
        return "totp" if used.rowcount == 1 else None
    used = db.execute(update(RecoveryCode).where(
        RecoveryCode.referent_id == account.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.digest == hashlib.sha256(code.encode()).hexdigest())
        .values(used_at=utcnow()))
    return "recovery" if used.rowcount == 1 else None


def new_recovery_codes(db: Session, account: Referent) -> list[str]:
    """Replace the account's recovery codes; return the new ones, shown once."""
    db.execute(delete(RecoveryCode).where(RecoveryCode.referent_id == account.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.add(RecoveryCode(referent_id=account.id,
                            digest=hashlib.sha256(code.encode()).hexdigest()))
    return [shown(code) for code in codes]


def shown(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def unused_recovery_codes(db: Session, account: Referent) -> int:
    return len(db.scalars(select(RecoveryCode.id).where(
        RecoveryCode.referent_id == account.id, RecoveryCode.used_at.is_(None))).all())


def enable(db: Session, account: Referent, secret: str, typed: str) -> list[str] | None:
    """Turn on two-factor login once the app shows a right code for `secret`; return the
    recovery codes (None: wrong code, nothing changed). Commits."""
    code = normalize(typed)
    step = matching_step(secret, code, None) if code.isdigit() and len(code) == 6 else None
    if step is None:
        return None
    account.totp_secret = vault().encrypt_text(secret)
    account.totp_last_step = step
    codes = new_recovery_codes(db, account)
    audit.record(db, "2fa_on", account)
    db.commit()
    return codes


def disable(db: Session, account: Referent) -> None:
    account.totp_secret = None
    account.totp_last_step = None
    db.execute(delete(RecoveryCode).where(RecoveryCode.referent_id == account.id))
    audit.record(db, "2fa_off", account)
    db.commit()
