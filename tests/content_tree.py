"""Build a small, valid content tree in a temporary folder; tests then break one thing."""

from __future__ import annotations

from pathlib import Path

CONTACTS = """checked = 2026-11-01
[helpline]
number = "3018"
[helpline.fr]
hours = "tous les jours"
[helpline.en]
hours = "every day"
"""

MODULE = """+++
title = "{title}"
summary = "Un résumé."
audience = "pupils"
levels = ["college"]
duration = 10
reviewed = 2026-11-24
sources = [{{ title = "Source", url = "https://example.org/source" }}]
+++
Intro.

## Première partie

Appelle le {{{{ helpline.number }}}}. Voir [l'aide](help:).
"""

QUIZ = """[[questions]]
id = "q1"
kind = "single"
prompt = "Question ?"

  [[questions.options]]
  id = "a"
  text = "Oui"
  correct = true
  feedback = "Bien."

  [[questions.options]]
  id = "b"
  text = "Non"
  correct = false
  feedback = "Non."

  [[questions.options]]
  id = "c"
  text = "Peut-être bien"
  correct = false
  feedback = "Non plus."
"""

LESSON = """+++
title = "Fiche"
duration = 55
objectives = ["Comprendre."]
materials = ["Le module.", "Le Quiz à imprimer / Quiz to print."]
reviewed = 2026-11-24
+++
## Déroulé (55 minutes)

| Temps | Étape |
|---|---|
| 40 min | Le module |
| 15 min | Le quiz |

## Adapter la séance

- **Pour les plus jeunes (6e)** : moins de cartes.
- **Pour les plus âgés (6e à 3e)** : plus de cartes.

## Adapting the session

- **For the youngest (6e)**: fewer cards.
- **For the oldest (6e to 3e)**: more cards.

## Si un élève se confie

Suivez le [script](module:teachers/accueillir-une-confidence).

## Document 1 : les cartes {.handout}

Texte.
"""


def write_tree(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "contacts.toml").write_text(CONTACTS, encoding="utf-8")
    for lang in ("fr", "en"):
        (root / lang / "pupils").mkdir(parents=True)
        (root / lang / "lessons").mkdir(parents=True)
        (root / lang / "pupils" / "sample.md").write_text(
            MODULE.format(title=f"Sample {lang}"), encoding="utf-8")
        (root / lang / "pupils" / "sample.quiz.toml").write_text(QUIZ, encoding="utf-8")
        (root / lang / "lessons" / "sample.md").write_text(LESSON, encoding="utf-8")
        # The disclosure script every lesson plan links to (its quiz, a multiple-choice
        # question, leaves the answer-position figures to the pupils' quiz).
        (root / lang / "teachers").mkdir(parents=True)
        (root / lang / "teachers" / "accueillir-une-confidence.md").write_text(
            MODULE.format(title=f"Script {lang}").replace('"pupils"', '"teachers"'),
            encoding="utf-8")
        (root / lang / "teachers" / "accueillir-une-confidence.quiz.toml").write_text(
            QUIZ.replace('"single"', '"multiple"'), encoding="utf-8")
    return root
