"""The report pages: find the school, fill in, read again, send, receipt, follow-up, poster.

Every step works without JavaScript. What a person typed travels with them from step to step
in the form itself (nothing is kept on the server before sending), comes back with every error,
and is shown back to copy if the database cannot take it. Pages that carry report text are
never cached (`no-store`).
"""

from __future__ import annotations

import datetime
import secrets
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date, format_time
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import errors
from ..db import get_session, rollback_after_failure
from ..extensions import csrf, limiter
from ..i18n import current_language, localized_route
from . import codes, evidence, filing, forms
from .crypto import vault
from .forms import choices
from .models import CLOSED, IN_PROGRESS, RECEIVED, Report, School
from .schools import find_schools, fold, get_school

bp = Blueprint("reports", __name__)
NO_STORE = {"Cache-Control": "no-store"}
CODE_ATTEMPTS = "follow-up-codes"


STATUS_TEXT = {
    RECEIVED: (_l("Received"), _l("Your report has arrived. The referents have not started "
                                  "dealing with it yet.")),
    IN_PROGRESS: (_l("Being handled"), _l("The referents are dealing with it. It can take "
                                          "time: they may talk with several people.")),
    CLOSED: (_l("Closed"), _l("The referents have finished dealing with it. If it starts "
                              "again, send a new report.")),
}


@bp.app_template_filter()
def report_datetime(value: datetime.datetime) -> str:
    """A stored (naive UTC) time as the school's clock shows it, in the page's language."""
    zone = ZoneInfo(current_app.config["REPORT_TIMEZONE"])
    local = value.replace(tzinfo=datetime.UTC).astimezone(zone)
    lang = current_language()
    return f"{format_date(local, 'long', locale=lang)}, {format_time(local, 'short', locale=lang)}"


@bp.app_template_global()
def accepts_reports(school: School) -> bool:
    return filing.accepts_reports(get_session(), school)


def send_limit() -> str:
    return current_app.config["REPORT_SEND_LIMIT"]


def check_limit() -> str:
    return current_app.config["REPORT_CHECK_LIMIT"]


def code_limit() -> str:
    """Wrong code-and-secret attempts a client may make (right ones are never counted)."""
    return current_app.config["REPORT_CODE_LIMIT"]


def add_limit() -> str:
    """Additions to a report a client may send, right code or not."""
    return current_app.config["REPORT_ADD_LIMIT"]


def is_wrong_code(response) -> bool:
    return response.status_code == 403


def school_or_404(uai: str) -> School:
    school = get_school(get_session(), uai)
    if school is None:
        abort(404)
    return school


def not_ready(school: School):
    """The school cannot receive reports (yet): say so, and give back anything typed."""
    typed = typed_text() if request.method == "POST" else []
    return render_template("reports/not_ready.html", school=school, typed=typed), 409, NO_STORE


# Find the school -------------------------------------------------------------------------


def find(lang: str):
    query = request.args.get("q", "")[:100]
    folded = fold(query)
    results = find_schools(get_session(), query) if len(folded) >= 2 else []
    problem = None
    if query and len(folded) < 2:
        problem = _l("Type at least two letters of the school's name or town.")
    elif query and not results:
        problem = _l("No school matches. Check the spelling, or try only the town.")
    status = 400 if problem and len(folded) < 2 else 200
    return render_template("reports/find.html", query=query, results=results,
                           problem=problem), status


# The form and the "read again" step ------------------------------------------------------


@csrf.exempt
@limiter.limit(check_limit, methods=["POST"])
def form(lang: str, uai: str):
    """GET: the empty form. POST: check the answers, then show them back with who will see
    them, the screenshots field and the Send button; or the form again with what to fix."""
    school = school_or_404(uai)
    if not accepts_reports(school):
        return not_ready(school)
    if request.method != "POST":
        if uai != school.uai:
            return redirect(url_for("reports.form", uai=school.uai), 301)
        # Not no-store: the browser's Back button must bring this page back as it was filled
        # in. It holds nothing but the form and its CSRF token.
        return render_template("reports/form.html", school=school, form=forms.ReportForm(),
                               choices=choices()), 200, {"Cache-Control": "private, no-cache"}
    report_form = forms.ReportForm()
    if "edit" in request.form:
        return render_template("reports/form.html", school=school, form=report_form,
                               choices=choices()), 200, NO_STORE
    if not report_form.validate():
        return render_template("reports/form.html", school=school, form=report_form,
                               choices=choices()), 400, NO_STORE
    return render_review(school, report_form, token=secrets.token_urlsafe(24))


def render_review(school: School, report_form, token: str, problems=(), status: int = 200):
    return render_template("reports/review.html", school=school, form=report_form, token=token,
                           problems=problems, choices=choices(), limits=upload_limits()), \
        status, NO_STORE


