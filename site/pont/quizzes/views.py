"""Quiz submission (scored on the server, works without JavaScript) and statistics pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ..db import get_session
from ..extensions import csrf, limiter
from ..i18n import audience_routes
from . import scoring, stats

bp = Blueprint("quizzes", __name__)
# A quiz answer is a few short ids: anything much larger is not a quiz answer.
MAX_QUIZ_BODY = 32 * 1024


def find_module(lang: str, audience: str, slug: str):
    module = current_app.extensions["pont_library"].module(lang, audience, slug)
    if module is None or module.quiz is None:
        abort(404)
    return module


@csrf.exempt
@limiter.limit("20 per minute; 200 per hour", methods=["POST"])
def submit(lang: str, audience: str, slug: str):
    """Score a quiz. Anonymous: nothing about the pupil is read or kept, only counters."""
    module = find_module(lang, audience, slug)
    request.max_content_length = MAX_QUIZ_BODY
    submission = scoring.read(module.quiz, request.form.to_dict(flat=False))
    if not submission.complete:
        page = render_template("quizzes/retry.html", module=module, submission=submission)
        return page, 400, {"Cache-Control": "no-store"}
    stats.record(get_session(), module, submission)
    page = render_template("quizzes/result.html", module=module, submission=submission,
                           score=scoring.score(submission),
                           next_module=current_app.extensions["pont_library"].next_module(module))
    return page, 200, {"Cache-Control": "no-store"}


def statistics(lang: str, audience: str, slug: str):
    module = find_module(lang, audience, slug)
    report = stats.report(get_session(), module)
    most_missed = sorted((s for s in report if s.answered), key=lambda s: -s.missed_share)[:3]
    return render_template("quizzes/statistics.html", module=module, report=report,
                           most_missed=most_missed)


audience_routes(bp, "/<slug>/{quiz}", submit, methods=["POST"])
audience_routes(bp, "/<slug>/{statistics}", statistics)
