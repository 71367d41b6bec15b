"""Live class sessions, end to end through the test client: start, join, play, reveal, summary,
and every kind of bad input (a clear 4xx, never a 500, never counted twice)."""

from __future__ import annotations

import datetime
import html
import re
import time

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from pont import create_app
from pont.extensions import limiter
from pont.live import cleanup, pseudonyms
from pont.live.models import LiveAnswer, LiveSession, Participant
from pont.quizzes.models import OptionCount, QuestionCount

START = {"fr": "/fr/classe/nouvelle/eleves/{slug}", "en": "/en/class/new/pupils/{slug}"}
JOIN = {"fr": "/fr/classe", "en": "/en/class"}
HOST = {"fr": "/fr/classe/{code}/animer", "en": "/en/class/{code}/host"}


@pytest.fixture
def module(library):
    """A pupils' quiz whose first question has a single answer and a wrong option."""
    return next(m for m in library.audience("fr", "pupils")
                if m.quiz and len(m.quiz.questions) >= 3 and not m.quiz.questions[0].multiple)


def text(response) -> str:
    """What the page shows: a pupil's page without the steps to come (inert templates)."""
    page = html.unescape(response.get_data(as_text=True))
    shown, views, _ = page.partition("<div data-live-views>")
    return shown + page[page.index("</main>"):] if views else page


def start(client, module, lang="fr") -> str:
    response = client.post(START[lang].format(slug=module.slug))
    assert response.status_code == 303
    return re.search(r"/([A-Z0-9]{6})/", response.headers["Location"]).group(1)


def join(client, code, lang="fr"):
    response = client.post(JOIN[lang], data={"code": code})
    assert response.status_code == 303, text(response)
    return response


def step(client, code, action, lang="fr"):
    page = client.get(HOST[lang].format(code=code)).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    return client.post(HOST[lang].format(code=code), data={"action": action, "version": version})


def answer(client, code, question, *options, lang="fr"):
    return client.post(f"{JOIN[lang]}/{code}",
                       data={"question": question.id, "option": list(options)})


def wrong(question):
    return next(o for o in question.options if not o.correct)


def right(question):
    return next(o for o in question.options if o.correct)


def row(app, code) -> LiveSession:
    with app.extensions["pont_sessionmaker"]() as db:
        return db.scalar(select(LiveSession).where(LiveSession.code == code))


def count(app, model, **where) -> int:
    with app.extensions["pont_sessionmaker"]() as db:
        return db.scalar(select(func.count()).select_from(model).filter_by(**where))


def pseudonym_of(page) -> str:
    page = page if isinstance(page, str) else text(page)
    return re.search(r'class="pseudonym">([^<]+)<', page).group(1)


def has(pattern: str, page: str) -> bool:
    """`pattern` is in the page, any space in it matching any space (French uses no-break ones)."""
    return re.search(r"\s".join(map(re.escape, pattern.split(" "))), page) is not None


# Starting ----------------------------------------------------------------------------------

def test_module_and_lesson_pages_link_to_the_start_page_without_a_form(client, module, library):
    page = client.get(f"/fr/eleves/{module.slug}").get_data(as_text=True)
    assert START["fr"].format(slug=module.slug) in page
    if library.lesson("fr", module.slug):
        lesson = client.get(f"/fr/enseignants/fiches/{module.slug}").get_data(as_text=True)
        assert START["fr"].format(slug=module.slug) in lesson
    home = client.get("/en/").get_data(as_text=True)
    assert 'href="/en/class"' in home


def test_start_page_holds_the_form_and_creates_a_session(client, module):
    page = client.get(START["en"].format(slug=module.slug))
    assert page.status_code == 200
    assert 'method="post"' in page.get_data(as_text=True)
    # Only the CSRF token's session cookie: no session exists before the button is pressed.
    assert "pont_live" not in str(page.headers.getlist("Set-Cookie"))
    code = start(client, module, "en")
    live = row(client.application, code)
    assert (live.audience, live.module, live.phase, live.lang) == (
        "pupils", module.slug, "lobby", "en")


