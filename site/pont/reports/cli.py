"""Commands: `flask --app pont schools …` and `flask --app pont reports …`."""

from __future__ import annotations

from pathlib import Path

import click
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db import Base
from .crypto import vault
from .schools import SchoolFileError, import_schools

ROTATE_BATCH = 200


def new_session():
    return current_app.extensions["pont_sessionmaker"]()


@click.group("schools", cls=AppGroup)
def schools_cli() -> None:
    """Schools that can receive reports."""


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


@click.group("reports", cls=AppGroup)
def reports_cli() -> None:
    """Encryption keys of stored reports, and checking a dossier."""


@reports_cli.command("new-key")
def new_key_command() -> None:
    """Print a new encryption key, to put first in PONT_REPORT_KEYS."""
    click.echo(Fernet.generate_key().decode("ascii"))


def encrypted_columns() -> list[tuple[type, tuple[str, ...]]]:
    """Every model that declares Fernet columns (`ENCRYPTED`), whichever package owns it."""
    from .. import models  # noqa: F401  (every table, staff's included)

    found = [(mapper.class_, mapper.class_.ENCRYPTED) for mapper in Base.registry.mappers
             if getattr(mapper.class_, "ENCRYPTED", None)]
    return sorted(found, key=lambda pair: pair[0].__tablename__)


@reports_cli.command("rotate-keys")
def rotate_keys_command() -> None:
    """Re-encrypt every stored report, file, message and note with the first key.

    Safe to run again after an interruption: what is already under the first key stays
    readable and is simply encrypted again.
    """
    keys = vault()
    total = 0
    with new_session() as session:
        for model, columns in encrypted_columns():
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


@reports_cli.command("verify-dossier")
@click.argument("zip_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--expect", metavar="DIGEST",
              help="The dossier's digest as printed on its page or recorded with a hand-off.")
def verify_dossier_command(zip_file: Path, expect: str | None) -> None:
    """Check a dossier ZIP against its manifest: every file's SHA-256 and size."""
    from ..staff.dossier import NotIntact, verify

    try:
        found = verify(zip_file.read_bytes())
    except NotIntact as error:
        raise click.ClickException(f"{zip_file}: {error}") from None
    if expect is not None and expect.strip().lower() != found:
        raise click.ClickException(
            f"{zip_file}: intact, but its digest {found} is not the one expected: another "
            "version of the dossier, or a manifest rewritten on the way")
    click.echo(f"{zip_file}: intact. Dossier digest (SHA-256 of manifest.json): {found}")
