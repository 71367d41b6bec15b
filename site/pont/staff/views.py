"""The referents' pages: log in, the school's reports, a case, its dossier, purge.

Every page is private: `no-store`, `noindex`, never cached in memory. A case of another school
is a 404 like a case that does not exist, whatever the page. Forms check their own CSRF token
and come back with what was typed on any error; changes are followed by a redirect to the case
(post/redirect/get), each written to the audit log with the reads.
"""

from __future__ import annotations

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
from sqlalchemy import func, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import load_only

from ..db import get_session, rollback_after_failure
from ..extensions import csrf, limiter
from ..i18n import localized_route
from ..reports import codes
from ..reports.cli import reports_cli
from ..reports.crypto import vault
from ..reports.models import (
    CLOSED,
    STATUSES,
    Evidence,
    Referent,
    Report,
    ReportMessage,
    StaffNote,
    utcnow,
)
from ..reports.views import choices
from . import audit, cli, dossier, forms, retention
from .auth import (
    SESSION_KEY,
    LoginRequired,
    check_password,
    current_referent,
    log_in,
    log_out,
    login_required,
)
from .models import AuditEntry, CaseStep
from .protocol import DANGER_LABELS, STATUS_LABELS, STEP_IDS, STEPS, dashboard_order, is_urgent

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
    "purged": _l("The case has been deleted, with everything attached to it."),
    "logout": _l("You are logged out."),
}
KEPT_FIELDS = {"note": _l("Your internal note"), "reply": _l("Your answer to the reporter")}


@bp.record_once
def setup(state) -> None:
    retention.check_config(state.app)
    reports_cli.add_command(cli.purge_command)


@bp.after_request
def private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def login_limit() -> str:
    """Unsuccessful logins per client address (a whole school may share one)."""
    return current_app.config.get("STAFF_LOGIN_LIMIT", "30 per hour")


def login_email_limit() -> str:
    """Unsuccessful logins per e-mail address, from anywhere."""
    return current_app.config.get("STAFF_LOGIN_EMAIL_LIMIT", "10 per hour; 30 per day")


def typed_email_key() -> str:
    return "staff-login:" + request.form.get("email", "").strip().lower()[:254]


def is_failed_login(response: Response) -> bool:
    return response.status_code != 303


def done_message() -> str | None:
    message = DONE.get(request.args.get("done", ""))
    return str(message) if message else None


def safe_next(value: str | None) -> str | None:
    if value and value.startswith(STAFF_PREFIXES) and "\\" not in value:
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
    if request.method == "GET":
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
    log_in(referent)
    audit.record(db, "login", referent)
    db.commit()
    retention.purge_now_and_then(db)
    return redirect(safe_next(request.args.get("next")) or url_for("staff.dashboard"), 303)


@csrf.exempt
def logout(lang: str):
    if request.method == "GET":
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
    back = request.full_path.rstrip("?") if request.method == "GET" else (
        url_for("staff.case", code=request.view_args["code"])
        if "code" in (request.view_args or {}) else None)
    if request.method == "GET":
        return redirect(url_for("staff.login", next=back), 303)
    kept = [(str(label), request.form.get(name, "")) for name, label in KEPT_FIELDS.items()
            if request.form.get(name, "").strip()]
    form = forms.LoginForm(formdata=None)
    response = render_template("staff/login.html", form=form, problem=SESSION_ENDED,
                               kept=kept, referent=None, next=back, done=None)
    return response, 401


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


def new_messages(db, school_id: int) -> dict[int, int]:
    """Reporter messages that arrived after the school last opened each case."""
    seen = (select(AuditEntry.report_id, func.max(AuditEntry.at).label("at"))
            .where(AuditEntry.school_id == school_id, AuditEntry.action == "case_view")
            .group_by(AuditEntry.report_id).subquery())
    rows = db.execute(
        select(ReportMessage.report_id, func.count())
        .join(Report, Report.id == ReportMessage.report_id)
        .outerjoin(seen, seen.c.report_id == ReportMessage.report_id)
        .where(Report.school_id == school_id, ReportMessage.author == "reporter",
               or_(seen.c.at.is_(None), ReportMessage.created_at > seen.c.at))
        .group_by(ReportMessage.report_id))
    return dict(rows.all())


