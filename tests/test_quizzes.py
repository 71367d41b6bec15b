"""Quizzes: scoring, the no-JavaScript form, anonymous counters, abuse."""

from __future__ import annotations

import html
import re
import threading
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pont import create_app
from pont.content.model import Option, Question, Quiz
from pont.quizzes import scoring
from pont.quizzes.models import OptionCount, QuestionCount

SINGLE = Question("s", "single", "?", (Option("a", "A", True, "."), Option("b", "B", False, ".")))
MULTI = Question("m", "multiple", "?", (Option("a", "A", True, "."), Option("b", "B", True, "."),
                                        Option("c", "C", False, ".")))
TRUEFALSE = Question("t", "truefalse", "?", (Option("true", "", False, "."),
                                             Option("false", "", True, ".")))
SCENARIO = Question("c", "scenario", "?", (Option("x", "X", True, "."), Option("y", "Y", True, "."),
                                           Option("z", "Z", False, ".")))
QUIZ = Quiz((SINGLE, MULTI, TRUEFALSE, SCENARIO))


def form(**answers):
    return {f"q-{qid}": values if isinstance(values, list) else [values]
            for qid, values in answers.items()}


def test_all_right_answers_give_full_marks():
    submission = scoring.read(QUIZ, form(s="a", m=["a", "b"], t="false", c="y"))
    assert submission.complete
    assert scoring.score(submission) == 4


def test_multiple_choice_needs_exactly_the_right_set():
    assert scoring.score(scoring.read(QUIZ, form(s="b", m=["a"], t="true", c="z"))) == 0
    assert scoring.score(scoring.read(QUIZ, form(s="b", m=["a", "b", "c"], t="true", c="z"))) == 0


def test_missing_and_invalid_answers_are_reported_and_valid_ones_kept():
    submission = scoring.read(QUIZ, {**form(s="a", m=["a", "nope"], t=["true", "false"]),
                                     "q-forged": ["a"]})
    assert [q.id for q in submission.missing] == ["c"]
    assert submission.invalid == ["unknown question 'forged'", "unknown option for question 'm'",
                                  "one answer only for question 't'"]
    assert set(submission.answers) == {"s"}
    assert not submission.complete


option_ids = st.sampled_from(["a", "b", "c", "x", "y", "z", "true", "false", "", "zz", "<b>"])


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["q-s", "q-m", "q-t", "q-c", "q-x", "other"]),
                       st.lists(option_ids, max_size=4)))
def test_any_form_scores_between_zero_and_the_number_of_questions(raw):
    submission = scoring.read(QUIZ, raw)
    assert 0 <= scoring.score(submission) <= len(QUIZ.questions)
    for answer in submission.answers.values():
        assert answer.chosen <= {o.id for o in answer.question.options}


@given(st.permutations(["a", "b"]))
def test_order_of_ticked_options_does_not_matter(order):
    assert scoring.read(QUIZ, form(m=list(order))).answers["m"].right


# --- The form, on the real content ---------------------------------------------------------

@pytest.fixture
def module(library):
    return library.audience("fr", "pupils")[0]


def right_answers(module):
    return {f"q-{q.id}": sorted(q.correct_ids) if q.multiple else [sorted(q.correct_ids)[0]]
            for q in module.quiz.questions}


def quiz_url(module, lang="fr"):
    word = {"fr": "eleves", "en": "pupils"}[lang]
    return f"/{lang}/{word}/{module.slug}/quiz"


def test_full_marks_result_page(client, module):
    response = client.post(quiz_url(module), data=right_answers(module))
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    total = len(module.quiz.questions)
    assert f"{total} bonnes réponses sur {total}" in page
    for question in module.quiz.questions:
        assert question.prompt in page
        if question.remember:
            assert question.remember in page
    assert "3018" in page  # the way to help closes the result page
    assert response.headers["Cache-Control"] == "no-store"


def test_result_shows_the_chosen_answer_the_right_one_and_feedback(client, module):
    answers = right_answers(module)
    question = next(q for q in module.quiz.questions if not q.multiple)
    wrong = next(o for o in question.options if not o.correct)
    answers[f"q-{question.id}"] = [wrong.id]
    page = html.unescape(client.post(quiz_url(module, "en"), data=answers).get_data(as_text=True))
    english = client.application.extensions["pont_library"].module("en", "pupils", module.slug)
    q_en = english.quiz.question(question.id)
    assert q_en.option(wrong.id).feedback in page
    right = next(o for o in q_en.options if o.correct)
    assert right.feedback in page
    total = len(module.quiz.questions)
    assert f"{total - 1} out of {total}" in page


