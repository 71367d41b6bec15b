"""Staff account pages: the second step of a login, one's own account (password, two-factor
login), the accounts an admin or a head referent manages (invite, deactivate), and the
invitation link.

Private like the case pages (same headers, same login and database-failure handling). The
rules live in `accounts` and `twofactor`; these views parse, call and render.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError

from ..db import get_session
from ..extensions import csrf, limiter
from ..i18n import localized_route
from ..reports.models import School
from . import account_forms, accounts, audit, twofactor, views
from .auth import (
    EnrolmentRequired,
    LoginRequired,
    check_password,
    log_in,
    login_required,
    needs_enrolment,
    pending_referent,
)
from .models import Referent

bp = Blueprint("staff_accounts", __name__)
ENROL_KEY = "staff_enrol"

DONE = {
    "password": _l("Your password is changed. Your other sessions have ended."),
    "2fa_off": _l("Two-factor login is off."),
    "deactivated": _l("The account is deactivated: its sessions have ended."),
}
WRONG_CODE = _l("This code is not right, or it has been used already. Write the code your "
                "app shows now, or one of your recovery codes.")
CODE_TOO_LATE = _l("Please log in again: the code was not given within five minutes.")
REFUSED = {
    "school": _l("You cannot invite anyone to this school."),
    "head": _l("Only an admin can name a head referent."),
    "exists": _l("This e-mail address already has an account."),
    "password": _l("Your current password is not right."),
    "already": _l("This account was already deactivated (perhaps by someone else just now)."),
}
LINK_PROBLEMS = {
    "unknown": _l("This invitation link is not valid. Check that you copied all of it, or ask "
                  "for a new invitation."),
    "expired": _l("This invitation link has expired (it works for 72 hours). Ask the person "
                  "who invited you for a new one."),
    "used": _l("This invitation link has already been used. Log in with your password, or "
               "ask for a new invitation."),
}


def guard(blueprint: Blueprint) -> None:
    """The case pages' privacy headers and their login and database-failure pages."""
    blueprint.after_request(views.private)
    blueprint.register_error_handler(LoginRequired, views.login_first)
    blueprint.register_error_handler(EnrolmentRequired, views.enrol_first)
    blueprint.register_error_handler(DBAPIError, views.database_unavailable)


guard(bp)


def done_message() -> str | None:
    message = DONE.get(request.args.get("done", ""))
    return str(message) if message else None


def absolute(endpoint: str, **values) -> str:
    """An address for an e-mail: under PUBLIC_URL when it is set, never from the Host header
    otherwise trusted only for this request."""
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    if public:
        return public + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


# The second step of a login --------------------------------------------------------------


def pending_key() -> str:
    referent = pending_referent()
    return f"staff-code:{referent.id if referent else request.remote_addr}"


def render_code_page(form, problem=None, status=200):
    return render_template("staff/second_step.html", form=form, problem=problem, referent=None,
                           next=views.safe_next(request.args.get("next"))), status


@csrf.exempt
@limiter.limit(views.login_limit, methods=["POST"], deduct_when=views.is_failed_login)
@limiter.limit(views.login_email_limit, methods=["POST"], key_func=pending_key,
               deduct_when=views.is_failed_login)
def second_step(lang: str):
    """GET: the code form. POST: a right code (or recovery code) logs in; a wrong one is
    counted like a wrong password."""
    referent = pending_referent()
    if referent is None:
        session.pop("staff_pending", None)
        return views.render_login(views.forms.LoginForm(formdata=None), problem=CODE_TOO_LATE,
                                  status=401)
    form = account_forms.CodeForm()
    if request.method != "POST":
        return render_code_page(form)
    if not form.validate():
        return render_code_page(form, status=400)
    db = get_session()
    used = twofactor.check_code(db, referent, form.code.data)
    if used is None:
        audit.record(db, "code_failed", referent)
        db.commit()
        form.code.data = ""
        return render_code_page(form, problem=WRONG_CODE, status=401)
    if used == "recovery":
        audit.record(db, "recovery_code", referent)
    return views.finish_login(referent)


@bp.errorhandler(429)
def too_many(_error):
    return render_code_page(account_forms.CodeForm(formdata=None),
                            problem=views.TOO_MANY_LOGINS, status=429)


# One's own account -----------------------------------------------------------------------


