"""The referents' pages: log in, the school's reports, a case, its dossier, purge.

Every page is private: `no-store`, `noindex`, never cached in memory. A case of another school
is a 404 like a case that does not exist, whatever the page. Forms check their own CSRF token
and come back with what was typed on any error; changes are followed by a redirect to the case
(post/redirect/get), each written to the audit log with the reads.
"""

from __future__ import annotations

import datetime

from babel.dates import format_date, format_timedelta
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from ..clock import utcnow
from ..db import get_session, rollback_after_failure
from ..extensions import csrf, limiter
from ..i18n import current_language, localized_route
from ..mail import smtp
from ..reports import codes
from ..reports.crypto import vault
from ..reports.forms import choices
from ..reports.models import CLOSED, STATUSES, Report
from . import alerts, audit, cases, dossier, forms, handoffs, retention
from .auth import (
    SESSION_KEY,
    EnrolmentRequired,
    LoginRequired,
    begin_second_step,
    check_password,
    current_referent,
    log_in,
    log_out,
    login_required,
)
from .models import Referent
from .protocol import DANGER_LABELS, STATUS_LABELS, STEPS, is_urgent

bp = Blueprint("staff", __name__)
# Where a `next` address may lead after logging in: staff pages only.
STAFF_PREFIXES = ("/fr/etablissement/", "/en/school/")

WRONG_LOGIN = _l("This e-mail address and password do not match an active referent account. "
                 "Check both and try again.")
TOO_MANY_LOGINS = _l("Too many unsuccessful attempts for this account or from this "
                     "connection. For safety, please wait a while and try again.")
SESSION_ENDED = _l("Please log in again: your session has ended (after a few hours without "
                   "activity, or a logout).")
DONE = {
    "status": _l("Status saved."),
    "steps": _l("Protocol steps saved."),
    "note": _l("Note added. Only the school's referents can read it."),
    "reply": _l("Answer sent. The reporter will see it with their follow-up code."),
    "handoff": _l("Hand-off recorded."),
    "handoff_outcome": _l("Outcome recorded."),
    "nothing": _l("Nothing to save: nothing had changed."),
    "purged": _l("The case has been deleted, with everything attached to it."),
    "logout": _l("You are logged out."),
}
KEPT_FIELDS = {"note": _l("Your internal note"), "reply": _l("Your answer to the reporter")}


@bp.context_processor
def mail_state() -> dict:
    return {"mail_alerts": smtp.configured()}


def waited(report: Report) -> str:
    """How long a case not yet opened has waited, in words of the page's language."""
    return format_timedelta(utcnow() - report.created_at, threshold=1.5,
                            locale=current_language())


@bp.app_template_filter()
def format_day(value: datetime.date | str) -> str:
    """A day (of a hand-off, of its outcome; or as the dossier writes it) in the page's
    language."""
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "long", locale=current_language())


@bp.after_request
def private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def login_limit() -> str:
    """Unsuccessful logins per client address (a whole school may share one)."""
    return current_app.config["STAFF_LOGIN_LIMIT"]


def login_email_limit() -> str:
    """Unsuccessful logins per e-mail address, from anywhere."""
    return current_app.config["STAFF_LOGIN_EMAIL_LIMIT"]


def typed_email_key() -> str:
    return "staff-login:" + forms.normalize_email(request.form.get("email", ""))[:254]


def is_failed_login(response: Response) -> bool:
    return response.status_code != 303


def done_message() -> str | None:
    """What the last action did, from `?done=` (several, comma-separated, after a save)."""
    messages = [str(DONE[name]) for name in request.args.get("done", "").split(",")[:6]
                if name in DONE]
    return " ".join(messages) or None


def safe_next(value: str | None) -> str | None:
    """A staff page to go back to after logging in; anything else (another site, control
    characters a redirect cannot carry) leads to the case list."""
    if (value and value.startswith(STAFF_PREFIXES) and "\\" not in value
            and value.isprintable() and " " not in value):
        return value
    return None


# Logging in and out ----------------------------------------------------------------------


def render_login(form, problem=None, kept=(), status=200):
    return render_template("staff/login.html", form=form, problem=problem, kept=kept,
                           referent=current_referent(),
                           next=safe_next(request.args.get("next")),
                           done=done_message()), status


@csrf.exempt
@limiter.limit(login_limit, methods=["POST"], deduct_when=is_failed_login)
@limiter.limit(login_email_limit, methods=["POST"], key_func=typed_email_key,
               deduct_when=is_failed_login)
