"""Staff forms. Each checks its CSRF token itself, so that an expired page gives back what was
typed instead of a bare error (the views are exempt from the global check)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..reports.forms import CheckboxesField, options, tidy, too_long
from .cases import Change
from .protocol import STATUS_LABELS, STEPS

TEXT_MAX = 5000


def normalize_email(value):
    """The address as accounts are looked up, and as failed logins are counted."""
    return tidy(value).lower() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), filters=[normalize_email],
                        validators=[InputRequired(_l("Please write your e-mail address.")),
                                    Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(_l("Please write your password.")),
                                         Length(max=200)])


class LogoutForm(FlaskForm):
    pass


class CaseForm(FlaskForm):
    """Everything a referent changes on a case, saved together: nothing ticked or typed is
    lost by pressing another part's button. A part the form does not carry stays as it is."""

    status = RadioField(_l("Status"), choices=options(STATUS_LABELS.items()),
                        validators=[Optional()])
    steps = CheckboxesField(_l("Steps of the pHARe protocol"),
                            choices=options((step, label) for step, label, _hint in STEPS))
    # The page always sends it: unticking every step is then a change, not a missing part.
    steps_listed = HiddenField()
    reply = TextAreaField(_l("Your answer to the reporter"), filters=[tidy],
                          validators=[Optional(), too_long(TEXT_MAX)])
    note = TextAreaField(_l("New internal note"), filters=[tidy],
                         validators=[Optional(), too_long(TEXT_MAX)])

    def change(self) -> Change:
        carries_steps = bool(self.steps.raw_data) or self.steps_listed.data == "1"
        return Change(status=self.status.data or None,
                      steps=frozenset(self.steps.data or ()) if carries_steps else None,
                      note=self.note.data or "", reply=self.reply.data or "")


class PurgeForm(FlaskForm):
    pass