def render_account(referent: Referent, status: int = 200, **given):
    db = get_session()
    page_forms = {"password_form": account_forms.ChangePasswordForm(formdata=None),
                  "off_form": account_forms.PasswordCheckForm(formdata=None, prefix="off"),
                  "codes_form": account_forms.PasswordCheckForm(formdata=None, prefix="codes"),
                  **given}
    return render_template(
        "staff/account.html", referent=referent, done=done_message(),
        unused_codes=twofactor.unused_recovery_codes(db, referent) if referent.has_2fa else 0,
        required=current_app.config["STAFF_REQUIRE_2FA"], **page_forms), status


@login_required
def account(lang: str, referent: Referent):
    return render_account(referent)


@csrf.exempt
@login_required
def change_password(lang: str, referent: Referent):
    if request.method != "POST":
        return redirect(url_for("staff_accounts.account"), 303)
    form = account_forms.ChangePasswordForm()
    if not form.validate():
        return render_account(referent, 400, password_form=form)
    try:
        accounts.change_password(get_session(), referent, form.current.data, form.password.data)
    except accounts.Refused as refused:
        form.current.errors = [REFUSED[refused.reason]]
        return render_account(referent, 400, password_form=form)
    log_in(referent)  # this browser goes on with the new session token
    get_session().commit()
    return redirect(url_for("staff_accounts.account", done="password"), 303)


@csrf.exempt
@login_required(before_enrolment=True)
def two_factor(lang: str, referent: Referent):
    """GET: the QR code and the secret to enrol an app. POST: its first code turns two-factor
    login on; the recovery codes are shown once."""
    if referent.has_2fa:
        return redirect(url_for("staff_accounts.account"), 303)
    secret = session.get(ENROL_KEY)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[ENROL_KEY] = twofactor.new_secret()
    form = account_forms.EnrolForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            codes = twofactor.enable(get_session(), referent, secret, form.code.data)
            if codes is not None:
                session.pop(ENROL_KEY, None)
                return render_template("staff/recovery_codes.html", referent=referent,
                                       codes=codes, first=True)
            form.code.errors = [_l("This code is not right. Check the time on your phone, "
                                   "then write the code the app shows now.")]
        status = 400
    uri = twofactor.enrolment_uri(secret, referent.email)
    return render_template("staff/two_factor.html", referent=referent, form=form,
                           qr_code=twofactor.qr_code(uri),
                           secret=" ".join(secret[i:i + 4] for i in range(0, 32, 4)),
                           required=needs_enrolment(referent)), status


def checked_password(referent: Referent, prefix: str, name: str):
    """The password form of the account page, checked; None when it is right."""
    form = account_forms.PasswordCheckForm(prefix=prefix)
    if not form.validate():
        return render_account(referent, 400, **{name: form})
    if not check_password(referent, form.current.data):
        form.current.errors = [REFUSED["password"]]
        return render_account(referent, 400, **{name: form})
    return None


@csrf.exempt
@login_required
def two_factor_off(lang: str, referent: Referent):
    if request.method != "POST" or not referent.has_2fa:
        return redirect(url_for("staff_accounts.account"), 303)
    if current_app.config["STAFF_REQUIRE_2FA"]:
        return render_account(referent, 409)
    refused = checked_password(referent, "off", "off_form")
    if refused is not None:
        return refused
    twofactor.disable(get_session(), referent)
    return redirect(url_for("staff_accounts.account", done="2fa_off"), 303)


@csrf.exempt
@login_required
def recovery_codes(lang: str, referent: Referent):
    """New recovery codes (the old ones stop working), shown once."""
    if request.method != "POST" or not referent.has_2fa:
        return redirect(url_for("staff_accounts.account"), 303)
    refused = checked_password(referent, "codes", "codes_form")
    if refused is not None:
        return refused
    db = get_session()
    codes = twofactor.new_recovery_codes(db, referent)
    db.commit()
    return render_template("staff/recovery_codes.html", referent=referent, codes=codes,
                           first=False)


# The accounts an admin or a head referent manages ----------------------------------------


def manager(referent: Referent) -> list[School]:
    """The schools this account manages; a 404 for an account that manages none."""
    schools = accounts.managed_schools(get_session(), referent)
    if not schools:
        abort(404)
    return schools


def invite_form(referent: Referent, schools: list[School], formdata=...):
    form = (account_forms.InviteForm() if formdata is ... else
            account_forms.InviteForm(formdata=formdata))
    form.school.choices = [(school.uai, f"{school.name} ({school.town})") for school in schools]
    if len(schools) == 1 and not form.school.data:
        form.school.data = schools[0].uai
    return form


