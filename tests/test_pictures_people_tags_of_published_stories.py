"""Pictures, people and tags that published stories show: reporters look, editors change; the rest stays open."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from articles.models import Image, Person
from tests.factories import add_author, add_mention, make_article, make_image, make_person
from tests.forms import form_data
from tests.test_uploads import picture_bytes

pytestmark = pytest.mark.django_db

REFUSAL = "only an editor can change it"


def change_page(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def post_change(client, obj, **changes):
    """Post the object's change form as the page offers it, with some fields changed."""
    page = client.get(change_page(obj))
    form_id = f"{obj._meta.model_name}_form"
    data = form_data(page, form_id=form_id, **changes)
    return client.post(change_page(obj), data, follow=True)


def test_a_reporter_sees_the_live_storys_picture_read_only_and_why(client, rita, seed):
    picture = seed.lead_image
    page = client.get(change_page(picture))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="caption"' not in html and 'name="_save"' not in html
    assert REFUSAL in html and escape(seed.headline) in html


def test_a_reporter_cannot_recaption_the_live_storys_picture(client, rita, seed):
    picture = seed.lead_image
    data = {"caption": "Planted caption", "credit": "Nobody", "alt_text": "Planted alt text", "_save": "Save"}
    response = client.post(change_page(picture), data, follow=True)
    assert response.status_code == 200
    assert REFUSAL in response.content.decode() and "Nothing was changed." in response.content.decode()
    picture.refresh_from_db()
    assert (picture.caption, picture.credit, picture.alt_text) == (seed.lead_image.caption, "AP", "")
    assert "Planted caption" not in client.get(seed.get_absolute_url()).content.decode()


def test_a_reporter_cannot_replace_the_file_of_a_published_picture(client, rita):
    picture = make_image(file=SimpleUploadedFile("harbour.png", picture_bytes(), content_type="image/png"))
    make_article(lead_image=picture)
    stored = picture.file.name
    data = {
        "file": SimpleUploadedFile("other.png", picture_bytes(color="#112233"), content_type="image/png"),
        "alt_text": "A wet street at dusk",
        "caption": "A street in the rain.",
        "credit": "AP",
    }
    client.post(change_page(picture), data)
    picture.refresh_from_db()
    assert picture.file.name == stored


@pytest.mark.parametrize(
    "when",
    [{}, {"published_at": timezone.now() + timedelta(days=1)}, {"embargo_until": timezone.now() + timedelta(days=1)}],
    ids=["live", "scheduled", "embargoed"],
)
def test_a_reporter_cannot_change_a_person_a_published_story_names(client, rita, when):
    minister = make_person(name="Asaad al-Shaibani", job_title="Foreign Minister", bio="<p>Diplomat.</p>")
    add_mention(make_article(**when), minister, title="Foreign Minister")
    response = post_change(client, minister, job_title="Former minister", bio="<p>Planted.</p>")
    assert REFUSAL in response.content.decode()
    minister.refresh_from_db()
    assert (minister.job_title, minister.bio) == ("Foreign Minister", "<p>Diplomat.</p>")


def test_a_reporter_cannot_change_a_bylined_person_or_their_photo(client, rita):
    photo = make_image(caption="Head and shoulders")
    writer = make_person(name="Hana Writer", photo=photo)
    add_author(make_article(), writer)
    assert REFUSAL in post_change(client, writer, job_title="Intern").content.decode()
    assert REFUSAL in post_change(client, photo, caption="Someone else").content.decode()
    writer.refresh_from_db()
    photo.refresh_from_db()
    assert (writer.job_title, photo.caption) == ("Reporter", "Head and shoulders")


def test_a_reporter_cannot_rename_a_tag_of_the_live_story(client, rita, seed):
    tag = Tag.objects.get(name="Damascus")
    response = client.post(change_page(tag), {"name": "Planted", "slug": "damascus"}, follow=True)
    assert REFUSAL in response.content.decode()
    assert Tag.objects.filter(name="Damascus").exists() and not Tag.objects.filter(name="Planted").exists()


def test_a_reporter_with_delete_rights_still_cannot_delete_a_live_storys_tag(client, rita, seed):
    rita.user_permissions.add(Permission.objects.get(codename="delete_tag"))
    tag = Tag.objects.get(name="Damascus")
    client.post(reverse("admin:taggit_tag_delete", args=[tag.pk]), {"post": "yes"})
    assert Tag.objects.filter(name="Damascus").exists()


def test_a_reporter_changes_what_only_drafts_and_withdrawn_stories_use(client, rita):
    picture = make_image(caption="Draft picture")
    person = make_person(name="Not Yet Public")
    make_article(status="draft", published_at=None, lead_image=picture)
    add_mention(make_article(status="withdrawn"), person)
    tag = Tag.objects.create(name="Unpublished topic")
    make_article(status="review", published_at=None).tags.add(tag)

    post_change(client, picture, caption="Better caption")
    post_change(client, person, job_title="Mayor")
    post_change(client, tag, name="Renamed topic")

    assert Image.objects.get(pk=picture.pk).caption == "Better caption"
    assert Person.objects.get(pk=person.pk).job_title == "Mayor"
    assert Tag.objects.get(pk=tag.pk).name == "Renamed topic"


def test_a_reporter_still_adds_pictures_people_and_tags(client, rita):
    add = {
        "image": {"caption": "New", "credit": "AP", "alt_text": "A harbour"},
        "person": {"name": "New Person", "slug": "new-person", "aliases": "[]"},
    }
    for model, data in add.items():
        assert client.post(reverse(f"admin:articles_{model}_add"), data).status_code == 302
    assert client.post(reverse("admin:taggit_tag_add"), {"name": "New tag", "slug": "new-tag"}).status_code == 302
    assert Tag.objects.filter(name="New tag").exists()


def test_an_editor_changes_the_live_storys_picture_person_and_tag(client, editor, seed):
    picture = seed.lead_image
    person = seed.people.get(slug="ahmad-al-sharaa")
    tag = Tag.objects.get(name="Damascus")
    post_change(client, picture, alt_text="The president at a lectern")
    post_change(client, person, job_title="President of Syria")
    post_change(client, tag, name="Damascus, Syria")
    assert Image.objects.get(pk=picture.pk).alt_text == "The president at a lectern"
    assert Person.objects.get(pk=person.pk).job_title == "President of Syria"
    assert Tag.objects.get(pk=tag.pk).name == "Damascus, Syria"
