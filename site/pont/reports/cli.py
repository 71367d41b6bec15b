"""Commands: `flask --app pont schools …` and `flask --app pont reports …`."""

from __future__ import annotations

from pathlib import Path

import click
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from .crypto import vault
from .models import Evidence, Referent, Report, ReportMessage, StaffNote
from .schools import SchoolFileError, get_school, import_schools, normalize_uai

ROTATE_BATCH = 200


def new_session():
    return current_app.extensions["pont_sessionmaker"]()


@click.group("schools", cls=AppGroup)
def schools_cli() -> None:
    """Schools that can receive reports, and their referents."""


@schools_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(csv_file: Path) -> None:
    """Add or update schools from CSV_FILE (columns uai, name, town). All or nothing."""
    try:
        text = csv_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{csv_file}: not UTF-8 text (byte {error.start}); save it as UTF-8 CSV") from None
    with new_session() as session:
        try:
            result = import_schools(session, text)
        except SchoolFileError as error:
            for problem in error.problems:
                click.echo(f"{csv_file}: {problem}", err=True)
            raise click.ClickException(
                f"{len(error.problems)} problem(s): nothing was imported") from None
        session.commit()
    click.echo(f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged.")


@schools_cli.command("add-referent")
@click.argument("uai")
@click.argument("email")
@click.password_option(help="The referent's password (asked for when not given).")
def add_referent_command(uai: str, email: str, password: str) -> None:
    """Give EMAIL a referent account for the school UAI (or reset its password)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise click.BadParameter(f"'{email}' is not an e-mail address", param_hint="EMAIL")
    if len(password) < 12:
        raise click.BadParameter("use at least 12 characters", param_hint="--password")
    with new_session() as session:
        school = get_school(session, uai)
        if school is None:
            raise click.ClickException(f"no school has the UAI {normalize_uai(uai)}: "
                                       "import it first with `schools import`")
        referent = session.scalars(select(Referent).where(Referent.email == email)).first()
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


@click.group("reports", cls=AppGroup)
def reports_cli() -> None:
    """Encryption keys of stored reports."""


@reports_cli.command("new-key")
def new_key_command() -> None:
    """Print a new encryption key, to put first in PONT_REPORT_KEYS."""
    click.echo(Fernet.generate_key().decode("ascii"))


ENCRYPTED_COLUMNS = (
    (Report, ("answers", "contact")),
    (Evidence, ("data",)),
    (ReportMessage, ("body",)),
    (StaffNote, ("body",)),
)


@reports_cli.command("rotate-keys")
def rotate_keys_command() -> None:
    """Re-encrypt every stored report, file, message and note with the first key.

    Safe to run again after an interruption: what is already under the first key stays
    readable and is simply encrypted again.
    """
    keys = vault()
    total = 0
    with new_session() as session:
        for model, columns in ENCRYPTED_COLUMNS:
            last_id = 0
            while True:
                rows = list(session.scalars(select(model).where(model.id > last_id)
                                            .order_by(model.id).limit(ROTATE_BATCH)))
                if not rows:
                    break
                for row in rows:
                    for column in columns:
                        token = getattr(row, column)
                        if token is None:
                            continue
                        try:
                            setattr(row, column, keys.rotate(token))
                        except InvalidToken:
                            session.rollback()
                            raise click.ClickException(
                                f"{model.__tablename__} #{row.id}: {column} opens with none of "
                                "the configured keys; add the key it was written with to "
                                "PONT_REPORT_KEYS and run this again. Rows before it are done."
                            ) from None
                        total += 1
                session.commit()
                last_id = rows[-1].id
    click.echo(f"{total} encrypted values now use the first key.")
