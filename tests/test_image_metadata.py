"""A stored picture and every rendition of it carry pixels only: no EXIF, XMP, IPTC, comments, text or profile."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageCms, PngImagePlugin

from articles.models import Image
from tests.factories import run_waiting_tasks

pytestmark = pytest.mark.django_db

# Text each kind of metadata carries, looked for in the stored bytes.
MARKERS = {
    "exif": b"MARKER-EXIF",
    "xmp": b"MARKER-XMP",
    "comment": b"MARKER-COMMENT",
    "iptc": b"MARKER-IPTC",
    "png text": b"MARKER-TEXT",
    "png itxt": b"MARKER-ITXT",
}
# Signatures of metadata blocks whose content may be compressed or binary.
SIGNATURES = [
    b"Exif\x00\x00",  # JPEG APP1 / WebP EXIF payload
    b"http://ns.adobe.com/xap/1.0/",  # XMP packet header
    b"Photoshop 3.0",  # JPEG APP13, where IPTC lives
    b"ICC_PROFILE",  # JPEG APP2
    b"acsp",  # every ICC profile's header
    b"tEXt",
    b"zTXt",
    b"iTXt",
    b"eXIf",
    b"iCCP",
]
# What Pillow reports of metadata it found in a file.
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop", "Comment", "Author"}

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:description="MARKER-XMP"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def swapped_profile():
    """Return an RGB profile in which the first channel is sRGB's blue and the third its red."""
    data = bytearray(srgb_profile())
    count = struct.unpack(">I", data[128:132])[0]
    entries = {bytes(data[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    data[red + 4 : red + 12], data[blue + 4 : blue + 12] = data[blue + 4 : blue + 12], data[red + 4 : red + 12]
    name = "sRGB".encode("utf-16-be")
    at = data.index(name)
    data[at : at + len(name)] = "Swap".encode("utf-16-be")
    return bytes(data)


def exif():
    tags = PILImage.Exif()
    tags[0x010F] = "MARKER-EXIF make"  # camera make
    tags[0x010E] = "MARKER-EXIF description"
    tags[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # where it was taken
    return tags.tobytes()


def iptc_segment():
    """Return a JPEG APP13 segment holding an IPTC caption, as photo desks' tools write it."""
    caption = b"MARKER-IPTC caption"
    record = b"\x1c\x02\x78" + struct.pack(">H", len(caption)) + caption
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def picture(size=(600, 400), colour=(200, 60, 30), mode="RGB"):
    return PILImage.new(mode, size, colour)


def jpeg_with_everything():
    out = io.BytesIO()
    picture().save(
        out,
        "JPEG",
        exif=exif(),
        xmp=XMP,
        comment=b"MARKER-COMMENT",
        icc_profile=srgb_profile(),
        extra=iptc_segment(),
    )
    return "camera.jpg", out.getvalue()


def png_with_everything():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "MARKER-TEXT plain")
    text.add_text("Author", "MARKER-TEXT compressed", zip=True)
    text.add_itxt("Description", "MARKER-ITXT international", lang="en")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    picture(mode="RGBA", colour=(200, 60, 30, 128)).save(
        out, "PNG", pnginfo=text, exif=exif(), icc_profile=srgb_profile()
    )
    return "graphic.png", out.getvalue()


def gif_with_comment():
    out = io.BytesIO()
    picture().convert("P").save(out, "GIF", comment=b"MARKER-COMMENT in a GIF")
    return "animation.gif", out.getvalue()


def webp_with_everything():
    out = io.BytesIO()
    picture().save(out, "WEBP", exif=exif(), xmp=XMP, icc_profile=srgb_profile())
    return "phone.webp", out.getvalue()


SOURCES = {
    "jpeg": jpeg_with_everything,
    "png": png_with_everything,
    "gif": gif_with_comment,
    "webp": webp_with_everything,
}


def stored_files(image):
    """Return (name, bytes) of the stored original and of every rendition."""
    storage = image.file.storage
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    files = []
    for name in names:
        with storage.open(name, "rb") as handle:
            files.append((name, handle.read()))
    return files


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_the_upload_really_carries_metadata(kind):
    name, data = SOURCES[kind]()
    with PILImage.open(io.BytesIO(data)) as opened:
        assert set(opened.info) & METADATA_KEYS
    assert any(marker in data for marker in MARKERS.values())


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_no_metadata_survives_in_the_original_or_any_rendition(kind):
    name, data = SOURCES[kind]()
    image = Image.objects.create(file=SimpleUploadedFile(name, data), caption="x")
    run_waiting_tasks()  # the worker makes the renditions
    image.refresh_from_db()
    files = stored_files(image)
    assert len(files) > 1
    for stored_name, content in files:
        for what, marker in MARKERS.items():
            assert marker not in content, f"{what} survives in {stored_name}"
        for signature in SIGNATURES:
            assert signature not in content, f"{signature!r} survives in {stored_name}"
        with PILImage.open(io.BytesIO(content)) as reopened:
            assert not set(reopened.info) & METADATA_KEYS, (stored_name, sorted(reopened.info))
            assert not dict(reopened.getexif()), stored_name


def test_a_transparent_png_keeps_its_transparency():
    name, data = png_with_everything()
    image = Image.objects.create(file=SimpleUploadedFile(name, data), caption="x")
    with image.file.open("rb") as stored, PILImage.open(stored) as reopened:
        assert reopened.mode == "RGBA" and reopened.getpixel((0, 0))[3] == 128


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_colours_in_another_profile_are_stored_as_srgb(kind):
    out = io.BytesIO()
    picture(colour=(255, 0, 0)).save(out, kind, icc_profile=swapped_profile())
    name = f"wide.{kind.lower().replace('jpeg', 'jpg')}"
    image = Image.objects.create(file=SimpleUploadedFile(name, out.getvalue()), caption="x")
    for stored_name, content in stored_files(image):
        with PILImage.open(io.BytesIO(content)) as reopened:
            assert "icc_profile" not in reopened.info, stored_name
            red, _green, blue = reopened.convert("RGB").getpixel((10, 10))
            # What the camera meant, shown by a browser that assumes sRGB: blue, not red.
            assert blue > 200 and red < 60, (stored_name, red, blue)
