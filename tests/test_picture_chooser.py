"""The desk's picture chooser: the grid a reporter searches, the upload inside it, and the story form's thumbnail."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Article, Image
from tests.factories import make_article, make_desk_user, make_image, make_section, run_waiting_tasks

pytestmark = pytest.mark.django_db
CHOOSER = "/admin/articles/image/chooser/"
UPLOAD = "/admin/articles/image/chooser/upload/"


def jpeg(name="boats.jpg", size=(800, 600)):
    out = io.BytesIO()
    PILImage.new("RGB", size, "#4a6d8c").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def photo(**fields):
    fields.setdefault("alt_text", "Fishing boats in the harbour")
    picture = Image.objects.create(file=jpeg(), **fields)
    run_waiting_tasks()  # the worker makes the renditions
    picture.refresh_from_db()
    return picture


@pytest.fixture
def reporter(client):
    client.force_login(make_desk_user("rita", "Reporter"))
    return client


def grid_labels(html):
    return [
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(r'class="picture-grid-label"[^>]*>(.*?)</span>', html, re.S)
    ]


def test_the_grid_finds_pictures_by_caption_alt_text_credit_and_file_name(reporter):
    harbour = photo(caption="Boats in Beirut harbour.", credit="Newsroom")
    make_image(alt_text="A wet street at dusk", caption="Rain in Paris.", credit="AP")
    for words in ("beirut", "fishing boats", "newsroom", "boats.jpg"):
        html = reporter.get(CHOOSER, {"q": words}).content.decode()
        assert grid_labels(html) == ["Fishing boats in the harbour"], words
        assert f'data-picture-id="{harbour.pk}"' in html and "1 picture matches" in html
    everything = reporter.get(CHOOSER).content.decode()
    # Newest first; the wire picture has no file, and says so.
    assert grid_labels(everything) == ["Caption only: A wet street at dusk", "Fishing boats in the harbour"]
    assert "2 pictures, newest first." in everything


def test_grid_items_are_buttons_named_by_the_alt_text_with_a_rendition_as_thumbnail(reporter):
    harbour = photo(credit="Newsroom")
    html = reporter.get(CHOOSER, {"chosen": harbour.pk}).content.decode()
    button = re.search(r'<button type="button" class="picture-grid-item".*?</button>', html, re.S).group()
    assert f'aria-labelledby="picture-{harbour.pk}-label"' in button and 'aria-pressed="true"' in button
    assert f'id="picture-{harbour.pk}-label">Fishing boats in the harbour</span>' in button
    thumb = re.search(r'<img src="([^"]+)"', button).group(1)
    assert thumb.endswith("/360.jpeg") and "/renditions/" in thumb  # the smallest rendition, not the original


def test_a_caption_only_wire_picture_is_labelled_as_such_in_the_grid(reporter):
    make_image(alt_text="", caption="Police cordon off the square.", credit="Reuters")
    html = reporter.get(CHOOSER).content.decode()
    assert "Caption only (no file)" in html and "<img" not in html
    assert grid_labels(html) == ["Caption only: Police cordon off the square."]


def test_the_grid_comes_a_page_at_a_time(reporter):
    for n in range(30):
        make_image(caption=f"Wire picture {n:02d}")
    first = reporter.get(CHOOSER).content.decode()
    assert len(grid_labels(first)) == 24 and "Page 1 of 2" in first and 'data-page="2"' in first
    second = reporter.get(CHOOSER, {"page": 2}).content.decode()
    assert len(grid_labels(second)) == 6 and 'data-page="1"' in second


def test_the_chooser_is_for_staff_who_may_see_pictures(client):
    assert client.get(CHOOSER).status_code == 302  # to the admin's login
    outsider = get_user_model().objects.create_user("visitor", password="x", is_staff=True)
    client.force_login(outsider)
    assert client.get(CHOOSER).status_code == 403
    assert client.post(UPLOAD, {}).status_code == 403
    assert not Image.objects.exists()


def test_a_reporter_uploads_a_picture_with_alt_text_caption_and_credit(reporter):
    response = reporter.post(
        UPLOAD,
        {
            "picture-file": jpeg("harbour.jpg", (1600, 900)),
            "picture-alt_text": "Boats moored at dusk",
            "picture-caption": "The harbour on Friday.",
            "picture-credit": "Newsroom",
        },
    )
    assert response.status_code == 201
    picture = Image.objects.get()
    assert (picture.alt_text, picture.caption, picture.credit) == (
        "Boats moored at dusk",
        "The harbour on Friday.",
        "Newsroom",
    )
    assert (picture.width, picture.height) == (1600, 900) and picture.renditions == []  # the worker makes them
    run_waiting_tasks()
    picture.refresh_from_db()
    assert len(picture.renditions) == 8
    html = response.content.decode()
    assert f'data-picture-id="{picture.pk}"' in html and 'aria-pressed="true"' in html


def test_an_upload_without_alt_text_or_a_file_is_refused_with_the_reasons(reporter):
    response = reporter.post(UPLOAD, {"picture-file": jpeg(), "picture-alt_text": "", "picture-caption": "x"})
    assert response.status_code == 400 and not Image.objects.exists()
    html = response.content.decode()
    assert 'id="id_picture-alt_text_error"' in html and "This field is required." in html
    assert 'aria-invalid="true"' in html
    response = reporter.post(UPLOAD, {"picture-alt_text": "Something"})
    assert response.status_code == 400 and 'id="id_picture-file_error"' in response.content.decode()


def test_an_upload_is_checked_by_the_image_rules(reporter, settings):
    not_a_picture = SimpleUploadedFile("notes.jpg", b"plain text, not a picture")
    response = reporter.post(UPLOAD, {"picture-file": not_a_picture, "picture-alt_text": "Notes"})
    assert response.status_code == 400 and not Image.objects.exists()
    assert (
        "Upload a valid image" in response.content.decode() or "not a picture we can read" in response.content.decode()
    )
    settings.NEWSROOM = {**settings.NEWSROOM, "MAX_UPLOAD_PIXELS": 1000}
    response = reporter.post(UPLOAD, {"picture-file": jpeg(size=(100, 100)), "picture-alt_text": "Too big"})
    assert response.status_code == 400 and "at most 1,000 pixels are accepted" in response.content.decode()
    assert not Image.objects.exists()


def test_the_upload_fields_are_offered_to_those_who_may_add_pictures(reporter, client):
    html = reporter.get(UPLOAD).content.decode()
    assert 'name="picture-file"' in html and 'name="picture-alt_text"' in html and 'name="picture-credit"' in html


def test_the_story_form_shows_the_chosen_pictures_thumbnail_and_saves_a_choice(reporter):
    section = make_section(name="World", slug="world")
    harbour = photo(caption="Boats in Beirut harbour.")
    story = make_article(
        headline="Harbour reopens", status=Article.Status.DRAFT, published_at=None, primary_section=section,
        lead_image=harbour,
    )  # fmt: skip
    Article.objects.filter(pk=story.pk).update(created_by=get_user_model().objects.get(username="rita"))
    url = reverse("admin:articles_article_change", args=[story.pk])
    html = reporter.get(url).content.decode()
    current = html.split('class="picture-chooser-current"')[1].split("</div>")[0]
    assert re.search(
        r'<img class="picture-chooser-thumb" src="[^"]+/360\.jpeg" alt="Fishing boats in the harbour"', current
    )
    assert "Boats in Beirut harbour." in current
    assert f'name="lead_image" id="id_lead_image" value="{harbour.pk}"' in html
    assert "<dialog" in html and "js/desk-pictures.js" in html
    assert 'class="related-widget-wrapper' not in html.split('class="picture-chooser"')[1].split("</template>")[0]
    # Another picture chosen, as the dialog does it: the hidden value.
    wire = make_image(caption="Police at the scene.", alt_text="")
    form = reporter.get(url).context["adminform"].form
    data = {
        name: form[name].value() or ""
        for name in form.fields
        if name not in ("published_at", "embargo_until", "updated_at")
    }
    data.update({"lead_image": wire.pk, "body": story.body, "primary_section": section.pk})
    for prefix in ("authorships", "mentions", "tagged_items", "related_links", "corrections"):
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = 0
    response = reporter.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.lead_image == wire
    # A caption-only picture is labelled on the form.
    current = reporter.get(url).content.decode().split('class="picture-chooser-current"')[1].split("</div>")[0]
    assert '<strong class="picture-caption-only">Caption only (no file)</strong>' in current
    assert 'class="picture-chooser-thumb" src="" alt="" hidden' in current


def test_a_new_story_starts_with_no_picture_chosen(reporter):
    html = reporter.get(reverse("admin:articles_article_add")).content.decode()
    assert "No picture chosen." in html and 'name="lead_image" id="id_lead_image" value=""' in html


def test_the_image_list_labels_caption_only_pictures(client):
    client.force_login(make_desk_user("eddie", "Editor"))
    make_image(caption="Police at the scene.")
    photo()
    html = client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert '<span class="picture-caption-only">Caption only (no file)</span>' in html
    assert re.search(r'<img src="[^"]+/360\.jpeg" alt="" width="80"', html)
