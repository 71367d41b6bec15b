"""The content engine and its checker: parsing, validation with file and line, real content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pont import art, create_app
from pont.config import Defaults
from pont.content import frontmatter
from pont.content.checker import check, readability
from pont.content.frontmatter import ContentError
from pont.content.library import load

from .content_tree import write_tree


@pytest.fixture
def tree(tmp_path):
    return write_tree(tmp_path / "content")


def errors_of(root: Path) -> list[ContentError]:
    return check(root).errors


def only_error(root: Path) -> ContentError:
    errors = errors_of(root)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_split_returns_meta_body_and_body_line():
    meta, body, line = frontmatter.split('+++\ntitle = "T"\nn = 2\n+++\nHello\n', "x.md")
    assert meta == {"title": "T", "n": 2}
    assert body == "Hello\n"
    assert line == 5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("no front matter\n", 1, "must start with a '+++' line"),
        ('+++\ntitle = "T"\n', 1, "never closed"),
        ('+++\ntitle = "T"\ntitle2 = \n+++\n', 3, "invalid TOML"),
        ('+++\ntitle = "T"\n\n\nbroken\n+++\n', 5, "invalid TOML"),
    ],
)
def test_split_errors_name_file_and_line(text, line, message):
    with pytest.raises(ContentError) as caught:
        frontmatter.split(text, "content/fr/pupils/x.md")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"content/fr/pupils/x.md:{line}: ")


def test_valid_tree_has_no_errors(tree):
    report = check(tree)
    assert report.errors == []
    assert report.stats[("fr", "pupils")]["modules"] == 1
    assert report.stats[("fr", "pupils")]["questions"] == 1
    module = report.library.module("en", "pupils", "sample")
    assert "3018" in module.html  # the placeholder was filled from contacts.toml
    assert module.toc[0].title == "Première partie"


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "message"),
    [
        ("fr/pupils/sample.md", 'duration = 10', 'duration = "ten"', 6, "'duration' must be a whole number"),
        ("fr/pupils/sample.md", 'duration = 10', 'duration = 10\ncolour = "red"', 7, "unknown key 'colour'"),
        ("fr/pupils/sample.md", 'summary = "Un résumé."\n', '', 1, "missing key 'summary'"),
        ("fr/pupils/sample.md", 'levels = ["college"]', 'levels = ["lycée"]', 5, "levels must be"),
        ("fr/pupils/sample.md", 'audience = "pupils"', 'audience = "parents"', 4, "does not match the folder"),
        ("fr/pupils/sample.md", 'reviewed = 2026-11-24', 'reviewed = "yesterday"', 7, "must be a date"),
        ("fr/pupils/sample.md", "(help:)", "(module:pupils/nowhere)", 14, "dead link 'module:pupils/nowhere'"),
        ("fr/pupils/sample.md", "(help:)", "(#nowhere)", 14, "dead link '#nowhere'"),
        ("fr/pupils/sample.md", "(help:)", "(../../etc/passwd)", 14, "dead link"),
        ("fr/pupils/sample.md", "{{ helpline.number }}", "{{ helpline.fax }}", 14, "unknown contact 'helpline.fax'"),
        ("fr/pupils/sample.md", "Intro.", "Appelez le 3018.", 10, "'3018' looks like a number"),
        ("fr/pupils/sample.md", "Intro.", "Ouvert de 9 h à 23 h.", 10, "looks like a number or hours"),
        ("fr/pupils/sample.md", "Intro.", "TODO write this", 10, "placeholder text 'TODO'"),
        ("fr/pupils/sample.quiz.toml", "correct = false", "correct = true", 1, "needs exactly one right answer"),
        ("fr/pupils/sample.quiz.toml", 'id = "b"', 'id = "a"', 13, "duplicate option id 'a'"),
        ("fr/pupils/sample.quiz.toml", 'text = "Non"', 'text = "Oui"', 14, "duplicate option text"),
        ("fr/pupils/sample.quiz.toml", 'feedback = "Non."\n', "", 12, "missing key 'feedback'"),
        ("fr/pupils/sample.quiz.toml", 'kind = "single"', 'kind = "essay"', 3, "kind must be one of"),
        ("fr/pupils/sample.quiz.toml", 'prompt = "Question ?"', 'prompt = "Question ?"\nhint = "x"', 5, "unknown key 'hint'"),
        ("fr/pupils/sample.quiz.toml", 'id = "q1"', 'id = "q1"\nid = "q2"', 3, "invalid TOML"),
        ("fr/lessons/sample.md", "duration = 55", "duration = 55\nextra = 1", 4, "unknown key 'extra'"),
    ],
)
def test_checker_names_file_and_line(tree, file, old, new, line, message):
    edit(tree / file, old, new)
    error = only_error(tree)
    assert error.path == str(tree / file)
    assert error.line == line, str(error)
    assert message in error.message


def test_multiple_choice_needs_at_least_one_right_answer(tree):
    for lang in ("fr", "en"):
        path = tree / lang / "pupils" / "sample.quiz.toml"
        edit(path, 'kind = "single"', 'kind = "multiple"')
        edit(path, "correct = true", "correct = false")
    errors = errors_of(tree)
    assert {e.message for e in errors} == {"question 'q1' (multiple) needs at least one right answer"}


def test_missing_translation_is_reported(tree):
    (tree / "en" / "pupils" / "sample.md").unlink()
    (tree / "en" / "pupils" / "sample.quiz.toml").unlink()
    messages = [e.message for e in errors_of(tree)]
    assert "missing translation: en/pupils/sample.md does not exist" in messages


def test_quizzes_must_match_across_languages(tree):
    edit(tree / "en" / "pupils" / "sample.quiz.toml", 'id = "b"', 'id = "d"')
    error = only_error(tree)
    assert error.path.endswith("en/pupils/sample.quiz.toml")
    assert "differs from the fr one" in error.message


def test_pupil_module_needs_a_lesson_plan(tree):
    for lang in ("fr", "en"):
        (tree / lang / "lessons" / "sample.md").unlink()
    messages = [e.message for e in errors_of(tree)]
    assert "no lesson plan: fr/lessons/sample.md does not exist" in messages


def test_module_needs_a_quiz(tree):
    (tree / "fr" / "pupils" / "sample.quiz.toml").unlink()
    assert any("no quiz" in e.message for e in errors_of(tree))


def test_raw_html_is_shown_as_text_not_rendered(tree):
    edit(tree / "fr" / "pupils" / "sample.md", "Intro.", "<script>alert(1)</script>")
    library, errors = load(tree)
    assert not errors
    html = library.module("fr", "pupils", "sample").html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_stray_file_is_reported(tree):
    (tree / "fr" / "pupils" / "notes.txt").write_text("x")
    assert [e.message for e in errors_of(tree)][0].startswith("unexpected file")


def test_app_refuses_to_start_on_malformed_content(tree, tmp_path):
    edit(tree / "fr" / "pupils" / "sample.md", "duration = 10", "duration = 99")
    with pytest.raises(SystemExit) as caught:
        create_app({"TESTING": True, "CONTENT_DIR": str(tree), "AUTO_MIGRATE": False,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    message = str(caught.value)
    assert re.search(r"fr/pupils/sample\.md:6: duration is in minutes", message)
    assert "Traceback" not in message


def test_check_command_exit_code_and_report(tree):
    from click.testing import CliRunner

    from pont.content.checker import content_cli

    result = CliRunner().invoke(content_cli, ["check", "--root", str(tree)])
    assert result.exit_code == 0, result.output
    assert "Content OK." in result.output
    edit(tree / "fr" / "pupils" / "sample.md", "duration = 10", "duration = 0")
    result = CliRunner().invoke(content_cli, ["check", "--root", str(tree)])
    assert result.exit_code == 1
    assert "sample.md:6: duration is in minutes" in result.output


def test_real_content_loads():
    """The site starts on the real content (the editorial rules below are checked apart)."""
    library, errors = load(Path(Defaults.CONTENT_DIR))
    assert errors == [], "\n".join(map(str, errors))
    assert library.modules


def test_real_content_passes_the_checker():
    report = check(Path(Defaults.CONTENT_DIR), art=art.FOLDER)  # every module has its picture
    assert report.errors == [], "\n".join(map(str, report.errors))
    assert report.failures == []
    for (_lang, audience), stats in report.stats.items():
        if stats["modules"]:
            assert stats["without_sources"] == 0
            if audience == "pupils":
                assert stats["lesson_plans"] == stats["modules"]


def test_readability_prefers_short_sentences():
    easy = "Le chat dort. Il fait beau. On joue dehors."
    hard = ("Considérant l'ensemble des dispositions réglementaires applicables, l'établissement "
            "d'enseignement secondaire procède systématiquement à l'information préalable.")
    assert readability(easy, "fr") > readability(hard, "fr")
    assert readability("The cat sleeps. We play.", "en") > 80


def test_true_false_options_read_in_the_file_language(tree):
    for lang in ("fr", "en"):
        path = tree / lang / "pupils" / "sample.quiz.toml"
        text = path.read_text(encoding="utf-8")
        text = text.replace('kind = "single"', 'kind = "truefalse"')
        text = text.replace('id = "a"\n  text = "Oui"', 'id = "true"')
        text = text.replace('id = "b"\n  text = "Non"', 'id = "false"')
        text = text[:text.index('  [[questions.options]]\n  id = "c"')]
        path.write_text(text, encoding="utf-8")
    library, errors = load(tree)
    assert errors == []
    fr = library.module("fr", "pupils", "sample").quiz.questions[0]
    en = library.module("en", "pupils", "sample").quiz.questions[0]
    assert [o.text for o in fr.options] == ["Vrai", "Faux"]
    assert [o.text for o in en.options] == ["True", "False"]
