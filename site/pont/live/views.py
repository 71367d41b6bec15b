"""Live class sessions: the teacher's screen, the pupils' pages and the JSON they poll.

Every page works without JavaScript (forms and a refresh link); live.js polls the two JSON
endpoints with `If-None-Match` and reloads only what changed. The polls are the hot path:
a pupil's is one indexed read of four columns, and an unchanged state costs a 304.
"""

from __future__ import annotations

from functools import lru_cache

import click
import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select

from ..content.model import Module
from ..db import get_session
from ..extensions import limiter
from ..i18n import REGISTRY, audience_routes, localized_route, site_languages
from . import cleanup, codes, keys, pseudonyms, sessions
from .fast_poll import SHARED_FOR_A_SECOND
from .models import FINISHED, LiveSession, utcnow
from .sessions import Problem
from .shared_pages import SCORE

bp = Blueprint("live", __name__, cli_group="live")

# The live pages of each language live under these paths (the cookie is scoped to them).
ROOT = "/{class}"
NO_STORE = {"Cache-Control": "no-store"}

MESSAGES = {
    "no-code": _l("Type the code shown by your teacher."),
    "malformed": _l("A join code has 6 letters and digits, like the one on the board. "
                    "Please check it and type it again."),
    "alphabet": _l("A join code never contains %(typed)s: codes use only these letters and "
                   "digits, which cannot be taken for one another: %(alphabet)s. Please check "
                   "the code on the board."),
    "unknown": _l("No session has this code. Please check the code on the board and try again."),
    "expired": _l("This session has expired: sessions are deleted a few hours after their last "
                  "activity."),
    "finished": _l("This session has ended. Thank you for taking part!"),
    "not-joined": _l("You have not joined this session yet."),
    "removed": _l("The teacher has removed you from this session."),
    "not-teacher": _l("Only the browser that started this session can run it. If you started "
                      "it, open it again in that same browser."),
    "closed": _l("This question is closed: the teacher has moved on. Your answer was not "
                 "recorded."),
    "empty": _l("Choose an answer before sending it."),
    "invalid": _l("This answer is not one of the options. Please choose again."),
    "full": _l("This session is full."),
    "not-now": _l("This step is not possible at this point of the session."),
    "no-participant": _l("This participant is not in this session."),
    "bad-action": _l("This action is not known."),
    "gone": _l("The quiz of this session is no longer available."),
}


def library():
    return current_app.extensions["pont_library"]


def cookie_paths() -> list[str]:
    return [f"/{lang}{REGISTRY[lang].path(ROOT)}" for lang in site_languages()]


def small_int(text: str | None) -> int | None:
    """A form's number, or None for anything that is not 1 to 9 plain digits."""
    return int(text) if text and len(text) < 10 and text.isascii() and text.isdigit() else None


def load(code: str) -> LiveSession:
    if not codes.is_well_formed(code):
        raise Problem(404, "unknown")
    live = sessions.find(get_session(), code)
    if live is None:
        raise Problem(404, "unknown")
    if sessions.is_expired(live, cleanup.max_idle()):
        raise Problem(410, "expired")
    return live


def module_for(live: LiveSession, lang: str) -> Module:
    """The session's module in the viewer's language (or the one it was started in)."""
    module = (library().module(lang, live.audience, live.module)
              or library().module(live.lang, live.audience, live.module))
    if module is None or module.quiz is None:
        raise Problem(410, "gone")
    return module


def require_teacher(live: LiveSession) -> None:
    if not codes.matches(keys.secret(keys.TEACHER, live.code), live.teacher_digest):
        raise Problem(403, "not-teacher")


def pupil_key() -> str:
    """Rate limits for answers count per pupil, not per school network."""
    token = keys.secret(keys.PUPIL, (request.view_args or {}).get("code", ""))
    return f"pupil:{codes.digest(token)}" if token else get_remote_address()


def remembered(role: str) -> list[LiveSession]:
    """The sessions this browser joined or runs that still exist, most recent first."""
    known = keys.codes(role)
    if not known:
        return []
    found = {live.code: live for live in get_session().scalars(
        select(LiveSession).where(LiveSession.code.in_(known)))}
    idle = cleanup.max_idle()
    return [found[code] for code in known
            if code in found and not sessions.is_expired(found[code], idle)]


