"""The report form, step by step, in both languages: every branch a reporter can take."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from pont import create_app
from pont.reports.crypto import vault
from pont.reports.models import Report

from .reports_helpers import (
    ANSWERS,
    PATHS,
    SCHOOL_NAME,
    UAI,
    add_school,
    limiter_off_fixture,  # noqa: F401
    receipt_codes,
    review,
    school_fixture,  # noqa: F401
    send,
    text_of,
    token_of,
)

LANGS = ["fr", "en"]
WORDS = {
    "fr": {"who": "Qui verra ce signalement", "fix": "Quelque chose est à corriger",
           "sent": "Ton signalement est envoyé", "required": "Réponds à cette question."},
    "en": {"who": "Who will see this", "fix": "Something needs fixing",
           "sent": "Your report has been sent", "required": "Please answer this question."},
}


def stored_reports(app) -> list[Report]:
    with app.extensions["pont_sessionmaker"]() as session:
        return list(session.scalars(select(Report)))


def count_reports(app) -> int:
    with app.extensions["pont_sessionmaker"]() as session:
        return session.scalar(select(func.count()).select_from(Report))


def decrypted(app, report: Report) -> dict:
    with app.app_context():
        return vault().decrypt_json(report.answers)


# Finding the school ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_find_a_school_by_name_or_town_without_accents(app, client, lang):
    add_school(app, "0699990J", "Collège Sainte-Thérèse", "Lyon")
    add_school(app, "0759991C", "Lycée Jean-Exemple", "Paris")
    for query in ("therese", "SAINTE thérèse", "lyon", "college lyon", "0699990j"):
        page = text_of(client.get(PATHS[lang]["find"], query_string={"q": query}))
        assert "Collège Sainte-Thérèse" in page, query
        assert "Jean-Exemple" not in page, query
    found = client.get(PATHS[lang]["find"], query_string={"q": "paris"}).get_data(as_text=True)
    assert f'href="/{lang}/{"signaler" if lang == "fr" else "report"}/0759991C"' in found


@pytest.mark.parametrize("lang", LANGS)
def test_school_search_explains_nothing_found_and_too_short(app, client, lang):
    add_school(app)
    none = client.get(PATHS[lang]["find"], query_string={"q": "zzzz"})
    assert none.status_code == 200
    assert {"fr": "Aucun établissement", "en": "No school matches"}[lang] in text_of(none)
    short = client.get(PATHS[lang]["find"], query_string={"q": "é"})
    assert short.status_code == 400
    assert {"fr": "au moins deux lettres", "en": "at least two letters"}[lang] in text_of(short)
    # Wildcards typed by someone are letters like any other, not patterns.
    assert SCHOOL_NAME not in text_of(client.get(PATHS[lang]["find"], query_string={"q": "%_%"}))


def test_help_page_links_to_the_form(client):
    assert 'href="/fr/signaler"' in client.get("/fr/aide").get_data(as_text=True)
    assert 'href="/en/report"' in client.get("/en/help").get_data(as_text=True)
    assert 'href="/en/follow-up"' in client.get("/en/help").get_data(as_text=True)


# The school's own link -------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_school_link_opens_the_form_with_the_school_chosen(client, school, lang):
    response = client.get(PATHS[lang]["form"])
    assert response.status_code == 200
    # Kept by the browser for its Back button (with what was typed), never by a shared cache.
    assert response.headers["Cache-Control"] == "private, no-cache"
    page = response.get_data(as_text=True)
    assert SCHOOL_NAME in text_of(response)
    assert f'action="{PATHS[lang]["form"]}"' in page
    for name in ("danger", "role", "kinds", "places", "in_school", "since", "how_often",
                 "contact"):
        assert f'name="{name}"' in page, name
    for name in ("description", "links", "place_detail", "other_kind", "contact_value"):
        assert f'id="{name}"' in page, name
    # The emergency numbers are on the form itself, next to the danger question.
    assert page.index('href="tel:17"') < page.index('name="role"')


def test_school_link_is_case_insensitive_and_canonical(client, school):
    response = client.get(f"/fr/signaler/{UAI.lower()}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/fr/signaler/{UAI}")


@pytest.mark.parametrize(("url", "lang"), [
    ("/fr/signaler/0759990C", "fr"), ("/en/report/12345", "en"),
    ("/en/report/%3Cscript%3E", "en"), ("/fr/signaler/0759990B/affiche/x", "fr"),
])
def test_unknown_school_is_a_404_in_the_page_language(client, school, url, lang):
    response = client.get(url)
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
def test_school_without_referent_says_so_instead_of_taking_reports(app, client, lang):
    add_school(app, "0759991C", "Lycée Jean-Exemple", referent=False)
    url = PATHS[lang]["form"].replace(UAI, "0759991C")
    response = client.get(url)
    assert response.status_code == 409
    page = text_of(response)
    assert "Lycée Jean-Exemple" in page and "3018" in page
    assert 'id="description"' not in response.get_data(as_text=True)
    refused = client.post(url, data=ANSWERS)
    assert refused.status_code == 409
    assert ANSWERS["description"] in text_of(refused)  # given back to copy
    assert count_reports(app) == 0


# Reading again before sending ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_read_again_step_shows_answers_who_will_see_and_sends_nothing(app, client, school, lang):
    response = review(client, lang)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    text = text_of(response)
    assert WORDS[lang]["who"] in text
    assert {"fr": "anonyme", "en": "anonymous"}[lang] in text
    assert ANSWERS["description"] in text
    # Everything typed travels to the next step, with a one-time token and the file field.
    for name, value in ANSWERS.items():
        for item in value if isinstance(value, list) else [value]:
            assert re.search(rf'name="{name}" value="{re.escape(item)}"',
                             page.replace("&#39;", "'").replace("&#34;", '"')), name
    assert token_of(response)
    assert 'type="file" name="screenshots"' in page
    assert f'action="{PATHS[lang]["send"]}"' in page
    assert count_reports(app) == 0


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("danger", ["yes", "unsure"])
def test_danger_now_shows_the_emergency_numbers_first(client, school, lang, danger):
    page = review(client, lang, danger=danger).get_data(as_text=True)
    main = page[page.index("<main"):]
    urgent = main.index('class="report-danger urgent"')
    assert urgent < main.index("<h1") < main.index('action="' + PATHS[lang]["send"])
    for number in ("17", "112"):
        assert main.index(f'href="tel:{number}"') < main.index("<h1")
    assert main.index('href="sms:114"') < main.index("<h1")


@pytest.mark.parametrize("lang", LANGS)
def test_no_danger_keeps_the_page_calm(client, school, lang):
    page = review(client, lang, danger="no").get_data(as_text=True)
    assert "report-danger urgent" not in page


@pytest.mark.parametrize("lang", LANGS)
def test_change_something_goes_back_to_the_form_with_everything(app, client, school, lang):
    response = client.post(PATHS[lang]["form"], data={**ANSWERS, "edit": "1",
                                                      "token": "x" * 32})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ANSWERS["description"].replace("'", "&#39;") in page
    assert re.search(r'name="kinds" id="kinds-insults" value="insults"\s*checked', page)
    assert re.search(r'name="role" id="role-target" value="target"\s*checked', page)
    assert WORDS[lang]["fix"] not in text_of(response)
    assert count_reports(app) == 0


# Who is reporting -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", ["target", "witness", "parent", "staff", "staff_target"])
def test_every_kind_of_reporter_can_send(app, client, school, lang, role):
    response = send(client, lang, role=role)
    assert response.status_code == 200
    assert WORDS[lang]["sent"] in text_of(response)
    (report,) = stored_reports(app)
    assert decrypted(app, report)["role"] == role
    assert report.language == lang


@pytest.mark.parametrize("kind", ["insults", "rumours", "exclusion", "impersonation", "images",
                                  "threats", "other"])
def test_every_kind_of_harm_is_stored(app, client, school, kind):
    assert send(client, "en", kinds=[kind], other_kind="doxxing").status_code == 200
    answers = decrypted(app, stored_reports(app)[0])
    assert answers["kinds"] == [kind]
    assert answers["other_kind"] == "doxxing"


# Validation: clear messages, nothing typed lost -----------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_missing_answers_are_listed_and_everything_typed_is_kept(app, client, school, lang):
    response = review(client, lang, danger=None, role=None, kinds=None, description="",
                      place_detail="le groupe <b>4eB</b>", links="https://exemple.fr/x")
    assert response.status_code == 400
    text = text_of(response)
    page = response.get_data(as_text=True)
    assert WORDS[lang]["fix"] in text
    assert text.count(WORDS[lang]["required"]) >= 2
    assert {"fr": "Coche au moins une case.", "en": "Please tick at least one box."}[lang] in text
    assert 'href="#danger-yes"' in page and 'href="#description"' in page
    # What was typed or ticked is all still there.
    assert 'value="le groupe &lt;b&gt;4eB&lt;/b&gt;"' in page
    assert ">https://exemple.fr/x</textarea>" in page
    assert re.search(r'value="snapchat"\s*checked', page)
    assert re.search(r'value="weeks"\s*checked', page)
    assert 'aria-invalid="true"' in page
    assert count_reports(app) == 0


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("field", "value", "message"), [
    ("role", "headteacher", {"fr": "Qui es-tu ? — N'est pas un choix valide",
                             "en": "Who are you? — Not a valid choice"}),
    ("danger", "maybe", {"fr": "en danger en ce moment ? — N'est pas un choix valide",
                         "en": "in danger right now? — Not a valid choice"}),
    ("kinds", ["insults", "nothing"], {"fr": "« nothing » n'est pas un choix valide",
                                       "en": "'nothing' is not a valid choice"}),
    ("description", "x" * 8001, {"fr": "8000 caractères", "en": "8000 characters"}),
    ("links", "hello world", {"fr": "La ligne 1", "en": "Line 1"}),
    ("links", "https://ok.fr/a\njavascript:alert(1)", {"fr": "La ligne 2", "en": "Line 2"}),
    ("links", "\n".join(f"https://ex.fr/{n}" for n in range(21)), {"fr": "20", "en": "20"}),
])
def test_bad_answers_get_a_clear_message(app, client, school, lang, field, value, message):
    response = review(client, lang, **{field: value})
    assert response.status_code == 400
    assert message[lang] in text_of(response)
    assert f'href="#{field}' in response.get_data(as_text=True)
    assert count_reports(app) == 0


def test_links_typed_without_https_are_completed(app, client, school):
    links = "www.tiktok.com/@exemple\n\n  https://x.fr/a  "
    assert send(client, "fr", links=links).status_code == 200
    answers = decrypted(app, stored_reports(app)[0])
    assert answers["links"] == ["https://www.tiktok.com/@exemple", "https://x.fr/a"]


# Being contacted, or not ----------------------------------------------------------------


def test_anonymous_report_keeps_no_contact(app, client, school):
    response = send(client, "fr", contact="none", contact_value="ignored@example.org")
    assert response.status_code == 200
    (report,) = stored_reports(app)
    assert report.contact is None and not report.contact_requested
    assert b"ignored@example.org" not in report.answers


@pytest.mark.parametrize(("method", "value"), [
    ("email", "parent@example.org"), ("phone", "+33 6 12 34 56 78"), ("school", "Léa, 4eB"),
])
def test_contact_details_are_kept_encrypted_when_asked(app, client, school, method, value):
    assert send(client, "en", contact=method, contact_value=value).status_code == 200
    (report,) = stored_reports(app)
    assert report.contact_requested
    assert value.encode() not in report.contact
    with app.app_context():
        assert vault().decrypt_json(report.contact) == {"method": method, "value": value}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("method", "value", "message"), [
    ("email", "", {"fr": "adresse e-mail à utiliser", "en": "e-mail address to use"}),
    ("email", "not-an-address", {"fr": "adresse e-mail", "en": "e-mail address"}),
    ("phone", "call me", {"fr": "numéro de téléphone", "en": "phone number"}),
    ("phone", "12", {"fr": "numéro de téléphone", "en": "phone number"}),
    ("school", "", {"fr": "prénom et ta classe", "en": "first name and class"}),
])
def test_contact_needs_a_usable_way_to_reach(client, school, lang, method, value, message):
    response = review(client, lang, contact=method, contact_value=value)
    assert response.status_code == 400
    assert message[lang] in text_of(response)
    assert re.search(rf'value="{method}"\s*checked', response.get_data(as_text=True))


# Sending --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sending_gives_a_receipt_with_code_secret_and_next_steps(app, client, school, lang):
    response = send(client, lang)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code, secret = receipt_codes(response)
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}", code)
    assert re.fullmatch(r"([2-9A-HJKMNP-TV-Z]{6}-){2}[2-9A-HJKMNP-TV-Z]{6}", secret)
    text = text_of(response)
    assert "3018" in text
    assert {"fr": "Et maintenant", "en": "What happens next"}[lang] in text
    assert f'href="{PATHS[lang]["follow"]}"' in response.get_data(as_text=True)
    (report,) = stored_reports(app)
    assert report.code == code.replace("-", "")
    assert report.status == "received" and report.danger == "no"
    assert secret.replace("-", "") not in report.secret_hash


def test_sending_the_same_form_twice_stores_it_once(app, client, school):
    token = token_of(review(client, "fr"))
    first = send(client, "fr", token=token)
    again = send(client, "fr", token=token)
    assert again.status_code == 200
    assert "déjà été envoyé" in text_of(again)
    assert receipt_codes(first)[0] in text_of(again)
    assert "data-copy" not in again.get_data(as_text=True)  # the secret is never shown again
    assert count_reports(app) == 1


def test_get_on_the_send_address_leads_back_to_the_form(client, school):
    response = client.get(PATHS["en"]["send"])
    assert response.status_code == 303
    assert response.headers["Location"].endswith(PATHS["en"]["form"])


def test_a_forged_send_without_token_is_refused_and_kept(app, client, school):
    response = client.post(PATHS["en"]["send"], data={**ANSWERS, "token": "<bad>"},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert ANSWERS["description"] in text_of(response)
    assert count_reports(app) == 0


# CSRF -----------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(app_config):
    csrf_app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield csrf_app
    csrf_app.extensions["pont_engine"].dispose()


def csrf_token_of(response) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                     r'name="csrf_token" value="([^"]+)"',
                     response.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("lang", LANGS)
def test_csrf_is_required_and_a_failure_keeps_the_text(csrf_app, school, lang):
    client = csrf_app.test_client()
    refused = client.post(PATHS[lang]["form"], data=ANSWERS)
    assert refused.status_code == 400
    text = text_of(refused)
    assert ANSWERS["description"] in text
    assert {"fr": "cette page avait expiré", "en": "this page had expired"}[lang] in text
    forged = client.post(PATHS[lang]["send"], data={**ANSWERS, "token": "t" * 32},
                         content_type="multipart/form-data")
    assert forged.status_code == 400
    assert ANSWERS["description"] in text_of(forged)
    assert count_reports(csrf_app) == 0
    # The same person, with the page's token, gets through both steps.
    token = csrf_token_of(client.get(PATHS[lang]["form"]))
    checked = client.post(PATHS[lang]["form"], data={**ANSWERS, "csrf_token": token})
    assert checked.status_code == 200
    sent = client.post(PATHS[lang]["send"], content_type="multipart/form-data",
                       data={**ANSWERS, "csrf_token": csrf_token_of(checked),
                             "token": token_of(checked)})
    assert sent.status_code == 200
    assert count_reports(csrf_app) == 1


def test_french_sentences_never_put_a_school_name_after_de_a_or_pour():
    """« de Collège des Tilleuls » is wrong and « du collège » cannot be built from a name:
    every French sentence that inserts a school's name uses a construction that is always right
    (« l'établissement : Collège des Tilleuls », a parenthesis, a dash)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).parents[1] / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    wrong = []
    for message in catalog:
        for text in (message.string if isinstance(message.string, tuple)
                     else (message.string,)):
            if re.search(r"\b(de|du|à|au|pour|chez|par)\s+(%\(school\)s|\{school\})", text or ""):
                wrong.append(text)
    assert wrong == []


@pytest.mark.parametrize("lang, words", [
    ("fr", "Il est arrivé chez les référents de l'établissement\u00a0: Collège des Tilleuls."),
    ("en", "It has reached the referents of Collège des Tilleuls."),
])
def test_the_receipt_names_the_school_in_a_sentence_that_is_always_right(client, school, lang,
                                                                         words):
    assert words in send(client, lang).get_data(as_text=True)
