"""What the report tests share: a school with a referent, a filled-in report, the two steps."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.security import generate_password_hash

from pont.extensions import limiter
from pont.reports.models import School
from pont.reports.schools import search_key
from pont.staff.models import Referent

SAMPLE_CSV = Path(__file__).parent / "fixtures" / "schools.csv"
UAI = "0759990B"
SCHOOL_NAME = "Collège des Tilleuls"
PATHS = {
    "fr": {"find": "/fr/signaler", "form": f"/fr/signaler/{UAI}",
           "send": f"/fr/signaler/{UAI}/envoyer", "poster": f"/fr/signaler/{UAI}/affiche",
           "follow": "/fr/suivi", "add": "/fr/suivi/ajouter", "receipt": "/fr/suivi/recu"},
    "en": {"find": "/en/report", "form": f"/en/report/{UAI}",
           "send": f"/en/report/{UAI}/send", "poster": f"/en/report/{UAI}/poster",
           "follow": "/en/follow-up", "add": "/en/follow-up/add",
           "receipt": "/en/follow-up/receipt"},
}
ANSWERS = {
    "danger": "no",
    "role": "target",
    "kinds": ["insults", "rumours"],
    "places": ["snapchat"],
    "place_detail": "groupe « 4eB »",
    "in_school": "yes",
    "since": "weeks",
    "how_often": "daily",
    "description": "Un groupe m'insulte tous les soirs depuis la rentrée.",
    "links": "https://www.snapchat.com/add/exemple",
    "contact": "none",
}


def add_school(app, uai=UAI, name=SCHOOL_NAME, town="Paris", referent=True) -> None:
    with app.extensions["pont_sessionmaker"]() as session:
        school = School(uai=uai, name=name, town=town, search_key=search_key(name, town))
        session.add(school)
        if referent:
            session.add(Referent(school=school, email=f"referent-{uai.lower()}@example.org",
                                 password_hash=generate_password_hash("a long passphrase")))
        session.commit()


@pytest.fixture(autouse=True, name="limiter_off")
def limiter_off_fixture():
    """One Limiter serves every app of the run and the last app built switches it on or off;
    the shared app runs without limits, so make sure of it and leave it as found."""
    enabled = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = enabled


@pytest.fixture(name="school")
def school_fixture(app):
    add_school(app)
    return UAI


def text_of(response) -> str:
    """The page's visible text, tags removed and entities decoded, for plain assertions."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def review(client, lang="fr", **changes):
    data = {**ANSWERS, **changes}
    return client.post(PATHS[lang]["form"], data={k: v for k, v in data.items() if v is not None})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def send(client, lang="fr", files=(), token=None, **changes):
    """Both steps, as a person would: read again, then send (with files)."""
    data = {k: v for k, v in {**ANSWERS, **changes}.items() if v is not None}
    if token is None:
        first = client.post(PATHS[lang]["form"], data=data)
        assert first.status_code == 200, text_of(first)[:600]
        token = token_of(first)
    body = {**data, "token": token}
    if files:
        body["screenshots"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(PATHS[lang]["send"], data=body, content_type="multipart/form-data")


def receipt_codes(response) -> tuple[str, str]:
    code, secret = re.findall(r"<code data-copy>([^<]+)</code>", response.get_data(as_text=True))
    return code, secret


def png(size=(320, 200), color=(30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()
