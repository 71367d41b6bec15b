"""Adding a language is data: its registry entry, a catalogue and its content files.

The test builds an app with a throw-away third language (German) from a small content tree,
with no other change, and crawls it.
"""

from __future__ import annotations

import re
import shutil

import pytest

from pont import create_app, i18n
from pont.config import Defaults
from pont.i18n import Language

from .content_tree import write_tree
from .crawl import crawl

GERMAN = Language("de", "Deutsch", {
    **i18n.REGISTRY["en"].words,
    "pupils": "schueler", "teachers": "lehrkraefte", "parents": "eltern", "help": "hilfe",
    "lesson_plans": "stundenplaene", "report": "melden", "class": "klasse",
})
CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de\\n"

msgid "Get help"
msgstr "Hilfe holen"

msgid "(checked {date})"
msgstr "(geprüft im {date})"
"""


def contacts_with_german(text: str) -> str:
    """The real contacts file, with every English table copied as a German one."""
    blocks = re.split(r"(?m)^(?=\[)", text)
    extra = [re.sub(r"^\[(\w+)\.en\]", r"[\1.de]", block) for block in blocks
             if re.match(r"\[\w+\.en\]", block)]
    return text + "\n" + "\n".join(extra)


@pytest.fixture
def german_app(tmp_path, monkeypatch):
    monkeypatch.setitem(i18n.REGISTRY, "de", GERMAN)
    content = write_tree(tmp_path / "content")
    real_contacts = (Defaults.CONTENT_DIR + "/contacts.toml")
    (content / "contacts.toml").write_text(
        contacts_with_german(open(real_contacts, encoding="utf-8").read()), encoding="utf-8")
    shutil.copytree(content / "en", content / "de")
    quiz = content / "de" / "pupils" / "sample.quiz.toml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace('text = "Oui"', 'text = "Ja"'),
                    encoding="utf-8")
    md = content / "de" / "pupils" / "sample.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Intro.", "Geprüft {checked 2026-11}."),
                  encoding="utf-8")
    translations = tmp_path / "translations"
    shutil.copytree(Defaults.TRANSLATIONS_DIR, translations,
                    ignore=shutil.ignore_patterns("*.mo"))
    (translations / "de" / "LC_MESSAGES").mkdir(parents=True)
    (translations / "de" / "LC_MESSAGES" / "messages.po").write_text(CATALOGUE, encoding="utf-8")
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "LANGUAGES": ("fr", "en", "de"),
        "CONTENT_DIR": str(content), "TRANSLATIONS_DIR": str(translations),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'pont.sqlite3'}",
    })
    yield app
    app.extensions["pont_engine"].dispose()


def test_a_third_language_is_served_from_its_registry_entry_catalogue_and_content(german_app):
    client = german_app.test_client()
    result = crawl(client, ["/de/"])
    assert result.broken == [], "\n".join(result.broken)
    german = [p for p in result.html_pages() if p.url.startswith("/de/")]
    urls = {p.url for p in german}
    assert {"/de/", "/de/hilfe", "/de/schueler/", "/de/schueler/sample",
            "/de/lehrkraefte/stundenplaene/sample", "/de/klasse"} <= urls
    for page in german:
        assert '<html lang="de">' in page.html, page.url
    home = result.pages["/de/"].html
    assert "Hilfe holen" in home  # from the German catalogue
    assert 'hreflang="fr"' in home and 'hreflang="en"' in home and "Deutsch" not in home
    module = result.pages["/de/schueler/sample"].html
    assert "Geprüft (geprüft im November 2026)." in module
    assert ">Ja</label>" in module
    # The two other languages still link to the German pages.
    assert 'href="/de/hilfe"' in client.get("/fr/aide").get_data(as_text=True)


def test_the_usual_languages_do_not_have_the_third_one(app):
    assert app.test_client().get("/de/").status_code == 404