@lru_cache(maxsize=512)
def qr_svg(url: str, title: str) -> Markup:
    svg = segno.make(url, error="m").svg_inline(
        scale=1, title=title, omitsize=True, svgclass="qr", light="#fff")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def in_part() -> bool:
    """Whether live.js asked for the page's live part only (`?part=live`): the title and the
    live element it reads to update a page in place, without the site's header, navigation
    and footer. A form it sends in the background gets that part back at once, with no
    redirect to follow: only a browser's own form post needs one (a reload must not resend)."""
    return request.args.get("part") == "live"


def layout() -> str:
    return "live/_part.html" if in_part() else "base.html"


def not_modified(etag: str, cache_control: str) -> Response | None:
    if etag in request.if_none_match:
        response = Response(status=304)
        response.set_etag(etag)
        response.headers["Cache-Control"] = cache_control
        return response
    return None


@bp.errorhandler(Problem)
def problem(error: Problem):
    if request.endpoint in ("live.pupil_state", "live.host_state"):
        return jsonify(error=error.reason), error.status, NO_STORE
    page = render_template("live/problem.html", reason=error.reason,
                           message=MESSAGES[error.reason],
                           code=(request.view_args or {}).get("code"))
    return page, error.status, NO_STORE


# Pupils ------------------------------------------------------------------------------------

def alphabet_message(code: str) -> str:
    """Which typed characters codes never use, and the ones they do use."""
    typed = ", ".join(_l("“%(char)s”") % {"char": char} for char in codes.foreign(code)[:6])
    return MESSAGES["alphabet"] % {"typed": typed, "alphabet": " ".join(codes.ALPHABET)}


def render_join(lang: str, typed: str = "", reason: str | None = None, status: int = 200,
                confirm: bool = False):
    joined, hosting = remembered(keys.PUPIL), remembered(keys.TEACHER)
    titles = {}
    for live in joined + hosting:
        module = (library().module(lang, live.audience, live.module)
                  or library().module(live.lang, live.audience, live.module))
        titles[live.code] = module.title if module else ""
    if reason == "alphabet":
        error = alphabet_message(codes.normalize(typed))
    else:
        error = MESSAGES[reason] if reason else None

    def render(_name: str, csrf_token) -> str:
        return render_template(
            "live/join.html", typed=typed, error=error, csrf_token=csrf_token,
            confirm=confirm, example=pseudonyms.label("blue-fox", lang),
            joined=joined, hosting=hosting, titles=titles)

    if typed or error or confirm or joined or hosting:
        return render("", generate_csrf), status, NO_STORE
    # The blank page, the same for a whole class arriving at once: rendered once per language.
    page = current_app.extensions["pont_live_pages"].page(("join", lang), render, "",
                                                          generate_csrf)
    return page, status, NO_STORE


def is_unknown_code(response) -> bool:
    return response.status_code == 404


# One budget per address for codes that open no session, wherever they are tried: codes
# cannot be enumerated, and right codes never spend it.
unknown_codes = limiter.shared_limit(lambda: current_app.config["LIVE_UNKNOWN_CODE_LIMIT"],
                                     scope="live-unknown-code", deduct_when=is_unknown_code)


@limiter.limit(lambda: current_app.config["LIVE_JOIN_LIMIT"],
               methods=["POST"])
@unknown_codes
def join(lang: str):
    """The join page: a pupil types the code and gets a pseudonym, never asked for a name."""
    if request.method != "POST":
        typed = codes.normalize(request.args.get("code", ""))[:20]
        if codes.is_well_formed(typed):
            return redirect(url_for("live.pupil", code=typed), 303)
        return render_join(lang)
    typed = request.form.get("code", "")[:40]
    code = codes.normalize(typed)
    if not code:
        return render_join(lang, typed, "no-code", 400)
    if codes.foreign(code):
        return render_join(lang, typed, "alphabet", 400)
    if not codes.is_well_formed(code):
        return render_join(lang, typed, "malformed", 400)
    db = get_session()
    live = sessions.find(db, code)
    if live is None:
        return render_join(lang, typed, "unknown", 404)
    if sessions.is_expired(live, cleanup.max_idle()):
        return render_join(lang, typed, "expired", 410)
    if live.phase == FINISHED:
        return render_join(lang, typed, "finished", 410)
    response = redirect(url_for("live.pupil", code=code), 303)
    if sessions.participant(db, live, keys.secret(keys.PUPIL, code)) is None:
        cleanup.purge_now_and_then(db)
        _who, token = sessions.join(db, live)
        keys.keep(response, keys.PUPIL, code, token, cookie_paths())
    return response


