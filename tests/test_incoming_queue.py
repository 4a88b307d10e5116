"""The incoming queue: what a new arrival does to it, and what the desk's Incoming list and item page show."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk.timezone import local
from articles.interchange import incoming, item_json
from articles.interchange.formats.items import Picture, SectionRef
from articles.models import WireItem
from tests.wire_items import agency_item, version_of

CHANGELIST = reverse("admin:articles_wireitem_changelist")


def queue(item, filename="reuters/rain.xml"):
    return incoming.ingest(item, filename=filename, fallback_guid="rain")


def item_page(entry):
    return reverse("admin:articles_wireitem_change", args=[entry.pk])


# --- the item kept as JSON -------------------------------------------------------------------------


def test_an_item_comes_back_from_json_as_it_went_in():
    item = version_of(
        agency_item(),
        embargo=datetime(2026, 12, 8, 6, 0, tzinfo=UTC),
        pictures=(Picture("https://example.org/rain.jpg", "Rain on the corniche", "Reuters/Jane Roe"),),
        sections=(SectionRef("news/weather", "Weather"),),
        replaces="tag:reuters.com,2026:newsml_RAIN0",
    )
    assert item_json.from_json(item_json.to_json(item)) == item


def test_json_written_before_a_field_existed_reads_with_its_default():
    data = item_json.to_data(agency_item())
    del data["urgency"], data["story"]["bylines"]
    data["a_field_from_the_future"] = 1
    item = item_json.from_data(data)
    assert item.urgency is None
    assert item.story.bylines == ()


# --- arrivals ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_item_is_queued_with_its_envelope():
    outcome = queue(agency_item(embargo=datetime(2026, 12, 8, 6, 0, tzinfo=UTC)))
    assert outcome.action == "queued"
    entry = WireItem.objects.get()
    assert (entry.source, entry.format, entry.guid, entry.version) == (
        "Reuters",
        "newsml-g2",
        "tag:reuters.com,2026:newsml_RAIN1",
        1,
    )
    assert (entry.slugline, entry.headline, entry.priority, entry.urgency) == (
        "WEATHER-LEBANON/RAIN",
        "Rain returns to the coast",
        4,
        3,
    )
    assert entry.embargo == datetime(2026, 12, 8, 6, 0, tzinfo=UTC)
    assert entry.pub_status == "usable" and entry.history == [] and entry.filename == "reuters/rain.xml"
    assert incoming.item_of(entry) == agency_item(embargo=datetime(2026, 12, 8, 6, 0, tzinfo=UTC))


@pytest.mark.django_db
def test_a_newer_version_replaces_the_queued_one_and_keeps_it_in_history():
    first = agency_item()
    queue(first)
    outcome = queue(version_of(first, version=2, headline="Storm floods the coast road"), "reuters/rain-2.xml")
    assert outcome.action == "replaced"
    entry = WireItem.objects.get()
    assert (entry.version, entry.headline, entry.filename) == (2, "Storm floods the coast road", "reuters/rain-2.xml")
    assert [(v["version"], v["filename"]) for v in entry.history] == [(1, "reuters/rain.xml")]
    assert incoming.earlier_item(entry) == first


@pytest.mark.django_db
def test_an_item_that_names_a_queued_guid_as_its_previous_version_replaces_it():
    first = agency_item(version=None)
    queue(first)
    second = version_of(first, guid="tag:reuters.com,2026:newsml_RAIN2", replaces=first.guid, second="Roads closed.")
    assert queue(second).action == "replaced"
    entry = WireItem.objects.get()
    assert entry.guid == "tag:reuters.com,2026:newsml_RAIN2"
    assert entry.history[0]["guid"] == first.guid


@pytest.mark.django_db
@pytest.mark.parametrize("late_version", [1, 2])
def test_an_older_or_equal_version_arriving_later_is_ignored_and_says_why(late_version):
    first = agency_item()
    queue(version_of(first, version=2, headline="Storm floods the coast road"))
    outcome = queue(version_of(first, version=late_version, headline="An older headline"))
    assert outcome.action == "ignored"
    assert outcome.reason == f"version {late_version} is not newer than the queued version 2"
    entry = WireItem.objects.get()
    assert (entry.version, entry.headline, entry.history) == (2, "Storm floods the coast road", [])


@pytest.mark.django_db
def test_copy_without_version_numbers_is_replaced_when_it_changes_and_ignored_when_it_does_not():
    first = agency_item(version=None)
    queue(first)
    assert queue(first).reason == "the same copy is queued already"
    assert queue(version_of(first, second="The storm moved south.")).action == "replaced"
    assert WireItem.objects.get().history[0]["item"] == item_json.to_data(first)


@pytest.mark.django_db
def test_a_kill_marks_the_queued_item_killed_and_keeps_its_copy():
    first = agency_item()
    queue(first)
    kill = version_of(
        first, version=2, pub_status="canceled", editorial_note="KILL: the story is withdrawn; do not use it"
    )
    assert queue(kill).action == "killed"
    entry = WireItem.objects.get()
    assert entry.killed and entry.kill_note == "KILL: the story is withdrawn; do not use it"
    assert incoming.item_of(entry) == first
    assert queue(kill).reason == "the item is killed already"


@pytest.mark.django_db
def test_an_item_whose_guid_does_not_fit_the_queue_is_refused_naming_the_limit():
    with pytest.raises(incoming.IngestError, match="the guid is 300 characters long; the queue holds 255"):
        queue(agency_item(guid="x" * 300))
    assert not WireItem.objects.exists()


# --- the desk ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_incoming_list_shows_the_killed_status_and_the_embargo(client, editor):
    embargo = timezone.now() + timedelta(hours=3)
    queue(agency_item(embargo=embargo))
    queue(agency_item(guid="tag:reuters.com,2026:newsml_QUAKE", slugline="QUAKE-TURKEY", headline="Quake"))
    queue(agency_item(guid="tag:reuters.com,2026:newsml_QUAKE", version=2, pub_status="canceled", headline="Quake"))
    html = client.get(CHANGELIST).content.decode()
    assert '<strong class="incoming-killed">KILLED</strong>' in html
    assert "Embargoed until " + local(embargo) in html  # the desk's one format for times
    for column in ("Source", "Format", "Priority", "Slugline", "Headline", "Embargo", "Status", "Version"):
        assert f">{column}</a>" in html or f"<span>{column}</span>" in html
    assert "WEATHER-LEBANON/RAIN" in html and "QUAKE-TURKEY" in html


@pytest.mark.django_db
def test_the_incoming_list_filters_by_status_and_searches_sluglines(client, editor):
    queue(agency_item())
    queue(agency_item(guid="quake", slugline="QUAKE-TURKEY", headline="Quake shakes Izmir", pub_status="canceled"))
    killed = client.get(CHANGELIST, {"pub_status__exact": "canceled"}).content.decode()
    assert "Quake shakes Izmir" in killed and "Rain returns to the coast" not in killed
    found = client.get(CHANGELIST, {"q": "WEATHER"}).content.decode()
    assert "Rain returns to the coast" in found and "Quake shakes Izmir" not in found


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 12])
def test_incoming_list_queries_do_not_grow_with_rows(client, editor, django_assert_num_queries, n):
    for number in range(n):
        queue(agency_item(guid=f"rain-{number}", provider="Reuters" if number % 2 else "AFP"))
    # session, user, the user's and the groups' permissions, killed-and-published warning, count, page, and
    # the sources and formats the filters offer
    with django_assert_num_queries(9):
        response = client.get(CHANGELIST)
    assert response.content.decode().count('class="field-headline"') == n


@pytest.mark.django_db
def test_the_item_page_shows_the_copy_and_what_changed_since_the_version_before(client, editor):
    first = agency_item()
    queue(first)
    queue(version_of(first, version=2, headline="Storm floods the coast road", second="Roads closed at dawn."))
    html = client.get(item_page(WireItem.objects.get())).content.decode()
    assert "<p>Roads closed at dawn.</p>" in html  # the copy as a story body
    assert "Forecasters expect a wet week on the coast." in html
    assert "<del>&lt;p&gt;The storm moved north overnight.&lt;/p&gt;</del>" in html
    assert "<ins>&lt;p&gt;Roads closed at dawn.&lt;/p&gt;</ins>" in html
    assert "Rain returns to the coast" in html and "Storm floods the coast road" in html
    assert 'name="_save"' not in html  # read-only


@pytest.mark.django_db
def test_a_first_version_says_there_is_nothing_to_compare(client, editor):
    queue(agency_item())
    html = client.get(item_page(WireItem.objects.get())).content.decode()
    assert "This is the first version the desk has received." in html


@pytest.mark.django_db
def test_a_kill_for_an_item_never_queued_is_queued_killed():
    outcome = queue(agency_item(pub_status="canceled", editorial_note="KILL: do not use"))
    assert outcome.action == "killed"
    assert WireItem.objects.get().kill_note == "KILL: do not use"


@pytest.mark.django_db
def test_a_killed_items_page_says_so_and_offers_no_take(client, editor):
    entry = queue(agency_item(pub_status="canceled", editorial_note="KILL: do not use")).entry
    html = client.get(item_page(entry)).content.decode()
    assert "The agency killed this story: KILL: do not use." in html
    assert reverse("admin:articles_wireitem_take", args=[entry.pk]) not in html


# --- many arrivals at once: the same queue as one at a time ----------------------------------------


def arrivals(*items):
    return [incoming.arrival(item, filename=f"reuters/{n}.xml", fallback_guid="rain") for n, item in enumerate(items)]


def a_story_its_update_a_late_copy_and_its_kill():
    first = agency_item()
    second = version_of(first, version=2, headline="Storm floods the coast road")
    kill = version_of(first, version=3, pub_status="canceled", editorial_note="KILL: do not use")
    return first, second, version_of(first, headline="A late copy of the first version"), kill


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [1, 2, 3, 500])
def test_versions_and_a_kill_arriving_together_leave_the_queue_as_they_would_one_by_one(batch_size):
    outcomes = incoming.ingest_all(arrivals(*a_story_its_update_a_late_copy_and_its_kill()), batch_size=batch_size)
    assert [(o.action, o.reason) for o in outcomes] == [
        ("queued", ""),
        ("replaced", ""),
        ("ignored", "version 1 is not newer than the queued version 2"),
        ("killed", ""),
    ]
    entry = WireItem.objects.get()
    assert (entry.killed, entry.version, entry.headline, entry.kill_note) == (
        True,
        3,
        "Storm floods the coast road",
        "KILL: do not use",
    )
    assert [(v["version"], v["filename"], v["pub_status"]) for v in entry.history] == [
        (1, "reuters/0.xml", "usable"),
        (2, "reuters/1.xml", "usable"),
    ]
    assert incoming.earlier_item(entry).story.headline == "Rain returns to the coast"


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [1, 500])
def test_a_new_guid_naming_the_one_before_it_replaces_it_in_the_same_batch(batch_size):
    first = agency_item(version=None)
    second = version_of(first, guid="tag:reuters.com,2026:newsml_RAIN2", replaces=first.guid, second="Roads closed.")
    again = version_of(first, second="A copy of the first guid that arrives after its successor.")
    outcomes = incoming.ingest_all(arrivals(first, second, again), batch_size=batch_size)
    assert [o.action for o in outcomes] == ["queued", "replaced", "queued"]
    assert sorted(WireItem.objects.values_list("guid", flat=True)) == [first.guid, second.guid]
    assert WireItem.objects.get(guid=second.guid).history[0]["guid"] == first.guid


@pytest.mark.django_db
@pytest.mark.parametrize("new_items", [1, 50])
def test_a_batch_of_new_items_takes_one_query_to_read_and_one_to_write(django_assert_num_queries, new_items):
    items = [agency_item(guid=f"tag:reuters.com,2026:newsml_RAIN{n}") for n in range(new_items)]
    with django_assert_num_queries(2):
        incoming.ingest_all(arrivals(*items))
    assert WireItem.objects.count() == new_items


@pytest.mark.django_db
@pytest.mark.parametrize("updates", [1, 50])
def test_a_batch_of_updates_takes_one_query_to_read_and_one_to_write(django_assert_num_queries, updates):
    items = [agency_item(guid=f"tag:reuters.com,2026:newsml_RAIN{n}") for n in range(updates)]
    incoming.ingest_all(arrivals(*items))
    with django_assert_num_queries(2):
        incoming.ingest_all(arrivals(*(version_of(item, version=2, headline="Storm floods") for item in items)))
    assert set(WireItem.objects.values_list("version", "headline")) == {(2, "Storm floods")}
