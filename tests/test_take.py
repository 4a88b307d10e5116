"""Take: a queued item becomes one draft, once, for those who may start stories; kills are shown, not acted on."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.interchange import fixture_builder, incoming
from articles.models import Article
from tests.factories import make_desk_user, make_section
from tests.forms import change_url
from tests.wire_items import agency_item, version_of

pytestmark = pytest.mark.django_db

EMBARGO = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)


def queued(**overrides):
    return incoming.ingest(agency_item(**overrides), filename="in/rain.xml", fallback_guid="rain").entry


def take_url(entry):
    return reverse("admin:articles_wireitem_take", args=[entry.pk])


def page_of(client, response):
    """Follow a redirect the way a browser would and return the page's HTML."""
    assert response.status_code == 302, response
    return client.get(response["Location"]).content.decode()


def test_take_makes_a_draft_with_the_items_fields_and_opens_its_change_form(client, editor):
    entry = queued(embargo=EMBARGO)
    response = client.post(take_url(entry))
    story = Article.objects.get()
    assert response["Location"] == change_url(story)
    html = page_of(client, response)
    assert 'name="headline"' in html and "Rain returns to the coast" in html
    assert (story.status, story.created_by) == ("draft", editor)
    assert story.dek == "Forecasters expect a wet week on the coast."
    assert story.body == fixture_builder.body_html(agency_item().story.blocks)
    assert "<p>The storm moved north overnight.</p>" in story.body
    assert (story.source, story.source_id) == ("Reuters", "tag:reuters.com,2026:newsml_RAIN1")
    assert story.guid == fixture_builder.article_guid("tag:reuters.com,2026:newsml_RAIN1")
    assert (story.embargo_until, story.dateline) == (EMBARGO, "BEIRUT")
    assert story.primary_section.path == "news"
    assert [(a.person.name, a.role) for a in story.authorships.select_related("person")] == [
        ("Rana Haddad", "author"),
        ("Tom Lasseter", "editor"),
    ]
    assert [(m.person.name, m.title) for m in story.mentions.select_related("person")] == [
        ("Nawaf Salam", "Prime Minister")
    ]
    assert {"weather", "Lebanon", "Beirut"} <= set(story.tags.names())
    assert story.import_record["fields"]["embargo_until"]  # a later re-import keeps the desk's edits
    entry.refresh_from_db()
    assert entry.taken_story == story and entry.taken_at is not None


def test_the_item_and_its_story_link_to_each_other(client, editor):
    entry = queued()
    client.post(take_url(entry))
    story = Article.objects.get()
    assert list(story.incoming_items.all()) == [entry]
    item_html = client.get(reverse("admin:articles_wireitem_change", args=[entry.pk])).content.decode()
    assert f'href="{change_url(story)}"' in item_html
    story_html = client.get(change_url(story)).content.decode()
    item_url = reverse("admin:articles_wireitem_change", args=[entry.pk])
    assert f'Taken from the incoming queue: <a href="{item_url}">WEATHER-LEBANON/RAIN</a>.' in story_html


def test_taking_twice_gives_one_story(client, editor):
    entry = queued()
    first = client.post(take_url(entry))
    second = client.post(take_url(entry))  # a double click
    assert Article.objects.count() == 1
    assert first["Location"] == second["Location"] == change_url(Article.objects.get())
    assert incoming.take(entry=entry, user=editor) == Article.objects.get()


def test_a_slug_another_story_has_is_not_taken_from_it(client, editor):
    other = Article.objects.create(
        headline="Rain returns to the coast", slug="rain-returns-to-the-coast", primary_section=make_section()
    )
    client.post(take_url(queued()))
    story = Article.objects.exclude(pk=other.pk).get()
    assert story.slug.startswith("rain-returns-to-the-coast-") and story.slug != other.slug