def render_pupil(live, module, who, lang, error=None, chosen=(), status=200, recorded=None):
    """The pupil's page; `recorded` is the answer to the current question just recorded."""
    db = get_session()
    question = sessions.current_question(live, module)
    finished = live.phase == FINISHED
    mine = recorded or (sessions.mine(db, who, question.id) if question else None)
    around = layout()
    # A whole page holds the steps to come, for live.js to show without a request; a live
    # part (an update, an answer sent in the background) replaces the current step only.
    views = not finished and not in_part()

    def render(name: str, csrf_token, own_score=None) -> str:
        return render_template(
            "live/pupil.html", layout=around, live=live, module=module, question=question,
            name=name, mine=mine, csrf_token=csrf_token, own_score=own_score,
            summary=sessions.summary(db, live, module) if finished else None,
            error=error, chosen=chosen, etag=str(live.version), views=views,
            state_url=url_for("live.pupil_state", code=live.code))

    name = pseudonyms.label(who.pseudonym, lang)
    if error:  # what they chose: theirs alone
        return render(name, generate_csrf), status, NO_STORE
    # The final page is the class's but for the pupil's own score, which goes in its place.
    page = current_app.extensions["pont_live_pages"].page(
        (live.code, live.version, lang, around, mine),
        lambda name, token: render(name, token, Markup(SCORE) if finished else None),
        name, generate_csrf)
    if finished:
        score = get_template_attribute("live/_score.html", "own_score")(
            module.quiz.questions, sessions.results(db, who))
        page = page.replace(SCORE, str(score), 1)
    return page, status, NO_STORE


@limiter.limit(lambda: current_app.config["LIVE_ANSWER_LIMIT"],
               key_func=pupil_key, methods=["POST"])
@unknown_codes
def pupil(lang: str, code: str):
    """A pupil's page: the current question, their answer, the reveal, then the summary."""
    if request.method != "POST" and codes.normalize(code) != code:
        cleaned = codes.normalize(code)
        if codes.is_well_formed(cleaned):  # typed by hand in the address bar
            return redirect(url_for("live.pupil", code=cleaned), 301)
    live = load(code)
    module = module_for(live, lang)
    db = get_session()
    who = sessions.participant(db, live, keys.secret(keys.PUPIL, code))
    if request.method == "POST":
        if who is None:
            raise Problem(403, "not-joined")
        values = request.form.getlist("option")
        try:
            recorded = sessions.answer(db, live, who, module, request.form.get("question", ""),
                                       values)
        except Problem as error:
            if error.reason not in ("empty", "invalid"):
                raise
            return render_pupil(live, module, who, lang, MESSAGES[error.reason], values, 400)
        if in_part():
            return render_pupil(live, module, who, lang, recorded=recorded)
        return redirect(url_for("live.pupil", code=code), 303)
    if who is None:
        if live.phase == FINISHED:
            raise Problem(410, "finished")
        return render_join(lang, codes.spaced(code), confirm=True)
    if who.removed:
        raise Problem(403, "removed")
    return render_pupil(live, module, who, lang)


@unknown_codes
def pupil_state(lang: str, code: str):
    """What pupils' pages poll: the session's version, phase and question; no cookie needed."""
    if not codes.is_well_formed(code):
        raise Problem(404, "unknown")
    row = sessions.poll_state(current_app.extensions["pont_engine"], code)
    if row is None:
        raise Problem(404, "unknown")
    version, phase, position, touched_at = row
    if touched_at < utcnow() - cleanup.max_idle():
        raise Problem(410, "expired")
    etag = str(version)
    response = (not_modified(etag, SHARED_FOR_A_SECOND)
                or jsonify(sessions.pupil_state(version, phase, position)))
    response.set_etag(etag)
    response.headers["Cache-Control"] = SHARED_FOR_A_SECOND
    return response


# Teachers ----------------------------------------------------------------------------------

@limiter.limit(lambda: current_app.config["LIVE_START_LIMIT"],
               methods=["POST"])
def start(lang: str, audience: str, slug: str):
    """The "Run with my class" page: a page of its own, so module pages stay cookie-free."""
    module = library().module(lang, audience, slug)
    if module is None or module.quiz is None:
        abort(404)
    db = get_session()
    if request.method == "POST":
        cleanup.purge_now_and_then(db)
        live, secret = sessions.create(db, module, lang,
                                       show_counts=request.form.get("show_counts") == "on")
        response = redirect(url_for("live.host", code=live.code), 303)
        keys.keep(response, keys.TEACHER, live.code, secret, cookie_paths())
        return response
    running = [live for live in remembered(keys.TEACHER)
               if (live.audience, live.module) == (audience, slug) and live.phase != FINISHED]
    return render_template("live/start.html", module=module, running=running), 200, NO_STORE


