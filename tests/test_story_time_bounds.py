"""Story times stay within the years of articles.core.limits: the desk says so, the database refuses."""

import contextlib
import datetime
import importlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from articles.core.limits import EARLIEST, EARLIEST_YEAR, LATEST, LATEST_YEAR
from articles.models import Article, Correction
from tests.factories import make_article, make_desk_user, make_section
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OUT_OF_RANGE = f"Choose a time between the years {EARLIEST_YEAR} and {LATEST_YEAR}."


def field_errors(response, name):
    """Return the errors the change form shows under one field of the story."""
    form = response.context["adminform"].form
    return form.errors.get(name, [])


@pytest.mark.parametrize("year", ["9999", "0001", "1899", "2100"])
def test_a_reporters_draft_dated_outside_the_bounds_is_refused_under_the_field(client, year):
    client.force_login(make_desk_user("rita", "Reporter"))
    add_url = reverse("admin:articles_article_add")
    data = form_data(
        client.get(add_url),
        headline="Far away",
        slug="far-away",
        primary_section=make_section().pk,
        published_at_0=f"{year}-12-31",
        published_at_1="00:00:00",
    )
    response = client.post(add_url, data)
    assert response.status_code == 200
    assert field_errors(response, "published_at") == [OUT_OF_RANGE]
    assert OUT_OF_RANGE in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("name", ["published_at", "updated_at", "embargo_until"])
def test_an_editor_cannot_date_a_story_in_year_9999_either(client, editor, name):
    story = make_article()
    data = form_data(client.get(change_url(story)), **{f"{name}_0": "9999-12-31", f"{name}_1": "12:00:00"})
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert field_errors(response, name) == [OUT_OF_RANGE]
    story.refresh_from_db()
    assert story.version == 1


def test_times_at_the_edges_of_the_bounds_are_accepted(client, editor):
    story = make_article()
    data = form_data(
        client.get(change_url(story)),
        published_at_0=f"{EARLIEST_YEAR}-01-01",
        published_at_1="00:00:00",
        embargo_until_0=f"{LATEST_YEAR}-12-31",
        embargo_until_1="23:59:59",
    )
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert (story.published_at.year, story.embargo_until.year) == (EARLIEST_YEAR, LATEST_YEAR)


def test_a_correction_dated_year_1_is_refused_under_its_field(client, editor):
    story = make_article()
    data = form_data(client.get(change_url(story)))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-INITIAL_FORMS": "0",
            "corrections-0-kind": "correction",
            "corrections-0-text": "Backdated.",
            "corrections-0-published_at_0": "0001-01-01",
            "corrections-0-published_at_1": "00:00:00",
        }
    )
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "corrections")
    assert formset.formset.errors[0]["published_at"] == [OUT_OF_RANGE]
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "field", ["published_at", "updated_at", "embargo_until"], ids=["published", "updated", "embargo"]
)
def test_the_database_refuses_a_story_time_out_of_bounds(field):
    story = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(**{field: datetime.datetime(9999, 12, 31, tzinfo=UTC)})


def test_the_database_refuses_a_correction_dated_year_1():
    story = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.create(article=story, text="Old.", published_at=datetime.datetime(1, 1, 1, tzinfo=UTC))


def test_a_fixture_cannot_load_a_story_dated_year_9999(tmp_path, seed):
    dump = io.StringIO()
    call_command("dumpdata", "articles.section", "articles.article", natural_primary=True, stdout=dump)
    rows = json.loads(dump.getvalue())
    story = next(row for row in rows if row["model"] == "articles.article")
    story["fields"]["published_at"] = "9999-12-31T00:00:00Z"
    out = tmp_path / "far.json"
    out.write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises((IntegrityError, CommandError)):
        call_command("loaddata", str(out), verbosity=0)
    assert Article.objects.get().published_at.year == 2025


BOUNDS_CONSTRAINTS = [
    ("articles_article", "article_published_at_in_range"),
    ("articles_article", "article_updated_at_in_range"),
    ("articles_article", "article_embargo_until_in_range"),
    ("articles_correction", "correction_published_at_in_range"),
]


@contextlib.contextmanager
def without_time_bounds():
    """Let rows out of bounds in, as a database written before the bounds existed may hold them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL alters no table with checks pending
            for table, constraint in BOUNDS_CONSTRAINTS:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            yield


@pytest.mark.parametrize("year", [9999, 1])
def test_the_story_list_opens_with_a_story_dated_far_outside_the_bounds(client, editor, year):
    make_article(headline="A normal story")
    far = make_article(headline="A story from far away")
    with without_time_bounds():
        Article.objects.filter(pk=far.pk).update(published_at=datetime.datetime(year, 12, 31, 12, tzinfo=UTC))
    changelist = reverse("admin:articles_article_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A normal story" in html and "A story from far away" in html
    assert f"?published_at__year={timezone.now().year}" in html and f"published_at__year={year}" not in html


@pytest.mark.parametrize("year", ["9999", "10000", "1", "x"])
def test_a_drill_down_address_for_a_year_out_of_bounds_is_not_an_error(client, editor, year):
    make_article()
    response = client.get(reverse("admin:articles_article_changelist"), {"published_at__year": year})
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200


def test_the_story_list_of_a_lone_story_dated_year_9999_opens_on_a_clock_east_of_utc(client, editor):
    far = make_article(headline="Only this one")
    with without_time_bounds():
        Article.objects.filter(pk=far.pk).update(published_at=datetime.datetime(9999, 12, 31, tzinfo=UTC))
    client.cookies["desk_tz"] = "Asia%2FTokyo"
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_the_migration_moves_times_stored_before_the_bounds_to_the_nearer_bound():
    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0010_date_bounds")
    far, old = datetime.datetime(9999, 12, 31, tzinfo=UTC), datetime.datetime(1, 1, 1, tzinfo=UTC)
    story = make_article(headline="Dated by a slip")
    fine = make_article(headline="Dated well")
    with without_time_bounds():
        Article.objects.filter(pk=story.pk).update(published_at=far, updated_at=far, embargo_until=old)
        Correction.objects.create(article=story, text="Backdated.", published_at=old)
        migration.pull_times_into_bounds(apps, None)
    story.refresh_from_db()
    assert (story.published_at, story.updated_at, story.embargo_until) == (LATEST, LATEST, EARLIEST)
    assert story.corrections.get().published_at == EARLIEST
    assert Article.objects.get(pk=fine.pk).published_at == fine.published_at
