"""Autosave: a private draft copy of the change form, kept while an editor types, offered back on reopening."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.core import limits
from articles.models import Article, DraftCopy
from tests.factories import make_article, make_desk_user
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


@pytest.fixture
def anna(client):
    client.force_login(make_desk_user("anna", "Editor"))
    return client


def test_a_copy_keeps_only_the_storys_own_fields_and_leaves_the_story_alone(anna):
    article = make_article(headline="Talks resume")
    before = Article.objects.values().get()
    data = form_data(anna.get(change_url(article)), headline="Talks resume in Paris", status="withdrawn")
    data.update({"authorships-TOTAL_FORMS": "1", "authorships-0-role": "author", "_publish": "Publish"})
    response = anna.post(autosave_url(article), data)
    assert response.status_code == 200
    copy = DraftCopy.objects.get()
    assert copy.data["typed"]["headline"] == "Talks resume in Paris"
    assert copy.data["opened"]["headline"] == "Talks resume"
    assert copy.opened_version == 1
    kept = set(copy.data["typed"]) | set(copy.data["opened"])
    assert not {"status", "csrfmiddlewaretoken", "authorships-TOTAL_FORMS", "authorships-0-role", "_publish"} & kept
    assert {"published_at_0", "published_at_1", "body", "slug"} <= kept
    # Not saved, not published, not withdrawn, no new version, no revision.
    assert Article.objects.values().get() == before
    assert not article.status_changes.exists()


def test_a_copy_costs_one_write_and_a_few_reads(anna, django_assert_num_queries):
    article = make_article()
    data = form_data(anna.get(change_url(article)), dek="Typed, not saved.")
    for _ in range(2):  # the first makes her copy, the second replaces it: one statement each
        with CaptureQueriesContext(connection) as queries:
            assert anna.post(autosave_url(article), data).status_code == 200
        writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
        assert len(writes) == 1 and "ON CONFLICT" in writes[0].upper()
        assert len(queries) == 6  # session, user, story, her permissions (two), the upsert
    assert DraftCopy.objects.get().data["typed"]["dek"] == "Typed, not saved."


def test_a_reporter_may_not_keep_a_copy_of_a_story_she_may_not_edit(client):
    rita = make_desk_user("rita", "Reporter")
    client.force_login(rita)
    others = make_article(status=Article.Status.DRAFT, published_at=None)
    assert client.post(autosave_url(others), {"opened_version": 1, "headline": "Mine now"}).status_code == 403
    own = make_article(status=Article.Status.DRAFT, published_at=None, created_by=rita)
    assert client.post(autosave_url(own), {"opened_version": 1, "headline": "Mine"}).status_code == 200
    assert DraftCopy.objects.get().article == own


def test_an_oversized_body_is_refused_with_413(anna):
    article = make_article()
    too_long = "<p>" + "x" * limits.BODY_MAX_LENGTH + "</p>"
    response = anna.post(autosave_url(article), {"opened_version": 1, "body": too_long})
    assert response.status_code == 413
    assert not DraftCopy.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"headline": "No version"}, {"opened_version": "two", "headline": "x"}, {"opened_version": 1}],
)
def test_bad_data_is_refused_with_400(anna, data):
    assert anna.post(autosave_url(make_article()), data).status_code == 400
    assert not DraftCopy.objects.exists()


def test_a_nul_character_is_refused_with_400(anna):
    assert anna.post(autosave_url(make_article()), {"opened_version": 1, "dek": "a\x00b"}).status_code == 400


def test_only_posts_with_the_csrf_token_are_kept():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_desk_user("anna", "Editor"))
    article = make_article()
    assert client.post(autosave_url(article), {"opened_version": 1, "headline": "x"}).status_code == 403
    assert client.get(autosave_url(article)).status_code == 405
    data = form_data(client.get(change_url(article)), headline="With the token")
    assert client.post(autosave_url(article), data).status_code == 200
    assert DraftCopy.objects.get().data["typed"]["headline"] == "With the token"


def test_reopening_offers_the_copy_with_its_time_and_saving_deletes_it(anna, settings):
    settings.TIME_ZONE = "UTC"
    article = make_article(headline="Talks resume")
    data = form_data(anna.get(change_url(article)), headline="Talks resume in Paris")
    assert "Restore unsaved changes" not in anna.get(change_url(article)).content.decode()
    anna.post(autosave_url(article), data)
    copy = DraftCopy.objects.get()
    html = anna.get(change_url(article)).content.decode()
    assert f"Restore unsaved changes from {copy.saved_at:%H:%M}?" in html
    assert "Talks resume in Paris" in html.split('id="desk-draft-data"')[1].split("</script>")[0]
    assert "has been saved since" not in html
    # Saving the story is the end of her copy.
    assert anna.post(change_url(article), form_data(anna.get(change_url(article)), dek="Saved.")).status_code == 302
    assert not DraftCopy.objects.exists()


def test_a_copy_equal_to_the_story_or_older_than_its_last_change_is_not_offered(anna):
    article = make_article(headline="Talks resume")
    anna.post(autosave_url(article), form_data(anna.get(change_url(article))))  # nothing typed differs
    assert "Restore unsaved changes" not in anna.get(change_url(article)).content.decode()
    anna.post(autosave_url(article), form_data(anna.get(change_url(article)), headline="Changed"))
    DraftCopy.objects.update(saved_at=article.last_modified - datetime.timedelta(minutes=1))
    assert "Restore unsaved changes" not in anna.get(change_url(article)).content.decode()


def test_a_copy_of_an_older_version_warns_that_the_story_changed_since():
    anna, ben = Client(), Client()
    anna.force_login(make_desk_user("anna", "Editor"))
    ben.force_login(make_desk_user("ben", "Editor"))
    article = make_article(headline="Talks resume")
    annas = form_data(anna.get(change_url(article)), headline="Anna's headline")
    ben.post(change_url(article), form_data(ben.get(change_url(article)), dek="Ben's standfirst"))
    answer = anna.post(autosave_url(article), annas).json()
    assert answer["story_saved_since"] is True
    html = " ".join(anna.get(change_url(article)).content.decode().split())
    assert "The story has been saved since you made these changes (you had version 1; it is now version 2)" in html
    assert 'data-opened-version="1"' in html
    assert Article.objects.get().dek == "Ben's standfirst"


def test_discard_deletes_her_copy_and_only_hers(anna):
    article = make_article()
    ben = Client()
    ben.force_login(make_desk_user("ben", "Editor"))
    for client in (anna, ben):
        client.post(autosave_url(article), form_data(client.get(change_url(article)), dek="Typed."))
    discard = reverse("admin:articles_article_discard_draft", args=[article.pk])
    assert anna.get(discard).status_code == 405
    assert anna.post(discard).status_code == 302
    assert list(DraftCopy.objects.values_list("user__username", flat=True)) == ["ben"]


def test_offering_a_copy_back_costs_the_change_form_no_extra_query_and_shows_only_her_own(anna):
    article = make_article(headline="Talks resume")
    anna.get(change_url(article))  # the soft lock's first note
    with CaptureQueriesContext(connection) as without_copy:
        anna.get(change_url(article))
    anna.post(autosave_url(article), form_data(anna.get(change_url(article)), headline="Anna's headline"))
    with CaptureQueriesContext(connection) as with_copy:
        html = anna.get(change_url(article)).content.decode()
    assert "Restore unsaved changes" in html
    assert len(with_copy) == len(without_copy)
    ben = Client()
    ben.force_login(make_desk_user("ben", "Editor"))
    assert "Restore unsaved changes" not in ben.get(change_url(article)).content.decode()