def host(lang: str, code: str):
    """The teacher's screen; its forms pace the session.

    `?projector=1` lays it out for a projector (no site header or footer, type sized to the
    screen); live.js switches it without a reload and keeps the address in step.
    """
    live = load(code)
    require_teacher(live)
    module = module_for(live, lang)
    db = get_session()
    projector = request.args.get("projector") == "1"
    here = url_for("live.host", code=code, projector=1 if projector else None)
    if request.method == "POST":
        action = request.form.get("action", "")
        if action == "counts":
            sessions.set_show_counts(db, live, request.form.get("counts") == "on")
        elif action == "remove":
            participant_id = small_int(request.form.get("participant"))
            if participant_id is None:
                raise Problem(404, "no-participant")
            sessions.remove(db, live, participant_id)
        elif action in sessions.ACTIONS:
            seen = small_int(request.form.get("version"))
            if seen is None:
                raise Problem(400, "bad-action")
            if not sessions.step(db, live, module, action, seen):
                # A second click on "next", or another tab moved on first: said, not applied.
                raise Problem(409, "not-now")
        else:
            raise Problem(400, "bad-action")
        if not in_part():
            return redirect(here, 303)
    question = sessions.current_question(live, module)
    join_url = url_for("live.pupil", code=code, _external=True)
    roster = labelled_roster(live, lang)
    page = render_template(
        "live/host.html", layout=layout(), live=live, module=module, question=question,
        here=here, projector=projector, projector_url=url_for("live.host", code=code, projector=1),
        plain_url=url_for("live.host", code=code), counts_shown=sessions.counts_shown(live),
        tally=sessions.tally(db, live, question) if question else None,
        roster=roster,
        summary=sessions.summary(db, live, module) if live.phase == FINISHED else None,
        join_url=join_url, join_page=url_for("live.join", _external=True),
        qr=qr_svg(join_url, str(_l("QR code to join the session"))),
        state_url=url_for("live.host_state", code=code))
    return page, 200, NO_STORE


def labelled_roster(live: LiveSession, lang: str) -> list[tuple[int, str]]:
    """The participants as the teacher's screen lists them: (id, pseudonym in `lang`)."""
    return [(pid, pseudonyms.label(name, lang))
            for pid, name in sessions.roster(get_session(), live)]


def host_state(lang: str, code: str):
    """What the teacher's screen polls: counts of participants and answers, and the parts of
    the screen that show them (`parts`), so that a count changed within a step needs no
    other request; live.js fetches the screen's live part when the step changes."""
    live = load(code)
    require_teacher(live)
    unchanged = not_modified(live.etag, "private, no-cache")
    if unchanged:
        return unchanged
    db = get_session()
    question = sessions.current_question(live, module_for(live, lang))
    tally = sessions.tally(db, live, question) if question else None
    roster = labelled_roster(live, lang)
    here = url_for("live.host", code=code)
    parts = {}
    if live.phase != FINISHED:
        macros = current_app.jinja_env.get_template("live/_host_parts.html").module
        parts["roster"] = str(macros.roster(roster, here))
        if tally:
            parts["tally"] = str(macros.tally(question, tally, len(roster), live, here,
                                              sessions.counts_shown(live)))
        else:
            parts["count"] = str(macros.count(len(roster)))
    response = jsonify(
        etag=live.etag, step=str(live.version), phase=live.phase, position=live.position,
        participants=len(roster),
        answered=tally.answered if tally else 0, options=tally.options if tally else {},
        parts=parts)
    response.set_etag(live.etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.cli.command("cleanup")
def cleanup_command() -> None:
    """Delete expired live sessions, their pseudonyms and answers (run it from cron)."""
    count = cleanup.purge(get_session(), cleanup.max_idle())
    click.echo(f"Deleted {count} expired live session(s).")


localized_route(bp, ROOT, join, methods=["GET", "POST"])
localized_route(bp, ROOT + "/<code>", pupil, methods=["GET", "POST"])
localized_route(bp, ROOT + "/<code>/{state}", pupil_state)
localized_route(bp, ROOT + "/<code>/{host}", host, methods=["GET", "POST"])
localized_route(bp, ROOT + "/<code>/{host}/{state}", host_state)
audience_routes(bp, "/<slug>", start, prefix=ROOT + "/{new}", methods=["GET", "POST"])
