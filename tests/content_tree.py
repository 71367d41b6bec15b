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
materials = ["Le module."]
reviewed = 2026-11-24
+++
## Déroulé

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
    return root
