"""The teacher's screen on a projector, and each pupil's own verdict, in real browsers.

A module made for the worst case: a 120-character title and a first question with eight long
options. At 1280×720 and 1920×1080 the projector layout shows the whole question and its
controls without scrolling; R, N and F work; each pupil sees only their own verdict and score.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from itsdangerous import URLSafeSerializer
from werkzeug.serving import make_server

from pont import create_app
from pont.config import Defaults
from pont.live import sessions

from ..content_tree import LESSON, write_tree
from .axe import assert_no_violations
from .conftest import guarded_contexts

WAIT = 10_000  # ms: pages poll every 2 s (teacher) or 3 s (pupils)
SHOTS = os.environ.get("PONT_SCREENSHOTS")  # a folder: save what the tests see, to look at it

TITLES = {
    "fr": "Ce que l’on peut faire ensemble, en classe et en ligne, quand un groupe de discussion "
          "se retourne contre un ou une élève",
    "en": "What we can do together, in class and online, when a group chat turns against one "
          "person and everybody else is watching.",
}
OPTIONS = {
    "fr": [
        "Je fais une capture d’écran des messages, puis j’en parle à un adulte de confiance.",
        "Je réponds au groupe que ce n’est pas drôle et que ça doit s’arrêter tout de suite.",
        "J’écris en privé à la personne visée pour lui dire qu’elle n’est pas seule.",
        "Je quitte le groupe sans rien dire, parce que ce n’est pas mon problème.",
        "Je signale les messages dans l’application, avec le menu prévu pour le harcèlement.",
        "Je transfère les messages à d’autres amis pour qu’ils voient ce qui se passe.",
        "J’appelle le 3018 pour demander conseil : c’est gratuit, anonyme et confidentiel.",
        "J’attends quelques jours pour voir si ça se calme tout seul avant de faire quoi que ce soit.",
    ],
    "en": [
        "I take a screenshot of the messages, then I talk to an adult I trust at school.",
        "I tell the group that it is not funny and that it has to stop right now.",
        "I write privately to the person targeted to say that they are not alone.",
        "I leave the group without a word, because it is not my problem.",
        "I report the messages in the app, with the menu made for harassment.",
        "I forward the messages to other friends so that they see what is going on.",
        "I call 3018 for advice: it is free, anonymous and confidential.",
        "I wait a few days to see whether it calms down by itself before doing anything at all.",
    ],
}
PROMPTS = {
    "fr": ("Dans le groupe de la classe, plusieurs élèves se moquent chaque soir de la même "
           "personne et partagent ses photos. Que peux-tu faire ?", "Et si c’était toi ?"),
    "en": ("In the class group chat, several pupils make fun of the same person every evening "
           "and share their photos. What can you do?", "And if it were you?"),
}
RIGHT = {1, 2, 3, 5, 7}
GREEK = "Γαλάζια Αλεπού του Ολύμπου και της Θάλασσας"[:40]


def write_module(root, lang: str) -> None:
    (root / lang / "lessons" / "groupe.md").write_text(LESSON, encoding="utf-8")
    folder = root / lang / "pupils"
    (folder / "groupe.md").write_text(
        f'+++\ntitle = "{TITLES[lang]}"\nsummary = "Un résumé."\naudience = "pupils"\n'
        'levels = ["college"]\nduration = 10\nreviewed = 2026-11-24\n'
        'sources = [{ title = "Source", url = "https://example.org/source" }]\n+++\nIntro.\n',
        encoding="utf-8")
    options = "".join(
        f'\n  [[questions.options]]\n  id = "o{n}"\n  text = "{text}"\n'
        f'  correct = {"true" if n in RIGHT else "false"}\n  feedback = "Explication {n}."\n'
        for n, text in enumerate(OPTIONS[lang], 1))
    first, second = PROMPTS[lang]
    (folder / "groupe.quiz.toml").write_text(
        f'[[questions]]\nid = "huit"\nkind = "multiple"\nprompt = "{first}"\n'
        'discuss = ["Qui peut aider ?"]\n' + options +
        f'\n[[questions]]\nid = "deux"\nkind = "truefalse"\nprompt = "{second}"\n'
        '\n  [[questions.options]]\n  id = "true"\n  text = "Vrai"\n  correct = true\n'
        '  feedback = "Oui."\n'
        '\n  [[questions.options]]\n  id = "false"\n  text = "Faux"\n  correct = false\n'
        '  feedback = "Non."\n', encoding="utf-8")


@pytest.fixture(scope="module")
def projector_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("projector")
    content = write_tree(root / "content")
    shutil.copy(Path(Defaults.CONTENT_DIR) / "contacts.toml", content)  # the help box's numbers
    for lang in ("fr", "en"):
        write_module(content, lang)
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "CONTENT_DIR": str(content),
        "DATABASE_URL": f"sqlite:///{root / 'pont.sqlite3'}",
    })
    assert {len(app.extensions["pont_library"].module(lang, "pupils", "groupe").title)
            for lang in ("fr", "en")} == {120}
    yield app
    app.extensions["pont_engine"].dispose()


@pytest.fixture(scope="module")
def server(projector_app):
    made = make_server("127.0.0.1", 0, projector_app, threaded=True)
    thread = threading.Thread(target=made.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{made.server_port}"
    made.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def contexts(browser, server):
    yield from guarded_contexts(browser, server)


def shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def start_session(teacher, server, lang="fr") -> str:
    path = {"fr": "/fr/classe/nouvelle/eleves/groupe", "en": "/en/class/new/pupils/groupe"}
    teacher.goto(server + path[lang])
    teacher.click("form[method=post] button[type=submit]")
    teacher.wait_for_url(re.compile(r".*/[A-Z0-9]{6}/(animer|host)$"))
    return re.search(r"/([A-Z0-9]{6})/", teacher.url).group(1)


def join(pupil, server, code, lang="fr") -> None:
    pupil.goto(f"{server}/{'fr/classe' if lang == 'fr' else 'en/class'}")
    pupil.fill("#code", code)
    pupil.click("form.join-form button[type=submit]")
    pupil.wait_for_url(re.compile(rf".*/{code}$"))


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def assert_in_view(page, selector: str) -> None:
    viewport = page.viewport_size
    found = box(page, selector)
    assert found is not None, f"{selector} is not displayed"
    assert found["x"] >= 0 and found["y"] >= 0, (selector, found)
    assert found["x"] + found["width"] <= viewport["width"], (selector, found, viewport)
    assert found["y"] + found["height"] <= viewport["height"], (selector, found, viewport)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_the_projector_shows_the_question_and_its_controls_without_scrolling(
        contexts, server, width, height):
    teacher = contexts(viewport={"width": width, "height": height})
    code = start_session(teacher, server)
    pupil = contexts()
    join(pupil, server, code)
    teacher.locator("text=1 élève a rejoint la séance.").wait_for(timeout=WAIT)

    teacher.click("[data-projector-toggle]")
    teacher.wait_for_url(re.compile(r".*\?projector=1$"))
    for chrome in (".site-header", ".site-nav", ".site-footer"):
        assert not teacher.locator(chrome).is_visible(), chrome
    assert_in_view(teacher, ".join-code-big")
    assert_in_view(teacher, "#host-step")
    shot(teacher, f"host-lobby-{width}x{height}")

    teacher.keyboard.press("n")
    teacher.locator("h1:has-text('Question 1 sur 2')").wait_for()
    assert teacher.locator(".live-host").get_attribute("class").endswith("is-projector")
    for selector in ("#host-step", "#host-end", "#host-projector", ".host-title"):
        assert_in_view(teacher, selector)
    # The whole question fits above the controls: the class reads every option at once.
    last = box(teacher, ".tally-row:last-child")
    assert last["y"] + last["height"] <= box(teacher, ".host-bar")["y"] + 1
    assert teacher.evaluate("window.scrollY") == 0 and no_horizontal_scroll(teacher)
    # Readable from the back of the room: the type grows with the screen.
    assert font_px(teacher, ".host-prompt") >= 0.024 * width
    assert font_px(teacher, ".tally-label") >= 0.016 * width
    assert teacher.locator(".tally-count").count() == 0  # hidden until the answer is shown
    assert teacher.locator(".shortcut kbd").first.is_visible()
    shot(teacher, f"host-question-{width}x{height}")
    assert_no_violations(teacher)

    teacher.keyboard.press("r")
    teacher.locator(".reveal-notes").wait_for()
    for selector in ("#host-step", "#host-end", "#host-projector"):
        assert_in_view(teacher, selector)
    assert teacher.locator(".tally-count").count() == 8
    assert "Question suivante" in teacher.locator("#host-step").inner_text()
    shot(teacher, f"host-reveal-{width}x{height}")
    assert_no_violations(teacher)


def test_projector_mode_is_entered_left_and_remembered(contexts, server):
    teacher = contexts(viewport={"width": 1280, "height": 720})
    code = start_session(teacher, server, "en")
    header = teacher.locator(".site-header")
    assert header.is_visible()
    teacher.keyboard.press("f")
    teacher.wait_for_url(f"{server}/en/class/{code}/host?projector=1")
    assert not header.is_visible()
    assert teacher.locator("#host-projector").inner_text().startswith("Leave projector mode")
    # Escape leaves full screen here: pressed twice, it does not take the quick exit.
    teacher.keyboard.press("Escape")
    teacher.keyboard.press("Escape")
    assert teacher.evaluate("document.body.hidden") is False
    assert teacher.url == f"{server}/en/class/{code}/host?projector=1"
    # A reload keeps the layout; so does opening the screen again in the same tab.
    teacher.reload()
    assert not header.is_visible()
    teacher.goto(f"{server}/en/class/{code}/host")
    assert not header.is_visible() and teacher.url.endswith("?projector=1")
    # The forms keep it too, and run in the background: the page does not reload.
    teacher.evaluate("window.stillHere = true")
    teacher.click("#host-step")
    teacher.locator("h1:has-text('Question 1 of 2')").wait_for()
    assert teacher.evaluate("window.stillHere") is True
    assert teacher.evaluate("document.activeElement.id") == "host-step"
    # Keys do nothing while someone types in a field.
    teacher.evaluate("""() => {
        const field = document.createElement('input');
        field.id = 'typing'; field.setAttribute('aria-label', 'test');
        document.querySelector('.host-bar').append(field);
    }""")
    teacher.fill("#typing", "")
    teacher.type("#typing", "frn")
    assert teacher.input_value("#typing") == "frn"
    assert not header.is_visible()
    assert teacher.locator("h1").inner_text() == "Question 1 of 2"
    # The button leaves the mode; so does F.
    teacher.click("#host-projector")
    teacher.wait_for_url(f"{server}/en/class/{code}/host")
    assert header.is_visible()
    assert teacher.locator("#host-projector").inner_text().startswith("Projector mode")
    teacher.reload()
    assert header.is_visible()
    teacher.keyboard.press("f")
    assert not header.is_visible()
    teacher.keyboard.press("f")
    assert header.is_visible()


def test_without_javascript_projector_mode_is_a_link(contexts, server):
    teacher = contexts(java_script_enabled=False, viewport={"width": 1280, "height": 720})
    code = start_session(teacher, server)
    teacher.click("#host-projector")
    teacher.wait_for_url(f"{server}/fr/classe/{code}/animer?projector=1")
    assert not teacher.locator(".site-header").is_visible()
    assert not teacher.locator(".shortcut").first.is_visible()  # no keys without the script
    teacher.click("#host-step")
    teacher.wait_for_url(f"{server}/fr/classe/{code}/animer?projector=1")
    assert_in_view(teacher, "#host-step")
    teacher.click("#host-projector")
    teacher.wait_for_url(f"{server}/fr/classe/{code}/animer")
    assert teacher.locator(".site-header").is_visible()


def test_each_pupil_sees_their_own_verdict_and_score(contexts, server):
    teacher = contexts(viewport={"width": 1280, "height": 720})
    code = start_session(teacher, server)
    right, wrong = contexts(viewport={"width": 375, "height": 740}), contexts()
    join(right, server, code)
    join(wrong, server, code, lang="en")
    teacher.locator("text=2 élèves ont rejoint la séance.").wait_for(timeout=WAIT)
    # The pupils' pages hold the quiz: each step is shown from the page, with no page fetch.
    fetched, screens = [], []
    right.on("request", lambda r: fetched.append(r.url) if "part=live" in r.url
             and r.method == "GET" else None)
    # The teacher's counts come with its poll: no screen to fetch while pupils answer.
    teacher.on("request", lambda r: screens.append(r.url) if "part=live" in r.url
               and r.method == "GET" else None)
    teacher.keyboard.press("f")
    teacher.keyboard.press("n")
    for page in (right, wrong):
        page.locator("fieldset legend").wait_for(timeout=WAIT)
    assert_no_violations(right)
    for n in RIGHT:
        right.check(f"#option-1-o{n}")
    shot(right, "pupil-question-375x740")
    right.click("form.live-answer button[type=submit]")
    right.locator(".answer-saved").wait_for()
    wrong.check("#option-1-o4")
    wrong.click("form.live-answer button[type=submit]")
    teacher.locator("text=2 élèves sur 2 ont répondu").wait_for(timeout=WAIT)
    assert screens == []
    teacher.keyboard.press("r")

    right.locator(".verdict-right").wait_for(timeout=WAIT)
    wrong.locator(".verdict-wrong").wait_for(timeout=WAIT)
    assert "Bonne réponse, bravo" in right.locator(".verdict").inner_text()
    assert "Not quite" in wrong.locator(".verdict").inner_text()
    assert right.locator(".verdict-wrong").count() == 0
    assert wrong.locator(".verdict-right").count() == 0
    assert teacher.locator(".verdict").count() == 0
    # Read out politely, and focus stays where it was: no outline flashes on the heading.
    right.locator("[data-live-status]:has-text('bravo')").wait_for(state="attached", timeout=WAIT)
    assert right.evaluate("document.activeElement.matches('h1')") is False
    shot(right, "pupil-reveal-375x740")
    assert_no_violations(right)
    assert_no_violations(wrong)

    teacher.keyboard.press("n")
    teacher.locator("h1:has-text('Question 2 sur 2')").wait_for()
    right.locator("#option-2-true").wait_for(timeout=WAIT)
    right.check("#option-2-true")
    right.click("form.live-answer button[type=submit]")
    right.locator(".answer-saved").wait_for()
    teacher.keyboard.press("r")
    teacher.locator(".reveal-notes").wait_for()
    right.locator(".verdict-right").wait_for(timeout=WAIT)
    title = right.title()
    assert title.startswith("Question 2 sur 2 · ") and title.endswith(" · Pont")
    assert title.count(" · ") == 2  # the step, the module, the site: nothing doubled
    assert fetched == []
    teacher.keyboard.press("n")
    teacher.locator("h1:has-text('Résultats de la classe')").wait_for()
    assert_in_view(teacher, "#host-projector")
    shot(teacher, "host-results-1280x720")
    assert_no_violations(teacher)

    right.locator(".own-score").wait_for(timeout=WAIT)
    wrong.locator(".own-score").wait_for(timeout=WAIT)
    assert "2 bonnes réponses sur 2 questions" in right.locator(".score-figure").inner_text()
    assert "0 right answers out of 2 questions" in wrong.locator(".score-figure").inner_text()
    mine = right.locator(".whoami .pseudonym").inner_text()
    theirs = wrong.locator(".whoami .pseudonym").inner_text()
    assert theirs not in right.content() and mine not in wrong.content()
    shot(right, "pupil-end-375x740")
    assert_no_violations(right)
    assert_no_violations(wrong)


def test_the_join_page_explains_the_alphabet(contexts, server):
    pupil = contexts(viewport={"width": 375, "height": 740})
    pupil.goto(f"{server}/en/class")
    pupil.fill("#code", "B0OK15")
    pupil.click("form.join-form button[type=submit]")
    alert = pupil.locator("[role=alert]")
    assert "never contains “B”, “0”, “O”, “1”, “5”" in alert.inner_text()
    assert "C D F H J K M N P R T W X 3 4 7 9" in alert.inner_text()
    assert pupil.input_value("#code") == "B0OK15"
    assert no_horizontal_scroll(pupil)
    shot(pupil, "join-alphabet-375x740")
    assert_no_violations(pupil)


def test_a_long_pseudonym_in_another_script_fits_a_small_phone(contexts, server, projector_app):
    teacher = contexts()
    code = start_session(teacher, server)
    # Pupils cannot choose a pseudonym: give one through the service layer, then its cookie.
    with projector_app.extensions["pont_sessionmaker"]() as db:
        live = sessions.find(db, code)
        _who, token = sessions.join(db, live, choose=lambda taken: GREEK)
    assert len(GREEK) == 40
    cookie = URLSafeSerializer("test", salt="pont-live").dumps(
        {"p": {code: [token, int(time.time())]}})
    pupil = contexts(viewport={"width": 320, "height": 640})
    pupil.context.add_cookies([{"name": "pont_live", "value": cookie,
                                "url": f"{server}/fr/classe"}])
    pupil.goto(f"{server}/fr/classe/{code}")
    name = pupil.locator(".whoami .pseudonym")
    assert name.inner_text() == GREEK
    teacher.click("#host-step")
    pupil.locator("fieldset legend").wait_for(timeout=WAIT)
    assert no_horizontal_scroll(pupil)
    found = name.bounding_box()
    assert found["x"] >= 0 and found["x"] + found["width"] <= 320
    for selector in (".whoami", "fieldset", "form.live-answer button[type=submit]"):
        element = box(pupil, selector)
        assert element["x"] >= 0 and element["x"] + element["width"] <= 320, selector
    shot(pupil, "pupil-greek-320x640")
    assert_no_violations(pupil)
    teacher.goto(teacher.url + "?projector=1")
    assert GREEK in teacher.locator(".roster-list").text_content()
    assert no_horizontal_scroll(teacher)
