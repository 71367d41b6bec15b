"""Screenshots: images only (by content), size-limited, re-encoded without metadata, digests
kept, encrypted at rest; every refusal says why and keeps the text."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from pont.reports import evidence
from pont.reports.crypto import vault
from pont.reports.models import Evidence, Report

from .reports_helpers import (
    ANSWERS,
    limiter_off_fixture,  # noqa: F401
    png,
    school_fixture,  # noqa: F401
    send,
    text_of,
)

GPS_IFD = 0x8825


def jpeg_with_gps(size=(400, 300)) -> bytes:
    """A photo the way a phone writes it: camera, author, date, orientation and position."""
    image = Image.new("RGB", size, (220, 40, 40))
    image.paste((10, 10, 200), (0, 0, size[0] // 2, size[1] // 4))  # a mark to check rotation
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Prénom Nom"  # Artist
    exif[0x0132] = "2026:11:05 18:04:00"  # DateTime
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 29.6), 3: "E", 4: (2.0, 20.0, 56.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=92)
    return out.getvalue()


def stored_evidence(app) -> list[Evidence]:
    with app.extensions["pont_sessionmaker"]() as session:
        return list(session.scalars(select(Evidence).order_by(Evidence.id)))


def report_count(app) -> int:
    with app.extensions["pont_sessionmaker"]() as session:
        return session.scalar(select(func.count()).select_from(Report))


def test_a_screenshot_is_kept_with_both_digests_and_encrypted(app, client, school):
    raw = png()
    assert send(client, "en", files=[("screen.png", raw)]).status_code == 200
    (row,) = stored_evidence(app)
    assert row.received_sha256 == hashlib.sha256(raw).hexdigest()
    assert row.received_bytes == len(raw)
    assert not row.data.startswith(b"\x89PNG")  # encrypted at rest
    with app.app_context():
        stored = vault().decrypt(row.data)
    assert stored.startswith(b"\x89PNG")
    assert row.stored_sha256 == hashlib.sha256(stored).hexdigest()
    assert (row.media_type, row.width, row.height) == ("image/png", 320, 200)
    assert row.received_at is not None


def test_gps_and_every_other_metadata_are_removed(app, client, school):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the test file has a position
    assert send(client, "fr", files=[("photo.jpg", raw)]).status_code == 200
    (row,) = stored_evidence(app)
    with app.app_context():
        stored = vault().decrypt(row.data)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(GPS_IFD)
    for marker in (b"Exif", b"PhoneMaker", "Prénom".encode(), b"2026:11:05"):
        assert marker not in stored
    # Turned upright from its orientation tag before the tag went away.
    assert (image.width, image.height) == (300, 400)
    assert row.received_sha256 == hashlib.sha256(raw).hexdigest() != row.stored_sha256


@pytest.mark.parametrize("name", ["notes.txt", "photo.png", "photo.jpg"])
def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(app, client, school, name):
    response = send(client, "en", files=[(name, b"<?php echo 'hello'; ?>" * 20)])
    assert response.status_code == 400
    text = text_of(response)
    assert f"{name}: This file is not a picture we can read." in text
    assert ANSWERS["description"] in text  # the text is kept
    assert "choose them again" in text  # and the page says files must be chosen again
    assert report_count(app) == 0


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"\x89PNG\r\n\x1a\n" + png()[8:200], "not a picture we can read"),  # truncated
    (lambda: b"", "This file is empty."),
    (lambda: tiff(), "not a picture we can read"),
])
def test_damaged_empty_or_unaccepted_images_are_refused(app, client, school, make, message):
    response = send(client, "en", files=[("x.png", make())])
    assert response.status_code == 400
    assert message in text_of(response)
    assert report_count(app) == 0


def tiff() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "TIFF")
    return out.getvalue()


def test_an_oversized_file_is_refused_with_the_limit(app, client, school):
    # Random bytes after a PNG header: too large long before anyone decodes it.
    raw = png() + b"\0" * evidence.MAX_FILE_BYTES
    response = send(client, "fr", files=[("grande.png", raw)])
    assert response.status_code == 400
    assert "grande.png: Ce fichier dépasse 5 Mo." in text_of(response)
    assert report_count(app) == 0


def test_a_decompression_bomb_is_refused(app, client, school):
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 144 million pixels in a few kB
    assert len(out.getvalue()) < 100_000
    response = send(client, "en", files=[("bomb.png", out.getvalue())])
    assert response.status_code == 400
    assert "far too large in pixels" in text_of(response)
    assert report_count(app) == 0


def test_too_many_files_are_refused(app, client, school):
    files = [(f"s{n}.png", png()) for n in range(evidence.MAX_FILES + 1)]
    response = send(client, "en", files=files)
    assert response.status_code == 400
    assert "At most 5 screenshots" in text_of(response)
    assert report_count(app) == 0


def test_five_screenshots_of_every_accepted_kind_are_kept(app, client, school):
    files = []
    for kind in ("PNG", "JPEG", "WEBP", "GIF", "BMP"):
        out = io.BytesIO()
        Image.new("RGB" if kind != "GIF" else "P", (60, 40)).save(out, kind)
        files.append((f"s.{kind.lower()}", out.getvalue()))
    assert send(client, "en", files=files).status_code == 200
    rows = stored_evidence(app)
    assert [row.media_type for row in rows] == ["image/png", "image/jpeg", "image/png",
                                                "image/png", "image/png"]


def test_a_body_beyond_every_limit_gets_a_clear_413(app, client, school):
    raw = b"\0" * (evidence.MAX_BODY + 1)
    response = send(client, "en", files=[("huge.png", raw)])
    assert response.status_code == 413
    text = text_of(response)
    assert "too large" in text and "5 MB each" in text
    assert report_count(app) == 0


def test_the_app_wide_limit_still_applies_elsewhere(client, school):
    response = client.post("/en/report/0759990B", data={"description": "x" * (13 * 1024 * 1024)})
    assert response.status_code == 413
    assert "far too long to be taken" in text_of(response)
