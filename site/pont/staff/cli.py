"""`flask --app pont staff …`: referent accounts and the retention purge (for cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ..reports.schools import get_school, normalize_uai
from . import alerts, retention
from .models import ADMIN, REFERENT, Referent


@click.group("staff", cls=AppGroup)
def staff_cli() -> None:
    """Staff accounts and closed cases."""


def checked_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise click.BadParameter(f"'{email}' is not an e-mail address", param_hint="EMAIL")
    return email


@staff_cli.command("add-referent")
@click.argument("uai")
@click.argument("email")
@click.password_option(help="The referent's password (asked for when not given).")
def add_referent_command(uai: str, email: str, password: str) -> None:
    """Give EMAIL a referent account for the school UAI (or reset its password)."""
    email = checked_email(email)
    if len(password) < 12:
        raise click.BadParameter("use at least 12 characters", param_hint="--password")
    with current_app.extensions["pont_sessionmaker"]() as session:
        school = get_school(session, uai)
        if school is None:
            raise click.ClickException(f"no school has the UAI {normalize_uai(uai)}: "
                                       "import it first with `schools import`")
        referent = session.scalars(select(Referent).where(Referent.email == email)).first()
        if referent is not None and referent.role != REFERENT:
            raise click.ClickException(f"{email} is already an admin account")
        if referent is not None and referent.school_id != school.id:
            raise click.ClickException(f"{email} is already a referent of another school")
        hashed = generate_password_hash(password)
        if referent is None:
            session.add(Referent(school=school, email=email, password_hash=hashed))
            message = f"{email} is now a referent of {school.name} ({school.town})."
        else:
            # A new password logs the account out everywhere (see pont.staff.auth).
            referent.password_hash, referent.active = hashed, True
            referent.session_token = None
            message = f"{email}: password changed, account active."
        session.commit()
    click.echo(message)


@staff_cli.command("create-admin")
@click.argument("email")
@click.option("--school", "uais", multiple=True, metavar="UAI",
              help="A school the admin oversees (repeat for several).")
@click.password_option(help="The admin's password (asked for when not given).")
def create_admin_command(email: str, uais: tuple[str, ...], password: str) -> None:
    """Make EMAIL an admin of the given schools (or, for an existing admin, add these schools
    and set the password). Nothing is written when one of the schools does not exist."""
    email = checked_email(email)
    if len(password) < 12:
        raise click.BadParameter("use at least 12 characters", param_hint="--password")
    with current_app.extensions["pont_sessionmaker"]() as session:
        schools = []
        for uai in uais:
            school = get_school(session, uai)
            if school is None:
                raise click.ClickException(f"no school has the UAI {normalize_uai(uai)}: "
                                           "import it first with `schools import`; "
                                           "nothing was changed")
            schools.append(school)
        admin = session.scalars(select(Referent).where(Referent.email == email)).first()
        if admin is not None and admin.role != ADMIN:
            raise click.ClickException(f"{email} is already a referent account")
        hashed = generate_password_hash(password)
        if admin is None:
            admin = Referent(email=email, role=ADMIN, school_id=None, password_hash=hashed)
            session.add(admin)
        else:
            # A new password logs the account out everywhere (see pont.staff.auth).
            admin.password_hash, admin.active, admin.session_token = hashed, True, None
        admin.overseen = sorted({*admin.overseen, *schools}, key=lambda school: school.name)
        session.commit()
        names = ", ".join(f"{school.name} ({school.uai})" for school in admin.overseen)
    click.echo(f"{email} is an admin of: {names or 'no school yet'}.")


@staff_cli.command("purge")
def purge_command() -> None:
    """Delete the cases closed for longer than CASE_RETENTION_DAYS."""
    days = current_app.config["CASE_RETENTION_DAYS"]
    with current_app.extensions["pont_sessionmaker"]() as session:
        count = retention.purge(session, retention.retention())
    click.echo(f"{count} closed case(s) older than {days} days deleted.")


@staff_cli.command("remind")
def remind_command() -> None:
    """Queue reminders of the reports nobody has opened in time (REPORT_ESCALATE_HOURS)."""
    with current_app.extensions["pont_sessionmaker"]() as session:
        count = alerts.escalate(session)
    click.echo(f"{count} reminder(s) queued.")
