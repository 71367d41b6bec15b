"""Age tracks (content/tracks.toml): loaded with the content, checked, shown to pupils."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pont.config import Defaults
from pont.content import tracks
from pont.content.checker import PENALTY, check
from pont.content.library import load
from pont.content.model import LEVELS

REAL = Path(Defaults.CONTENT_DIR)


@pytest.fixture(scope="module")
def real():
    return load(REAL)


@pytest.fixture
def content(tmp_path):
    """A copy of the real content, to break one thing in."""
    return Path(shutil.copytree(REAL, tmp_path / "content"))


def edit_tracks(root: Path, old: str, new: str) -> None:
    path = root / tracks.FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(root: Path) -> list[str]:
    return [str(e) for e in check(root).errors]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_three_tracks_one_per_level_each_with_six_modules_for_that_level(real, lang):
    library, errors = real
    assert not errors
    found = library.tracks[lang]
    assert [t.level for t in found] == list(LEVELS)
    for track in found:
        assert len(track.modules) >= tracks.MIN_MODULES
        assert len({m.slug for m in track.modules}) == len(track.modules)
        assert all(m.audience == "pupils" and track.level in m.levels for m in track.modules)
        assert track.title and track.about


def test_both_languages_give_the_same_order(real):
    library, _ = real
    for fr, en in zip(library.tracks["fr"], library.tracks["en"], strict=True):
        assert [m.slug for m in fr.modules] == [m.slug for m in en.modules]


def test_the_youngest_track_reads_no_penalties(real):
    """The cycle3 track holds only modules the checker keeps free of prison terms and fines."""
    library, _ = real
    youngest = library.tracks["fr"][0]
    assert youngest.level == "cycle3"
    for module in youngest.modules:
        assert not PENALTY.search(module.text), module.slug
    assert not [e for e in messages(REAL) if "tracks.toml" in e]


def test_a_slug_that_is_no_pupil_module_is_an_error_with_its_line(content):
    edit_tracks(content, '"si-ca-m-arrive",', '"si-ca-m-arrive",\n  "accueillir-une-confidence",')
    errors = messages(content)
    line = next(n for n, text in enumerate(
        (content / tracks.FILE).read_text(encoding="utf-8").splitlines(), 1)
        if "accueillir-une-confidence" in text)
    assert any(f"tracks.toml:{line}:" in e and "no pupil module fr/pupils/accueillir" in e
               for e in errors), errors


def test_a_module_not_written_for_the_level_is_an_error(content):
    edit_tracks(content, '"jeux-et-chat-vocal",\n  "reparer-et-respecter",\n]',
                '"jeux-et-chat-vocal",\n  "ce-que-dit-la-loi",\n  "reparer-et-respecter",\n]')
    assert any("cycle3 track" in e and "ce-que-dit-la-loi.md is not for cycle3" in e
               for e in messages(content))


def test_a_module_missing_in_one_language_is_an_error(content):
    (content / "en" / "pupils" / "groupes-et-raids.md").unlink()
    assert any("no pupil module en/pupils/groupes-et-raids" in e for e in messages(content))


def test_a_track_with_fewer_than_six_modules_fails_the_check(content):
    edit_tracks(content, '  "groupes-et-raids",\n  "jeux-et-chat-vocal",\n  "reparer', '  "reparer')
    errors = messages(content)
    assert any("the cycle3 track has 4 modules (at least 6)" in e for e in errors), errors
    assert load(content).errors == [], "a short track fails the check, not the site"


def test_a_missing_level_and_a_missing_language_are_errors(content):
    text = (content / tracks.FILE).read_text(encoding="utf-8")
    text = text[:text.index("[[tracks]]\nlevel = \"lycee\"")]
    text = re.sub(r"\[tracks\.en\]\n  title = \"Collège[^\n]*\n[^\n]*\n", "", text)
    (content / tracks.FILE).write_text(text, encoding="utf-8")
    errors = messages(content)
    assert any("no track for the level 'lycee'" in e for e in errors), errors
    assert any("college track: [tracks.en] needs exactly a 'title' and an 'about'" in e
               for e in errors), errors


@pytest.mark.parametrize("url, lang", [("/fr/eleves/", "fr"), ("/en/pupils/", "en")])
def test_the_pupils_index_lists_the_tracks_in_order(client, library, url, lang):
    page = client.get(url).get_data(as_text=True)
    sections = re.findall(r'<section class="track" id="track-(\w+)".*?</section>', page, re.S)
    assert sections == list(LEVELS)
    for track in library.tracks[lang]:
        block = re.search(rf'id="track-{track.level}".*?</section>', page, re.S).group(0)
        assert track.about in block
        links = re.findall(r'<li><a href="([^"]+)">', block)
        assert "<ol>" in block
        assert links == [f"/{lang}/{url.split('/')[2]}/{m.slug}" for m in track.modules]


def test_other_audiences_have_no_tracks(client):
    assert 'class="track"' not in client.get("/fr/enseignants/").get_data(as_text=True)


def test_the_check_command_gives_each_track_its_number_of_modules():
    from click.testing import CliRunner

    from pont.content.checker import content_cli

    result = CliRunner().invoke(content_cli, ["check", "--root", str(REAL)])
    assert "fr   tracks    cycle3 6 modules, college 12 modules, lycee 12 modules" in result.output
    assert "en   tracks    cycle3 6 modules" in result.output