def upload_limits() -> dict:
    return {"files": evidence.MAX_FILES, "mb": evidence.MAX_FILE_BYTES // (1024 * 1024),
            "accept": evidence.ACCEPT_ATTRIBUTE}


def uploads(field) -> list:
    return list(field.data or [])


@csrf.exempt
@limiter.limit(send_limit, methods=["POST"])
def send(lang: str, uai: str):
    """Store the report with its screenshots and show the receipt."""
    if request.method != "POST":
        return redirect(url_for("reports.form", uai=uai), 303)
    request.max_content_length = evidence.MAX_BODY
    school = school_or_404(uai)
    if not accepts_reports(school):
        return not_ready(school)
    send_form = forms.SendForm()
    token = send_form.token.data if forms.TOKEN_PATTERN.match(send_form.token.data or "") \
        else secrets.token_urlsafe(24)
    if not send_form.validate():
        answer_errors = set(send_form.errors) - {"csrf_token", "token", "screenshots"}
        if answer_errors:
            return render_template("reports/form.html", school=school, form=send_form,
                                   choices=choices()), 400, NO_STORE
        return render_review(school, send_form, token, status=400, problems=[
            _l("For your safety, this page had expired. Everything you wrote is still here: "
               "read it again, choose your screenshots again if you had any, and send.")])
    images, problems = filing.clean_screenshots(uploads(send_form.screenshots))
    if problems:
        return render_review(school, send_form, token, problems=problems, status=400)
    report, secret = filing.store(
        get_session(), school, answers=send_form.answers(),
        contact=send_form.contact_details(), danger=send_form.danger.data, lang=lang,
        token=token, images=images)
    return render_template("reports/receipt.html", school=school, report=report,
                           code=codes.group(report.code, 5),
                           secret=codes.group(secret, 6) if secret else None), 200, NO_STORE


def receipt(lang: str):
    """The receipt again, after a reload: only the tab that sent the report holds its code and
    secret (receipt.js keeps them there for 30 minutes); the server never sees them again."""
    return render_template("reports/receipt.html", again=True), 200, NO_STORE


# Follow-up -------------------------------------------------------------------------------


def authenticate(follow_form) -> Report | None:
    return filing.authenticate(get_session(), *follow_form.normalized())


WRONG_CODE = _l("This code and secret do not open any report. Check each character against "
                "your receipt (letters and digits only; 0, 1, I, L, O and U are never used) "
                "and try again.")


# One budget for both pages that take a code and secret; only wrong attempts spend it.
code_attempts = limiter.shared_limit(code_limit, scope=CODE_ATTEMPTS, methods=["POST"],
                                     deduct_when=is_wrong_code)


@csrf.exempt
@code_attempts
def follow(lang: str):
    follow_form = forms.FollowForm()
    if request.method != "POST":
        return render_template("reports/follow.html", form=follow_form), 200, NO_STORE
    if not follow_form.validate():
        return render_template("reports/follow.html", form=follow_form), 400, NO_STORE
    report = authenticate(follow_form)
    if report is None:
        return render_template("reports/follow.html", form=follow_form,
                               problem=WRONG_CODE), 403, NO_STORE
    return render_case(report, follow_form)


def render_case(report: Report, follow_form, add_form=None, problems=(), added=False,
                status=200):
    keys = vault()
    if add_form is None:
        add_form = forms.AddInfoForm(formdata=None, code=follow_form.code.data,
                                     secret=follow_form.secret.data)
    # Newest first: the school's latest answer is what the reporter comes back for.
    messages = [(message, keys.decrypt_text(message.body)) for message in
                sorted(report.messages, key=lambda m: (m.created_at, m.id), reverse=True)]
    return render_template(
        "reports/case.html", report=report, school=report.school,
        answers=keys.decrypt_json(report.answers), messages=messages,
        evidence=report.evidence, form=add_form, problems=problems, added=added,
        choices=choices(), limits=upload_limits(), statuses=STATUS_TEXT,
    ), status, NO_STORE


ADD_REFUSED = {
    "full": _l("This report has reached its limit of %(max)d messages. If something new "
               "happens, please send a new report.", max=filing.MAX_MESSAGES),
    "screenshots": _l("This report already holds the most screenshots it can (%(max)d). "
                      "Describe what the others show in your message, or send a new report.",
                      max=filing.MAX_SCREENSHOTS),
}


