"""Schools: their official code, importing them from a CSV file, and finding them by name.

The CSV needs three columns, in any order, with a header line: `uai` (7 digits and the check
letter), `name` and `town`. The French names `nom` and `commune` (or `ville`) and those of the
national school directory (`Identifiant_de_l_etablissement`, `Nom_etablissement`,
`Nom_commune`) are understood too; other columns are ignored. Commas or semicolons, UTF-8 with
or without a byte-order mark. A school already known by its UAI is updated, never duplicated.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from .models import School

UAI_PATTERN = re.compile(r"^[0-9]{7}[A-Z]$")
# The UAI's last letter checks its 7 digits: their value modulo 23, in this alphabet.
UAI_CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
NAME_MAX, TOWN_MAX = 200, 120
HEADER_ALIASES = {
    "uai": "uai", "code_uai": "uai", "identifiant_de_l_etablissement": "uai",
    "name": "name", "nom": "name", "nom_etablissement": "name",
    "town": "town", "commune": "town", "ville": "town", "nom_commune": "town",
}
SEARCH_LIMIT = 30


def uai_check_letter(digits: str) -> str:
    return UAI_CHECK_LETTERS[int(digits) % 23]


def normalize_uai(value: str) -> str:
    return value.strip().upper()


def is_valid_uai(uai: str) -> bool:
    return bool(UAI_PATTERN.match(uai)) and uai_check_letter(uai[:7]) == uai[7]


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation: `Sainte-Thérèse` → `sainte therese`."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())


def search_key(name: str, town: str) -> str:
    return fold(f"{name} {town}")


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


class SchoolFileError(ValueError):
    """Every problem found in the file, each with its line number. Nothing was imported."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_rows(text: str) -> list[tuple[int, str, str, str]]:
    """(line, uai, name, town) for every row, or SchoolFileError listing every bad line."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise SchoolFileError(["line 1: the file is empty (a header line is needed)"]) from None
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        field = HEADER_ALIASES.get(fold(title).replace(" ", "_"))
        if field and field not in columns:
            columns[field] = index
    missing = [field for field in ("uai", "name", "town") if field not in columns]
    if missing:
        raise SchoolFileError([f"line 1: missing column(s) {', '.join(missing)} "
                            "(the header needs uai, name and town)"])
    rows, problems, seen = [], [], {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) < len(header):
            values = values + [""] * (len(header) - len(values))
        uai = normalize_uai(values[columns["uai"]])
        name = " ".join(values[columns["name"]].split())
        town = " ".join(values[columns["town"]].split())
        if not UAI_PATTERN.match(uai):
            problems.append(f"line {line}: '{uai}' is not a UAI (7 digits and a letter)")
        elif not is_valid_uai(uai):
            problems.append(f"line {line}: UAI {uai} has a wrong check letter "
                            f"(expected {uai_check_letter(uai[:7])})")
        elif uai in seen:
            problems.append(f"line {line}: UAI {uai} is already on line {seen[uai]}")
        else:
            seen[uai] = line
        if not name:
            problems.append(f"line {line}: the name is empty")
        elif len(name) > NAME_MAX:
            problems.append(f"line {line}: the name is longer than {NAME_MAX} characters")
        if not town:
            problems.append(f"line {line}: the town is empty")
        elif len(town) > TOWN_MAX:
            problems.append(f"line {line}: the town is longer than {TOWN_MAX} characters")
        rows.append((line, uai, name, town))
    if problems:
        raise SchoolFileError(problems)
    return rows


def import_schools(session: Session, text: str) -> ImportResult:
    """Add or update every school of the CSV text, all or nothing. The caller commits."""
    rows = read_rows(text)
    known = {school.uai: school for school in session.scalars(
        select(School).where(School.uai.in_([uai for _, uai, _, _ in rows])))}
    result = ImportResult()
    for _line, uai, name, town in rows:
        school = known.get(uai)
        if school is None:
            session.add(School(uai=uai, name=name, town=town, search_key=search_key(name, town)))
            result.added += 1
        elif (school.name, school.town) != (name, town):
            school.name, school.town, school.search_key = name, town, search_key(name, town)
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def find_schools(session: Session, query: str) -> list[School]:
    """Schools whose name or town contain every word typed, or whose UAI was typed."""
    words = fold(query).split()[:8]
    if not words:
        return []
    conditions = [School.search_key.contains(word, autoescape=True) for word in words]
    statement = select(School)
    uai = normalize_uai(query)
    if UAI_PATTERN.match(uai):
        statement = statement.where(or_(School.uai == uai, and_(*conditions)))
    else:
        statement = statement.where(*conditions)
    return list(session.scalars(statement.order_by(School.name, School.town)
                                .limit(SEARCH_LIMIT)))


def get_school(session: Session, uai: str) -> School | None:
    uai = normalize_uai(uai)
    if not UAI_PATTERN.match(uai):
        return None
    return session.scalars(select(School)
                           .where(School.uai == uai)).first()
