"""The dossier of a case, to hand to the 3018 helpline, a platform or the authorities.

One structure feeds the printable page and the downloadable ZIP (`dossier.json` with every
screenshot beside it, named as the JSON names them, and `manifest.json` with the SHA-256 of
each). `dossier.json` follows the JSON Schema `schemas/dossier-1.json`. The dossier leaves the
school: the reporter's contact details never go in (they agreed to be contacted by the school,
not by others), internal notes only when the referent asks for them, and a platform receives
only the facts, the links, what was written about where it happened, and the screenshots the
referent chose.

The document depends only on the case (`as_of` is its last change, not the time of the
export), so the printed page, the ZIP and a hand-off name the same digest until the case
changes.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable

from flask import current_app

from ..reports.crypto import vault
from ..reports.forms import choices
from ..reports.models import Report
from .handoffs import KINDS, OUTCOMES, Shown, platforms
from .models import CaseStep, StaffNote
from .protocol import STATUS_LABELS, STEP_LABELS, STEPS

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}
SCHEMA_VERSION = "1"
FORMAT = "pont-dossier/1"
DOSSIER, MANIFEST = "dossier.json", "manifest.json"
MANIFEST_FORMAT = "pont-dossier-manifest/1"


def iso(value: datetime.datetime | None) -> str | None:
    return value.replace(tzinfo=datetime.UTC).isoformat() if value else None


def evidence_name(number: int, media_type: str) -> str:
    return f"evidence/{number:02}.{EXTENSIONS.get(media_type, 'bin')}"


def labelled(group: str, value: str) -> dict:
    return {"id": value, "label": str(choices()[group].get(value, value))}


def head(report: Report, scope: str) -> dict:
    return {"schema_version": SCHEMA_VERSION, "format": FORMAT, "scope": scope,
            "as_of": iso(report.updated_at),
            "timezone": current_app.config["REPORT_TIMEZONE"]}


def facts(answers: dict) -> dict:
    """What is happening, by kind, and for how long."""
    return {
        "kinds": [labelled("kinds", kind) for kind in answers.get("kinds", [])],
        "other_kind": answers.get("other_kind", ""),
        "since": labelled("since", answers["since"]) if answers.get("since") else None,
        "how_often": labelled("how_often", answers["how_often"])
        if answers.get("how_often") else None,
    }


def online(answers: dict) -> dict:
    """Where online: the platforms named, the links and what was written about the accounts,
    as reported."""
    return {
        "platforms": [labelled("places", place) for place in answers.get("places", [])],
        "links": answers.get("links", []),
        "as_reported": answers.get("place_detail", ""),
    }


def evidence_entries(report: Report, numbers: Iterable[int]) -> list[dict]:
    items = report.evidence
    return [
        {"number": number, "file": evidence_name(number, item.media_type),
         "media_type": item.media_type, "received_at": iso(item.received_at),
         "received_sha256": item.received_sha256, "received_bytes": item.received_bytes,
         "stored_sha256": item.stored_sha256, "width": item.width, "height": item.height}
        for number, item in ((number, items[number - 1]) for number in sorted(numbers))
    ]


def handoff_entries(shown: list[Shown]) -> list[dict]:
    names = platforms()
    return [
        {"kind": {"id": h.kind, "label": str(KINDS[h.kind])},
         "platform": {"id": h.platform, "label": str(names.get(h.platform, h.platform))}
         if h.platform else None,
         "handed_on": h.handed_on.isoformat(), "reference": entry.reference,
         "dossier_sha256": h.dossier_sha256,
         "outcome": {"id": h.outcome, "label": str(OUTCOMES[h.outcome]),
                     "on": h.outcome_on.isoformat()} if h.outcome else None}
        for entry in shown for h in [entry.handoff]
    ]


def build_for_platform(report: Report, evidence: Iterable[int]) -> dict:
    """What a platform needs to act: the facts, where online, the chosen screenshots."""
    answers = vault().decrypt_json(report.answers)
    return {**head(report, "platform"), "facts": facts(answers), "online": online(answers),
            "evidence": evidence_entries(report, evidence)}


def build(report: Report, steps: list[CaseStep], notes: list[StaffNote] | None,
          handoffs: list[Shown]) -> dict:
    """Everything the dossier says, with ids and their labels in the page's language."""
    keys = vault()
    answers = keys.decrypt_json(report.answers)
    school = report.school
    done = {step.step: step for step in steps}

    return {
        **head(report, "full"),
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
        "facts": facts(answers),
        "online": online(answers),
        "evidence": evidence_entries(report, range(1, len(report.evidence) + 1)),
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
        "handoffs": handoff_entries(handoffs),
        "internal_notes": None if notes is None else [
            {"at": iso(note.created_at), "text": keys.decrypt_text(note.body)}
            for note in notes
        ],
    }


