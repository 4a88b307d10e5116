"""The largest picture an editor may upload: one limit, named in the error they see."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.core import images
from articles.models import Image
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_default_limit_is_a_camera_frame_not_forty_megapixels():
    assert images.limits()[1] == images.MAX_UPLOAD_PIXELS == 24_000_000


def test_an_editor_uploading_a_picture_over_the_limit_is_told_the_limit(client):
    client.force_login(make_staff())
    out = io.BytesIO()
    PILImage.new("1", (6000, 4001)).save(out, "PNG")  # one row over 6000 × 4000, a few kilobytes
    response = client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile("wide.png", out.getvalue()), "alt_text": "a", "caption": "c", "credit": "AP"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert "6,000 × 4,001 pixels; at most 24,000,000 pixels are accepted (24 megapixels)" in errors
    assert not Image.objects.exists()
