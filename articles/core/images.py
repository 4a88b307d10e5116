"""Checks and clean-up for pictures editors upload: only real images, of sane size, with no passengers.

A file is opened with Pillow, whatever its name says. It must be JPEG, PNG, WebP or GIF, carry the
extension of what it really is, stay under the byte and pixel limits (which stops decompression
bombs), and decode completely. What is stored is Pillow's re-encoding of the pixels, and so is
every rendition: EXIF (location included), XMP, IPTC, comments, PNG text chunks and colour profiles
are gone, and so is anything a polyglot file carried after or around the image. A picture in another
colour space is converted to sRGB first, which is what browsers assume of a picture without a profile.
"""

import functools
import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

try:
    from PIL import ImageCms
except ImportError:  # Pillow built without Little CMS: colours stay as they are, the profile still goes
    ImageCms = None

FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",), "GIF": (".gif",)}


# The largest upload accepted unless NEWSROOM["MAX_UPLOAD_BYTES"] / ["MAX_UPLOAD_PIXELS"] say otherwise.
# 24 megapixels is a 6000 × 4000 camera frame, four times the widest rendition across; every megapixel
# more is time an editor waits on the upload (the re-encoding) and a worker spends on the renditions.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_PIXELS = 24_000_000


def limits():
    """Return (bytes, pixels): the largest upload accepted."""
    return (
        settings.NEWSROOM.get("MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES),
        settings.NEWSROOM.get("MAX_UPLOAD_PIXELS", MAX_UPLOAD_PIXELS),
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
                    f"The picture is {width:,} × {height:,} pixels; at most {max_pixels:,} pixels are accepted "
                    f"({max_pixels / 1_000_000:g} megapixels). Save a smaller copy and upload that."
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


# What a re-encoding keeps of what Pillow read besides the pixels: which colour is transparent is part
# of the picture. Everything else in Image.info is metadata, and Pillow writes some of it back when it
# saves (a JPEG's or GIF's comment, a PNG's colour profile).
PICTURE_INFO = ("transparency",)
# Colour modes Little CMS converts from with a profile of the same colour space.
PROFILED_MODES = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB", "L": "RGB"}


@functools.cache
def _srgb():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def in_srgb(picture):
    """Return the picture's colours as sRGB, converted from the profile it carries, if it carries one."""
    icc = picture.info.get("icc_profile")
    if not icc or ImageCms is None or picture.mode not in PROFILED_MODES:
        return picture
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower():
            return picture  # the most common profile: converting would change nothing
        return ImageCms.profileToProfile(picture, profile, _srgb(), outputMode=PROFILED_MODES[picture.mode])
    except (ImageCms.PyCMSError, OSError, ValueError):
        return picture  # a profile Little CMS cannot use: the pixels as they are, rather than no picture


def pixels_only(picture):
    """Return the picture upright and in sRGB, with nothing but its pixels and transparency left to save."""
    picture = in_srgb(ImageOps.exif_transpose(picture))
    picture.info = {key: picture.info[key] for key in PICTURE_INFO if key in picture.info}
    return picture


def store(upload, kind):
    """Return the upload re-encoded as a new file: its pixels only, upright, in sRGB, without any metadata.

    The renditions are made from the stored file afterwards (``renditions_of``), in the background.
    """
    upload.seek(0)
    with PILImage.open(upload) as picture:
        return encoded(pixels_only(picture), kind, PurePath(upload.name).name)


def renditions_of(file, key, storage):
    """Write the renditions of a stored picture (re-encoded by ``store``); return what was written."""
    with file.open("rb"), PILImage.open(file) as picture:
        picture.load()
        return make_renditions(pixels_only(picture), key, storage)


def encoded(picture, kind, name):
    """Return the picture saved in its own format as a new file called name."""
    if kind == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90, "optimize": True}, "WEBP": {"quality": 90}, "PNG": {"optimize": True}}
    picture.save(out, kind, **options.get(kind, {}))
    return ContentFile(out.getvalue(), name=name)


# Widths a lead picture is offered at: a phone, a phone at 2×/tablet, the desktop column, and 2× of it.
RENDITION_WIDTHS = (360, 720, 1080, 1440)
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True}),
}


def rendition_widths(width):
    """Return the widths to make for a picture this wide: the standard ones below it, and its own if smaller."""
    widths = [w for w in RENDITION_WIDTHS if w < width]
    if width <= RENDITION_WIDTHS[-1]:
        widths.append(width)
    return widths


def make_renditions(picture, key, storage):
    """Write the picture at each rendition width in WebP and JPEG; return what was written.

    Each entry is {"width", "height", "format", "name"}. Pictures are scaled down, never up. A rendition
    already in storage (from an earlier run stopped half-way) is replaced, so running this again is harmless.
    """
    sizes = [
        (width, max(1, round(picture.height * width / picture.width))) for width in rendition_widths(picture.width)
    ]
    if picture.mode not in ("RGB", "L", "RGBA"):
        picture = picture.convert("RGBA")  # a palette or a grey with transparency scales only as RGBA
    # The widest copy is scaled from the picture and the others from that copy: scaling the whole
    # picture once for every width was most of what an upload cost.
    widest = _scaled(picture, sizes[-1])
    if widest.mode == "RGBA":
        widest = _on_white(widest)
    written = []
    for width, height in sizes:
        scaled = _scaled(widest, (width, height))
        for extension, (kind, options) in RENDITION_FORMATS.items():
            out = io.BytesIO()
            scaled.save(out, kind, **options)
            path = f"renditions/{key}/{width}.{extension}"
            if storage.exists(path):
                storage.delete(path)
            name = storage.save(path, ContentFile(out.getvalue()))
            written.append({"width": width, "height": height, "format": extension, "name": name})
    return written


def _on_white(picture):
    """Return a transparent picture laid on white, as a page shows it: JPEG has no transparency."""
    flat = PILImage.new("RGB", picture.size, "white")
    flat.paste(picture, mask=picture.getchannel("A"))
    return flat


def _scaled(picture, size):
    """Return the picture at size, scaled with Lanczos unless it is that size already.

    A large reduction is made in two steps, a cheap whole-number reduce() and Lanczos for the last
    factor of two or more, which Pillow documents as close to scaling in one step.
    """
    if picture.size == size:
        return picture
    return picture.resize(size, PILImage.Resampling.LANCZOS, reducing_gap=2.0)
