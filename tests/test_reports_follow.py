"""Following a report with its code and secret: status, additions, nothing staff-internal,
and rate limits that make guessing hopeless."""

from __future__ import annotations

import re
import socket

import pytest
from sqlalchemy import select, update

from pont import create_app
from pont.reports.crypto import vault
from pont.reports.models import Report, ReportMessage
from pont.staff.models import StaffNote

from .reports_helpers import (
    ANSWERS,
    PATHS,
    limiter_off_fixture,  # noqa: F401
    png,
    receipt_codes,
    review,
    school_fixture,  # noqa: F401
    send,
    text_of,
)

LANGS = ["fr", "en"]


def sent_report(client, lang="fr", **changes) -> tuple[str, str]:
    return receipt_codes(send(client, lang, **changes))


def follow(client, code, secret, lang="fr"):
    return client.post(PATHS[lang]["follow"], data={"code": code, "secret": secret})


def add(client, code, secret, message, lang="fr", files=()):
    import io

    data = {"code": code, "secret": secret, "message": message}
    if files:
        data["screenshots"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(PATHS[lang]["add"], data=data, content_type="multipart/form-data")


def the_report(app) -> Report:
    with app.extensions["pont_sessionmaker"]() as session:
        return session.scalars(select(Report)).one()


@pytest.mark.parametrize("lang", LANGS)
def test_code_and_secret_open_the_report(client, school, lang):
    code, secret = sent_report(client, lang)
    response = follow(client, code, secret, lang)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = text_of(response)
    assert ANSWERS["description"] in text
    assert {"fr": "Reçu", "en": "Received"}[lang] in text
    assert "Collège des Tilleuls" in text


@pytest.mark.parametrize("typed", [
    lambda code, secret: (code.lower(), secret.lower()),
    lambda code, secret: (code.replace("-", ""), secret.replace("-", " ")),
    lambda code, secret: (f"  {code} ", secret.replace("V", "U")),
])
def test_codes_are_forgiving_about_case_spaces_and_lookalikes(client, school, typed):
    code, secret = sent_report(client)
    response = follow(client, *typed(code, secret))
    assert response.status_code == 200
    assert ANSWERS["description"] in text_of(response)


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_secret_or_unknown_code_is_refused_plainly(client, school, lang):
    code, secret = sent_report(client, lang)
    wrong_secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    for attempt in ((code, wrong_secret), ("ABCDE-FGHJK", secret), ("nonsense", "x"),
                    (code, "<script>alert(1)</script>")):
        response = follow(client, *attempt, lang=lang)
        assert response.status_code == 403
        text = text_of(response)
        assert {"fr": "n'ouvrent aucun signalement", "en": "do not open any report"}[lang] in text
        assert ANSWERS["description"] not in text
        # What was typed stays in the fields, escaped.
        page = response.get_data(as_text=True)
        assert f'value="{attempt[0]}"' in page
        assert "<script>alert" not in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_empty_follow_form_asks_for_both(client, school):
    response = follow(client, "", "", "en")
    assert response.status_code == 400
    text = text_of(response)
    assert "Please write the follow-up code." in text and "Please write the secret." in text


def test_no_page_shows_report_text_without_the_secret(app, client, school):
    code, _secret = sent_report(client, "en", description="Very private words 4242")
    for url in (PATHS["en"]["find"] + "?q=tilleuls", PATHS["en"]["form"], PATHS["en"]["poster"],
                PATHS["en"]["follow"], PATHS["en"]["follow"] + f"?code={code}", "/en/help"):
        assert "Very private words 4242" not in client.get(url).get_data(as_text=True), url
    assert "Very private words 4242" not in follow(client, code, "", "en").get_data(as_text=True)


def test_staff_notes_are_never_shown_to_the_reporter(app, client, school):
    code, secret = sent_report(client)
    report = the_report(app)
    with app.app_context(), app.extensions["pont_sessionmaker"]() as session:
        session.add(StaffNote(report_id=report.id,
                              body=vault().encrypt_text("Internal: parents called, see CPE")))
        session.add(ReportMessage(report_id=report.id, author="school",
                                  body=vault().encrypt_text("We have met your class.")))
        session.commit()
    page = text_of(follow(client, code, secret))
    assert "parents called" not in page
    assert "We have met your class." in page
    assert "Réponse de l'établissement" in page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("status", "words"), [
    ("in_progress", {"fr": "En cours de traitement", "en": "Being handled"}),
    ("closed", {"fr": "Clos", "en": "Closed"}),
])
def test_status_is_explained(app, client, school, lang, status, words):
    code, secret = sent_report(client, lang)
    with app.extensions["pont_sessionmaker"]() as session:
        session.execute(update(Report).values(status=status))
        session.commit()
    response = follow(client, code, secret, lang)
    assert words[lang] in text_of(response)
    if status == "closed":
        assert 'name="message"' not in response.get_data(as_text=True)
        refused = add(client, code, secret, "One more thing", lang)
        assert refused.status_code == 409
        assert ">One more thing</textarea>" in refused.get_data(as_text=True)
        with app.extensions["pont_sessionmaker"]() as session:
            assert session.scalars(select(ReportMessage)).all() == []
    else:
        assert 'name="message"' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