def login(lang: str):
    """GET: the form (or who is logged in). POST: one generic message for any failure."""
    form = forms.LoginForm()
    if request.method != "POST":
        return render_login(form)
    if not form.validate():
        return render_login(form, status=400)
    db = get_session()
    referent = db.scalars(select(Referent).where(Referent.email == form.email.data)).first()
    if not check_password(referent, form.password.data) or not referent.active:
        if referent is not None:
            audit.record(db, "login_failed", referent)
            db.commit()
        return render_login(form, problem=WRONG_LOGIN, status=401)
    if referent.has_2fa:
        begin_second_step(referent)
        db.commit()
        return redirect(url_for("staff_accounts.second_step",
                                next=safe_next(request.args.get("next"))), 303)
    return finish_login(referent)


def finish_login(referent: Referent) -> Response:
    """Log in (the password, and the code when asked for, were right) and go on."""
    db = get_session()
    log_in(referent)
    audit.record(db, "login", referent)
    db.commit()
    retention.purge_now_and_then(db)
    return redirect(safe_next(request.args.get("next")) or url_for("staff.dashboard"), 303)


@csrf.exempt
def logout(lang: str):
    if request.method != "POST":
        return redirect(url_for("staff.login"), 303)
    referent = current_referent()
    if referent is not None:
        if not forms.LogoutForm().validate():
            return render_login(forms.LoginForm(formdata=None), status=400, problem=_l(
                "For your safety, this page had expired. Press Log out again."))
        log_out(referent)
        db = get_session()
        audit.record(db, "logout", referent)
        db.commit()
    session.pop(SESSION_KEY, None)
    return redirect(url_for("staff.login", done="logout"), 303)


@bp.errorhandler(LoginRequired)
def login_first(_error):
    """GET: to the login page and back. POST: the login page, holding what was typed."""
    back = request.full_path.rstrip("?") if request.method != "POST" else (
        url_for("staff.case", code=request.view_args["code"])
        if "code" in (request.view_args or {}) else None)
    if request.method != "POST":
        return redirect(url_for("staff.login", next=back), 303)
    kept = [(str(label), request.form.get(name, "")) for name, label in KEPT_FIELDS.items()
            if request.form.get(name, "").strip()]
    form = forms.LoginForm(formdata=None)
    response = render_template("staff/login.html", form=form, problem=SESSION_ENDED,
                               kept=kept, referent=None, next=back, done=None)
    return response, 401


@bp.errorhandler(EnrolmentRequired)
def enrol_first(_error):
    """Two-factor login is required: nothing opens before it is set up."""
    return redirect(url_for("staff_accounts.two_factor"), 303)


@bp.errorhandler(429)
def too_many(_error):
    form = forms.LoginForm(formdata=request.form, meta={"csrf": False})
    form.password.data = ""
    return render_login(form, problem=TOO_MANY_LOGINS, status=429)


@bp.errorhandler(DBAPIError)
def database_unavailable(error: DBAPIError):
    """The database failed: say so, and give back what was typed, logging none of it."""
    rollback_after_failure()
    current_app.logger.error("staff pages: database unavailable (%s)", type(error).__name__)
    kept = [(str(label), request.form.get(name, "")) for name, label in KEPT_FIELDS.items()
            if request.method == "POST" and request.form.get(name, "").strip()]
    return render_template("staff/unavailable.html", kept=kept), 503


# The school's reports --------------------------------------------------------------------


@login_required
def dashboard(lang: str, referent: Referent):
    db = get_session()
    retention.purge_now_and_then(db)
    alerts.escalate_now_and_then(db)
    wanted = request.args.get("status", "")
    problem, status = None, 200
    if wanted and wanted not in STATUSES:
        problem, status, wanted = _l("There is no such status: showing every report."), 400, ""
    # An admin's list can show one of their schools (`?school=UAI`).
    schools = cases.schools_of(db, referent) if referent.is_admin else []
    school_uai = request.args.get("school", "").strip().upper()[:8]
    school = next((school for school in schools if school.uai == school_uai), None)
    if school_uai and school is None:
        problem, status = _l("There is no such school among yours: showing all of them."), 400
    number = request.args.get("page", "1")
    found = cases.case_list(db, referent, wanted or None,
                            int(number) if number.isdigit() and len(number) < 6 else 1,
                            school_id=school.id if school else None)
    page = render_template(
        "staff/dashboard.html", referent=referent, reports=found.reports, counts=found.counts,
        total=found.total, wanted=wanted, problem=problem, done=done_message(),
        new=found.new, opened=found.opened, page=found.page, pages=found.pages,
        waited=waited, schools=schools, school=school, case_schools=found.schools,
        **labels())
    audit.record(db, "dashboard_view", referent, detail=wanted or None)
    db.commit()
    return page, status