def encode(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def files_of(report: Report, document: dict) -> dict[str, bytes]:
    """The ZIP's files but the manifest: dossier.json and the screenshots, as stored
    (re-encoded, without metadata)."""
    keys = vault()
    found = {DOSSIER: encode(document)}
    for entry in document["evidence"]:
        found[entry["file"]] = keys.decrypt(report.evidence[entry["number"] - 1].data)
    return found


def manifest_of(files: dict[str, bytes]) -> bytes:
    return encode({"format": MANIFEST_FORMAT, "algorithm": "sha256", "files": [
        {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        for name, data in files.items()]})


def digest(report: Report, document: dict) -> str:
    """The dossier's digest: the SHA-256 of its manifest, which holds the SHA-256 of every
    file. The page shows it; a hand-off records it."""
    return hashlib.sha256(manifest_of(files_of(report, document))).hexdigest()


def zip_file(report: Report, document: dict) -> bytes:
    files = files_of(report, document)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_of(files))
        for name, data in files.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED
                             if name == DOSSIER else zipfile.ZIP_STORED)
    return out.getvalue()


class NotIntact(ValueError):
    """A ZIP that is not a Pont dossier, or whose files do not match its manifest."""


def verify(data: bytes) -> str:
    """Check a dossier ZIP against its manifest; return the manifest's digest, or raise
    `NotIntact` saying what is wrong."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise NotIntact(f"not a Pont dossier: no {MANIFEST} in the ZIP")
        raw = archive.read(MANIFEST)
        try:
            manifest = json.loads(raw)
            listed = {item["name"]: item for item in manifest["files"]}
            fine = manifest.get("format") == MANIFEST_FORMAT and all(
                isinstance(item["sha256"], str) and isinstance(item["bytes"], int)
                for item in listed.values())
        except (ValueError, KeyError, TypeError, AttributeError):
            fine = False
        if not fine:
            raise NotIntact(f"not a Pont dossier: {MANIFEST} is not a Pont manifest")
        problems = [f"{name}: in the ZIP but not in the manifest"
                    for name in sorted(names - set(listed) - {MANIFEST})]
        problems += [f"{name}: in the manifest but missing from the ZIP"
                     for name in sorted(set(listed) - names)]
        for name in sorted(set(listed) & names):
            try:
                content = archive.read(name)
            except zipfile.BadZipFile:
                problems.append(f"{name}: damaged (it does not match the ZIP's own checksum)")
                continue
            if (hashlib.sha256(content).hexdigest() != listed[name]["sha256"]
                    or len(content) != listed[name]["bytes"]):
                problems.append(f"{name}: its SHA-256 does not match the manifest "
                                "(the file changed)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise NotIntact(f"not a Pont dossier: not a readable ZIP ({error})") from None
    if problems:
        raise NotIntact("; ".join(problems))
    if DOSSIER not in listed:
        raise NotIntact(f"not a Pont dossier: the manifest lists no {DOSSIER}")
    return hashlib.sha256(raw).hexdigest()
