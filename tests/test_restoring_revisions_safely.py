"""Recovering and restoring revisions: only deleted stories come back, and a restore never touches what is live."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Authorship, Correction
from tests.factories import make_article, make_person, make_section
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db


def save(browser, article, **changes):
    page = browser.get(change_url(article))
    response = browser.post(change_url(article), form_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:800]


def add_correction(browser, article, text):
    """Publish a correction on a story through the editor's change form."""
    page = browser.get(change_url(article))
    data = form_data(page)
    at = timezone.localtime(timezone.now() - timedelta(minutes=1))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-INITIAL_FORMS": "0",
            "corrections-0-kind": "correction",
            "corrections-0-text": text,
            "corrections-0-published_at_0": f"{at:%Y-%m-%d}",
            "corrections-0-published_at_1": f"{at:%H:%M:%S}",
        }
    )
    response = browser.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:800]


def write_draft(client, headline="Rita's draft", slug="ritas-draft"):
    add_url = reverse("admin:articles_article_add")
    data = form_data(client.get(add_url), headline=headline, slug=slug, primary_section=make_section().pk)
    data["body"] = "<p>Copy.</p>"
    assert client.post(add_url, data).status_code == 302
    return Article.objects.get(slug=slug)


def recover_url(version):
    return reverse("admin:articles_article_recover", args=[version.pk])


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def assert_still_live(story, headline, correction):
    story.refresh_from_db()
    assert (story.status, story.headline) == ("published", headline)
    assert list(story.corrections.values_list("text", flat=True)) == [correction]
    page = Client().get(story.get_absolute_url())
    assert page.status_code == 200 and correction in page.content.decode()


def test_a_reporter_cannot_recover_her_published_story_back_to_its_first_draft(client, rita, desk):
    story = write_draft(client)
    first = Version.objects.get_for_object(story).get()
    save(desk, story, headline="Checked by the desk", _publish="Publish")
    add_correction(desk, story, "A name was misspelt.")

    page = client.get(recover_url(first), follow=True)
    assert "is not deleted, so there is nothing to recover" in page.content.decode()
    # What the recover form of the first revision would have sent.
    sent = form_data(desk.get(change_url(story)), headline="Rita's draft", status="draft", opened_version="1")
    client.post(recover_url(first), sent)

    assert_still_live(story, "Checked by the desk", "A name was misspelt.")


def test_an_editor_is_told_a_story_that_exists_is_not_recovered(client, desk):
    story = make_article(headline="Live now")
    save(desk, story, headline="Live now, edited")
    version = Version.objects.get_for_object(story).get()
    save(desk, story, headline="Live now, edited twice")
    response = desk.post(recover_url(version), {"headline": "Live now, edited", "slug": story.slug}, follow=True)
    assert "is not deleted" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Live now, edited twice"


def someone_elses_story_with_a_byline_numbered(number, desk):
    """Return a published story of another reporter whose byline row has the given id, kept in a revision."""
    story = make_article(headline="The old headline")
    Authorship.objects.create(pk=number, article=story, person=make_person(name="Hana Byline"))
    save(desk, story)  # the revision holding the story and that byline
    byline_version = Version.objects.get_for_model(Authorship).get(object_id=str(number))
    save(desk, story, headline="The headline readers know")
    add_correction(desk, story, "An earlier version gave the wrong date.")
    return story, byline_version


def test_a_reporter_cannot_recover_another_story_through_a_byline_with_her_drafts_id(client, rita, desk):
    draft = write_draft(client)
    story, byline_version = someone_elses_story_with_a_byline_numbered(draft.pk, desk)

    response = client.get(recover_url(byline_version))
    assert response.status_code == 404
    client.post(recover_url(byline_version), form_data(client.get(change_url(draft))))

    assert_still_live(story, "The headline readers know", "An earlier version gave the wrong date.")
    draft.refresh_from_db()
    assert draft.headline == "Rita's draft"


def test_a_reporter_cannot_restore_another_story_through_her_drafts_history(client, rita, desk):
    draft = write_draft(client)
    story, byline_version = someone_elses_story_with_a_byline_numbered(draft.pk, desk)

    url = revision_url(draft, byline_version)
    assert client.get(url).status_code == 404
    client.post(url, form_data(client.get(change_url(draft))))

    assert_still_live(story, "The headline readers know", "An earlier version gave the wrong date.")


def test_restoring_a_revision_of_a_bulk_move_restores_only_the_story_restored(client, rita, desk):
    mine = write_draft(client)
    theirs = make_article(headline="Someone else's story", status="review", published_at=None)
    save(client, mine, _submit_review="Submit")
    response = desk.post(
        reverse("admin:articles_article_changelist"),
        {"action": "back_to_draft", "_selected_action": [mine.pk, theirs.pk], "index": 0},
    )
    assert response.status_code == 302
    bulk = Version.objects.get_for_object(mine).first()
    assert Version.objects.get_for_object(theirs).get().revision == bulk.revision  # both in one revision
    save(desk, theirs, headline="Someone else's story, published", _publish="Publish")

    url = revision_url(mine, bulk)
    assert client.post(url, form_data(client.get(url))).status_code == 302

    theirs.refresh_from_db()
    assert (theirs.status, theirs.headline) == ("published", "Someone else's story, published")
    assert Client().get(theirs.get_absolute_url()).status_code == 200


