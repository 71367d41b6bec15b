"""Platform guides: the loader's and checker's rules on bad files, and their pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pont.content.checker import check
from pont.content.library import load
from pont.content.platforms import SECTIONS
from pont.i18n import REGISTRY

from .content_tree import write_tree
from .crawl import crawl

# The platforms Pont has a guide for, in both languages.
PLATFORMS = {"instagram", "snapchat", "tiktok", "whatsapp", "discord", "youtube", "roblox",
             "fortnite", "minecraft"}

GUIDE = """name = "Appli"
summary = "Un résumé."
reviewed = 2026-12-02
sources = [{ title = "Aide de l'appli", url = "https://example.org/aide" }]

[block]
steps = [
  "Ouvre le profil. {checked 2026-12}",
  "Touche **Bloquer**. {checked 2026-12}",
]

[[report]]
title = "Un message"
steps = ["Reste appuyé sur le message. {checked 2026-12}"]

[[report]]
title = "Un compte"
steps = ["Ouvre le profil, puis Signaler. {checked 2026-12}"]

[contact]
steps = ["Dans les réglages de l'application, choisis tes amis. {checked 2026-12}"]

[location]
intro = "Cache ta position."
steps = ["Active le mode Fantôme. {checked 2026-12}"]
note = "Tu peux aussi couper la localisation."

