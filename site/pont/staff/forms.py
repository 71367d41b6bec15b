"""Staff forms. Each checks its CSRF token itself, so that an expired page gives back what was
typed instead of a bare error (the views are exempt from the global check)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..reports.forms import CheckboxesField, options, tidy, too_long
from .protocol import STATUS_LABELS, STEPS

TEXT_MAX = 5000


def lower(value):
    return value.lower() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), filters=[tidy, lower],
                        validators=[InputRequired(_l("Please write your e-mail address.")),
                                    Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[InputRequired(_l("Please write your password.")),
                                         Length(max=200)])


class LogoutForm(FlaskForm):
    pass


class StatusForm(FlaskForm):
    status = RadioField(_l("Status"), choices=options(STATUS_LABELS.items()),
                        validators=[InputRequired(_l("Please choose a status."))])


class StepsForm(FlaskForm):
    steps = CheckboxesField(_l("Steps of the pHARe protocol"),
                            choices=options((step, label) for step, label, _hint in STEPS))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("New internal note"), filters=[tidy],
                         validators=[DataRequired(_l("Please write the note.")),
                                     too_long(TEXT_MAX)])


class ReplyForm(FlaskForm):
    reply = TextAreaField(_l("Your answer to the reporter"), filters=[tidy],
                          validators=[DataRequired(_l("Please write your answer.")),
                                      too_long(TEXT_MAX)])


class PurgeForm(FlaskForm):
    pass
