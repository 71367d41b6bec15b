"""French typography: no-break spaces in content and interface text, never in code or URLs."""

from __future__ import annotations

import pytest

from pont.content.typography import NARROW, NBSP, french


@pytest.mark.parametrize(("text", "expected"), [
    ("Vraiment ? Oui !", f"Vraiment{NARROW}? Oui{NARROW}!"),
    ("Quoi?! Non;", f"Quoi{NARROW}?! Non{NARROW};"),
    ("À retenir : ceci", f"À retenir{NBSP}: ceci"),
    ("Note: ceci", f"Note{NBSP}: ceci"),
    ("« Arrête »", f"«{NBSP}Arrête{NBSP}»"),
    ("«Arrête»", f"«{NBSP}Arrête{NBSP}»"),
    ("15 000 € et 3 ans", f"15{NARROW}000{NBSP}€ et 3{NBSP}ans"),
    ("au 0 800 235 236", f"au 0{NARROW}800{NARROW}235{NARROW}236"),
    ("de 9 h à 23 h", f"de 9{NBSP}h à 23{NBSP}h"),
    ("loi n° 2023-566", f"loi n°{NBSP}2023-566"),
    ("à 9:30 et 3 mots", "à 9:30 et 3 mots"),
    ("<strong>Toi</strong> ?", f"<strong>Toi</strong>{NARROW}?"),
    ("Tom &amp; Jerry ?", f"Tom &amp; Jerry{NARROW}?"),
    ("%(num)d minutes : lis", f"%(num)d{NBSP}minutes{NBSP}: lis"),
])
def test_french_no_break_spaces(text, expected):
    assert french(text) == expected
    assert french(expected) == expected  # running it twice changes nothing


@pytest.mark.parametrize("markup", [
    '<a href="https://3018.fr/?a=1&amp;b=2" title="Quoi ? Oui : non">lien</a>',
    "<code>if a ? b : c;</code>",
    "<pre>x = 1 ;\ny = 2 ?</pre>",
    "<script>var a = b ? c : d;</script>",
    "<textarea>Aidez-moi!Vite:</textarea>",
    "https://www.example.org/a?b=c:d",
    "Écris à contact@example.org ou va sur www.3018.fr",
    "Appelle le {{ helpline.number }} : %(hours)s",
])
def test_code_urls_and_attributes_are_untouched(markup):
    result = french(markup)
    for untouched in ('href="https://3018.fr/?a=1&amp;b=2"', 'title="Quoi ? Oui : non"',
                      "if a ? b : c;", "x = 1 ;\ny = 2 ?", "b ? c : d;", "Aidez-moi!Vite:",
                      "https://www.example.org/a?b=c:d", "contact@example.org", "www.3018.fr",
                      "{{ helpline.number }}", "%(hours)s"):
        if untouched in markup:
            assert untouched in result


def test_french_content_is_typeset_and_english_is_not(app):
    library = app.extensions["pont_library"]
    fr = library.module("fr", "pupils", "ce-que-dit-la-loi")
    en = library.module("en", "pupils", "ce-que-dit-la-loi")
    assert f"{NBSP}:" in fr.html and f"{NARROW}?" in fr.html
    assert " :" not in fr.html and " ?" not in fr.html
    assert NARROW not in en.html and f"{NBSP}:" not in en.html
    question = next(q for m in library.modules.values() if m.lang == "fr" and m.quiz
                    for q in m.quiz.questions if "?" in q.prompt)
    assert " ?" not in question.prompt and f"{NARROW}?" in question.prompt


def test_french_interface_text_is_typeset(client):
    page = client.get("/fr/aide").get_data(as_text=True)
    assert f'En parler{NBSP}: le <span class="phone">3018</span>' in page  # a {% trans %} string
    assert f"Tchat{NBSP}:" in page  # a _() string
    assert f"de 9{NBSP}h à 23{NBSP}h" in page  # a contact's words
    assert 'href="https://3018.fr"' in page
    english = client.get("/en/help").get_data(as_text=True)
    assert NARROW not in english and "Chat:" in english


def test_help_page_gives_the_suicide_line_right_after_the_danger_block(client):
    for url, title in (("/fr/aide", "Si tu penses au suicide"),
                       ("/en/help", "If you think about suicide")):
        page = client.get(url).get_data(as_text=True)
        danger, suicide = page.index('id="danger"'), page.index('id="suicide"')
        assert danger < suicide < page.index('id="talk"')
        section = page[suicide:page.index("</section>", suicide)]
        assert title in section
        for number in ("3114", "15", "112", "0 800 235 236"):
            assert f">{number}<" in section or f" {number}." in section, number
    assert "gratuit, 24" in client.get("/fr/aide").get_data(as_text=True)


def test_help_page_platform_steps_show_their_check_date(client):
    assert "Menus vérifiés en novembre 2026" in client.get("/fr/aide").get_data(as_text=True)
    assert "Menus checked in November 2026" in client.get("/en/help").get_data(as_text=True)