def test_unanswered_questions_come_back_with_answers_kept(client, module):
    answers = right_answers(module)
    first, second = module.quiz.questions[0], module.quiz.questions[1]
    del answers[f"q-{second.id}"]
    response = client.post(quiz_url(module), data=answers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # The question is named, in the summary (a link to it) and above its options.
    assert html.unescape(page).count("La question 2 n'a pas encore de réponse.") == 2
    chosen = answers[f"q-{first.id}"][0]
    assert re.search(rf'id="q-{first.id}-{chosen}"[^>]*checked', page)
    assert f'aria-describedby="missing-{second.id}"' in page


@pytest.mark.parametrize("tamper", ["unknown option", "forged question", "two answers"])
def test_tampered_forms_are_400_and_never_counted(client, app, module, tamper):
    answers = right_answers(module)
    single = next(q for q in module.quiz.questions if not q.multiple)
    if tamper == "unknown option":
        answers[f"q-{single.id}"] = ["<script>alert(1)</script>"]
    elif tamper == "forged question":
        answers["q-not-a-question"] = ["a"]
    else:
        answers[f"q-{single.id}"] = [o.id for o in single.options[:2]]
    response = client.post(quiz_url(module), data=answers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "ne sont pas valides" in html.unescape(page) or "pas valides" in html.unescape(page)
    with app.extensions["pont_sessionmaker"]() as session:
        assert session.scalar(select(func.count()).select_from(OptionCount)) == 0


def test_huge_body_is_413_not_500(client, module):
    response = client.post(quiz_url(module), data={"q-x": "a" * (300 * 1024)})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)


def test_unknown_module_quiz_is_404(client):
    assert client.post("/fr/eleves/nope/quiz", data={}).status_code == 404


def test_get_on_the_submit_url_is_405_with_a_page(client, module):
    response = client.get(quiz_url(module))
    assert response.status_code == 405
    assert "<html" in response.get_data(as_text=True)


def test_counts_add_up_across_languages(client, app, module):
    client.post(quiz_url(module, "fr"), data=right_answers(module))
    client.post(quiz_url(module, "en"), data=right_answers(module))
    with app.extensions["pont_sessionmaker"]() as session:
        rows = session.scalars(select(QuestionCount)).all()
        assert {r.question for r in rows} == {q.id for q in module.quiz.questions}
        assert all(r.answered == 2 and r.right == 2 for r in rows)
        first = module.quiz.questions[0]
        chosen = right_answers(module)[f"q-{first.id}"][0]
        count = session.get(OptionCount, ("pupils", module.slug, first.id, chosen))
        assert count.count == 2


def test_statistics_page_shows_split_and_most_missed(client, module):
    answers = right_answers(module)
    missed = module.quiz.questions[-1]
    wrong = next(o for o in missed.options if not o.correct)
    client.post(quiz_url(module), data=answers)
    client.post(quiz_url(module), data={**answers, f"q-{missed.id}": [wrong.id]})
    page = html.unescape(client.get(f"/fr/eleves/{module.slug}/statistiques")
                         .get_data(as_text=True))
    missed_section = page[page.index("Les questions les plus souvent manquées"):]
    assert missed.prompt in missed_section.split("</ol>")[0]
    assert "50 % de réponses fausses" in page
    assert "2 réponses, 1 juste" in page


def test_taking_a_quiz_sets_no_cookie(client, module):
    response = client.post(quiz_url(module), data=right_answers(module))
    assert "Set-Cookie" not in response.headers


def test_parallel_submissions_lose_no_count(app, module):
    """Many pupils at once: every increment lands (an upsert per counter, on both engines)."""
    submissions, threads = 40, 8
    answers = right_answers(module)
    errors: list[BaseException] = []

    def worker(n):
        client = app.test_client()
        try:
            for _ in range(n):
                assert client.post(quiz_url(module), data=answers).status_code == 200
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    pool = [threading.Thread(target=worker, args=(submissions // threads,))
            for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    with app.extensions["pont_sessionmaker"]() as session:
        for question in module.quiz.questions:
            row = session.get(QuestionCount, ("pupils", module.slug, question.id))
            assert row.answered == submissions, question.id


def limited_app(tmp_path, storage, prefix):
    return create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": prefix,
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'limits.db'}"})


def redis_reachable() -> bool:
    import redis

    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379", socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.parametrize("storage", ["memory://", "redis://127.0.0.1:6379"])
def test_repeated_submissions_are_rate_limited(tmp_path, storage, library):
    if storage.startswith("redis") and not redis_reachable():
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    # A prefix of this run only: a Redis store outlives the run and is shared with others.
    prefix = f"pont-quiz-test-{uuid.uuid4().hex}"
    app = limited_app(tmp_path, storage, prefix)
    module = library.audience("fr", "pupils")[0]
    client = app.test_client()
    ip, other_ip = "10.9.0.1", "10.8.0.1"
    statuses = [client.post(quiz_url(module), data=right_answers(module),
                            environ_base={"REMOTE_ADDR": ip}).status_code for _ in range(25)]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429] * 5
    page = client.post(quiz_url(module), data={}, environ_base={"REMOTE_ADDR": ip})
    assert "Trop d'essais" in html.unescape(page.get_data(as_text=True))
    other = client.post(quiz_url(module), data=right_answers(module),
                        environ_base={"REMOTE_ADDR": other_ip})
    assert other.status_code == 200
    with app.extensions["pont_sessionmaker"]() as session:
        row = session.get(QuestionCount, ("pupils", module.slug, module.quiz.questions[0].id))
        assert row.answered == 21
    app.extensions["pont_engine"].dispose()
    if storage.startswith("redis"):
        import redis

        connection = redis.Redis.from_url(storage)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