def labels() -> dict:
    return {"status_labels": STATUS_LABELS, "danger_labels": DANGER_LABELS,
            "is_urgent": is_urgent, "group": codes.group}


def own_case(referent: Referent, code: str) -> Report:
    """The case with this code if the referent may see it; otherwise 404."""
    report = cases.find_case(get_session(), referent, code)
    if report is None:
        abort(404)
    return report


def contact_text(report: Report) -> str | None:
    if report.contact is None:
        return None
    details = vault().decrypt_json(report.contact)
    return f"{choices()['contact'].get(details['method'], details['method'])} — {details['value']}"


def render_case(referent: Referent, report: Report, status: int = 200, **given):
    """The case page; `given` may hold the form sent back with its errors and typed text."""
    db = get_session()
    keys = vault()
    steps = cases.steps_of(db, report)
    seen = cases.last_seen(db, report)
    case_form = given.get("case_form") or forms.CaseForm(
        formdata=None, status=report.status, steps=list(steps))
    handoff_form = given.get("handoff_form") or forms.HandoffForm(
        formdata=None, screenshots=len(report.evidence), handed_on=handoffs.today())
    shown = handoffs.of(db, report)
    outcome_forms = {entry.handoff.id: forms.OutcomeForm(
        formdata=None, prefix=outcome_prefix(entry.handoff.id), outcome=entry.handoff.outcome,
        outcome_on=entry.handoff.outcome_on or handoffs.today()) for entry in shown}
    outcome_forms.update(given.get("outcome_forms", {}))
    cases.record_visit(db, referent, report)
    db.flush()
    page = render_template(
        "staff/case.html", referent=referent, report=report, school=report.school,
        answers=keys.decrypt_json(report.answers), reporter_contact=contact_text(report),
        messages=[(message, keys.decrypt_text(message.body), seen is None
                   or message.created_at > seen) for message in report.messages],
        notes=[(note, email, keys.decrypt_text(note.body))
               for note, email in cases.notes_of(db, report)],
        evidence=report.evidence, steps=steps, step_list=STEPS, choices=choices(),
        trail=audit.trail(db, report), actions=audit.ACTIONS, done=done_message(),
        purge_after=retention.purge_after(report), form=case_form,
        handoffs=shown, handoff_form=handoff_form, outcome_forms=outcome_forms,
        handoff_kinds=handoffs.KINDS, outcomes=handoffs.OUTCOMES,
        reference_max=handoffs.REFERENCE_MAX,
        platforms=handoffs.platforms(), **labels())
    db.commit()
    return page, status


@csrf.exempt
@login_required
def case(lang: str, code: str, referent: Referent):
    """GET: the case. POST: save what the referent changed (status, steps, answer, note)
    together, then back to the case; or the case again with the errors and all that was
    typed and ticked."""
    report = own_case(referent, code)
    if request.method != "POST":
        return render_case(referent, report)
    form = forms.CaseForm()
    if not form.validate():
        return render_case(referent, report, 400, case_form=form)
    done = cases.apply(get_session(), referent, report, form.change())
    return redirect(url_for("staff.case", code=report.code, done=",".join(done) or "nothing"),
                    303)


def outcome_prefix(number: int) -> str:
    """Each hand-off's outcome form names its fields apart: one page holds several."""
    return f"handoff{number}"


def apply_or_show(referent: Referent, report: Report, form, change: cases.Change,
                  **given):
    """Apply a hand-off or an outcome, or show the case again with the rule it broke."""
    try:
        done = cases.apply(get_session(), referent, report, change)
    except handoffs.Invalid as problem:
        form[problem.field].errors.append(problem.message)
        return render_case(referent, report, 400, **given)
    return redirect(url_for("staff.case", code=report.code, done=",".join(done) or "nothing",
                            _anchor="handoffs"), 303)


@csrf.exempt
@login_required
def handoff(lang: str, code: str, referent: Referent):
    """Record a hand-off of the case (Pont sends nothing: the referent did it)."""
    report = own_case(referent, code)
    form = forms.HandoffForm(screenshots=len(report.evidence))
    if not form.validate():
        return render_case(referent, report, 400, handoff_form=form)
    return apply_or_show(referent, report, form, form.change(), handoff_form=form)


@csrf.exempt
@login_required
def handoff_outcome(lang: str, code: str, number: int, referent: Referent):
    """Record what came of a hand-off of this case; another case's hand-off is a 404."""
    report = own_case(referent, code)
    if handoffs.find(get_session(), report, number) is None:
        abort(404)
    form = forms.OutcomeForm(prefix=outcome_prefix(number))
    if not form.validate():
        return render_case(referent, report, 400, outcome_forms={number: form})
    return apply_or_show(referent, report, form, form.change(number),
                         outcome_forms={number: form})


