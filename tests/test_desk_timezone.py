"""The desk reads and shows times in the editor's own time zone, from the cookie their browser sets."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRedirect
from tests.factories import make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture
def editor(client):
    client.force_login(make_staff())
    return client


def test_the_changelist_shows_scheduled_times_on_the_editors_clock(editor):
    make_article(headline="Budget day", published_at=datetime(2031, 3, 4, 6, 0, tzinfo=UTC))
    changelist = reverse("admin:articles_article_changelist")
    assert "Scheduled for 4 Mar 2031, 06:00" in editor.get(changelist).content.decode()
    editor.cookies["desk_tz"] = "Asia%2FTokyo"  # as the desk's script writes it
    html = editor.get(changelist).content.decode()
    assert "Scheduled for 4 Mar 2031, 15:00" in html
    assert "Times in Asia/Tokyo" in html


def test_the_changelist_shows_embargoes_on_the_editors_clock(editor):
    make_article(headline="Held report", embargo_until=datetime(2031, 3, 4, 22, 30, tzinfo=UTC))
    make_article(headline="Out already", embargo_until=datetime(2020, 1, 1, tzinfo=UTC))
    changelist = reverse("admin:articles_article_changelist")
    editor.cookies["desk_tz"] = "Asia%2FTokyo"
    html = editor.get(changelist).content.decode()
    assert "Embargoed until 5 Mar 2031, 07:30" in html  # 22:30 UTC is the next morning in Tokyo
    assert html.count("Embargoed until") == 1


def test_a_time_typed_on_the_desk_is_read_in_the_editors_zone(editor):
    story = make_article(status=Article.Status.DRAFT, published_at=None, primary_section=make_section())
    editor.cookies["desk_tz"] = "America/New_York"
    url = reverse("admin:articles_article_change", args=[story.pk])
    form = editor.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, (list, dict)) and name in form.fields
    }
    data.update(
        {
            "headline": story.headline,
            "slug": story.slug,
            "body": story.body,
            "primary_section": story.primary_section_id,
            "status": "draft",
            "published_at_0": "2031-03-04",
            "published_at_1": "06:00:00",
            "opened_version": story.version,
        }
    )
    for prefix in ("authorships", "mentions", "tagged_items", "related_links", "corrections"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    story.refresh_from_db()
    assert story.published_at == datetime(2031, 3, 4, 11, 0, tzinfo=UTC)  # 06:00 in New York


def test_readers_pages_and_unknown_zones_stay_on_the_sites_clock(editor):
    from django.test import Client

    article = make_article(published_at=datetime(2025, 7, 25, 23, 30, tzinfo=UTC))
    reader = Client()
    reader.cookies["desk_tz"] = "Asia/Tokyo"
    html = reader.get(article.get_absolute_url()).content.decode()
    assert 'datetime="2025-07-25T23:30:00+00:00"' in html
    editor.cookies["desk_tz"] = "Not/AZone"
    assert "Times in UTC" in editor.get(reverse("admin:index")).content.decode()


def test_a_story_keeps_the_readers_address_when_an_editor_in_another_zone_moves_it(client):
    # 02:00 UTC on 25 July is still 24 July in New York: the address must not follow the editor's clock.
    section = make_section(path="world", slug="world", name="World")
    published = datetime(2025, 7, 25, 2, 0, tzinfo=UTC)
    story = make_article(slug="old-slug", primary_section=section, published_at=published)
    readers_address = "/world/2025/07/25/old-slug/"
    assert story.get_absolute_url() == readers_address
    with timezone.override(ZoneInfo("America/New_York")):
        assert story.get_absolute_url() == readers_address
        story.slug = "new-slug"
        story.save()
    # The dated address readers know, and the short link, which follows the slug too.
    assert set(ArticleRedirect.objects.values_list("old_path", flat=True)) == {readers_address, "/articles/old-slug/"}
    response = client.get(readers_address)
    assert response.status_code == 301
    assert response["Location"] == "/world/2025/07/25/new-slug/"
