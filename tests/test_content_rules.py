"""The checker's editorial rules: suicide line, dated facts, age, durations, guessable quizzes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pont.content.checker import (
    RIGHT_FIRST_MAX,
    check,
    content_cli,
    french_syllables,
    readability,
)
from pont.content.library import load
from pont.content.model import KINDS, Option

from .content_tree import write_tree

QUIZ_FILES = ("fr/pupils/sample.quiz.toml", "en/pupils/sample.quiz.toml")


@pytest.fixture
def tree(tmp_path):
    return write_tree(tmp_path / "content")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(root: Path) -> list[str]:
    return [str(e) for e in check(root).errors]


def run_check(root: Path, *args: str):
    return CliRunner().invoke(content_cli, ["check", "--root", str(root), *args])


# --- Suicide line ----------------------------------------------------------------------------

@pytest.mark.parametrize("words", ["Tu as des idées noires ?", "Il parle de suicide.",
                                   "Some pupils think about self-harm.", "She had dark thoughts."])
def test_a_mention_of_suicide_needs_the_suicide_line(tree, words):
    edit(tree / "fr/pupils/sample.md", "Intro.", f"Intro.\n\n{words}")
    found = [m for m in messages(tree) if "suicide" in m and "help:#suicide" in m]
    assert len(found) == 1, found
    assert re.search(r"fr/pupils/sample\.md:12: ", found[0])


@pytest.mark.parametrize("line", ["Appelle le {{ suicide.number }}.",
                                  "Lis [la rubrique](help:#suicide)."])
def test_the_suicide_line_satisfies_the_rule(tree, line):
    contacts = tree / "contacts.toml"
    contacts.write_text(contacts.read_text() + '[suicide]\nnumber = "3114"\n', encoding="utf-8")
    edit(tree / "fr/pupils/sample.md", "Intro.", f"Intro.\n\nTu as des idées noires ? {line}")
    assert messages(tree) == []


def test_quiz_text_about_self_harm_needs_the_number(tree):
    edit(tree / QUIZ_FILES[0], 'feedback = "Non."', 'feedback = "Il pense à se faire du mal."')
    assert any(":16: 'se faire du mal'" in m for m in messages(tree))


# --- Dated facts -----------------------------------------------------------------------------

def test_check_dates_are_shown_in_the_page_language(tree):
    edit(tree / "fr/pupils/sample.md", "Intro.", "Le projet de loi est en débat {checked 2026-11}.")
    edit(tree / "en/pupils/sample.md", "Intro.", "The bill is debated {checked 2026-11-20}.")
    edit(tree / QUIZ_FILES[0], 'feedback = "Bien."', 'feedback = "Bien {checked 2026-10}."')
    library, errors = load(tree)
    assert errors == []
    assert "en débat (vérifié en novembre 2026)." in library.module("fr", "pupils", "sample").html
    assert "debated (checked November 2026)." in library.module("en", "pupils", "sample").html
    feedback = library.module("fr", "pupils", "sample").quiz.question("q1").option("a").feedback
    assert feedback == "Bien (vérifié en octobre 2026)."


def test_a_check_date_that_does_not_exist_is_an_error(tree):
    edit(tree / "fr/pupils/sample.md", "Intro.", "Horaires {checked 2026-13}.")
    assert any(re.search(r"sample\.md:10: '\{checked 2026-13\}' is not a real date", m)
               for m in messages(tree))


def test_check_lists_dated_facts_oldest_first_and_warns_when_old(tree):
    today = datetime.date.today()
    old = today - datetime.timedelta(days=400)
    recent = today - datetime.timedelta(days=10)
    edit(tree / "fr/pupils/sample.md", "Intro.", f"Menu A {{checked {recent:%Y-%m-%d}}}.\n\n"
         f"Menu B {{checked {old:%Y-%m-%d}}}.")
    result = run_check(tree, "--recheck-days", "180")
    assert result.exit_code == 0, result.output
    listed = [line for line in result.output.splitlines() if "sample.md:" in line
              and "warning" not in line]
    assert [line.split()[0] for line in listed] == [f"{old:%Y-%m-%d}", f"{recent:%Y-%m-%d}"]
    assert " 400 days" in listed[0] and "Menu B" in listed[0]
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "sample.md:12: checked 400 days ago" in warnings[0]
    assert "contacts.toml:1" in result.output  # the contacts file's own check date is listed


@pytest.mark.parametrize("text", ["Sur Instagram : ⋯ > Signaler.",
                                  "Dans Snapchat, Paramètres > Confidentialité.",
                                  "On TikTok, Settings › Privacy."])
def test_a_platform_menu_path_needs_a_check_date(tree, text):
    edit(tree / "fr/pupils/sample.md", "Intro.", text)
    found = [m for m in messages(tree) if "menu path" in m]
    assert len(found) == 1
    assert re.search(r"sample\.md:10: a menu path in \w+ needs the date", found[0])
    edit(tree / "fr/pupils/sample.md", text, text + " {checked 2026-11}")
    assert messages(tree) == []


def test_a_platform_named_without_a_menu_needs_no_date(tree):
    edit(tree / "fr/pupils/sample.md", "Intro.", "Sur Instagram, bloque le compte.")
    assert messages(tree) == []


# --- Age and duration ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["C'est puni de 2 ans de prison.", "Une amende de 15 000 €.",
                                  "Up to 3 years in prison."])
def test_a_module_for_cycle3_states_no_penalty(tree, text):
    edit(tree / "fr/pupils/sample.md", 'levels = ["college"]', 'levels = ["cycle3", "college"]')
    edit(tree / "fr/pupils/sample.md", "Intro.", text)
    found = [m for m in messages(tree) if "prison terms or fines" in m]
    assert len(found) == 1 and ":10: " in found[0]
    edit(tree / "fr/pupils/sample.md", 'levels = ["cycle3", "college"]', 'levels = ["college"]')
    assert messages(tree) == []


def test_a_module_for_cycle3_uses_short_sentences(tree):
    for lang in ("fr", "en"):
        edit(tree / lang / "pupils/sample.md", 'levels = ["college"]', 'levels = ["cycle3"]')
        edit(tree / lang / "pupils/sample.md", "duration = 10", "duration = 12")
    long = ("Quand quelqu'un se moque de toi tous les jours dans le groupe de la classe et que "
            "les autres rient ou ajoutent des emojis sans rien dire, tu peux garder les "
            "captures et en parler à un adulte de confiance qui t'aidera")
    edit(tree / "fr/pupils/sample.md", "Intro.", long + ".")
    found = [m for m in messages(tree) if "words on average" in m]
    assert len(found) == 1 and "fr/pupils/sample.md:5: sentences of" in found[0], found
    edit(tree / "fr/pupils/sample.md", long + ".", long.replace(" et ", ". Et ").replace(
        ", tu", ". Tu").replace(" qui", ". Il") + ".")
    assert [m for m in messages(tree) if "words on average" in m] == []


def test_duration_covers_reading_at_the_youngest_pace_and_the_quiz(tree):
    words = " ".join(["Un mot court."] * 110)  # 330 words, in short sentences
    for lang in ("fr", "en"):
        edit(tree / lang / "pupils/sample.md", "Intro.", words)
        edit(tree / lang / "pupils/sample.md", "duration = 10", "duration = 3")
    # About 346 words: 1.9 minutes at the collège pace, plus half a minute for one question.
    assert messages(tree) == []
    edit(tree / "fr/pupils/sample.md", 'levels = ["college"]', 'levels = ["cycle3"]')
    found = messages(tree)
    assert len(found) == 1
    assert re.search(r"fr/pupils/sample\.md:6: duration 3 is too short: \d+ words at 130 a "
                     r"minute and 1 quiz questions take 4 minutes", found[0])


# --- Quizzes: options and the answers' position ----------------------------------------------

def test_a_single_choice_question_needs_three_options(tree):
    for name in QUIZ_FILES:
        path = tree / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:text.index('  [[questions.options]]\n  id = "c"')], encoding="utf-8")
    library, errors = load(tree)
    assert errors == []  # the site still runs …
    found = messages(tree)  # … but the check fails
    assert len(found) == 2
    assert found[0].endswith("fr/pupils/sample.quiz.toml:1: question 'q1' (single) needs at "
                             "least 3 options, found 2")


def test_options_are_shown_in_a_stable_order_that_ignores_the_right_answer():
    options = [Option(i, i.upper(), i == "a", ".") for i in "abcd"]
    order = [o.id for o in KINDS["single"].display_order("q1", options)]
    assert sorted(order) == list("abcd")
    assert order == [o.id for o in KINDS["single"].display_order("q1", options[::-1])]
    moved = [Option(o.id, o.text, o.id == "c", ".") for o in options]
    assert order == [o.id for o in KINDS["single"].display_order("q1", moved)]
    orders = {tuple(o.id for o in KINDS["single"].display_order(f"q{n}", options))
              for n in range(20)}
    assert len(orders) > 5  # it really shuffles
    assert [o.id for o in KINDS["truefalse"].display_order("t", options[:2])] == ["a", "b"]


def test_loaded_quizzes_store_options_in_display_order_in_every_language(tree):
    library, _ = load(tree)
    fr = library.module("fr", "pupils", "sample").quiz.questions[0]
    en = library.module("en", "pupils", "sample").quiz.questions[0]
    expected = [o.id for o in KINDS["single"].display_order("q1", fr.options)]
    assert [o.id for o in fr.options] == [o.id for o in en.options] == expected
    assert [o.id for o in fr.options] != ["a", "b", "c"]  # not the file's order


def _many_questions(tree: Path, count: int, right_first: bool, kind: str = "single") -> None:
    """A quiz of `count` questions whose right option sorts first (or not) once shuffled."""
    blocks = []
    for n in range(count):
        qid = f"q{n}"
        ids = ["x", "y", "z"] if kind == "single" else ["true", "false"]
        options = [Option(i, "", False, "") for i in ids]
        shown = [o.id for o in KINDS[kind].display_order(qid, options)]
        right = shown[0] if right_first else shown[-1]
        if kind == "truefalse":
            right = "false"
        blocks.append(f'[[questions]]\nid = "{qid}"\nkind = "{kind}"\nprompt = "Q {n} ?"\n')
        for oid in ids:
            text = "" if kind == "truefalse" else f'text = "Option {oid}"\n'
            blocks.append(f'[[questions.options]]\nid = "{oid}"\n{text}'
                          f'correct = {str(oid == right).lower()}\nfeedback = "Pourquoi."\n')
    for name in QUIZ_FILES:
        (tree / name).write_text("\n".join(blocks), encoding="utf-8")


def test_check_fails_when_the_right_answer_is_shown_first_too_often(tree):
    _many_questions(tree, 5, right_first=True)
    report = check(tree)
    assert report.errors == []
    assert report.balance["fr"].right_first == 5
    assert any("fr: the right answer is shown first in 5 of 5 (100%, at most 40%)" in f
               for f in report.failures)
    result = run_check(tree)
    assert result.exit_code == 1
    assert "right answer first 5/5 (100%, at most 40%)" in result.output
    _many_questions(tree, 5, right_first=False)
    report = check(tree)
    assert report.balance["fr"].right_first == 0
    assert report.balance["fr"].share(0, 5) <= RIGHT_FIRST_MAX
    assert not [f for f in report.failures if "shown first" in f]


def test_check_fails_when_the_right_answer_is_the_longest(tree):
    for name in QUIZ_FILES:
        edit(tree / name, 'text = "Oui"', 'text = "Oui, parce que c\'est la plus longue réponse"')
    report = check(tree)
    assert report.balance["fr"].right_longest == 1
    assert any("the right answer is the longest option in 1 of 1" in f for f in report.failures)
    assert run_check(tree).exit_code == 1


def test_check_fails_when_true_false_answers_are_mostly_the_same(tree):
    _many_questions(tree, 4, right_first=False, kind="truefalse")
    report = check(tree)
    assert report.errors == []
    assert (report.balance["en"].same_answer, report.balance["en"].true_false) == (4, 4)
    assert any("en: true/false questions have the same answer in 4 of 4" in f
               for f in report.failures)


def test_balance_rules_do_not_stop_the_site(tree, tmp_path):
    from pont import create_app

    _many_questions(tree, 5, right_first=True)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "CONTENT_DIR": str(tree),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.extensions["pont_library"].module("fr", "pupils", "sample").quiz


# --- Readability: French syllables -----------------------------------------------------------

KNOWN_SYLLABLES = {
    "école": 3, "idée": 2, "idées": 2, "chat": 1, "quand": 1, "harcèlement": 4,
    "cyberharcèlement": 6, "téléphone": 4, "élève": 3, "oiseau": 2, "aéroport": 4,
    "poésie": 3, "naïf": 2, "réunion": 3, "créer": 2, "théâtre": 3, "famille": 3,
    "aujourd'hui": 3, "guérir": 2, "réseau": 2, "enfant": 2, "camarade": 4, "l'école": 3,
    "géant": 2, "moqueries": 3, "harceler": 3, "numérique": 4, "Noël": 2,
    # Words of the modules, counted as a French school writes them.
    "pouvoir": 2, "confiance": 3, "message": 3, "victime": 3, "soutien": 2, "adulte": 3,
    "parents": 2, "écran": 2, "réseaux": 2, "preuve": 2, "signaler": 3, "capture": 3,
    "vidéo": 3, "coïncidence": 5, "maïs": 2, "égoïste": 4, "quotidien": 3, "guitare": 3,
    "anonyme": 4, "yeux": 1, "photo": 2, "jeux": 1, "chacun": 2, "ensemble": 3,
    "harcelée": 3, "créée": 2, "réagir": 3, "océan": 3, "poète": 3, "beaucoup": 2, "lieu": 1,
    "nuit": 1, "qui": 1, "question": 2, "quelqu'un": 3, "aïeul": 2,
    # A y between two vowels splits them.
    "moyen": 2, "crayon": 2, "voyage": 3, "payer": 2, "essayer": 3, "joyeux": 2,
}


@pytest.mark.parametrize(("word", "count"), KNOWN_SYLLABLES.items())
def test_french_syllable_count(word, count):
    assert french_syllables(word) == count


def test_readability_counts_french_syllables():
    # 2 sentences, 5 words, 11 syllables (u-ne i-dée u-ne é-co-le ai-mée)
    assert readability("Une idée. Une école aimée.", "fr") == round(
        207 - 1.015 * 5 / 2 - 73.6 * 11 / 5, 1)


def test_contact_words_can_carry_a_check_date(tree):
    edit(tree / "contacts.toml", 'hours = "tous les jours"',
         'hours = "tous les jours {checked 2026-10}"')
    report = check(tree)
    assert report.errors == []
    assert report.library.contacts["helpline"]["fr"]["hours"] == \
        "tous les jours (vérifié en octobre 2026)"
    assert [(f.line, f.checked) for f in report.dated if f.path.endswith("contacts.toml")] == [
        (5, datetime.date(2026, 10, 1)), (1, datetime.date(2026, 11, 1))]  # oldest first


# --- Illustrations ---------------------------------------------------------------------------

def test_a_module_without_an_illustration_is_reported_once_with_its_file(tree, tmp_path):
    art = tmp_path / "art"
    assert not [m for m in messages(tree) if "illustration" in m]  # only asked for with art
    modules = sorted({(m.audience, m.slug) for m in check(tree).library.modules.values()})
    assert modules
    found = [str(e) for e in check(tree, art=art).errors]
    assert len(found) == len(modules)  # once per module, not once per language
    audience, slug = modules[0]
    assert any(f"fr/{audience}/{slug}.md" in e and "has no illustration" in e
               and f"modules/{audience}/{slug}.svg" in e for e in found), found
    for audience, slug in modules:
        picture = art / "modules" / audience / f"{slug}.svg"
        picture.parent.mkdir(parents=True, exist_ok=True)
        picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180"/>')
    assert check(tree, art=art).errors == []


def test_the_command_checks_illustrations_only_when_asked_for_another_root(tree, tmp_path):
    assert run_check(tree).exit_code == 0
    result = run_check(tree, "--art", str(tmp_path))
    assert result.exit_code == 1 and "has no illustration" in result.output


# --- Lesson plans a teacher can run as written ------------------------------------------------

LESSON_FILES = ("fr/lessons/sample.md", "en/lessons/sample.md")


def lesson_messages(tree: Path) -> list[str]:
    return [m for m in messages(tree) if "/lessons/" in m]


def test_the_sample_plan_passes(tree):
    assert lesson_messages(tree) == []


@pytest.mark.parametrize("old, new, expected", [
    ("| 15 min | Le quiz |", "| 10 min | Le quiz |",
     "timings add up to 50 minutes, not the plan's 55"),
    ("| 15 min | Le quiz |", "| 15 min | Le quiz |\n| 5 min | Bilan |", "add up to 60 minutes"),
    ("| 15 min | Le quiz |", "| quinze | Le quiz |", "each row of the outline table starts with"),
    ("duration = 55", "duration = 50", "a lesson plan lasts 55 minutes, not 50"),
    ("## Document 1 : les cartes {.handout}", "## Document 1 : les cartes", "no handout"),
    ("Suivez le [script](module:teachers/accueillir-une-confidence).", "Suivez le script.",
     "ends (before its handouts) with what to do if a pupil discloses"),
    ("## Document 1 :", "## Bilan\n\nTexte.\n\n## Document 1 :",
     "ends (before its handouts) with what to do if a pupil discloses"),
    ("## Adapter la séance", "## Pour aller plus loin", "no '## Adapter la séance' section"),
    ("- **Pour les plus âgés (6e à 3e)** : plus de cartes.", "- Plus de cartes.",
     "needs an item '- **Pour les plus âgés (classes)**'"),
    ("Pour les plus jeunes (6e)", "Pour les plus jeunes (seconde)",
     "should name a class of college, the module's youngest level"),
    ('"Le Quiz à imprimer / Quiz to print."', '"Des feutres."', "name the quiz to print"),
])
def test_a_plan_that_cannot_be_run_as_written_is_an_error(tree, old, new, expected):
    edit(tree / LESSON_FILES[0], old, new)
    found = lesson_messages(tree)
    assert any("fr/lessons/sample.md:" in m and expected in m for m in found), found


def test_the_outline_error_names_the_table_line(tree):
    edit(tree / LESSON_FILES[0], "| 15 min | Le quiz |", "| 20 min | Le quiz |")
    text = (tree / LESSON_FILES[0]).read_text(encoding="utf-8").splitlines()
    table = next(n for n, line in enumerate(text, 1) if line.startswith("|"))
    assert any(f"sample.md:{table}: the outline's timings add up to 60" in m
               for m in lesson_messages(tree))


def test_adapting_follows_the_module_levels(tree):
    """A plan for a lycée-only module adapts for seconde and terminale, not for 6e."""
    for lang in ("fr", "en"):
        edit(tree / lang / "pupils/sample.md", 'levels = ["college"]', 'levels = ["lycee"]')
    found = lesson_messages(tree)
    assert any("'Pour les plus jeunes (6e)' should name a class of lycee" in m for m in found)
    assert any("'For the oldest (6e to 3e)' should name a class of lycee" in m for m in found)


def test_every_real_plan_fills_55_minutes_in_its_outline():
    from pont.config import Defaults
    from pont.content.checker import LESSON_MINUTES, timings
    from pont.content.frontmatter import split

    library, errors = load(Path(Defaults.CONTENT_DIR))
    assert not errors and len(library.lessons) >= 26
    for plan in library.lessons.values():
        _, body, _ = split(Path(plan.path).read_text(encoding="utf-8"), plan.path)
        steps = timings(body)
        assert steps and min(steps) > 0 and sum(steps) == LESSON_MINUTES, plan.path


def test_answer_position_limits_are_inclusive():
    """At the limit passes, one question over fails: 4 of 10 first, 5 of 10 longest, 13 of 20
    true/false alike pass; 5, 6 and 14 fail, each with its own message."""
    from pont.content.checker import Balance

    assert Balance("fr", 10, 4, 5, 20, 13).failures() == []
    failures = Balance("fr", 10, 5, 6, 20, 14).failures()
    assert [f.split(" in ")[0] for f in failures] == [
        "fr: the right answer is shown first", "fr: the right answer is the longest option",
        "fr: true/false questions have the same answer"]
    assert Balance("en", 0, 0, 0, 0, 0).failures() == [], "no questions, nothing to fail"
