"""Checks and clean-up for pictures editors upload: only real images, of sane size, with no passengers.

A file is opened with Pillow, whatever its name says. It must be JPEG, PNG, WebP or GIF, carry the
extension of what it really is, stay under the byte and pixel limits (which stops decompression
bombs), and decode completely. What is stored is Pillow's re-encoding of the pixels: metadata such
as EXIF location is gone, and so is anything a polyglot file carried after or around the image.
"""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",), "GIF": (".gif",)}


def limits():
    return settings.NEWSROOM.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024), settings.NEWSROOM.get(
        "MAX_UPLOAD_PIXELS", 40_000_000
    )


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f} MB"


def inspect(upload):
    """Return (format, width, height) of an uploaded picture, or raise ValidationError saying what is wrong."""
    max_bytes, max_pixels = limits()
    if upload.size > max_bytes:
        raise ValidationError(
            f"The file is {_megabytes(upload.size)}; pictures may be at most {_megabytes(max_bytes)}."
        )
    upload.seek(0)
    try:
        with PILImage.open(upload) as picture:
            kind, (width, height) = picture.format, picture.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"The picture is {width:,} × {height:,} pixels; at most {max_pixels:,} pixels are accepted."
                )
            picture.verify()
        upload.seek(0)
        with PILImage.open(upload) as picture:
            picture.load()  # verify() skips the pixel data; a truncated file fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, PILImage.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError("This file is not a picture we can read (JPEG, PNG, WebP or GIF).") from exc
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(f"{kind} pictures are not accepted; use JPEG, PNG, WebP or GIF.")
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in FORMATS[kind]:
        raise ValidationError(
            f"The file is called “{PurePath(upload.name).name}” but it is a {kind} picture; "
            f"save it with the extension {FORMATS[kind][0]}."
        )
    return kind, width, height


def reencoded(upload, kind):
    """Return the picture's pixels re-encoded as a new file: upright, and without any metadata."""
    upload.seek(0)
    with PILImage.open(upload) as picture:
        picture = ImageOps.exif_transpose(picture)
        if kind == "JPEG" and picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        out = io.BytesIO()
        options = {"JPEG": {"quality": 90, "optimize": True}, "WEBP": {"quality": 90}, "PNG": {"optimize": True}}
        picture.save(out, kind, **options.get(kind, {}))
    return ContentFile(out.getvalue(), name=PurePath(upload.name).name)
