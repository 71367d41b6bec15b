"""The report form, the follow-up form and what each answer means, in plain words.

Choices are stored as short ids (the same in every language); their labels are translated.
Only four answers are required: danger now, who is reporting, what kind of thing, and what
happened. Everything else may be left out, and "I don't know" is always an answer.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from . import codes

DANGER = (
    ("yes", _l("Yes, someone is in danger right now")),
    ("unsure", _l("I am not sure")),
    ("no", _l("No")),
)
ROLES = (
    ("target", _l("I am a pupil and it is happening to me")),
    ("witness", _l("I am a pupil and I saw it happen to someone else")),
    ("parent", _l("I am a parent or carer of a pupil")),
    ("staff", _l("I work at the school and I am reporting for a pupil")),
    ("staff_target", _l("I work at the school and it is happening to me")),
)
KINDS = (
    ("insults", _l("Insults or nasty messages")),
    ("rumours", _l("Rumours or lies")),
    ("exclusion", _l("Being left out, or a group turned against someone")),
    ("impersonation", _l("An account hacked, or someone pretending to be someone else")),
    ("images", _l("Photos or videos shared without agreement")),
    ("threats", _l("Threats")),
    ("other", _l("Something else")),
)
PLACES = (
    ("snapchat", "Snapchat"),
    ("instagram", "Instagram"),
    ("tiktok", "TikTok"),
    ("whatsapp", "WhatsApp"),
    ("discord", "Discord"),
    ("youtube", "YouTube"),
    ("game", _l("An online game")),
    ("sms", _l("Text messages or calls")),
    ("other", _l("Somewhere else online")),
)
IN_SCHOOL = (
    ("yes", _l("Yes, at school too")),
    ("no", _l("No, only online")),
    ("unsure", _l("I don't know")),
)
SINCE = (
    ("days", _l("A few days or less")),
    ("weeks", _l("A few weeks")),
    ("months", _l("More than a month")),
    ("unsure", _l("I don't know")),
)
HOW_OFTEN = (
    ("once", _l("Once")),
    ("several", _l("Several times")),
    ("daily", _l("Every day or almost")),
    ("unsure", _l("I don't know")),
)
CONTACT = (
    ("none", _l("No, I want to stay anonymous")),
    ("school", _l("Yes, at school, discreetly")),
    ("email", _l("Yes, by e-mail")),
    ("phone", _l("Yes, by phone")),
)

DESCRIPTION_MAX = 8000
MESSAGE_MAX = 5000
LINKS_MAX, LINKS_LINES = 4000, 20
SHORT_MAX = 300
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 .()-]{6,24}$")
# Control characters have no place in a report (tab and line breaks excepted).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def tidy(value):
    """Strip control characters and outer blanks; line breaks become plain \\n."""
    if not isinstance(value, str):
        return value
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def labels(choices) -> dict[str, object]:
    return dict(choices)


def choices() -> dict[str, dict[str, object]]:
    """Every vocabulary's labels by id, for the pages (the reporter's and staff's) that show
    answers back."""
    return {"danger": labels(DANGER), "roles": labels(ROLES), "kinds": labels(KINDS),
            "places": labels(PLACES), "in_school": labels(IN_SCHOOL), "since": labels(SINCE),
            "how_often": labels(HOW_OFTEN), "contact": labels(CONTACT)}


def options(choices) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in choices]


def safe_urlsplit(text: str):
    """`urlsplit`, or None for what it refuses (an unclosed IPv6 bracket, say)."""
    try:
        return urlsplit(text)
    except ValueError:
        return None


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


REQUIRED = _l("Please answer this question.")


def too_long(limit: int):
    return Length(max=limit, message=_l("This is too long: at most %(max)d characters.",
                                        max=limit))


class ReportForm(FlaskForm):
    """Every answer of a report. Sent once to be checked and read again, then once more."""

    danger = RadioField(_l("Is someone in danger right now?"), choices=options(DANGER),
                        validators=[InputRequired(REQUIRED)])
    role = RadioField(_l("Who are you?"), choices=options(ROLES),
                      validators=[InputRequired(REQUIRED)])
    kinds = CheckboxesField(_l("What is happening?"), choices=options(KINDS),
                            validators=[InputRequired(_l("Please tick at least one box."))])
    other_kind = StringField(_l("Something else: what?"), filters=[tidy],
                             validators=[Optional(), too_long(SHORT_MAX)])
    places = CheckboxesField(_l("Where online?"), choices=options(PLACES), validators=[Optional()])
    place_detail = StringField(_l("Name of the group, server or account, if you know it"),
                               filters=[tidy], validators=[Optional(), too_long(SHORT_MAX)])
    in_school = RadioField(_l("Does it also happen at school?"), choices=options(IN_SCHOOL),
                           validators=[Optional()])
    since = RadioField(_l("Since when?"), choices=options(SINCE), validators=[Optional()])
    how_often = RadioField(_l("How often?"), choices=options(HOW_OFTEN), validators=[Optional()])
    description = TextAreaField(_l("What happened? Tell it in your own words."), filters=[tidy],
                                validators=[InputRequired(_l("Please write a few words about "
                                                             "what happened.")),
                                            too_long(DESCRIPTION_MAX)])
    links = TextAreaField(_l("Links to the messages, posts or accounts (one per line)"),
                          filters=[tidy], validators=[Optional(), too_long(LINKS_MAX)])
    contact = RadioField(_l("Do you want someone from the school to contact you?"),
                         choices=options(CONTACT), default="none",
                         validators=[InputRequired(REQUIRED)])
    contact_value = StringField(_l("How to reach you"), filters=[tidy],
                                validators=[too_long(200)])

    def validate_links(self, field) -> None:
        field.data = "\n".join(self.link_list())

    def link_list(self) -> list[str]:
        """The links, one per line; a link typed without https:// gets it."""
        lines = [line.strip() for line in (self.links.data or "").split("\n") if line.strip()]
        if len(lines) > LINKS_LINES:
            raise ValidationError(_l("At most %(max)d links, please.", max=LINKS_LINES))
        links = []
        for number, line in enumerate(lines, start=1):
            candidate = line if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", line) else f"https://{line}"
            parts = safe_urlsplit(candidate) if " " not in candidate else None
            if (parts is None or parts.scheme.lower() not in ("http", "https")
                    or "." not in (parts.hostname or "") or len(candidate) > 2000):
                raise ValidationError(_l(
                    "Line %(line)d is not a web address. Write each link on its own line, "
                    "like https://www.example.com/… — anything else can go in “What "
                    "happened?”.", line=number))
            links.append(candidate)
        return links

    def validate_contact_value(self, field) -> None:
        method = self.contact.data
        value = field.data or ""
        if method in (None, "none"):
            field.data = ""
            return
        if not value:
            raise ValidationError({
                "school": _l("Write your first name and class, so that an adult can find you."),
                "email": _l("Write the e-mail address to use."),
                "phone": _l("Write the phone number to use."),
            }.get(method, REQUIRED))
        if method == "email" and not EMAIL_PATTERN.match(value):
            raise ValidationError(_l("This does not look like an e-mail address "
                                     "(like name@example.com)."))
        if method == "phone" and not (PHONE_PATTERN.match(value)
                                      and 6 <= sum(ch.isdigit() for ch in value) <= 15):
            raise ValidationError(_l("This does not look like a phone number."))

    def answers(self) -> dict[str, object]:
        """What is stored (encrypted) about what happened."""
        return {
            "role": self.role.data,
            "kinds": list(self.kinds.data or []),
            "other_kind": self.other_kind.data or "",
            "places": list(self.places.data or []),
            "place_detail": self.place_detail.data or "",
            "in_school": self.in_school.data or "",
            "since": self.since.data or "",
            "how_often": self.how_often.data or "",
            "description": self.description.data or "",
            "links": self.link_list(),
        }

    def contact_details(self) -> dict[str, str] | None:
        """Kept only when the reporter asked to be contacted."""
        if self.contact.data in (None, "none"):
            return None
        return {"method": self.contact.data, "value": self.contact_value.data}


class SendForm(ReportForm):
    """The last step: the same answers, a one-time token and the screenshots."""

    token = HiddenField()
    screenshots = MultipleFileField(_l("Screenshots (optional)"))

    def validate_token(self, field) -> None:
        if not TOKEN_PATTERN.match(field.data or ""):
            raise ValidationError(_l("This form is incomplete. Please send it again."))


class FollowForm(FlaskForm):
    """The follow-up code and secret from the receipt."""

    code = StringField(_l("Follow-up code"), filters=[tidy],
                       validators=[InputRequired(_l("Please write the follow-up code.")),
                                   Length(max=40)])
    secret = StringField(_l("Secret"), filters=[tidy],
                         validators=[InputRequired(_l("Please write the secret.")),
                                     Length(max=60)])

    def normalized(self) -> tuple[str, str]:
        return codes.normalize(self.code.data or ""), codes.normalize(self.secret.data or "")


class AddInfoForm(FollowForm):
    """Something the reporter adds to their report later."""

    message = TextAreaField(_l("What do you want to add?"), filters=[tidy],
                            validators=[InputRequired(_l("Please write what you want to add.")),
                                        too_long(MESSAGE_MAX)])
    screenshots = MultipleFileField(_l("Screenshots (optional)"))
