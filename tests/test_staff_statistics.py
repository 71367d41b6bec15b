"""School statistics: they match the rows they count, per school and summed for an admin, and
hold nothing that identifies a pupil."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from pont import clock
from pont.reports.models import Report

from .reports_helpers import (
    UAI,
    add_school,
    limiter_off_fixture,  # noqa: F401
    school_fixture,  # noqa: F401
    text_of,
)
from .staff_helpers import OTHER_EMAIL, OTHER_UAI, log_in, url
from .test_staff_accounts import ADMIN_EMAIL, STATS, add_admin, report_at, rows

NOVEMBER = datetime.datetime(2026, 11, 30, 22, 30)  # 23:30 in Paris: still November
DECEMBER = datetime.datetime(2026, 11, 30, 23, 30)  # 00:30 in Paris: December


@pytest.fixture(autouse=True)
def _clock_runs_again():
    yield
    clock.set(None)


@pytest.fixture
def counted(app, client, school):
    """Four reports: two schools, two months, opened and closed at known times."""
    add_school(app, uai=OTHER_UAI, name="Lycée du Parc", town="Lyon")
    clock.set(NOVEMBER)
    first = report_at(client, UAI, role="target", places=["snapchat", "tiktok"], danger="yes",
                      description="Prénom Nom m'insulte")
    clock.set(DECEMBER)
    second = report_at(client, UAI, role="parent", places=["snapchat"], danger="no")
    third = report_at(client, UAI, role="staff_target", places=[], danger="unsure")
    other = report_at(client, OTHER_UAI, role="witness", places=["discord"], danger="no")
    # The school reads the first case 2 hours after it came, the second after 4 hours, and
    # closes the second 10 hours after it came.
    log_in(client)
    clock.set(NOVEMBER + datetime.timedelta(hours=2))
    client.get(url("case", first))
    clock.set(DECEMBER + datetime.timedelta(hours=4))
    client.get(url("case", second))
    clock.set(DECEMBER + datetime.timedelta(hours=10))
    client.post(url("case", second), data={"status": "closed"})
    client.post(url("logout"))
    return {"first": first, "second": second, "third": third, "other": other}


def csv_rows(response) -> list[dict]:
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def measure(table, school, name, key=""):
    found = [row["value"] for row in table
             if row["school"] == school and row["measure"] == name and row["key"] == key]
    return found[0] if found else None


def test_a_schools_figures_match_its_rows(app, client, counted):
    assert [report.status for report in rows(app, Report) if report.code == counted["second"]] \
        == ["closed"]
    log_in(client)
    table = csv_rows(client.get(STATS["fr"] + ".csv"))
    assert {row["school"] for row in table} == {UAI}
    assert measure(table, UAI, "reports") == "3"
    assert measure(table, UAI, "month", "2026-11") == "1"
    assert measure(table, UAI, "month", "2026-12") == "2"
    assert measure(table, UAI, "reporter", "pupil") == "1"
    assert measure(table, UAI, "reporter", "parent") == "1"
    assert measure(table, UAI, "reporter", "staff") == "1"
    assert measure(table, UAI, "reporter", "witness") is None
    assert measure(table, UAI, "platform", "snapchat") == "2"
    assert measure(table, UAI, "platform", "tiktok") == "1"
    assert measure(table, UAI, "status", "received") == "2"
    assert measure(table, UAI, "status", "closed") == "1"
    assert measure(table, UAI, "danger", "unsure") == "1"
    assert measure(table, UAI, "danger_share") == "0.333"
    assert measure(table, UAI, "median_hours_to_first_reading") == "3.0"  # 2 h and 4 h
    assert measure(table, UAI, "median_hours_to_closing") == "10.0"
    page = text_of(client.get(STATS["fr"]))
    assert "3 signalements" in page and "Snapchat" in page and "Un parent" in page
    assert "33 %" in page and "3 heures" in page and "10 heures" in page


def test_an_admin_gets_each_school_and_the_sum(app, client, counted):
    add_admin(app, [UAI, OTHER_UAI])
    log_in(client, email=ADMIN_EMAIL)
    table = csv_rows(client.get(STATS["fr"] + ".csv"))
    assert measure(table, UAI, "reports") == "3"
    assert measure(table, OTHER_UAI, "reports") == "1"
    assert measure(table, "all", "reports") == "4"
    assert measure(table, "all", "platform", "snapchat") == "2"
    assert measure(table, "all", "reporter", "witness") == "1"
    assert measure(table, "all", "danger_share") == "0.250"
    one = csv_rows(client.get(STATS["fr"] + f".csv?school={OTHER_UAI.lower()}"))
    assert {row["school"] for row in one} == {OTHER_UAI}
    page = text_of(client.get(STATS["en"]))
    assert "All your schools together" in page and "Lycée du Parc" in page
    assert client.get(STATS["fr"] + ".csv?school=0999999Z").status_code == 400
    # A referent of the other school counts only it.
    client.post(url("logout"))
    log_in(client, email=OTHER_EMAIL)
    assert {row["school"] for row in csv_rows(client.get(STATS["fr"] + ".csv"))} == {OTHER_UAI}


def test_the_figures_hold_nothing_that_identifies_a_pupil(app, client, counted):
    add_admin(app, [UAI, OTHER_UAI])
    log_in(client, email=ADMIN_EMAIL)
    exported = client.get(STATS["fr"] + ".csv").get_data(as_text=True)
    page = client.get(STATS["fr"]).get_data(as_text=True)
    for shown in (exported, page):
        for code in counted.values():
            assert code not in shown and f"{code[:5]}-{code[5:]}" not in shown
        assert "Prénom" not in shown and "insulte" not in shown
        assert "2026-11-30" not in shown and "30/11" not in shown
    allowed = {"school", "measure", "key", "value"}
    table = csv_rows(client.get(STATS["fr"] + ".csv"))
    assert set(table[0]) == allowed
    # Keys are months, groups and ids from fixed lists: nothing typed by anyone.
    keys = {row["key"] for row in table} - {""}
    assert all(key[:4] == "2026" or key.isidentifier() for key in keys), keys


def test_statistics_need_a_login(client, school):
    for address in (STATS["fr"], STATS["fr"] + ".csv", STATS["en"]):
        response = client.get(address)
        assert response.status_code == 303
        assert "/connexion" in response.headers["Location"] or "/login" in \
            response.headers["Location"]


def test_a_school_without_reports_has_empty_figures(client, school):
    log_in(client)
    assert "0 signalement" in text_of(client.get(STATS["fr"]))
    table = csv_rows(client.get(STATS["fr"] + ".csv"))
    assert measure(table, UAI, "reports") == "0"
    assert measure(table, UAI, "median_hours_to_closing") == ""
