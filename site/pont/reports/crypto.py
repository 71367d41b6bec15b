"""Encryption at rest for everything a reporter writes or sends.

Keys come from `REPORT_KEYS` (`PONT_REPORT_KEYS`: Fernet keys separated by commas). The first
key encrypts; every key decrypts, so a new key can be put first while old tokens still open.
`flask --app pont reports rotate-keys` then re-encrypts every stored token with the first key,
after which the old key can be removed. Without configured keys (development, a first run),
one key is generated once into the instance folder, like the secret key.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from werkzeug.exceptions import InternalServerError

from ..errors import render_error
from ..keyfiles import read_or_create

KEY_FILE = "report_keys"


class KeyConfigError(ValueError):
    """A configured key is not a Fernet key: refuse to start rather than lose data."""


class Vault:
    """Encrypts with the first key, decrypts with any of them."""

    def __init__(self, keys: list[str]):
        if not keys:
            raise KeyConfigError("no report encryption key is configured")
        fernets = []
        for number, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                raise KeyConfigError(
                    f"report encryption key number {number} is not a valid Fernet key "
                    "(32 url-safe base64-encoded bytes; make one with "
                    "`flask --app pont reports new-key`)"
                ) from None
        self._multi = MultiFernet(fernets)

    def encrypt(self, data: bytes) -> bytes:
        return self._multi.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        return self._multi.decrypt(token)

    def rotate(self, token: bytes) -> bytes:
        """The same data, encrypted again with the first key."""
        return self._multi.rotate(token)

    def encrypt_text(self, text: str) -> bytes:
        return self.encrypt(text.encode("utf-8"))

    def decrypt_text(self, token: bytes) -> str:
        return self.decrypt(token).decode("utf-8")

    def encrypt_json(self, value: object) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def decrypt_json(self, token: bytes):
        return json.loads(self.decrypt(token))


def split_keys(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [key.strip() for key in value if key.strip()]


def instance_keys(app: Flask) -> list[str]:
    """The development key: generated once, kept in the instance folder (mode 600)."""
    path = Path(app.instance_path) / KEY_FILE
    return split_keys(read_or_create(path, lambda: Fernet.generate_key().decode("ascii") + "\n"))


def init_app(app: Flask) -> None:
    keys = split_keys(app.config["REPORT_KEYS"]) or instance_keys(app)
    app.extensions["pont_report_vault"] = Vault(keys)
    app.register_error_handler(InvalidToken, unreadable)


def unreadable(_error: InvalidToken):
    """A stored value no configured key opens: the usual error page, and a log line that
    tells the operator where to look (never the value itself)."""
    current_app.logger.error(
        "a stored report value could not be decrypted with the configured keys: was a key "
        "removed from PONT_REPORT_KEYS before `reports rotate-keys` had finished?")
    return render_error(InternalServerError())


def vault() -> Vault:
    return current_app.extensions["pont_report_vault"]


__all__ = ["InvalidToken", "KeyConfigError", "Vault", "init_app", "split_keys", "vault"]
