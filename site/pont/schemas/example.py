"""A made-up case, never stored, that shows every part of a dossier: the published example."""

from __future__ import annotations

import datetime

from ..reports.crypto import vault
from ..reports.models import Evidence, Report, ReportMessage, School
from ..staff import dossier
from ..staff.handoffs import Shown
from ..staff.models import CaseStep, Handoff, StaffNote

AT = datetime.datetime(2026, 11, 16, 17, 42)
ANSWERS = {
    "role": "witness", "kinds": ["insults", "images"], "other_kind": "",
    "places": ["snapchat", "instagram"],
    "place_detail": "groupe « 4eB les vrais », compte @exemple_4eb",
    "in_school": "yes", "since": "weeks", "how_often": "daily",
    "description": "Depuis trois semaines, un groupe de la classe se moque d'un élève tous les "
                   "soirs et a partagé une photo de lui sans son accord.",
    "links": ["https://www.instagram.com/exemple_4eb/"],
}


def example_dossier() -> dict:
    keys = vault()
    school = School(uai="0759990B", name="Collège des Tilleuls", town="Paris")
    report = Report(
        code="K7M2QXR9TB", school=school, status="in_progress", danger="no",
        contact_requested=True, language="fr", answers=keys.encrypt_json(ANSWERS),
        created_at=AT, status_changed_at=AT + datetime.timedelta(hours=16),
        updated_at=AT + datetime.timedelta(days=2))
    report.evidence = [Evidence(
        received_at=AT, received_sha256="3f" * 32, received_bytes=184_233,
        stored_sha256="a1" * 32, media_type="image/png", width=1080, height=1920, data=b"")]
    report.messages = [ReportMessage(
        author="school", created_at=AT + datetime.timedelta(hours=16),
        body=keys.encrypt_text("Merci. Nous avons bien reçu votre signalement et nous nous en "
                               "occupons."))]
    steps = [CaseStep(step="account", done_at=AT + datetime.timedelta(days=1))]
    notes = [StaffNote(created_at=AT + datetime.timedelta(days=1),
                       body=keys.encrypt_text("Entretien avec l'élève ce matin."))]
    handoff = Handoff(kind="helpline_3018", handed_on=datetime.date(2026, 11, 17),
                      dossier_sha256="5c" * 32, outcome="content_removed",
                      outcome_on=datetime.date(2026, 11, 18))
    return dossier.build(report, steps, notes, [Shown(handoff, "E-2026-4471", None, None)])
