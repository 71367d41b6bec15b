"""The dossier of a case, to hand to the 3018 helpline or the authorities.

One structure feeds the printable page and the downloadable ZIP (`dossier.json` with every
screenshot beside it, named as the JSON names them). The dossier leaves the school: the
reporter's contact details never go in (they agreed to be contacted by the school, not by
others), and internal notes only when the referent asks for them.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile

from flask import current_app

from ..clock import utcnow
from ..reports.crypto import vault
from ..reports.forms import choices
from ..reports.models import Report
from .models import CaseStep, StaffNote
from .protocol import STATUS_LABELS, STEP_LABELS, STEPS

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}


def iso(value: datetime.datetime | None) -> str | None:
    return value.replace(tzinfo=datetime.UTC).isoformat() if value else None


def evidence_name(number: int, media_type: str) -> str:
    return f"evidence/{number:02}.{EXTENSIONS.get(media_type, 'bin')}"


def build(report: Report, steps: list[CaseStep], notes: list[StaffNote] | None) -> dict:
    """Everything the dossier says, with ids and their labels in the page's language."""
    keys = vault()
    labels = choices()
    answers = keys.decrypt_json(report.answers)
    school = report.school
    done = {step.step: step for step in steps}

    def labelled(group: str, value: str) -> dict:
        return {"id": value, "label": str(labels[group].get(value, value))}

    return {
        "format": "pont-dossier/1",
        "exported_at": iso(utcnow()),
        "timezone": current_app.config["REPORT_TIMEZONE"],
        "school": {"uai": school.uai, "name": school.name, "town": school.town},
        "report": {
            "code": report.code,
            "received_at": iso(report.created_at),
            "language": report.language,
            "status": {"id": report.status, "label": str(STATUS_LABELS[report.status]),
                       "since": iso(report.status_changed_at)},
            "danger": labelled("danger", report.danger),
            "contact_requested": report.contact_requested,
        },
        "answers": {
            "role": labelled("roles", answers.get("role", "")),
            "kinds": [labelled("kinds", kind) for kind in answers.get("kinds", [])],
            "other_kind": answers.get("other_kind", ""),
            "places": [labelled("places", place) for place in answers.get("places", [])],
            "place_detail": answers.get("place_detail", ""),
            "in_school": labelled("in_school", answers["in_school"])
            if answers.get("in_school") else None,
            "since": labelled("since", answers["since"]) if answers.get("since") else None,
            "how_often": labelled("how_often", answers["how_often"])
            if answers.get("how_often") else None,
            "description": answers.get("description", ""),
            "links": answers.get("links", []),
        },
        "evidence": [
            {"file": evidence_name(number, item.media_type), "media_type": item.media_type,
             "received_at": iso(item.received_at), "received_sha256": item.received_sha256,
             "received_bytes": item.received_bytes, "stored_sha256": item.stored_sha256,
             "width": item.width, "height": item.height}
            for number, item in enumerate(report.evidence, start=1)
        ],
        "messages": [
            {"from": message.author, "at": iso(message.created_at),
             "text": keys.decrypt_text(message.body)}
            for message in report.messages
        ],
        "protocol_steps": [
            {"id": step, "label": str(STEP_LABELS[step]),
             "done_at": iso(done[step].done_at) if step in done else None}
            for step, _label, _hint in STEPS
        ],
        "internal_notes": None if notes is None else [
            {"at": iso(note.created_at), "text": keys.decrypt_text(note.body)}
            for note in notes
        ],
    }


def zip_file(report: Report, document: dict) -> bytes:
    """dossier.json and the screenshots, as stored (re-encoded, without metadata)."""
    keys = vault()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dossier.json", json.dumps(document, ensure_ascii=False, indent=2))
        for entry, item in zip(document["evidence"], report.evidence, strict=True):
            archive.writestr(entry["file"], keys.decrypt(item.data),
                             compress_type=zipfile.ZIP_STORED)
    return out.getvalue()