@csrf.exempt
@code_attempts
@limiter.limit(add_limit, methods=["POST"])
def add(lang: str):
    """The reporter adds information (and screenshots) to their report."""
    if request.method != "POST":
        return redirect(url_for("reports.follow"), 303)
    request.max_content_length = evidence.MAX_BODY
    add_form = forms.AddInfoForm()
    report = authenticate(add_form)
    if report is None:
        return render_template("reports/follow.html", form=add_form, problem=WRONG_CODE,
                               kept=add_form.message.data), 403, NO_STORE
    if report.status == CLOSED:
        return render_case(report, add_form, add_form, status=409)
    if not add_form.validate():
        return render_case(report, add_form, add_form, status=400)
    db = get_session()
    images, problems = filing.clean_screenshots(
        uploads(add_form.screenshots), room=filing.room_for_screenshots(db, report))
    if problems:
        return render_case(report, add_form, add_form, problems=problems, status=400)
    try:
        filing.add(db, report, add_form.message.data, images)
    except filing.Refused as refused:
        return render_case(report, add_form, add_form, status=refused.status,
                           problems=[ADD_REFUSED.get(refused.reason, ADD_REFUSED["full"])])
    fresh = forms.AddInfoForm(formdata=None, code=add_form.code.data,
                              secret=add_form.secret.data)
    return render_case(report, add_form, fresh, added=True)


# Poster ----------------------------------------------------------------------------------


def poster(lang: str, uai: str):
    school = school_or_404(uai)
    # The deployment's public address when it is configured: a poster outlives a request.
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    path = url_for("reports.form", uai=school.uai)
    link = public + path if public else url_for("reports.form", uai=school.uai, _external=True)
    qr = segno.make(link, error="m")
    return render_template("reports/poster.html", school=school, link=link,
                           qr=qr.svg_data_uri(scale=10, border=4, dark="#000", light="#fff"))


# Errors: nothing typed is lost -----------------------------------------------------------


TYPED_FIELDS = ("description", "other_kind", "place_detail", "links", "contact_value")
RESENDABLE = ("reports.form", "reports.send", "reports.add")


def typed_text() -> list[tuple[str, str]]:
    """What the person typed in this request, as (label, text) pairs, for them to copy."""
    try:
        request.max_content_length = evidence.MAX_BODY
        data = request.form
    except RequestEntityTooLarge:
        return []
    typed = forms.AddInfoForm(formdata=None, meta={"csrf": False})
    answers = forms.ReportForm(formdata=None, meta={"csrf": False})
    fields = [answers[name] for name in TYPED_FIELDS] + [typed.message]
    pairs = [(str(field.label.text), data.get(field.name, "")) for field in fields]
    return [(label, text) for label, text in pairs if text.strip()]


@bp.errorhandler(DBAPIError)
def database_unavailable(error: DBAPIError):
    """The database failed: say so plainly, hold the text to copy, log nothing of it."""
    if request.endpoint in ("reports.find", "reports.poster"):
        return errors.database_unavailable(error)  # nothing was typed, nothing to give back
    rollback_after_failure()
    current_app.logger.error("report pages: database unavailable (%s: %s)",
                             type(error).__name__, type(getattr(error, "orig", None)).__name__)
    return render_template("reports/not_sent.html", reason="database", typed=typed_text(),
                           resend=resend_fields()), 503, NO_STORE


TOO_MANY_TRIES = _l("Too many wrong codes or secrets have been tried from this connection. "
                    "For safety, please wait an hour and try again.")


@bp.errorhandler(429)
def too_many(error):
    if request.endpoint in ("reports.follow", "reports.add"):
        follow_form = forms.FollowForm(formdata=request.form, meta={"csrf": False})
        kept = request.form.get("message", "") if request.endpoint == "reports.add" else ""
        return render_template("reports/follow.html", form=follow_form, problem=TOO_MANY_TRIES,
                               kept=kept), 429, NO_STORE
    return render_template("reports/not_sent.html", reason="rate", typed=typed_text(),
                           resend=resend_fields()), 429, NO_STORE


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    return render_template("reports/not_sent.html", reason="size", typed=[], resend=None,
                           limits=upload_limits(),
                           screenshots=request.endpoint in ("reports.send", "reports.add")), \
        413, NO_STORE


def resend_fields() -> dict | None:
    """The fields just posted, for a Try again button that sends them once more."""
    if request.endpoint not in RESENDABLE or request.method != "POST":
        return None
    try:
        data = request.form
    except RequestEntityTooLarge:
        return None
    fields = [(key, value) for key in data for value in data.getlist(key)
              if key != "csrf_token"]
    return {"action": request.path, "fields": fields,
            "multipart": request.endpoint != "reports.form"}


localized_route(bp, "/{report}", find)
localized_route(bp, "/{report}/<uai>", form, methods=["GET", "POST"])
localized_route(bp, "/{report}/<uai>/{send}", send, methods=["GET", "POST"])
localized_route(bp, "/{report}/<uai>/{poster}", poster)
localized_route(bp, "/{follow_up}", follow, methods=["GET", "POST"])
localized_route(bp, "/{follow_up}/{add}", add, methods=["GET", "POST"])
localized_route(bp, "/{follow_up}/{receipt}", receipt)