def test_restoring_a_revision_keeps_the_embargo_readers_are_held_to(desk):
    story = make_article(headline="Under embargo", embargo_until=None)
    save(desk, story)
    first = Version.objects.get_for_object(story).get()
    until = timezone.localtime(timezone.now() + timedelta(days=1)).replace(microsecond=0)
    save(desk, story, headline="Held back", embargo_until_0=f"{until:%Y-%m-%d}", embargo_until_1=f"{until:%H:%M:%S}")

    page = desk.get(revision_url(story, first))
    assert page.status_code == 200
    response = desk.post(revision_url(story, first), form_data(page))
    assert response.status_code == 302

    story.refresh_from_db()
    assert story.headline == "Under embargo"
    assert (story.status, story.embargo_until) == ("published", until)
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_restoring_a_revision_cannot_change_the_status_by_a_crafted_post(desk):
    story = make_article(headline="Published and staying so")
    save(desk, story)
    first = Version.objects.get_for_object(story).get()
    save(desk, story, headline="Edited")
    page = desk.get(revision_url(story, first))
    desk.post(revision_url(story, first), form_data(page, status="withdrawn", published_at_0="2031-01-01"))
    story.refresh_from_db()
    assert story.status == "published" and story.published_at.year != 2031


def deleted_story(desk, **fields):
    story = make_article(**fields)
    Correction.objects.create(article=story, text="Fixed a date.")
    assert desk.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}).status_code == 302
    return Version.objects.get_deleted(Article).get(object_id=str(story.pk))


def test_a_reporter_recovers_her_own_deleted_draft(client, rita, desk):
    version = deleted_story(desk, headline="Rita's lost draft", status="draft", published_at=None, created_by=rita)
    listing = client.get(reverse("admin:articles_article_recoverlist")).content.decode()
    assert "Rita&#x27;s lost draft" in listing
    response = client.post(recover_url(version), form_data(client.get(recover_url(version))))
    assert response.status_code == 302
    story = Article.objects.get(headline="Rita's lost draft")
    assert story.status == "draft" and story.corrections.get().text == "Fixed a date."


def test_a_reporter_neither_sees_nor_recovers_someone_elses_deleted_story(client, rita, desk):
    version = deleted_story(desk, headline="The desk's deleted story")
    listing = client.get(reverse("admin:articles_article_recoverlist"))
    assert listing.status_code == 200 and "The desk&#x27;s deleted story" not in listing.content.decode()
    assert client.get(recover_url(version)).status_code == 403
    assert client.post(recover_url(version), {"headline": "x"}).status_code == 403
    assert not Article.objects.exists()


def test_an_editor_recovers_any_deleted_story_with_its_corrections(desk):
    version = deleted_story(desk, headline="Back from the bin")
    response = desk.post(recover_url(version), form_data(desk.get(recover_url(version))))
    assert response.status_code == 302
    story = Article.objects.get(headline="Back from the bin")
    assert story.corrections.get().text == "Fixed a date."


def test_a_recovery_brings_back_only_the_deleted_storys_own_parts(desk):
    """A byline row in the deleted story's revision whose id another story's byline now has is left alone."""
    version = deleted_story(desk, headline="Gone")
    other = make_article(headline="Another story")
    byline = Authorship.objects.create(article=other, person=make_person(name="Sam Stays"))
    revision = version.revision
    # Forge the case: the deleted story's revision names a byline with the id the other story's row has now.
    Version.objects.create(
        revision=revision,
        object_id=str(byline.pk),
        content_type=ContentType.objects.get_for_model(Authorship),
        db="default",
        format="json",
        serialized_data=(
            f'[{{"model": "articles.authorship", "pk": {byline.pk}, "fields": {{"article": {version.object_id}, '
            f'"person": {make_person(name="Planted").pk}, "role": "author", "position": 0}}}}]'
        ),
        object_repr="Planted",
    )
    response = desk.post(recover_url(version), form_data(desk.get(recover_url(version))))
    assert response.status_code == 302
    byline.refresh_from_db()
    assert (byline.article, byline.person.name) == (other, "Sam Stays")


def test_restoring_an_earlier_address_keeps_the_one_readers_know_working(desk):
    story = make_article(headline="Moved about", slug="first-address")
    save(desk, story)
    first = Version.objects.get_for_object(story).get()
    save(desk, story, slug="second-address")
    story.refresh_from_db()
    known = story.get_absolute_url()

    page = desk.get(revision_url(story, first))
    assert desk.post(revision_url(story, first), form_data(page)).status_code == 302

    story.refresh_from_db()
    assert story.slug == "first-address"
    reader = Client()
    assert reader.get(story.get_absolute_url()).status_code == 200
    moved = reader.get(known)
    assert (moved.status_code, moved["Location"]) == (301, story.get_absolute_url())
