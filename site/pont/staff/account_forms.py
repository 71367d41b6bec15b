"""Forms of the account pages. Like the case forms, each checks its own CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Regexp

from ..reports.forms import EMAIL_PATTERN, tidy
from .accounts import PASSWORD_MIN
from .forms import normalize_email

PASSWORD_MAX = 200


def new_password_fields():
    password = PasswordField(_l("New password"), validators=[
        InputRequired(_l("Please choose a password.")),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX, message=_l(
            "Please choose a password of 12 to 200 characters (a few words make a good one)."))])
    confirm = PasswordField(_l("The same password again"), validators=[
        InputRequired(_l("Please write the password a second time.")),
        EqualTo("password", _l("The two passwords are not the same."))])
    return password, confirm


class CodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       filters=[tidy], validators=[
                           InputRequired(_l("Please write the code.")),
                           Length(max=40, message=_l("This is not a code."))])


class SetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Please write your current password.")), Length(max=PASSWORD_MAX)])
    password, confirm = new_password_fields()


class InviteForm(FlaskForm):
    email = StringField(_l("E-mail address of the new referent"), filters=[normalize_email],
                        validators=[InputRequired(_l("Please write an e-mail address.")),
                                    Length(max=254),
                                    Regexp(EMAIL_PATTERN, message=_l(
                                        "This is not an e-mail address."))])
    school = SelectField(_l("School"), coerce=str, validate_choice=True,
                         invalid_choice_message=_l("Please choose one of your schools."))
    head = BooleanField(_l("Head referent: may invite and deactivate the school's referents"))


class EnrolForm(FlaskForm):
    code = StringField(_l("The 6-digit code your app shows"), filters=[tidy], validators=[
        InputRequired(_l("Please write the code your app shows.")),
        Length(max=20, message=_l("This is not a code."))])


class PasswordCheckForm(FlaskForm):
    """Turning two-factor login off asks for the password again."""

    current = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Please write your current password.")), Length(max=PASSWORD_MAX)])


class ConfirmForm(FlaskForm):
    pass
