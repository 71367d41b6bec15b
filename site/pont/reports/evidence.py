"""Screenshots: checked by what they contain, re-encoded without metadata, digests kept.

A file's name and declared type prove nothing, so Pillow decides what the bytes are. The image
is decoded in full (a damaged or hostile file fails here, not later), turned upright from its
EXIF orientation, then written again as PNG (or JPEG for photos) with no metadata at all: no
GPS position, no camera, no author, no editing history. The SHA-256 of what was received and
of what is stored are kept with the time of receipt, for the case file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..clock import utcnow
from .models import Evidence

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
# A phone screenshot is 2 to 4 million pixels. Far more is a decompression bomb, not evidence.
MAX_PIXELS = 20_000_000
# The body of a request that may carry screenshots: every file at its limit, plus the text.
MAX_BODY = MAX_FILES * MAX_FILE_BYTES + 2 * 1024 * 1024
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "BMP"}
ACCEPT_ATTRIBUTE = "image/png,image/jpeg,image/webp,image/gif,image/bmp"


class EvidenceError(ValueError):
    """A file that cannot be kept, with a message for the person who sent it."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    media_type: str
    width: int
    height: int
    received_sha256: str
    received_bytes: int
    stored_sha256: str


def clean(raw: bytes) -> CleanImage:
    """Check that `raw` is an image we accept and return it re-encoded, without metadata."""
    if not raw:
        raise EvidenceError(_l("This file is empty."))
    if len(raw) > MAX_FILE_BYTES:
        raise EvidenceError(_l("This file is larger than %(size)d MB.",
                               size=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            if image.format not in ACCEPTED_FORMATS:
                raise EvidenceError(_l("This file is not a picture we can read. "
                                       "Send screenshots as PNG, JPEG, WebP or GIF."))
            if image.width * image.height > MAX_PIXELS:
                raise EvidenceError(_l("This picture is far too large in pixels to be a "
                                       "screenshot."))
            image.load()
    except EvidenceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceError(_l("This picture is far too large in pixels to be a "
                               "screenshot.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise EvidenceError(_l("This file is not a picture we can read. "
                               "Send screenshots as PNG, JPEG, WebP or GIF.")) from None
    source_format = image.format
    image = ImageOps.exif_transpose(image)
    if source_format == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        out_format, media_type = "JPEG", "image/jpeg"
    else:
        if image.mode not in ("1", "L", "LA", "RGB", "RGBA"):
            image = image.convert("RGBA")
        out_format, media_type = "PNG", "image/png"
    # A new image holding only the pixels: nothing of the original's metadata can follow.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    out = io.BytesIO()
    if out_format == "JPEG":
        bare.save(out, "JPEG", quality=90, optimize=True)
    else:
        bare.save(out, "PNG", optimize=True)
    data = out.getvalue()
    return CleanImage(
        data=data,
        media_type=media_type,
        width=bare.width,
        height=bare.height,
        received_sha256=hashlib.sha256(raw).hexdigest(),
        received_bytes=len(raw),
        stored_sha256=hashlib.sha256(data).hexdigest(),
    )


def read_upload(storage) -> bytes:
    """At most one byte more than the limit, so an oversized file is known without reading it."""
    return storage.stream.read(MAX_FILE_BYTES + 1)


def to_row(image: CleanImage, encrypt) -> Evidence:
    return Evidence(
        received_at=utcnow(),
        received_sha256=image.received_sha256,
        received_bytes=image.received_bytes,
        stored_sha256=image.stored_sha256,
        media_type=image.media_type,
        width=image.width,
        height=image.height,
        data=encrypt(image.data),
    )