@login_required
def dashboard(lang: str, referent: Referent):
    db = get_session()
    retention.purge_now_and_then(db)
    wanted = request.args.get("status", "")
    problem, status = None, 200
    if wanted and wanted not in STATUSES:
        problem, status, wanted = _l("There is no such status: showing every report."), 400, ""
    reports = db.scalars(select(Report).where(Report.school_id == referent.school_id).options(
        load_only(Report.id, Report.code, Report.status, Report.danger, Report.created_at,
                  Report.contact_requested, Report.status_changed_at, Report.school_id))).all()
    counts = {name: sum(report.status == name for report in reports) for name in STATUSES}
    shown = sorted((report for report in reports if not wanted or report.status == wanted),
                   key=dashboard_order)
    page = render_template(
        "staff/dashboard.html", referent=referent, reports=shown, counts=counts,
        total=len(reports), wanted=wanted, problem=problem, done=done_message(),
        new=new_messages(db, referent.school_id), **labels())
    audit.record(db, "dashboard_view", referent, detail=wanted or None)
    db.commit()
    return page, status


def labels() -> dict:
    return {"status_labels": STATUS_LABELS, "danger_labels": DANGER_LABELS,
            "is_urgent": is_urgent, "group": codes.group}


def own_case(referent: Referent, code: str) -> Report:
    """The case with this code if it belongs to the referent's school; otherwise 404."""
    code = codes.normalize(code)
    if not codes.is_well_formed(code, codes.CODE_LENGTH):
        abort(404)
    report = get_session().scalars(
        select(Report).where(Report.code == code, Report.school_id == referent.school_id)).first()
    if report is None:
        abort(404)
    return report


def case_steps(db, report: Report) -> dict[str, CaseStep]:
    return {step.step: step for step in db.scalars(
        select(CaseStep).where(CaseStep.report_id == report.id))}


def case_notes(db, report: Report) -> list[tuple[StaffNote, str | None]]:
    return list(db.execute(
        select(StaffNote, Referent.email)
        .outerjoin(Referent, Referent.id == StaffNote.referent_id)
        .where(StaffNote.report_id == report.id).order_by(StaffNote.id)).all())


def last_seen(db, report: Report):
    return db.scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.report_id == report.id, AuditEntry.action == "case_view"))


def contact_text(report: Report) -> str | None:
    if report.contact is None:
        return None
    details = vault().decrypt_json(report.contact)
    return f"{choices()['contact'].get(details['method'], details['method'])} — {details['value']}"


def render_case(referent: Referent, report: Report, status: int = 200, **given):
    """The case page; `given` holds a form sent back with its errors and typed text."""
    db = get_session()
    keys = vault()
    steps = case_steps(db, report)
    seen = last_seen(db, report)
    case_forms = {
        "status_form": forms.StatusForm(formdata=None, status=report.status),
        "steps_form": forms.StepsForm(formdata=None, steps=list(steps)),
        "note_form": forms.NoteForm(formdata=None),
        "reply_form": forms.ReplyForm(formdata=None),
        **given,
    }
    audit.record(db, "case_view", referent, report)
    db.flush()
    page = render_template(
        "staff/case.html", referent=referent, report=report, school=report.school,
        answers=keys.decrypt_json(report.answers), reporter_contact=contact_text(report),
        messages=[(message, keys.decrypt_text(message.body), seen is None
                   or message.created_at > seen) for message in report.messages],
        notes=[(note, email, keys.decrypt_text(note.body))
               for note, email in case_notes(db, report)],
        evidence=report.evidence, steps=steps, step_list=STEPS, choices=choices(),
        trail=audit.trail(db, report), actions=audit.ACTIONS, done=done_message(),
        purge_after=retention.purge_after(report), **case_forms, **labels())
    db.commit()
    return page, status


@login_required
def case(lang: str, code: str, referent: Referent):
    return render_case(referent, own_case(referent, code))


def back_to_case(report: Report, done: str, anchor: str):
    return redirect(url_for("staff.case", code=report.code, done=done) + f"#{anchor}", 303)


@csrf.exempt
@login_required
def change_status(lang: str, code: str, referent: Referent):
    report = own_case(referent, code)
    form = forms.StatusForm()
    if not form.validate():
        return render_case(referent, report, 400, status_form=form)
    if form.status.data != report.status:
        report.status = form.status.data
        report.status_changed_at = report.updated_at = utcnow()
        audit.record(get_session(), "status", referent, report, detail=report.status)
        get_session().commit()
    return back_to_case(report, "status", "handling")