def test_a_reporter_takes_an_item_and_may_go_on_editing_the_draft(client):
    reporter = make_desk_user("rita", "Reporter")
    client.force_login(reporter)
    html = page_of(client, client.post(take_url(queued())))
    story = Article.objects.get()
    assert story.created_by == reporter
    assert 'name="headline"' in html  # her own draft: editable


def test_someone_who_may_not_start_stories_cannot_take(client):
    reporter = make_desk_user("rita", "Reporter")
    reporter.groups.get().permissions.remove(Permission.objects.get(codename="add_article"))
    client.force_login(reporter)
    entry = queued()
    page = client.get(reverse("admin:articles_wireitem_change", args=[entry.pk])).content.decode()
    assert take_url(entry) not in page  # no button
    html = page_of(client, client.post(take_url(entry)))
    assert "Only members of the desk who may start stories (reporters and editors) can take an item." in html
    assert not Article.objects.exists()
    changelist = reverse("admin:articles_wireitem_changelist")
    client.post(changelist, {"action": "take_selected", "_selected_action": [entry.pk]})
    assert not Article.objects.exists()


def test_take_is_refused_for_a_get(client, editor):
    assert client.get(take_url(queued())).status_code == 405
    assert not Article.objects.exists()


def test_a_killed_item_cannot_be_taken(client, editor):
    entry = queued(pub_status="canceled", editorial_note="Withdrawn: legal advice")
    html = page_of(client, client.post(take_url(entry)))
    assert "The agency killed this story: Withdrawn: legal advice. A killed item cannot be taken." in html
    assert not Article.objects.exists()


def test_the_take_action_opens_the_one_story_it_made(client, editor):
    entry = queued()
    changelist = reverse("admin:articles_wireitem_changelist")
    response = client.post(changelist, {"action": "take_selected", "_selected_action": [entry.pk]})
    assert response["Location"] == change_url(Article.objects.get())


def test_a_kill_after_the_story_is_published_warns_and_changes_nothing(client, editor):
    entry = queued()
    story = incoming.take(entry=entry, user=editor)
    Article.objects.filter(pk=story.pk).update(status="published", published_at=datetime(2026, 12, 7, tzinfo=UTC))
    before = Article.objects.values().get(pk=story.pk)
    kill = version_of(agency_item(), version=2, pub_status="canceled", editorial_note="KILL: wrong casualty figure")
    assert incoming.ingest(kill, filename="in/kill.xml", fallback_guid="kill").action == "killed"
    assert Article.objects.values().get(pk=story.pk) == before
    form = client.get(change_url(story)).content.decode()
    assert "The agency killed this story: KILL: wrong casualty figure" in form
    queue_html = client.get(reverse("admin:articles_wireitem_changelist")).content.decode()
    assert "The agency killed stories the site has published: “Rain returns to the coast”." in queue_html
    assert "is published: check it now" in queue_html


def test_a_kill_of_an_unpublished_story_is_noted_without_the_alarm(client, editor):
    entry = queued()
    story = incoming.take(entry=entry, user=editor)
    kill = version_of(agency_item(), version=2, pub_status="canceled", editorial_note="KILL")
    incoming.ingest(kill, filename="in/kill.xml", fallback_guid="kill")
    html = client.get(change_url(story)).content.decode()
    assert "The agency killed this story: KILL." in html
    assert "The story is still published" not in html


def test_an_item_whose_embargo_no_story_can_hold_is_refused_saying_so(client, editor):
    entry = queued(embargo=datetime(2200, 1, 1, tzinfo=UTC))
    html = page_of(client, client.post(take_url(entry)))
    assert "The item cannot become a story: its embargo is out of range" in html
    assert not Article.objects.exists()


def test_an_item_whose_guid_is_too_long_for_a_story_is_refused_saying_so(client, editor):
    entry = queued(guid="tag:example.com,2026:" + "x" * 200)
    html = page_of(client, client.post(take_url(entry)))
    assert "The item cannot become a story:" in html
    assert "is 221 characters long; the limit is 120" in html
    assert not Article.objects.exists()
