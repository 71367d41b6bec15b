"""The handling protocol: statuses as referents see them, and the steps of the pHARe protocol.

Step ids are stored; their labels are translated. The order is the protocol's order.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..reports.models import CLOSED, IN_PROGRESS, RECEIVED

STATUS_LABELS = {
    RECEIVED: _l("Received"),
    IN_PROGRESS: _l("In progress"),
    CLOSED: _l("Closed"),
}
STATUS_ORDER = {RECEIVED: 0, IN_PROGRESS: 1, CLOSED: 2}

STEPS = (
    ("account", _l("Collect the account of the targeted pupil"),
     _l("Listen to the pupil, reassure them, write down the facts and dates.")),
    ("interviews", _l("Interviews: witnesses, presumed authors, parents"),
     _l("With the shared concern method (méthode de la préoccupation partagée): "
        "non-blaming interviews.")),
    ("protection", _l("Protect the pupil"),
     _l("Measures at school and online; the parents are informed.")),
    ("declaration", _l("Declare the facts"),
     _l("In the « Faits établissement » application; alert the departmental or academic "
        "referents.")),
    ("class_follow_up", _l("Follow-up with the class"),
     _l("Awareness actions in the class, then check that it has stopped.")),
)
STEP_IDS = tuple(step for step, _label, _hint in STEPS)
STEP_LABELS = {step: label for step, label, _hint in STEPS}

DANGER_LABELS = {
    "yes": _l("Danger now: yes"),
    "unsure": _l("Danger now: not sure"),
    "no": _l("Danger now: no"),
}


def is_urgent(report) -> bool:
    """Someone said a person is (or may be) in danger, and the case is still open."""
    return report.danger in ("yes", "unsure") and report.status != CLOSED


def dashboard_order(report) -> tuple:
    """Urgent open cases first, then by status (received, in progress, closed), newest first."""
    return (not is_urgent(report), STATUS_ORDER.get(report.status, 3),
            -report.created_at.timestamp())