[removal]
steps = [
  "Signale la publication. {checked 2026-12}",
  "Si l'appli refuse, conteste sa décision (DSA, article 20). {checked 2026-12}",
  "Appelle le {{ helpline.number }}, signaleur de confiance. {checked 2026-12}",
]
"""


@pytest.fixture
def tree(tmp_path):
    root = write_tree(tmp_path / "content")
    for lang in ("fr", "en"):
        (root / lang / "platforms").mkdir()
        (root / lang / "platforms" / "appli.toml").write_text(GUIDE, encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(root: Path) -> list[str]:
    return [str(e) for e in check(root).errors]


def line_of(path: Path, words: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if words in line)


FR = "fr/platforms/appli.toml"


# --- A good guide ------------------------------------------------------------------------------

def test_a_guide_loads_in_both_languages_with_its_dated_steps(tree):
    library, errors = load(tree)
    assert errors == []
    fr, en = library.platform("fr", "appli"), library.platform("en", "appli")
    assert [s.id for s in fr.sections] == list(SECTIONS)
    assert en is not None and library.platform_guides("en") == [en]
    block = fr.section("block").groups[0]
    assert block.steps[1] == ('Touche <strong>Bloquer</strong>. '
                              '<span class="checked">(vérifié en décembre 2026)</span>')
    assert [g.title for g in fr.section("report").groups] == ["Un message", "Un compte"]
    assert "3018" in fr.section("removal").groups[0].steps[2]
    assert "checked December 2026" in en.section("block").groups[0].steps[0]
    assert check(tree).errors == []


def test_every_step_counts_as_a_dated_fact(tree):
    facts = [f for f in check(tree).dated if f.path.endswith(FR)]
    assert len(facts) == 9
    assert {f.line for f in facts} >= {line_of(tree / FR, "Active le mode Fantôme")}


# --- What the checker refuses, with file and line ----------------------------------------------

def test_a_step_without_its_check_date_is_an_error_at_its_line(tree):
    edit(tree / FR, "Active le mode Fantôme. {checked 2026-12}", "Active le mode Fantôme.")
    line = line_of(tree / FR, "Active le mode Fantôme")
    assert messages(tree) == [f"{tree / FR}:{line}: step 1 of [location] needs the date it "
                              "was checked, at its end: {checked YYYY-MM}"]


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_is_required(tree, section):
    kept, inside = [], False
    for line in (tree / FR).read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("["):
            inside = line.strip("[]\n") == section
        if not inside:
            kept.append(line)
    (tree / FR).write_text("".join(kept), encoding="utf-8")
    assert f"{tree / FR}:1: missing key '{section}'" in messages(tree)


def test_a_section_needs_steps(tree):
    edit(tree / FR, 'steps = ["Active le mode Fantôme. {checked 2026-12}"]', "steps = []")
    line = line_of(tree / FR, "steps = []")
    assert f"{tree / FR}:{line}: [location] needs at least one step (how to hide where you " \
           "are)" in messages(tree)


def test_several_lists_in_a_section_each_need_a_title(tree):
    edit(tree / FR, 'title = "Un compte"\n', "")
    line = [n for n, text in enumerate((tree / FR).read_text().splitlines(), 1)
            if text == "[[report]]"][1]
    assert any(m.startswith(f"{tree / FR}:{line}: [[report]] is written 2 times")
               for m in messages(tree))


def test_an_unknown_key_in_a_section_is_named_with_its_line(tree):
    edit(tree / FR, 'note = "Tu peux aussi', 'remarque = "Tu peux aussi')
    line = line_of(tree / FR, "remarque =")
    assert any(m.startswith(f"{tree / FR}:{line}: unknown key 'remarque'")
               for m in messages(tree))


def test_sources_are_required(tree):
    text = (tree / FR).read_text(encoding="utf-8")
    (tree / FR).write_text(re.sub(r"(?m)^sources = .*$", "sources = []", text), encoding="utf-8")
    assert any(m.startswith(f"{tree / FR}:") and "at least one source is required" in m
               for m in messages(tree))


def test_a_source_is_a_web_address(tree):
    edit(tree / FR, "https://example.org/aide", "example.org/aide")
    assert any("source URL must start with https://" in m for m in messages(tree))


@pytest.mark.parametrize("number", ["3018", "119", "0 800 235 236"])
def test_a_helpline_number_typed_by_hand_is_an_error(tree, number):
    edit(tree / FR, "Appelle le {{ helpline.number }},", f"Appelle le {number},")
    line = line_of(tree / FR, "Appelle le")
    assert any(m.startswith(f"{tree / FR}:{line}: '{number}' looks like a number or hours")
               for m in messages(tree))


def test_the_removal_section_names_the_trusted_flagger(tree):
    edit(tree / FR, "Appelle le {{ helpline.number }}, signaleur de confiance.",
         "Demande de l'aide à un adulte.")
    line = line_of(tree / FR, "[removal]")
    assert f"{tree / FR}:{line}: [removal] must say that {{{{ helpline.number }}}} can ask " \
           "the platform to remove a post (it is a trusted flagger)" in messages(tree)


def test_the_removal_section_says_how_to_appeal(tree):
    edit(tree / FR, "(DSA, article 20)", "(par une réclamation)")
    line = line_of(tree / FR, "[removal]")
    assert any(m.startswith(f"{tree / FR}:{line}: [removal] must say how to appeal")
               for m in messages(tree))


def test_a_guide_exists_in_every_language(tree):
    (tree / "en/platforms/appli.toml").unlink()
    assert f"{tree / FR}:1: missing translation: en/platforms/appli.toml does not exist" \
        in messages(tree)


def test_a_translation_has_the_same_steps(tree):
    en = tree / "en/platforms/appli.toml"
    edit(en, '  "Touche **Bloquer**. {checked 2026-12}",\n', "")
    assert f"{en}:1: guide differs from the fr one: the same sections, lists and number of " \
           "steps in every language" in messages(tree)


def test_bad_toml_is_named_with_its_line(tree):
    edit(tree / FR, 'summary = "Un résumé."', 'summary = "Un résumé.')
    assert any(m.startswith(f"{tree / FR}:2: invalid TOML") for m in messages(tree))


def test_a_file_elsewhere_in_platforms_is_unexpected(tree):
    (tree / "fr/platforms/notes.md").write_text("Notes.", encoding="utf-8")
    assert any(m.startswith(f"{tree / 'fr/platforms/notes.md'}:1: unexpected file")
               for m in messages(tree))


# --- Modules name the guides they talk about ----------------------------------------------------

def test_a_module_links_to_the_guides_it_names(tree):
    for lang in ("fr", "en"):
        edit(tree / lang / "pupils/sample.md", "reviewed = 2026-11-24\n",
             'reviewed = 2026-11-24\nplatforms = ["appli"]\n')
    library, errors = load(tree)
    assert errors == []
    assert library.module("fr", "pupils", "sample").platforms == ("appli",)


def test_a_module_naming_a_guide_that_does_not_exist_is_an_error(tree):
    path = tree / "fr/pupils/sample.md"
    edit(path, "reviewed = 2026-11-24\n", 'reviewed = 2026-11-24\nplatforms = ["tiktak"]\n')
    line = line_of(path, "platforms =")
    assert f"{path}:{line}: platforms: no guide 'tiktak' (fr/platforms/tiktak.toml does not " \
           "exist)" in messages(tree)


def test_a_module_links_to_a_guide_in_its_text(tree):
    edit(tree / "fr/pupils/sample.md", "Voir [l'aide](help:).",
         "Voir [le guide](platform:appli) et [un autre](platform:myspace).")
    library, errors = load(tree)
    assert 'href="/fr/platform/appli"' in library.module("fr", "pupils", "sample").html
    path = tree / "fr/pupils/sample.md"
    assert [str(e) for e in errors] == [
        f"{path}:{line_of(path, 'platform:myspace')}: dead link 'platform:myspace' (use "
        "module:<audience>/<slug>, lesson:<slug>, platform:<slug>, help: or an #anchor of this "
        "page)"]


# --- The real guides and their pages -----------------------------------------------------------

def test_the_site_has_a_guide_for_each_platform_in_both_languages(library):
    for lang in ("fr", "en"):
        slugs = {g.slug for g in library.platform_guides(lang)}
        assert PLATFORMS <= slugs, lang
        for guide in library.platform_guides(lang):
            assert guide.sources and all(len(s.groups) for s in guide.sections)


def guides_url(lang: str, slug: str = "") -> str:
    return f"/{lang}/{REGISTRY[lang].words['platforms']}" + (f"/{slug}" if slug else "")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_index_lists_every_guide_and_the_help_page_links_to_it(client, library, lang):
    page = client.get(guides_url(lang)).get_data(as_text=True)
    for guide in library.platform_guides(lang):
        assert f'href="{guides_url(lang, guide.slug)}"' in page
    help_page = client.get({"fr": "/fr/aide", "en": "/en/help"}[lang]).get_data(as_text=True)
    assert f'href="{guides_url(lang)}"' in help_page


def test_a_guide_page_shows_its_sections_steps_and_sources(client, library):
    guide = library.platform("fr", "snapchat")
    response = client.get(guides_url("fr", "snapchat"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for section in SECTIONS:
        assert f'<section class="guide-section" id="{section}"' in page
    assert page.count('<ol class="guide-steps">') == sum(len(s.groups) for s in guide.sections)
    assert "mode Fantôme" in page and "(vérifié en décembre 2026)" in page
    for source in guide.sources:
        assert f'href="{source.url}"' in page


def test_the_crawl_reaches_every_guide_from_the_home_pages(client, library):
    """The browser gates (axe, 320 px, print) run on the pages this crawl finds."""
    result = crawl(client, ["/fr/", "/en/"])
    assert result.broken == []
    for lang in ("fr", "en"):
        assert result.pages[guides_url(lang)].status == 200
        for guide in library.platform_guides(lang):
            assert result.pages[guides_url(lang, guide.slug)].status == 200


def test_an_unknown_guide_is_a_404(client):
    assert client.get(guides_url("fr", "myspace")).status_code == 404
    assert client.get(guides_url("en", "Snapchat")).status_code == 404


def test_a_module_page_links_to_its_guides_and_the_guide_back(client, library):
    module = library.module("fr", "pupils", "jeux-et-chat-vocal")
    assert "discord" in module.platforms
    page = client.get("/fr/eleves/jeux-et-chat-vocal").get_data(as_text=True)
    assert f'href="{guides_url("fr", "discord")}"' in page
    guide = client.get(guides_url("fr", "discord")).get_data(as_text=True)
    assert 'href="/fr/eleves/jeux-et-chat-vocal"' in guide


def test_a_platform_link_in_a_module_becomes_the_guide_s_address(app):
    from pont.content.views import build_link

    with app.test_request_context():
        assert build_link("platform", "fr:snapchat", "location") == \
            "/fr/plateformes/snapchat#location"
        assert build_link("platform", "en:roblox", "") == "/en/platforms/roblox"