def test_reporter_adds_information_stored_encrypted(app, client, school, lang):
    code, secret = sent_report(client, lang)
    response = add(client, code, secret, "Il a recommencé hier soir <b>à 22 h</b>.", lang,
                   files=[("capture.png", png())])
    assert response.status_code == 200
    text = text_of(response)
    assert "Il a recommencé hier soir <b>à 22 h</b>." in text
    assert "&lt;b&gt;" in response.get_data(as_text=True)
    assert {"fr": "C'est ajouté", "en": "Added."}[lang] in text
    with app.app_context(), app.extensions["pont_sessionmaker"]() as session:
        report = session.scalars(select(Report)).one()
        (message,) = report.messages
        assert b"recommenc" not in message.body
        assert vault().decrypt_text(message.body).startswith("Il a recommencé")
        assert len(report.evidence) == 1
        assert report.updated_at >= report.created_at


@pytest.mark.parametrize("lang", LANGS)
def test_a_problem_while_adding_keeps_what_was_typed(client, school, lang):
    code, secret = sent_report(client, lang)
    empty = add(client, code, secret, "", lang)
    assert empty.status_code == 400
    assert {"fr": "Écris ce que tu veux ajouter.",
            "en": "Please write what you want to add."}[lang] in text_of(empty)
    bad_file = add(client, code, secret, "Voici une preuve", lang,
                   files=[("preuve.png", b"not an image at all")])
    assert bad_file.status_code == 400
    page = bad_file.get_data(as_text=True)
    assert ">Voici une preuve</textarea>" in page
    assert "preuve.png" in text_of(bad_file)
    wrong = add(client, code, "WRONG-SECRET-XXXXXX", "Mon texte à garder", lang)
    assert wrong.status_code == 403
    assert ">Mon texte à garder</textarea>" in wrong.get_data(as_text=True)


def test_get_on_the_add_address_leads_to_the_follow_page(client):
    response = client.get(PATHS["fr"]["add"])
    assert response.status_code == 303
    assert response.headers["Location"].endswith(PATHS["fr"]["follow"])


# Rate limits: their own app, with limits on -----------------------------------------------


def limited_app(app_config, **settings):
    return create_app({**app_config, "RATELIMIT_ENABLED": True, **settings})


def test_wrong_codes_are_limited_and_right_ones_are_not_counted(app_config, school):
    strict = limited_app(app_config, REPORT_CODE_LIMIT="5 per hour",
                         RATELIMIT_STORAGE_URI="memory://")
    client = strict.test_client()
    code, secret = sent_report(client)
    for _ in range(8):  # right answers never spend the budget
        assert follow(client, code, secret).status_code == 200
    for _ in range(5):
        assert follow(client, code, "AAAAAA-AAAAAA-AAAAAA").status_code == 403
    blocked = follow(client, code, secret)
    assert blocked.status_code == 429
    assert "Trop d'essais" in text_of(blocked)
    assert f'value="{code}"' in blocked.get_data(as_text=True)
    # The same budget covers the page that adds information, and the text stays.
    refused = add(client, code, secret, "texte à garder")
    assert refused.status_code == 429
    assert ">texte à garder</textarea>" in refused.get_data(as_text=True)
    strict.extensions["pont_engine"].dispose()


def test_sending_is_limited_per_client_and_keeps_the_text(app_config, school):
    strict = limited_app(app_config, REPORT_SEND_LIMIT="2 per hour",
                         RATELIMIT_STORAGE_URI="memory://")
    client = strict.test_client()
    assert send(client, "en").status_code == 200
    assert send(client, "en").status_code == 200
    third = send(client, "en", description="Third report, kept for copying")
    assert third.status_code == 429
    page = third.get_data(as_text=True)
    assert "Third report, kept for copying" in text_of(third)
    assert "3018" in text_of(third)
    assert 'value="Third report, kept for copying"' in page  # the Try again form carries it
    other_client = strict.test_client()
    other_client.environ_base["REMOTE_ADDR"] = "10.1.2.3"  # another client
    assert receipt_codes(send(other_client, "en"))  # a receipt, with its code and secret
    strict.extensions["pont_engine"].dispose()