@csrf.exempt
@login_required
def change_steps(lang: str, code: str, referent: Referent):
    report = own_case(referent, code)
    form = forms.StepsForm()
    if not form.validate():
        return render_case(referent, report, 400, steps_form=form)
    db = get_session()
    done = case_steps(db, report)
    wanted = set(form.steps.data or [])
    changed = False
    for step in STEP_IDS:
        if step in wanted and step not in done:
            db.add(CaseStep(report_id=report.id, step=step, referent_id=referent.id))
            changed = True
        elif step not in wanted and step in done:
            db.delete(done[step])
            changed = True
    if changed:
        report.updated_at = utcnow()
        audit.record(db, "steps", referent, report, detail=f"{len(wanted)}/{len(STEP_IDS)}")
        db.commit()
    return back_to_case(report, "steps", "handling")


@csrf.exempt
@login_required
def add_note(lang: str, code: str, referent: Referent):
    report = own_case(referent, code)
    form = forms.NoteForm()
    if not form.validate():
        return render_case(referent, report, 400, note_form=form)
    db = get_session()
    db.add(StaffNote(report_id=report.id, referent_id=referent.id,
                     body=vault().encrypt_text(form.note.data)))
    report.updated_at = utcnow()
    audit.record(db, "note", referent, report)
    db.commit()
    return back_to_case(report, "note", "notes")


@csrf.exempt
@login_required
def reply(lang: str, code: str, referent: Referent):
    report = own_case(referent, code)
    form = forms.ReplyForm()
    if not form.validate():
        return render_case(referent, report, 400, reply_form=form)
    db = get_session()
    report.messages.append(ReportMessage(author="school",
                                         body=vault().encrypt_text(form.reply.data)))
    report.updated_at = utcnow()
    audit.record(db, "reply", referent, report)
    db.commit()
    return back_to_case(report, "reply", "messages")


@login_required
def evidence(lang: str, code: str, number: int, referent: Referent):
    """One screenshot, as stored (re-encoded, without metadata), for this school only."""
    report = own_case(referent, code)
    item = get_session().get(Evidence, number)
    if item is None or item.report_id != report.id:
        abort(404)
    data = vault().decrypt(item.data)
    audit.record(get_session(), "evidence_view", referent, report, detail=str(item.id))
    get_session().commit()
    extension = dossier.EXTENSIONS.get(item.media_type, "bin")
    return Response(data, mimetype=item.media_type, headers={
        "Content-Disposition": f'inline; filename="{report.code}-{item.id}.{extension}"'})


# Dossier ---------------------------------------------------------------------------------


def dossier_document(report: Report, referent: Referent, action: str) -> dict:
    with_notes = request.args.get("notes") == "1"
    db = get_session()
    notes = [note for note, _email in case_notes(db, report)] if with_notes else None
    document = dossier.build(report, list(case_steps(db, report).values()), notes)
    audit.record(db, action, referent, report, detail="with_notes" if with_notes else None)
    db.commit()
    return document


@login_required
def dossier_page(lang: str, code: str, referent: Referent):
    """The dossier to print (or save as PDF from the browser's print dialog)."""
    report = own_case(referent, code)
    document = dossier_document(report, referent, "export_print")
    return render_template("staff/dossier.html", referent=referent, report=report,
                           dossier=document, done=case_steps(get_session(), report),
                           now=utcnow(), **labels())


@login_required
def dossier_file(lang: str, code: str, referent: Referent):
    report = own_case(referent, code)
    document = dossier_document(report, referent, "export_file")
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
    if request.method == "GET":
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
localized_route(bp, CASE, case)
localized_route(bp, CASE + "/{status}", change_status, methods=["POST"])
localized_route(bp, CASE + "/{steps}", change_steps, methods=["POST"])
localized_route(bp, CASE + "/{notes}", add_note, methods=["POST"])
localized_route(bp, CASE + "/{reply}", reply, methods=["POST"])
localized_route(bp, CASE + "/{screenshots}/<int:number>", evidence)
localized_route(bp, CASE + "/{dossier}", dossier_page)
localized_route(bp, CASE + "/{dossier}.zip", dossier_file)
localized_route(bp, CASE + "/{delete}", purge, methods=["GET", "POST"])
