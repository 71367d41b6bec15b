"""Talking to the mail server with the standard library, or only logging without one.

Settings: MAIL_SERVER (none: log-only mode), MAIL_PORT, MAIL_USE_TLS (STARTTLS),
MAIL_USE_SSL, MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM, MAIL_TIMEOUT.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from .models import OutboxMessage


def configured() -> bool:
    return bool(current_app.config["MAIL_SERVER"])


def connect() -> Connection:
    config = current_app.config
    if not configured():
        return Connection(None)
    server, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    timeout = float(config["MAIL_TIMEOUT"])
    if config["MAIL_USE_SSL"]:
        client = smtplib.SMTP_SSL(server, port, timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(server, port, timeout=timeout)
        if config["MAIL_USE_TLS"]:
            client.starttls(context=ssl.create_default_context())
    if config["MAIL_USERNAME"]:
        client.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return Connection(client)


class Connection:
    """An open SMTP session, or (without a server) the log standing in for one."""

    def __init__(self, client: smtplib.SMTP | None):
        self.client = client

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                self.client.close()

    def send(self, message: OutboxMessage) -> None:
        if self.client is None:
            return  # log-only mode: the caller's log line is all that happens
        self.client.send_message(compose(message))


def compose(message: OutboxMessage) -> EmailMessage:
    sender = current_app.config["MAIL_FROM"]
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # Automatic mail: no out-of-office replies back to the sender.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


def is_permanent(error: Exception) -> bool:
    """The server refused for good (5xx): retrying would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def is_broken(error: Exception) -> bool:
    """The connection is gone (dropped, reset, timed out): nothing more can go through it."""
    return isinstance(error, smtplib.SMTPServerDisconnected) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException))


def describe(error: Exception | None) -> str:
    """The error's kind and code for the log, never the message."""
    if error is None:
        return ""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _text in error.recipients.values()})
        return f"SMTPRecipientsRefused {','.join(map(str, codes))}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__
