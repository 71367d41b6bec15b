"""`flask --app pont mail send`: send what the outbox holds and is due, e.g. every minute."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from . import outbox


@click.group("mail", cls=AppGroup)
def mail_cli() -> None:
    """E-mail alerts."""


@mail_cli.command("send")
def send_command() -> None:
    """Send the due messages of the outbox (safe to run from several processes at once)."""
    result = outbox.send_due(current_app.extensions["pont_sessionmaker"])
    click.echo(f"{result.sent} sent, {result.retry} to try again later, "
               f"{result.failed} refused for good.")
