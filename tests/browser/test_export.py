"""The exported copy opened from a folder (file://): quizzes are scored in the browser."""

from __future__ import annotations

import pytest

from pont.export import export_command

from .axe import assert_no_violations


@pytest.fixture(scope="module")
def exported(app, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export") / "site"
    result = app.test_cli_runner().invoke(
        export_command, [str(folder), "--public-url", "https://pont.example.fr"])
    assert result.exit_code == 0, result.output
    return folder


def quiz_page(exported, library):
    module = next(m for m in library.audience("fr", "pupils") if m.quiz)
    return module, (exported / "fr" / "eleves" / f"{module.slug}.html").as_uri()


def test_a_quiz_opened_from_a_folder_is_scored_in_the_browser(page, exported, library):
    module, url = quiz_page(exported, library)
    page.goto(url)
    page.get_by_role("button", name="Voir mes résultats").click()
    assert page.locator("form [role=status]").inner_text() == \
        "La question 1 n'a pas encore de réponse."
    for question in module.quiz.questions:
        right = sorted(question.correct_ids) if question.multiple else [
            sorted(question.correct_ids)[0]]
        for option in right:
            page.locator(f"#q-{question.id}-{option}").check()
    page.get_by_role("button", name="Voir mes résultats").click()
    total = len(module.quiz.questions)
    status = page.locator("form [role=status]")
    assert status.inner_text() == f"Tu as {total} bonnes réponses sur {total}. Bravo !"
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    assert_no_violations(page)


def test_without_javascript_the_quiz_says_it_needs_it(browser, exported, library):
    _module, url = quiz_page(exported, library)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(url)
    assert "corrige les quiz avec JavaScript" in tab.locator("main").inner_text()
    context.close()