def render_accounts(referent: Referent, schools: list[School], status: int = 200, form=None,
                    problem=None, link=None, invited=None):
    db = get_session()
    return render_template(
        "staff/accounts.html", referent=referent, schools=schools,
        accounts=accounts.accounts_of(db, referent),
        invitations=accounts.pending_invitations(db, referent),
        form=form or invite_form(referent, schools, formdata=None),
        confirm=account_forms.ConfirmForm(formdata=None), problem=problem, link=link,
        invited=invited, done=done_message(), may_name_head=referent.is_admin), status


@login_required
def account_list(lang: str, referent: Referent):
    return render_accounts(referent, manager(referent))


@csrf.exempt
@login_required
def invite(lang: str, referent: Referent):
    """Invite a referent: the e-mail goes out, and the link is shown here once as well (so
    that it can be passed on when e-mail is not set up)."""
    schools = manager(referent)
    if request.method != "POST":
        return redirect(url_for("staff_accounts.account_list"), 303)
    form = invite_form(referent, schools)
    if not form.validate():
        return render_accounts(referent, schools, 400, form=form)
    school = next(school for school in schools if school.uai == form.school.data)
    db = get_session()
    try:
        invitation, token = accounts.invite(db, referent, form.email.data, school.id,
                                            head=bool(form.head.data))
    except accounts.Refused as refused:
        return render_accounts(referent, schools, 409, form=form,
                               problem=REFUSED[refused.reason])
    link = absolute("staff_accounts.invitation", token=token)
    subject, body = accounts.invitation_text(invitation, link)
    accounts.send_mail(db, "invitation", invitation.email, subject, body)
    db.commit()
    return render_accounts(referent, schools, link=link, invited=invitation)


@csrf.exempt
@login_required
def deactivate(lang: str, number: int, referent: Referent):
    schools = manager(referent)
    if request.method != "POST":
        return redirect(url_for("staff_accounts.account_list"), 303)
    if not account_forms.ConfirmForm().validate():
        return render_accounts(referent, schools, 400, problem=_l(
            "For your safety, this page had expired. Press the button again."))
    try:
        accounts.deactivate(get_session(), referent, number)
    except accounts.Refused as refused:
        if refused.reason == "unknown":
            abort(404)
        return render_accounts(referent, schools, 409, problem=REFUSED[refused.reason])
    return redirect(url_for("staff_accounts.account_list", done="deactivated"), 303)


# The invitation link ---------------------------------------------------------------------


@csrf.exempt
def invitation(lang: str, token: str):
    """GET: choose a password. POST: the account is created and logged in."""
    db = get_session()
    opened = accounts.open_invitation(db, token)
    if opened.invitation is None:
        return render_template("staff/invitation.html", referent=None, form=None,
                               invitation=None, problem=LINK_PROBLEMS[opened.problem]), (
            404 if opened.problem == "unknown" else 410)
    form = account_forms.SetPasswordForm()
    if request.method != "POST":
        return render_template("staff/invitation.html", referent=None, form=form,
                               invitation=opened.invitation, problem=None)
    if not form.validate():
        return render_template("staff/invitation.html", referent=None, form=form,
                               invitation=opened.invitation, problem=None), 400
    try:
        referent = accounts.accept(db, token, form.password.data)
    except accounts.Refused as refused:
        problem = LINK_PROBLEMS.get(refused.reason) or REFUSED[refused.reason]
        return render_template("staff/invitation.html", referent=None, form=None,
                               invitation=None, problem=problem), 409
    return views.finish_login(referent)


ACCOUNT = "/{school}/{my_account}"

localized_route(bp, "/{school}/{login}/{code}", second_step, methods=["GET", "POST"])
localized_route(bp, ACCOUNT, account)
localized_route(bp, ACCOUNT + "/{password}", change_password, methods=["GET", "POST"])
localized_route(bp, ACCOUNT + "/{two_factor}", two_factor, methods=["GET", "POST"])
localized_route(bp, ACCOUNT + "/{two_factor}/{two_factor_off}", two_factor_off,
                methods=["GET", "POST"])
localized_route(bp, ACCOUNT + "/{recovery_codes}", recovery_codes, methods=["GET", "POST"])
localized_route(bp, "/{school}/{accounts}", account_list)
localized_route(bp, "/{school}/{accounts}/{invite}", invite, methods=["GET", "POST"])
localized_route(bp, "/{school}/{accounts}/<int:number>/{deactivate}", deactivate,
                methods=["GET", "POST"])
localized_route(bp, "/{school}/{invitation}/<token>", invitation, methods=["GET", "POST"])