def test_the_teacher_secret_is_an_httponly_cookie_scoped_to_live_pages(client, module):
    response = client.post(START["fr"].format(slug=module.slug))
    cookies = response.headers.getlist("Set-Cookie")
    assert {re.search(r"Path=([^;]+)", c).group(1) for c in cookies} == {"/fr/classe",
                                                                         "/en/class"}
    assert all("HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    code = re.search(r"/([A-Z0-9]{6})/", response.headers["Location"]).group(1)
    secret = URLSafeSerializer(client.application.secret_key, salt="pont-live").loads(
        client.get_cookie("pont_live", path="/fr/classe").value)["t"][code][0]
    stored = row(client.application, code).teacher_digest
    assert secret not in stored and len(stored) == 64


def test_the_teacher_screen_shows_code_url_and_qr(client, module):
    code = start(client, module)
    page = client.get(HOST["fr"].format(code=code))
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"{code[:3]}&#8239;{code[3:]}" in body
    assert f"http://localhost/fr/classe/{code}" in body
    assert '<svg role="img" viewBox=' in body and "<title>QR code pour rejoindre" in body
    assert "style=" not in body and "<script>" not in body


def test_a_start_page_for_a_module_without_quiz_or_unknown_is_404(client):
    assert client.get("/fr/classe/nouvelle/eleves/nope").status_code == 404
    assert client.post("/en/class/new/pupils/nope").status_code == 404
    assert client.get("/fr/classe/nouvelle/pupils/x").status_code == 404


def test_a_teacher_reopens_a_session_from_the_same_browser(client, module):
    code = start(client, module)
    page = client.get(START["fr"].format(slug=module.slug)).get_data(as_text=True)
    assert HOST["fr"].format(code=code) in page
    assert HOST["fr"].format(code=code) in client.get("/fr/classe").get_data(as_text=True)


# The whole flow ----------------------------------------------------------------------------

def test_a_whole_session(app, module):
    teacher, pupils = app.test_client(), [app.test_client() for _ in range(3)]
    code = start(teacher, module)
    for pupil in pupils:
        join(pupil, code)
    names = [pseudonym_of(p.get(f"/fr/classe/{code}")) for p in pupils]
    assert len(set(names)) == 3
    lobby = text(teacher.get(HOST["fr"].format(code=code)))
    assert all(name in lobby for name in names)
    assert "3 élèves ont rejoint la séance." in lobby

    waiting = text(pupils[0].get(f"/fr/classe/{code}"))
    assert "Attends que ton enseignant" in waiting and 'name="option"' not in waiting

    assert step(teacher, code, "start").status_code == 303
    first = module.quiz.questions[0]
    page = text(pupils[0].get(f"/fr/classe/{code}"))
    assert first.prompt in page and 'name="option"' in page
    assert right(first).feedback not in page  # no answer shown before the reveal

    assert answer(pupils[0], code, first, right(first).id).status_code == 303
    assert answer(pupils[1], code, first, wrong(first).id).status_code == 303
    saved = text(pupils[0].get(f"/fr/classe/{code}"))
    assert "Ta réponse est enregistrée." in saved and 'name="option"' not in saved

    host = text(teacher.get(HOST["fr"].format(code=code)))
    assert "2 élèves sur 3 ont répondu" in host
    assert "Bonne réponse" not in host

    assert step(teacher, code, "reveal").status_code == 303
    host = text(teacher.get(HOST["fr"].format(code=code)))
    assert has("1 réponse · 50 %", host)
    assert "✓ Bonne réponse\u00a0:" in host
    for option in first.options:
        assert option.feedback in host
    for prompt in first.discuss:
        assert prompt in host
    pupil_view = text(pupils[1].get(f"/fr/classe/{code}"))
    assert wrong(first).feedback in pupil_view and right(first).feedback in pupil_view
    assert "(ta réponse)" in pupil_view and "(your answer)" not in pupil_view

    for position in range(1, len(module.quiz.questions)):
        assert step(teacher, code, "next").status_code == 303
        question = module.quiz.questions[position]
        assert question.prompt in text(pupils[0].get(f"/fr/classe/{code}"))
        answer(pupils[0], code, question, right(question).id)
        assert step(teacher, code, "reveal").status_code == 303
    assert step(teacher, code, "finish").status_code == 303

    summary = text(teacher.get(HOST["fr"].format(code=code)))
    assert "Résultats de la classe" in summary
    assert has("50 % de bonnes réponses, sur 2 réponses", summary)
    assert has("100 % de bonnes réponses, sur 1 réponse", summary)
    assert not any(name in summary for name in names)  # no ranking, no names
    pupil_summary = text(pupils[2].get(f"/fr/classe/{code}"))
    assert "Le quiz est terminé" in pupil_summary and has("50 %", pupil_summary)


def test_answers_reach_the_anonymous_counters_once(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    for _ in range(3):
        answer(pupil, code, first, right(first).id)
    assert count(app, LiveAnswer) == 1
    # The session's answers reach the counters when it ends, in one addition.
    assert count(app, QuestionCount) == 0
    page = text(teacher.get(HOST["fr"].format(code=code)))
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    finish = {"action": "finish", "version": version}
    assert teacher.post(HOST["fr"].format(code=code), data=finish).status_code == 303
    assert teacher.post(HOST["fr"].format(code=code), data=finish).status_code == 409  # once
    where = {"audience": "pupils", "module": module.slug, "question": first.id}
    with app.extensions["pont_sessionmaker"]() as db:
        counts = db.scalar(select(QuestionCount).filter_by(**where))
        assert (counts.answered, counts.right) == (1, 1)
        option = db.scalar(select(OptionCount).filter_by(**where, option=right(first).id))
        assert option.count == 1


def test_a_late_pupil_lands_on_the_current_question(app, module):
    teacher, early, late = app.test_client(), app.test_client(), app.test_client()
    code = start(teacher, module)
    join(early, code)
    step(teacher, code, "start")
    step(teacher, code, "next")
    join(late, code)
    page = text(late.get(f"/fr/classe/{code}"))
    assert "Question 2 sur" in page and module.quiz.questions[1].prompt in page


def test_the_live_part_is_the_page_without_the_site_around_it(app, module):
    """live.js updates a page in place from `?part=live`: the same live element and title,
    without the header, navigation and footer; a form sent for it answers with that part."""
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    step(teacher, code, "start")
    for client, address in ((pupil, f"/fr/classe/{code}"), (teacher, HOST["fr"].format(code=code))):
        whole, part = text(client.get(address)), text(client.get(address + "?part=live"))
        live = re.search(r"<div class=\"live .*?(?=\s*</main>)", whole, re.S).group(0)
        assert live.strip() in part
        assert re.search(r"<title>.*</title>", whole).group(0) in part
        assert "site-header" in whole and "site-header" not in part
        assert "site-footer" not in part and "pont.css" not in part
    first = module.quiz.questions[0]
    sent = text(pupil.post(f"/fr/classe/{code}?part=live",
                           data={"question": first.id, "option": [right(first).id]}))
    assert "Ta réponse est enregistrée." in sent and "site-header" not in sent
    version = re.search(r'name="version" value="(\d+)"', text(teacher.get(
        HOST["fr"].format(code=code)))).group(1)
    moved = teacher.post(HOST["fr"].format(code=code) + "?projector=1&part=live",
                         data={"action": "reveal", "version": version})
    assert moved.status_code == 200 and "site-header" not in text(moved)
    assert 'class="live live-host is-projector"' in text(moved)
    assert has("1 élève sur 1 a répondu", text(moved))  # the reveal, counted


def views_of(page: str) -> dict[str, str]:
    """A pupil page's templates of the steps to come, by name (phase-position)."""
    return dict(re.findall(r'<template data-view="([a-z]+-\d+)"[^>]*>(.*?)</template>', page, re.S))


def test_a_pupil_page_holds_the_steps_to_come(app, module):
    """live.js shows the next question and the answer from templates, without a request: the
    page holds every step after the current one, and the answer's part holds its reveal."""
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    questions = module.quiz.questions
    lobby = html.unescape(pupil.get(f"/fr/classe/{code}").get_data(as_text=True))
    views = views_of(lobby)
    assert set(views) == {f"{phase}-{n}" for n in range(len(questions))
                          for phase in ("question", "reveal")}
    assert questions[1].prompt in views["question-1"] and 'name="option"' in views["question-1"]
    assert 'name="csrf_token" value="' in views["question-1"]
    assert "pas répondu à cette question." in views["reveal-1"]
    assert re.search(r'data-title="Question 2 sur \d+"', lobby)
    # live.js keeps the rest of the page's title: the module and the site.
    assert f"<title>Séance en classe · {module.title} · Pont</title>" in lobby

    step(teacher, code, "start")
    first = questions[0]
    sent = html.unescape(pupil.post(f"/fr/classe/{code}?part=live", data={
        "question": first.id, "option": [right(first).id]}).get_data(as_text=True))
    assert "data-live-views" not in sent  # a part replaces the current step only
    assert list(views_of(sent)) == ["reveal-0"]
    assert "Bonne réponse, bravo" in views_of(sent)["reveal-0"]
    later = views_of(html.unescape(pupil.get(f"/fr/classe/{code}").get_data(as_text=True)))
    assert "question-0" not in later and "question-1" in later
    assert "Bonne réponse, bravo" in later["reveal-0"]  # in the region: found first
    # Option ids stay unique across the templates (a label must point at its own input).
    ids = re.findall(r'id="(option-[^"]+)"', lobby)
    assert len(ids) == len(set(ids)) == sum(len(q.options) for q in questions)


def test_a_reload_or_a_lost_tab_keeps_the_pseudonym_and_the_answer(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    name = pseudonym_of(pupil.get(f"/fr/classe/{code}"))
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    answer(pupil, code, first, wrong(first).id)
    for _ in range(2):
        page = pupil.get(f"/fr/classe/{code}")
        assert pseudonym_of(page) == name
        assert wrong(first).text in text(page) and "Ta réponse est enregistrée." in text(page)
    # Coming back through the join page with the same code keeps the same pupil.
    join(pupil, code)
    assert count(app, Participant) == 1
    assert f"/fr/classe/{code}" in pupil.get("/fr/classe").get_data(as_text=True)


def test_each_viewer_sees_their_own_language(app, module, library):
    english = library.module("en", "pupils", module.slug)
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code, lang="en")
    step(teacher, code, "start")
    page = text(pupil.get(f"/en/class/{code}"))
    assert english.quiz.questions[0].prompt in page
    name = pseudonym_of(page)
    live_row = row(app, code)
    with app.extensions["pont_sessionmaker"]() as db:
        pid = db.scalar(select(Participant.pseudonym).where(Participant.session_id == live_row.id))
    assert name == pseudonyms.label(pid, "en")
    assert pseudonym_of(pupil.get(f"/fr/classe/{code}")) == pseudonyms.label(pid, "fr")
    assert module.quiz.questions[0].prompt in text(teacher.get(HOST["fr"].format(code=code)))


def test_lowercase_code_in_the_address_is_redirected(app, module):
    code = start(app.test_client(), module)
    response = app.test_client().get(f"/fr/classe/{code.lower()}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/fr/classe/{code}")
    assert app.test_client().get(f"/fr/classe?code={code.lower()}").status_code == 303


def test_the_blank_join_page_is_shared_but_each_browser_gets_its_own_token(app):
    pages = [html.unescape(app.test_client().get("/fr/classe").get_data(as_text=True))
             for _ in range(2)]
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1] and "\ue000" not in pages[0]
    assert pages[0].replace(tokens[0], "") == pages[1].replace(tokens[1], "")


def test_a_visitor_who_has_not_joined_gets_a_join_button_not_a_seat(app, module):
    code = start(app.test_client(), module)
    page = app.test_client().get(f"/en/class/{code}")
    assert page.status_code == 200
    body = text(page)
    assert f'value="{code[:3]} {code[3:]}"' in body and 'action="/en/class"' in body
    assert count(app, Participant) == 0


# Polling -----------------------------------------------------------------------------------

def test_the_pupil_poll_is_conditional(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    first = pupil.get(f"/fr/classe/{code}/etat")
    assert first.status_code == 200 and first.json["phase"] == "lobby"
    etag = first.headers["ETag"]
    # The same for every pupil: a reverse proxy may share it for a second, browsers revalidate.
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert "Set-Cookie" not in first.headers and "Cookie" not in first.headers.get("Vary", "")
    same = pupil.get(f"/en/class/{code}/state", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.data == b""
    join(app.test_client(), code)  # a join does not change what pupils see
    assert pupil.get(f"/fr/classe/{code}/etat",
                     headers={"If-None-Match": etag}).status_code == 304
    step(teacher, code, "start")
    changed = pupil.get(f"/fr/classe/{code}/etat", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert (changed.json["phase"], changed.json["position"]) == ("question", 0)
    assert changed.headers["ETag"] != etag


def test_the_teacher_poll_counts_and_changes_with_each_answer(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    step(teacher, code, "start")
    url = f"/fr/classe/{code}/animer/etat"
    before = teacher.get(url)
    assert before.json["participants"] == 1 and before.json["answered"] == 0
    assert teacher.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    first = module.quiz.questions[0]
    answer(pupil, code, first, right(first).id)
    after = teacher.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.json["answered"] == 1 and after.json["options"][right(first).id] == 1
    assert "private" in after.headers["Cache-Control"]
    # The parts of the screen that show the counts come with it: no page to fetch.
    parts = after.json["parts"]
    assert after.json["step"] == before.json["step"] and set(parts) == {"tally", "roster"}
    assert has("1 élève sur 1 a répondu", html.unescape(parts["tally"]))
    assert pseudonym_of(pupil.get(f"/fr/classe/{code}")) in html.unescape(parts["roster"])
    screen = text(teacher.get(HOST["fr"].format(code=code)))
    for name, part in parts.items():  # the same as the screen's own
        assert f'<div data-live-part="{name}">{html.unescape(part)}</div>' in screen


def test_the_teacher_poll_in_the_lobby_sends_the_headcount(app, module):
    teacher = app.test_client()
    code = start(teacher, module)
    join(app.test_client(), code)
    parts = teacher.get(f"/en/class/{code}/host/state").json["parts"]
    assert set(parts) == {"count", "roster"} and "1 pupil has joined." in parts["count"]


def test_polls_for_unknown_or_expired_sessions_answer_in_json(app, module):
    for url in ("/fr/classe/CDF479/etat", "/fr/classe/nope/etat", "/en/class/CDF479/host/state"):
        response = app.test_client().get(url)
        assert response.status_code == 404 and response.json == {"error": "unknown"}
    code = start(app.test_client(), module)
    assert app.test_client().get(f"/en/class/{code}/host/state").status_code == 403
    age(app, code, hours=5)
    assert app.test_client().get(f"/en/class/{code}/state").json == {"error": "expired"}


# Bad input ---------------------------------------------------------------------------------

def test_an_answer_to_another_question_is_refused_and_not_counted(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    first, second = module.quiz.questions[:2]
    early = answer(pupil, code, first, right(first).id)  # before the start
    assert early.status_code == 409
    step(teacher, code, "start")
    ahead = answer(pupil, code, second, right(second).id)
    assert ahead.status_code == 409 and "Cette question est close" in text(ahead)
    step(teacher, code, "reveal")
    late = answer(pupil, code, first, right(first).id)
    assert late.status_code == 409
    unknown = pupil.post(f"/fr/classe/{code}", data={"question": "nope", "option": "x"})
    assert unknown.status_code == 409
    assert count(app, LiveAnswer) == 0 and count(app, QuestionCount) == 0


@pytest.mark.parametrize("options", [[], [""], ["no-such-option"], ["<b>x</b>"]])
def test_an_empty_or_unknown_choice_shows_the_question_again(app, module, options):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    response = answer(pupil, code, first, *options)
    assert response.status_code == 400
    page = text(response)
    assert 'role="alert"' in page and first.prompt in page and 'name="option"' in page
    assert count(app, LiveAnswer) == 0


def test_two_options_on_a_one_answer_question_are_refused(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    both = [o.id for o in first.options[:2]]
    response = answer(pupil, code, first, *both)
    assert response.status_code == 400
    # What the pupil ticked is still ticked.
    assert all(re.search(rf'value="{o}"\s+id="option-1-{o}" checked', response.get_data(
        as_text=True)) for o in both)
    assert count(app, LiveAnswer) == 0


def test_forged_or_missing_pupil_tokens_are_refused(app, module):
    teacher = app.test_client()
    code = start(teacher, module)
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    stranger = app.test_client()
    assert answer(stranger, code, first, right(first).id).status_code == 403
    forged = app.test_client()
    value = URLSafeSerializer(app.secret_key, salt="pont-live").dumps(
        {"p": {code: ["made-up-token", int(time.time())]}})
    forged.set_cookie("pont_live", value, path="/fr/classe")
    assert answer(forged, code, first, right(first).id).status_code == 403
    badly_signed = app.test_client()
    badly_signed.set_cookie("pont_live", value[:-3] + "abc", path="/fr/classe")
    assert answer(badly_signed, code, first, right(first).id).status_code == 403
    assert count(app, LiveAnswer) == 0


def test_a_pupil_token_for_one_session_does_not_work_in_another(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    one, two = start(teacher, module), start(teacher, module)
    join(pupil, one)
    token = URLSafeSerializer(app.secret_key, salt="pont-live").loads(
        pupil.get_cookie("pont_live", path="/fr/classe").value)["p"][one][0]
    step(teacher, two, "start")
    value = URLSafeSerializer(app.secret_key, salt="pont-live").dumps(
        {"p": {two: [token, int(time.time())]}})
    thief = app.test_client()
    thief.set_cookie("pont_live", value, path="/fr/classe")
    first = module.quiz.questions[0]
    assert answer(thief, two, first, right(first).id).status_code == 403


def test_teacher_actions_need_the_teacher_secret(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    for client in (pupil, app.test_client()):
        page = client.get(HOST["fr"].format(code=code))
        assert page.status_code == 403 and "Seul le navigateur" in text(page)
        posted = client.post(HOST["fr"].format(code=code),
                             data={"action": "start", "version": "1"})
        assert posted.status_code == 403
        assert client.get(f"/fr/classe/{code}/animer/etat").status_code == 403
    forged = app.test_client()
    forged.set_cookie("pont_live", URLSafeSerializer(app.secret_key, salt="pont-live").dumps(
        {"t": {code: ["guess", int(time.time())]}}), path="/fr/classe")
    assert forged.post(HOST["fr"].format(code=code),
                       data={"action": "start", "version": "1"}).status_code == 403
    assert row(app, code).phase == "lobby"


@pytest.mark.parametrize(("data", "status"), [
    ({"action": "explode", "version": "1"}, 400),
    ({"action": "start"}, 400),
    ({"action": "start", "version": "x"}, 400),
    ({"action": "start", "version": "99999999999999999999"}, 400),
    ({"action": "remove", "participant": "abc"}, 404),
    ({"action": "remove", "participant": "2147483648999"}, 404),
    ({"action": "remove", "participant": "424242"}, 404),
    ({"action": "reveal", "version": "1"}, 409),  # nothing to reveal in the lobby
    ({}, 400),
])
def test_bad_teacher_forms_are_clear_4xx(client, module, data, status):
    code = start(client, module)
    response = client.post(HOST["fr"].format(code=code), data=data)
    assert response.status_code == status
    assert "Traceback" not in text(response) and 'role="alert"' in text(response)
    assert row(client.application, code).phase == "lobby"


def test_a_double_click_moves_on_only_once(app, module):
    teacher = app.test_client()
    code = start(teacher, module)
    step(teacher, code, "start")
    page = teacher.get(HOST["fr"].format(code=code)).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    statuses = [teacher.post(HOST["fr"].format(code=code),
                             data={"action": "next", "version": version}).status_code
                for _ in range(3)]
    assert statuses == [303, 409, 409]  # the repeats are refused, with a way back
    assert row(app, code).position == 1
    assert 'role="alert"' in text(teacher.post(HOST["fr"].format(code=code),
                                               data={"action": "next", "version": version}))


def test_a_finished_session_refuses_answers_joins_and_steps(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    step(teacher, code, "start")
    step(teacher, code, "finish")
    first = module.quiz.questions[0]
    assert answer(pupil, code, first, right(first).id).status_code == 410
    late = app.test_client().post("/fr/classe", data={"code": code})
    assert late.status_code == 410 and "Cette séance est terminée" in text(late)
    assert app.test_client().get(f"/fr/classe/{code}").status_code == 410
    ended = teacher.post(HOST["fr"].format(code=code), data={"action": "next", "version": "3"})
    assert ended.status_code == 410
    assert count(app, LiveAnswer) == 0


@pytest.mark.parametrize(("typed", "status", "message"), [
    ("", 400, "Tape le code"),
    ("CDF", 400, "6 lettres et chiffres"),
    ("CDF 479 7", 400, "6 lettres et chiffres"),
    ("OOOOOO", 400, "ne contient jamais « O »"),
    ("<script>alert(1)</script>", 400, "ne contient jamais « < », « S »"),
    ("CDF 479", 404, "Aucune séance n'a ce code"),
])
def test_a_wrong_code_gets_a_clear_message_and_keeps_what_was_typed(client, typed, status,
                                                                    message):
    response = client.post("/fr/classe", data={"code": typed})
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert has(message, html.unescape(page))
    assert f'value="{html.escape(typed)}"' in page
    assert "<script>alert" not in page
    assert 'aria-invalid="true"' in page


def test_unknown_session_pages_are_404_in_their_language(client):
    for url, words in (("/fr/classe/CDF479", "Aucune séance"), ("/en/class/CDF479/host",
                                                                  "No session has this code"),
                       ("/en/class/C0F479/host", "No session"), ("/fr/classe/%00", "Aucune")):
        response = client.get(url)
        assert response.status_code == 404, url
        assert words in text(response), url


def test_removing_a_participant(app, module):
    teacher, kept, removed = app.test_client(), app.test_client(), app.test_client()
    code = start(teacher, module)
    join(kept, code)
    join(removed, code)
    name = pseudonym_of(removed.get(f"/fr/classe/{code}"))
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    answer(removed, code, first, wrong(first).id)
    page = teacher.get(HOST["fr"].format(code=code)).get_data(as_text=True)
    participant = re.search(
        rf'name="participant" value="(\d+)">\s*<button[^>]*>Retirer<span class="sr-only"> '
        rf'{re.escape(html.escape(name))}', page).group(1)
    response = teacher.post(HOST["fr"].format(code=code),
                            data={"action": "remove", "participant": participant})
    assert response.status_code == 303
    host = text(teacher.get(HOST["fr"].format(code=code)))
    assert name not in host and "0 élève sur 1 a répondu" in host
    gone = removed.get(f"/fr/classe/{code}")
    assert gone.status_code == 403 and "t'a retiré" in text(gone)
    assert answer(removed, code, first, right(first).id).status_code == 403
    # Removing twice is harmless.
    assert teacher.post(HOST["fr"].format(code=code),
                        data={"action": "remove", "participant": participant}).status_code == 303


# What each screen shows -------------------------------------------------------------------

def test_the_answers_stay_off_the_teacher_screen_until_the_reveal(app, module, library):
    teacher, pupils = app.test_client(), [app.test_client() for _ in range(2)]
    code = start(teacher, module)
    for pupil in pupils:
        join(pupil, code)
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    answer(pupils[0], code, first, right(first).id)
    host = text(teacher.get(HOST["en"].format(code=code)))
    assert "1 of 2 pupils answered" in host
    assert "The counts stay hidden until you show the answer." in host
    english = library.module("en", "pupils", module.slug).quiz.questions[0]
    assert all(option.text in host for option in english.options)
    assert "1 answer" not in host and "live-bar" not in host and "50%" not in host
    step(teacher, code, "reveal")
    host = text(teacher.get(HOST["en"].format(code=code)))
    assert "1 answer · 100%" in host and "stay hidden" not in host


def test_a_teacher_may_show_the_answers_as_they_arrive(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    created = teacher.post(START["en"].format(slug=module.slug), data={"show_counts": "on"})
    code = re.search(r"/([A-Z0-9]{6})/", created.headers["Location"]).group(1)
    assert row(app, code).show_counts is True
    join(pupil, code)
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    answer(pupil, code, first, wrong(first).id)
    host = text(teacher.get(HOST["en"].format(code=code)))
    assert "1 answer · 100%" in host and "Hide the counts until the answer" in host
    poll = pupil.get(f"/en/class/{code}/state")
    # The teacher's screen changes; what pupils see, and poll, does not.
    hidden = teacher.post(HOST["en"].format(code=code) + "?projector=1",
                          data={"action": "counts", "counts": "off"})
    assert hidden.status_code == 303
    assert hidden.headers["Location"].endswith(HOST["en"].format(code=code) + "?projector=1")
    assert row(app, code).show_counts is False
    assert pupil.get(f"/en/class/{code}/state",
                     headers={"If-None-Match": poll.headers["ETag"]}).status_code == 304
    host = text(teacher.get(HOST["en"].format(code=code)))
    assert "1 answer" not in host and "Display the counts live" in host
    teacher.post(HOST["en"].format(code=code), data={"action": "counts", "counts": "on"})
    assert "1 answer · 100%" in text(teacher.get(HOST["en"].format(code=code)))
    # Only the teacher's browser may change it.
    assert pupil.post(HOST["en"].format(code=code),
                      data={"action": "counts", "counts": "off"}).status_code == 403
    assert row(app, code).show_counts is True


def test_projector_mode_is_in_the_address_and_kept_by_every_form(client, module):
    code = start(client, module)
    plain = client.get(HOST["fr"].format(code=code)).get_data(as_text=True)
    assert 'class="live live-host"' in plain and "Mode projecteur" in plain
    url = HOST["fr"].format(code=code) + "?projector=1"
    page = client.get(url).get_data(as_text=True)
    assert 'class="live live-host is-projector"' in page and "Quitter le mode projecteur" in page
    actions = re.findall(r'<form method="post" action="([^"]+)"', page)
    assert actions and set(actions) == {url}
    assert 'aria-keyshortcuts="N"' in page and 'aria-keyshortcuts="F"' in page
    moved = client.post(url, data={"action": "start", "version": "1"})
    assert moved.headers["Location"].endswith(url)
    assert 'aria-keyshortcuts="R"' in client.get(url).get_data(as_text=True)


def test_each_pupil_sees_their_own_verdict_and_score_only(app, module):
    teacher = app.test_client()
    good, bad, silent = (app.test_client() for _ in range(3))
    code = start(teacher, module)
    for pupil in (good, bad, silent):
        join(pupil, code)
    step(teacher, code, "start")
    first = module.quiz.questions[0]
    answer(good, code, first, right(first).id)
    answer(bad, code, first, wrong(first).id)
    step(teacher, code, "reveal")
    verdicts = {name: text(client.get(f"/fr/classe/{code}"))
                for name, client in (("good", good), ("bad", bad), ("silent", silent))}
    assert has("Bonne réponse, bravo !", verdicts["good"])
    assert "Pas tout à fait" not in verdicts["good"]
    assert has("Pas tout à fait : voici la bonne réponse.", verdicts["bad"])
    assert "bravo" not in verdicts["bad"]
    assert "Tu n'as pas répondu à cette question." in verdicts["silent"]
    assert "Ce résultat ne s'affiche que sur ton écran." in verdicts["good"]
    assert "bravo" not in text(teacher.get(HOST["fr"].format(code=code)))
    for position in range(1, len(module.quiz.questions)):
        step(teacher, code, "next")
        question = module.quiz.questions[position]
        assert answer(good, code, question, *question.correct_ids).status_code == 303
    step(teacher, code, "finish")
    total = len(module.quiz.questions)
    ends = {name: text(client.get(f"/fr/classe/{code}")) for name, client in
            (("good", good), ("bad", bad), ("silent", silent))}
    assert has(f"{total} bonnes réponses sur {total} questions", ends["good"])
    assert has(f"0 bonne réponse sur {total} questions", ends["bad"])
    assert has("Question 1 : pas encore", ends["bad"])
    assert has("Question 2 : pas de réponse", ends["bad"])
    assert has(f"0 bonne réponse sur {total} questions", ends["silent"])
    names = [pseudonym_of(ends[n]) for n in ends]
    for name, page in ends.items():
        others = [other for other in names if other != pseudonym_of(page)]
        assert not any(other in page for other in others), name
    # The teacher's results show the class, never a pupil's score.
    summary = text(teacher.get(HOST["fr"].format(code=code)))
    assert "bonnes réponses sur" not in summary and not any(n in summary for n in names)


@pytest.mark.parametrize(("typed", "shown"), [
    ("OOOOOO", "« O »"), ("cdf 4i0", "« I », « 0 »"), ("QUIZ12", "« Q », « U », « I », « Z », « 1 », « 2 »"),
    ("ÉLÈVE", "« É », « L », « È », « V », « E »"),
])
def test_a_code_with_characters_codes_never_use_explains_the_alphabet(client, typed, shown):
    response = client.post("/fr/classe", data={"code": typed})
    assert response.status_code == 400
    page = text(response)
    assert has(f"Un code ne contient jamais {shown} :", page)
    assert "C D F H J K M N P R T W X 3 4 7 9" in page
    assert f'value="{typed}"' in page
    english = text(client.post("/en/class", data={"code": "OOPS"}))
    assert "A join code never contains “O”, “S”" in english


# Expiry and clean-up -----------------------------------------------------------------------

def age(app, code, hours):
    """Make a session look idle for `hours` more."""
    with app.extensions["pont_sessionmaker"]() as db:
        live = db.scalar(select(LiveSession).where(LiveSession.code == code))
        live.touched_at -= datetime.timedelta(hours=hours)
        db.commit()


def test_an_idle_session_expires(app, module):
    teacher, pupil = app.test_client(), app.test_client()
    code = start(teacher, module)
    join(pupil, code)
    age(app, code, hours=5)
    for client, url in ((pupil, f"/fr/classe/{code}"), (teacher, HOST["fr"].format(code=code))):
        response = client.get(url)
        assert response.status_code == 410 and "a expiré" in text(response)
    joined = app.test_client().post("/fr/classe", data={"code": code})
    assert joined.status_code == 410


def test_cleanup_deletes_pseudonyms_and_answers_but_keeps_anonymous_counts(app, module, runner):
    teacher, pupil = app.test_client(), app.test_client()
    old, fresh = start(teacher, module), start(teacher, module)
    for code in (old, fresh):
        join(pupil, code)
        step(teacher, code, "start")
        first = module.quiz.questions[0]
        answer(pupil, code, first, right(first).id)
    age(app, old, hours=5)
    result = runner.invoke(args=["live", "cleanup"])
    assert result.exit_code == 0 and "Deleted 1 expired" in result.output
    assert row(app, old) is None and row(app, fresh) is not None
    assert count(app, Participant) == 1 and count(app, LiveAnswer) == 1

    def answered() -> int:
        with app.extensions["pont_sessionmaker"]() as db:
            return db.scalar(select(QuestionCount.answered).filter_by(
                audience="pupils", module=module.slug, question=module.quiz.questions[0].id))

    assert answered() == 1  # the unfinished session's answer, counted as it was deleted
    step(teacher, fresh, "finish")
    assert answered() == 2
    age(app, fresh, hours=5)
    assert "Deleted 1 expired" in runner.invoke(args=["live", "cleanup"]).output
    assert answered() == 2  # a finished session was counted when it ended, not again


def test_cleanup_runs_by_itself_when_someone_joins(app, module):
    teacher = app.test_client()
    old = start(teacher, module)
    join(app.test_client(), old)
    age(app, old, hours=5)
    cleanup.ON_ACCESS.reset()
    join(app.test_client(), start(teacher, module))
    assert row(app, old) is None
    assert count(app, Participant) == 1


# Protections that the shared test app turns off --------------------------------------------

@pytest.fixture
def strict_app(app_config):
    enabled = limiter.enabled
    strict = create_app({**app_config, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True,
                         "LIVE_JOIN_LIMIT": "3 per minute", "LIVE_ANSWER_LIMIT": "2 per minute",
                         "LIVE_UNKNOWN_CODE_LIMIT": "4 per minute",
                         "AUTO_MIGRATE": False})
    yield strict
    strict.extensions["pont_engine"].dispose()
    limiter.enabled = enabled  # one Limiter serves every app of the run: leave it as found


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def start_with_token(teacher, module) -> str:
    """`start`, with the form's CSRF token, as a browser sends it."""
    page = teacher.get(START["fr"].format(slug=module.slug)).get_data(as_text=True)
    created = teacher.post(START["fr"].format(slug=module.slug),
                           data={"csrf_token": token_of(page)})
    assert created.status_code == 303
    return re.search(r"/([A-Z0-9]{6})/", created.headers["Location"]).group(1)


def test_forms_need_their_csrf_token(strict_app, module):
    teacher = strict_app.test_client()
    assert teacher.post(START["fr"].format(slug=module.slug)).status_code == 400
    code = start_with_token(teacher, module)
    pupil = strict_app.test_client()
    assert pupil.post("/fr/classe", data={"code": code}).status_code == 400
    form = pupil.get("/fr/classe").get_data(as_text=True)
    assert pupil.post("/fr/classe", data={"code": code,
                                          "csrf_token": token_of(form)}).status_code == 303
    host = teacher.get(HOST["fr"].format(code=code)).get_data(as_text=True)
    assert teacher.post(HOST["fr"].format(code=code),
                        data={"action": "start", "version": "1"}).status_code == 400
    assert teacher.post(HOST["fr"].format(code=code), data={
        "action": "start", "version": "1", "csrf_token": token_of(host)}).status_code == 303


def test_pupils_on_the_same_step_share_one_rendering_each_with_their_name_and_token(
        strict_app, module):
    teacher = strict_app.test_client()
    code = start_with_token(teacher, module)
    host = teacher.get(HOST["fr"].format(code=code)).get_data(as_text=True)
    teacher.post(HOST["fr"].format(code=code), data={
        "action": "start", "version": "1", "csrf_token": token_of(host)})
    pupils = []
    for number in range(3):
        pupil = strict_app.test_client()
        pupil.environ_base["REMOTE_ADDR"] = f"10.0.1.{number}"
        form = token_of(pupil.get("/fr/classe").get_data(as_text=True))
        pupil.post("/fr/classe", data={"code": code, "csrf_token": form})
        pupils.append(pupil)
    shared = strict_app.extensions["pont_live_pages"]
    shared.pages.clear()
    pages = [text(pupil.get(f"/fr/classe/{code}?part=live")) for pupil in pupils]
    assert len(shared.pages) == 1  # rendered once for the three
    names, tokens = {pseudonym_of(page) for page in pages}, {token_of(page) for page in pages}
    assert len(names) == 3 and len(tokens) == 3
    assert "\ue000" not in "".join(pages)
    first = module.quiz.questions[0]
    for pupil, page in zip(pupils, pages, strict=True):
        sent = pupil.post(f"/fr/classe/{code}?part=live", data={
            "question": first.id, "option": [right(first).id], "csrf_token": token_of(page)})
        assert sent.status_code == 200 and "Ta réponse est enregistrée." in text(sent)
        assert pseudonym_of(sent) == pseudonym_of(page)
    assert count(strict_app, LiveAnswer) == 3
    assert len(shared.pages) == 2  # the same answer: one more rendering, shared again


def test_joining_and_answering_are_rate_limited(strict_app, module):
    teacher = strict_app.test_client()
    code = start_with_token(teacher, module)
    pupil = strict_app.test_client()
    pupil.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    form = token_of(pupil.get("/fr/classe").get_data(as_text=True))
    statuses = [pupil.post("/fr/classe", data={"code": "CDF479", "csrf_token": form}).status_code
                for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    # Answers are limited per pupil, not per school network.
    other = strict_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    token = token_of(other.get("/fr/classe").get_data(as_text=True))
    assert other.post("/fr/classe", data={"code": code, "csrf_token": token}).status_code == 303
    host = teacher.get(HOST["fr"].format(code=code)).get_data(as_text=True)
    teacher.post(HOST["fr"].format(code=code),
                 data={"action": "start", "version": "1", "csrf_token": token_of(host)})
    first = module.quiz.questions[0]
    sent = [other.post(f"/fr/classe/{code}", data={
        "question": first.id, "option": right(first).id, "csrf_token": token}).status_code
        for _ in range(3)]
    assert sent == [303, 303, 429]
    assert count(strict_app, LiveAnswer) == 1


def test_unknown_codes_spend_one_budget_per_address_and_right_ones_none(strict_app, module):
    teacher = strict_app.test_client()
    code = start_with_token(teacher, module)
    prober = strict_app.test_client()
    prober.environ_base["REMOTE_ADDR"] = "10.0.0.8"
    for _ in range(10):  # the right code's poll never spends the budget
        assert prober.get(f"/fr/classe/{code}/etat").status_code == 200
    tried = [prober.get("/fr/classe/CDF479").status_code,
             prober.get("/fr/classe/CDF47C/etat").status_code,
             prober.get("/fr/classe/CDF47D").status_code,
             prober.get("/fr/classe/CDF47F/etat").status_code]
    assert tried == [404, 404, 404, 404]
    refused = prober.get("/fr/classe/CDF47H/etat")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Another address (another school) is not held back.
    other = strict_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert other.get("/fr/classe/CDF479").status_code == 404
    assert other.get(f"/fr/classe/{code}/etat").status_code == 200
