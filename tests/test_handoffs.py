"""Hand-offs of a case: recorded with their reference, date and the digest of the dossier sent,
then their outcome; audited; only for the case's school; bad input refused whole."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from pont import clock
from pont.staff.models import AuditEntry, Handoff

from .reports_helpers import (
    UAI,
    add_school,
    limiter_off_fixture,  # noqa: F401
    png,
    school_fixture,  # noqa: F401
    text_of,
)
from .staff_helpers import OTHER_EMAIL, OTHER_UAI, log_in, new_report, url

HANDOFFS = {"fr": "/transmissions", "en": "/hand-offs"}
TODAY = datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def fixed_clock():
    clock.set(datetime.datetime(2026, 12, 2, 10, 0))
    yield
    clock.set(None)


def handoff_url(code, lang="fr", number=None):
    return url("case", code, lang) + HANDOFFS[lang] + (f"/{number}" if number else "")


def handoffs(app) -> list[Handoff]:
    with app.extensions["pont_sessionmaker"]() as session:
        return list(session.scalars(select(Handoff).order_by(Handoff.id)))


def actions(app) -> list[tuple[str, str | None]]:
    with app.extensions["pont_sessionmaker"]() as session:
        return [(e.action, e.detail) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action.startswith("handoff")))]


def page_digest(page: str) -> str:
    return re.search(r'class="dossier-digest".*?"digest">([0-9a-f]{64})<', page, re.S)[1]


def hand_off(client, code, lang="fr", **changes):
    data = {"handoff-kind": "helpline_3018", "handoff-reference": "E-2026-4471",
            "handoff-handed_on": "2026-12-01", **changes}
    return client.post(handoff_url(code, lang), data=data)


@pytest.fixture
def other_school(app):
    add_school(app, uai=OTHER_UAI, name="Lycée du Parc", town="Lyon")


@pytest.fixture
def case(client, school):
    code = new_report(client, files=[("a.png", png()), ("b.png", png(color=(200, 10, 10)))])
    assert log_in(client).status_code == 303
    return code


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_handoff_then_its_outcome_show_on_the_case_and_in_the_audit_log(app, client, case,
                                                                          lang):
    response = hand_off(client, case, lang)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#handoffs")
    [handoff] = handoffs(app)
    assert (handoff.kind, handoff.handed_on) == ("helpline_3018", datetime.date(2026, 12, 1))
    assert b"E-2026-4471" not in handoff.reference, "the reference is stored encrypted"
    assert len(handoff.dossier_sha256) == 64

    page = text_of(client.get(response.headers["Location"]))
    assert "E-2026-4471" in page and handoff.dossier_sha256 in page
    assert ("Transmission enregistrée." if lang == "fr" else "Hand-off recorded.") in page
    assert ("pas encore" if lang == "fr" else "not recorded yet") in page

    done = client.post(handoff_url(case, lang, handoff.id),
                       data={f"handoff{handoff.id}-outcome": "content_removed",
                             f"handoff{handoff.id}-outcome_on": "2026-12-02"})
    assert done.status_code == 303
    [handoff] = handoffs(app)
    assert (handoff.outcome, handoff.outcome_on) == ("content_removed", TODAY)
    page = text_of(client.get(done.headers["Location"]))
    assert ("Contenu retiré" if lang == "fr" else "Content removed") in page
    assert actions(app) == [("handoff", "helpline_3018"), ("handoff_outcome", "content_removed")]


def test_the_digest_recorded_is_the_one_of_the_dossier_handed_over(app, client, case):
    page = client.get(url("dossier", case)).get_data(as_text=True)
    zipped = zipfile.ZipFile(io.BytesIO(client.get(url("zip", case)).data))
    digest = hashlib.sha256(zipped.read("manifest.json")).hexdigest()
    assert page_digest(page) == digest, "the page shows the digest of the ZIP's manifest"
    hand_off(client, case)
    assert handoffs(app)[0].dossier_sha256 == digest
    # The dossier now names the hand-off: a new version, with a new digest.
    page = client.get(url("dossier", case)).get_data(as_text=True)
    assert page_digest(page) != digest and f'"digest">{digest}</code>' in page


def test_a_platform_handoff_carries_only_what_the_platform_needs(app, client, case):
    response = hand_off(client, case, **{"handoff-kind": "platform",
                                         "handoff-platform": "snapchat",
                                         "handoff-evidence": "2"})
    assert response.status_code == 303
    [handoff] = handoffs(app)
    assert handoff.platform == "snapchat"
    archive = zipfile.ZipFile(io.BytesIO(
        client.get(url("zip", case) + "?platform=1&evidence=2").data))
    assert hashlib.sha256(archive.read("manifest.json")).hexdigest() == handoff.dossier_sha256
    document = json.loads(archive.read("dossier.json"))
    assert document["scope"] == "platform"
    assert [item["number"] for item in document["evidence"]] == [2]
    assert sorted(archive.namelist()) == ["dossier.json", "evidence/02.png", "manifest.json"]
    assert set(document) == {"schema_version", "format", "scope", "as_of", "timezone", "facts",
                             "online", "evidence"}
    assert document["online"]["links"] == ["https://www.snapchat.com/add/exemple"]
    for absent in ("Collège des Tilleuls", UAI, "m'insulte", case):
        assert absent not in json.dumps(document, ensure_ascii=False), absent


@pytest.mark.parametrize("changes, field, message", [
    ({"handoff-reference": "R" * 2000}, "reference", "at most 120 characters (2000 now)"),
    ({"handoff-reference": "AB\u202e12"}, "reference", "invisible characters"),
    ({"handoff-reference": "AB\n12"}, "reference", "line breaks"),
    ({"handoff-handed_on": "2026-12-03"}, "handed_on", "cannot be in the future"),
    ({"handoff-handed_on": "yesterday"}, "handed_on", "Give the date"),
    ({"handoff-kind": "friend"}, "kind", "Choose to whom"),
    ({"handoff-kind": "platform", "handoff-platform": "myspace"}, "platform",
     "Choose the platform"),
    ({"handoff-kind": "platform", "handoff-platform": "tiktok", "handoff-evidence": "7"},
     "evidence", "among the case's screenshots"),
])
def test_bad_handoffs_are_refused_whole_with_what_was_typed(app, client, case, changes, field,
                                                            message):
    response = hand_off(client, case, lang="en", **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in text_of(response)
    assert f'id="handoff-{field}' in page and "Something needs fixing" in page
    if "handoff-reference" in changes and len(changes["handoff-reference"]) < 200:
        assert "AB" in page
    assert handoffs(app) == [] and actions(app) == []


def test_an_outcome_before_its_handoff_or_in_the_future_is_refused(app, client, case):
    hand_off(client, case, lang="en")
    [handoff] = handoffs(app)
    for day, message in (("2026-11-30", "cannot be dated before the hand-off"),
                         ("2026-12-05", "cannot be in the future")):
        response = client.post(handoff_url(case, "en", handoff.id),
                               data={f"handoff{handoff.id}-outcome": "refused",
                                     f"handoff{handoff.id}-outcome_on": day})
        assert response.status_code == 400 and message in text_of(response)
    response = client.post(handoff_url(case, "en", handoff.id),
                           data={f"handoff{handoff.id}-outcome": "won",
                                 f"handoff{handoff.id}-outcome_on": "2026-12-02"})
    assert response.status_code == 400 and "Choose what came of" in text_of(response)
    assert handoffs(app)[0].outcome is None
    assert actions(app) == [("handoff", "helpline_3018")]


def test_another_schools_referent_gets_404_on_the_handoffs(app, client, case, other_school):
    hand_off(client, case)
    [handoff] = handoffs(app)
    client.post(url("logout"))
    assert log_in(client, email=OTHER_EMAIL).status_code == 303
    assert hand_off(client, case).status_code == 404
    assert client.post(handoff_url(case, number=handoff.id),
                       data={f"handoff{handoff.id}-outcome": "refused",
                             f"handoff{handoff.id}-outcome_on": "2026-12-02"}).status_code == 404
    assert len(handoffs(app)) == 1 and handoffs(app)[0].outcome is None


def test_a_handoff_of_another_case_is_404_from_this_one(app, client, case):
    second = new_report(client)
    hand_off(client, case)
    [handoff] = handoffs(app)
    response = client.post(handoff_url(second, number=handoff.id),
                           data={f"handoff{handoff.id}-outcome": "refused",
                                 f"handoff{handoff.id}-outcome_on": "2026-12-02"})
    assert response.status_code == 404 and handoffs(app)[0].outcome is None


def test_logged_out_the_handoff_form_asks_to_log_in(client, case):
    client.post(url("logout"))
    assert hand_off(client, case).status_code == 401
    assert client.get(handoff_url(case)).status_code == 405


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_case_page_says_how_to_reach_each_one_from_the_contacts(app, client, case, lang,
                                                                    library):
    from pont.content.contacts import lookup

    page = text_of(client.get(url("case", case, lang)))
    contacts = library.contacts
    for name, key in (("helpline", "number"), ("helpline", "hours"), ("helpline", "chat_url"),
                      ("pharos", "name"), ("child_line", "number"), ("child_line", "hours"),
                      ("police", "number"), ("emergency", "number")):
        assert " ".join(lookup(contacts, lang, name, key).split()) in page, (name, key)
    assert ("article 40" in page and "DSA" in page and "CRIP" in page)
    assert ("publiquement" if lang == "fr" else "publicly visible") in page
    html = client.get(url("case", case, lang)).get_data(as_text=True)
    assert f'href="{lookup(contacts, lang, "pharos", "url")}"' in html
    assert 'id="handoff-reference" value="" autocomplete="off" maxlength="120"' in html
    assert ("120 caractères au plus" if lang == "fr" else "at most 120 characters") in page
    assert 'name="platform" value="1"' in html and 'id="platform-evidence-2"' in html


def test_the_statistics_count_handoffs_and_outcomes_per_kind(app, client, case):
    second = new_report(client)
    hand_off(client, case)
    hand_off(client, case, **{"handoff-kind": "platform", "handoff-platform": "snapchat"})
    hand_off(client, second)
    first = handoffs(app)[0]
    client.post(handoff_url(case, number=first.id),
                data={f"handoff{first.id}-outcome": "account_closed",
                      f"handoff{first.id}-outcome_on": "2026-12-02"})
    table = client.get("/fr/etablissement/statistiques.csv").get_data(as_text=True)
    lines = set(table.splitlines())
    assert f"{UAI},handoff,helpline_3018,2" in lines and f"{UAI},handoff,platform,1" in lines
    assert f"{UAI},handoff_outcome,helpline_3018:account_closed,1" in lines
    assert f"{UAI},handoff_outcome,helpline_3018:pending,1" in lines
    assert f"{UAI},handoff_outcome,platform:pending,1" in lines
    assert "E-2026-4471" not in table
    page = text_of(client.get("/en/school/statistics"))
    assert "The 3018 (e-Enfance) — Account closed" in page
    assert "The 3018 (e-Enfance) — No outcome yet" in page


def test_deleting_a_closed_case_deletes_its_handoffs(app, client, case):
    hand_off(client, case)
    client.post(url("status", case), data={"status": "closed"})
    assert client.post(url("purge", case)).status_code == 303
    assert handoffs(app) == []
