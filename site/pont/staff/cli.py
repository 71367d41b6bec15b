"""`flask --app pont reports purge`: the retention purge, for a scheduler such as cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from . import retention


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete the cases closed for longer than CASE_RETENTION_DAYS."""
    days = current_app.config["CASE_RETENTION_DAYS"]
    with current_app.extensions["pont_sessionmaker"]() as session:
        count = retention.purge(session, retention.retention())
    click.echo(f"{count} closed case(s) older than {days} days deleted.")