@login_required
def open_case(lang: str, number: int, referent: Referent):
    """The link of an e-mail alert: the case by its number, for an account that may see it."""
    report = cases.find_case_by_number(get_session(), referent, number)
    if report is None:
        abort(404)
    return redirect(url_for("staff.case", code=report.code), 303)


@login_required
def evidence(lang: str, code: str, number: int, referent: Referent):
    """One screenshot, as stored (re-encoded, without metadata), for this school only."""
    report = own_case(referent, code)
    db = get_session()
    item = cases.screenshot(db, report, number)
    if item is None:
        abort(404)
    data = vault().decrypt(item.data)
    audit.record(db, "evidence_view", referent, report, detail=str(item.id))
    db.commit()
    extension = dossier.EXTENSIONS.get(item.media_type, "bin")
    return Response(data, mimetype=item.media_type, headers={
        "Content-Disposition": f'inline; filename="{report.code}-{item.id}.{extension}"'})


# Dossier ---------------------------------------------------------------------------------


def dossier_document(report: Report, referent: Referent, action: str,
                     for_platform: bool = False) -> dict:
    """The dossier the query asks for: the whole (`notes=1`: with the internal notes) or, for
    the ZIP, what a platform needs with the screenshots ticked (`evidence=N`)."""
    with_notes = request.args.get("notes") == "1"
    chosen = frozenset(int(number) for number in request.args.getlist("evidence")
                       if number.isdigit() and 0 < int(number) <= len(report.evidence))
    db = get_session()
    document = cases.dossier_of(db, report, with_notes=with_notes,
                                evidence=chosen if for_platform else None)
    detail = "platform" if for_platform else "with_notes" if with_notes else None
    audit.record(db, action, referent, report, detail=detail)
    db.commit()
    return document


@login_required
def dossier_page(lang: str, code: str, referent: Referent):
    """The dossier to print (or save as PDF from the browser's print dialog)."""
    report = own_case(referent, code)
    document = dossier_document(report, referent, "export_print")
    return render_template("staff/dossier.html", referent=referent, report=report,
                           dossier=document, done=cases.steps_of(get_session(), report),
                           digest=dossier.digest(report, document), now=utcnow(), **labels())


@login_required
def dossier_file(lang: str, code: str, referent: Referent):
    report = own_case(referent, code)
    document = dossier_document(report, referent, "export_file",
                                for_platform=request.args.get("platform") == "1")
    return Response(dossier.zip_file(report, document), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="dossier-{report.code}.zip"'})


# Purge -----------------------------------------------------------------------------------


@csrf.exempt
@login_required
def purge(lang: str, code: str, referent: Referent):
    """GET: what will be deleted, and a button. POST: delete the closed case now."""
    report = own_case(referent, code)
    form = forms.PurgeForm()
    if report.status != CLOSED:
        return render_template("staff/purge.html", referent=referent, report=report, form=form,
                               problem=_l("Only a closed case can be deleted. Close it first."),
                               **labels()), 409
    if request.method != "POST":
        return render_template("staff/purge.html", referent=referent, report=report,
                               form=form, problem=None, **labels())
    if not form.validate():
        return render_template("staff/purge.html", referent=referent, report=report, form=form,
                               problem=_l("For your safety, this page had expired. Press the "
                                          "button again to delete the case."),
                               **labels()), 400
    retention.purge_one(get_session(), report, referent)
    return redirect(url_for("staff.dashboard", done="purged"), 303)


CASE = "/{school}/{reports}/<code>"

localized_route(bp, "/{school}/{login}", login, methods=["GET", "POST"])
localized_route(bp, "/{school}/{logout}", logout, methods=["GET", "POST"])
localized_route(bp, "/{school}/{reports}", dashboard)
localized_route(bp, CASE, case, methods=["GET", "POST"])
localized_route(bp, CASE + "/{handoffs}", handoff, methods=["POST"])
localized_route(bp, CASE + "/{handoffs}/<int:number>", handoff_outcome, methods=["POST"])
localized_route(bp, "/{school}/{reports}/n/<int:number>", open_case)
localized_route(bp, CASE + "/{screenshots}/<int:number>", evidence)
localized_route(bp, CASE + "/{dossier}", dossier_page)
localized_route(bp, CASE + "/{dossier}.zip", dossier_file)
localized_route(bp, CASE + "/{delete}", purge, methods=["GET", "POST"])
