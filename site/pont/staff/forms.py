"""Staff forms. Each checks its CSRF token itself, so that an expired page gives back what was
typed instead of a bare error (the views are exempt from the global check)."""

from __future__ import annotations

import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from ..reports.forms import CheckboxesField, options, tidy, too_long
from . import handoffs
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


class DayField(DateField):
    """A date from `<input type="date">`; what is not one is left to the rules to name
    (None), instead of the library's own message."""

    def process_formdata(self, valuelist):
        try:
            self.data = datetime.date.fromisoformat(valuelist[0].strip()) if valuelist else None
        except ValueError:
            self.data = None
            self.raw_data = valuelist


def stripped(value):
    return value.strip() if isinstance(value, str) else value


class HandoffForm(FlaskForm):
    """A hand-off of the case. The rules (`handoffs.check_handoff`) decide what is valid: the
    fields only read what was sent."""

    kind = RadioField(_l("Handed to"), choices=options(handoffs.KINDS.items()),
                      validate_choice=False)
    platform = SelectField(_l("Which platform"), validate_choice=False)
    reference = StringField(_l("Their reference number"), filters=[stripped])
    handed_on = DayField(_l("Date of the hand-off"))
    evidence = CheckboxesField(_l("Screenshots sent to the platform"), coerce=int,
                               validate_choice=False)

    def __init__(self, *args, screenshots: int = 0, **kwargs) -> None:
        super().__init__(*args, prefix="handoff", **kwargs)
        self.handed_on.flags.required = True
        self.platform.choices = [("", _l("Choose…")), *handoffs.platforms().items()]
        self.evidence.choices = options(
            (number, _l("Screenshot %(number)s", number=number))
            for number in range(1, screenshots + 1))

    def change(self) -> Change:
        return Change(handoff=handoffs.NewHandoff(
            kind=self.kind.data or "", handed_on=self.handed_on.data,
            reference=self.reference.data or "", platform=self.platform.data or None,
            evidence=frozenset(self.evidence.data or ())))


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("What came of it"), choices=options(handoffs.OUTCOMES.items()),
                         validate_choice=False)
    outcome_on = DayField(_l("Date of the outcome"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outcome_on.flags.required = True

    def change(self, number: int) -> Change:
        return Change(outcome=handoffs.NewOutcome(
            handoff_id=number, outcome=self.outcome.data or "", on=self.outcome_on.data))
