"""Pictures uploaded in the admin: real images only, within limits, stored without metadata or passengers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Image
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff())
    return client


def picture_bytes(kind="PNG", size=(40, 30), exif=None, color="#884422"):
    out = io.BytesIO()
    image = PILImage.new("RGB", size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(out, kind, **options)
    return out.getvalue()


def upload(client, name, data, content_type="image/png"):
    return client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile(name, data, content_type=content_type),
            "alt_text": "A test",
            "caption": "c",
            "credit": "AP",
        },
    )


def form_errors(response):
    return " ".join(str(e) for e in response.context["adminform"].form.errors.get("file", []))


def test_a_real_picture_is_stored_with_its_size(editor_client):
    response = upload(editor_client, "harbour.png", picture_bytes())
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
    assert image.file.name.startswith("images/") and image.file.name.endswith(".png")


def test_location_data_is_stripped(editor_client):
    exif = PILImage.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS IFD
    exif[0x010F] = "SourcePhone"  # camera make
    data = picture_bytes("JPEG", exif=exif.tobytes())
    assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload carries a location
    assert upload(editor_client, "source.jpg", data, "image/jpeg").status_code == 302
    with Image.objects.get().file.open("rb") as stored:
        kept = PILImage.open(stored).getexif()
    assert not kept.get_ifd(0x8825) and 0x010F not in kept


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # Django's image field catches these first, with its own clear words.
        ("notes.jpg", b"Just some text, not a picture at all.", "was either not an image or a corrupted image"),
        ("script.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "not an image"),
        ("spoofed.jpg", picture_bytes("PNG"), "it is a PNG picture; save it with the extension .png"),
        ("truncated.png", picture_bytes("PNG", size=(400, 300))[:200], "not an image or a corrupted image"),
        ("animation.bmp", picture_bytes("BMP"), "BMP pictures are not accepted"),
    ],
    ids=["text", "svg", "spoofed-extension", "truncated", "bmp"],
)
def test_files_that_are_not_acceptable_pictures_are_refused_with_a_reason(editor_client, name, data, message):
    response = upload(editor_client, name, data)
    assert response.status_code == 200
    assert message in form_errors(response)
    assert Image.objects.count() == 0


def test_decompression_bombs_are_refused(editor_client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "MAX_UPLOAD_PIXELS": 1_000_000}
    out = io.BytesIO()
    PILImage.new("1", (4000, 4000)).save(out, "PNG")  # 16 megapixels in a few kilobytes
    assert len(out.getvalue()) < 10_000
    response = upload(editor_client, "bomb.png", out.getvalue())
    assert "4,000 × 4,000 pixels; at most 1,000,000 pixels are accepted" in form_errors(response)


def test_files_over_the_size_limit_are_refused(editor_client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "MAX_UPLOAD_BYTES": 1000}
    response = upload(editor_client, "big.png", picture_bytes(size=(300, 300), color=None) + b"\0" * 2000)
    assert "pictures may be at most 0.0 MB" in form_errors(response)
    assert Image.objects.count() == 0


def test_a_polyglot_is_stored_as_pixels_only(editor_client):
    payload = b"<html><script>alert(document.cookie)</script></html>PK\x03\x04zip-inside"
    data = picture_bytes("PNG") + payload
    assert upload(editor_client, "polyglot.png", data).status_code == 302
    with Image.objects.get().file.open("rb") as stored:
        content = stored.read()
    assert b"<script" not in content and b"PK\x03\x04" not in content
    assert PILImage.open(io.BytesIO(content)).size == (40, 30)


@pytest.mark.parametrize(
    ("name", "data"),
    [("t.png", picture_bytes("PNG", size=(400, 300))[:200]), ("x.jpg", b"not an image"), ("p.png", b"%PDF-1.4")],
)
def test_pictures_saved_outside_the_admin_are_checked_too(name, data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a picture we can read"):
        Image.objects.create(file=SimpleUploadedFile(name, data), caption="x")
    assert Image.objects.count() == 0