def test_rate_limit_headers_say_how_long_to_wait(app_config, school):
    strict = limited_app(app_config, REPORT_CHECK_LIMIT="1 per hour",
                         RATELIMIT_STORAGE_URI="memory://")
    client = strict.test_client()
    assert review(client, "fr").status_code == 200
    again = review(client, "fr")
    assert again.status_code == 429
    assert int(again.headers["Retry-After"]) > 0
    assert ANSWERS["description"] in text_of(again)
    strict.extensions["pont_engine"].dispose()


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="Redis is not reachable on 127.0.0.1:6379")
def test_limits_hold_with_redis_storage_shared_by_processes(app_config, school):
    import redis

    prefix = f"pont-test-{socket.gethostname()}-{id(app_config)}"
    settings = {"REPORT_CODE_LIMIT": "3 per hour",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
                "RATELIMIT_KEY_PREFIX": prefix}
    # The limiter's storage puts a prefix of its own before ours.
    connection = redis.Redis(host="127.0.0.1", port=6379)
    # An earlier app of this process, with another prefix, found its Redis down: the new ones
    # must inherit neither.
    down = limited_app(app_config, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",
                       RATELIMIT_KEY_PREFIX="pont-test-other")
    assert follow(down.test_client(), "AAAAA-AAAAA", "AAAAAA-AAAAAA-AAAAAA").status_code == 403
    down.extensions["pont_engine"].dispose()
    first = limited_app(app_config, **settings)
    try:
        client = first.test_client()
        code, _secret = sent_report(client)
        for _ in range(3):
            assert follow(client, code, "AAAAAA-AAAAAA-AAAAAA").status_code == 403
        # A second app (another process in production) sees the same count in Redis.
        second = limited_app(app_config, **settings)
        assert follow(second.test_client(), code, "AAAAAA-AAAAAA-AAAAAA").status_code == 429
        second.extensions["pont_engine"].dispose()
        assert list(connection.scan_iter(f"*{prefix}*")), "the clean-up below must match"
    finally:
        first.extensions["pont_engine"].dispose()
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)


@pytest.mark.parametrize("lang", LANGS)
def test_the_school_s_newest_answer_comes_first_with_a_notice_at_the_top(app, client, school,
                                                                          lang):
    import datetime

    code, secret = sent_report(client, lang)
    report = the_report(app)
    with app.app_context(), app.extensions["pont_sessionmaker"]() as session:
        for minutes, author, text in ((10, "school", "Older answer."),
                                      (20, "reporter", "Something more."),
                                      (30, "school", "Newest answer.")):
            session.add(ReportMessage(
                report_id=report.id, author=author, body=vault().encrypt_text(text),
                created_at=report.created_at + datetime.timedelta(minutes=minutes)))
        session.commit()
    page = text_of(follow(client, code, secret, lang))
    notice = {"fr": "L'établissement t'a répondu.", "en": "The school has answered you."}[lang]
    sent = {"fr": "Ce que tu as envoyé", "en": "What you sent"}[lang]
    assert page.index(notice) < page.index(sent)
    assert page.index("Newest answer.") < page.index("Something more.") \
        < page.index("Older answer.")


def test_no_notice_before_the_school_answers(client, school):
    code, secret = sent_report(client, "en")
    assert "has answered you" not in text_of(follow(client, code, secret, "en"))


@pytest.mark.parametrize(("lang", "address", "words"), [
    ("fr", "/fr/suivi/recu", "Aucun reçu à afficher ici"),
    ("en", "/en/follow-up/receipt", "No receipt to show here"),
])
def test_the_receipt_page_after_a_reload_holds_nothing_from_the_server(client, school, lang,
                                                                        address, words):
    """The code and secret come back only from the tab that sent them (receipt.js)."""
    sent_report(client, lang)
    response = client.get(address)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert words in text_of(response)
    assert "data-copy " not in page and "data-copy>" not in page
    assert re.search(r'data-receipt-field="secret"[^>]*><code></code>', page)
    assert "receipt." in page and ".js" in page
