"""The desk's home page: "My stories", "Awaiting review" for editors and "Scheduled", last changed first, each
with a link to the whole list; and the story list filtered by who created a story, sorted by last change."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk import dashboard
from articles.models import Article
from tests.factories import make_article, make_desk_user

pytestmark = pytest.mark.django_db

HOME = "admin:index"


def shelf(html, slug):
    """Return the headlines listed on one shelf of the desk home, in order."""
    found = re.search(rf'<section class="module desk-shelf" id="shelf-{slug}".*?</section>', html, re.S)
    assert found, f"no shelf {slug}"
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', found.group(0)), found.group(0)


def touched(story, minutes_ago):
    """Give a story a last change some minutes ago, as saving it then would have."""
    Article.objects.filter(pk=story.pk).update(last_modified=timezone.now() - timedelta(minutes=minutes_ago))


def test_a_reporter_sees_her_stories_and_the_scheduled_ones_but_no_review_queue(client, rita):
    older = make_article(headline="Older draft", status="draft", published_at=None, created_by=rita)
    newer = make_article(headline="Newer draft", status="review", published_at=None, created_by=rita)
    make_article(headline="Someone else's", status="draft", published_at=None)
    make_article(headline="Going out tomorrow", published_at=timezone.now() + timedelta(days=1))
    touched(older, 30)
    touched(newer, 5)
    html = client.get(reverse(HOME)).content.decode()
    mine, section = shelf(html, "mine")
    assert mine == ["Newer draft", "Older draft"]
    assert reverse("admin:articles_article_change", args=[newer.pk]) in section and "In review" in section
    assert shelf(html, "scheduled")[0] == ["Going out tomorrow"]
    assert 'id="shelf-review"' not in html


def test_an_editor_sees_the_review_queue_last_changed_first(client, editor):
    first = make_article(headline="Filed first", status="review", published_at=None)
    second = make_article(headline="Filed second", status="review", published_at=None)
    touched(first, 2)
    touched(second, 60)
    make_article(headline="Out already", published_at=timezone.now() - timedelta(hours=1))
    html = client.get(reverse(HOME)).content.decode()
    assert shelf(html, "review")[0] == ["Filed first", "Filed second"]
    assert shelf(html, "scheduled")[0] == []
    assert "Nothing is scheduled." in html and "You have no stories yet." in html


def test_a_shelf_shows_a_handful_and_links_to_the_whole_filtered_list(client, editor):
    for n in range(dashboard.ROWS + 3):
        make_article(headline=f"Queued {n}", status="review", published_at=None)
    html = client.get(reverse(HOME)).content.decode()
    rows, section = shelf(html, "review")
    assert len(rows) == dashboard.ROWS
    more = re.search(r'<p class="desk-shelf-more"><a href="([^"]+)"', section).group(1).replace("&amp;", "&")
    listed = client.get(more).content.decode()
    assert listed.count('class="field-headline"') == dashboard.ROWS + 3


def test_the_home_page_costs_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    for n in range(3):
        make_article(headline=f"Mine {n}", status="draft", published_at=None, created_by=editor)
        make_article(headline=f"Review {n}", status="review", published_at=None)
        make_article(headline=f"Later {n}", published_at=timezone.now() + timedelta(days=n + 1))
    client.get(reverse(HOME))  # the session and permission caches warm up as on any page after the first
    # Seven for the page and its shelves, one for the background queue's notice.
    with django_assert_num_queries(9):
        response = client.get(reverse(HOME))
    assert len(shelf(response.content.decode(), "scheduled")[0]) == 3


def test_the_story_list_filters_by_creator_and_sorts_by_last_change(client, rita):
    older = make_article(headline="Rita's older", status="draft", published_at=None, created_by=rita)
    make_article(headline="Rita's newer", status="draft", published_at=None, created_by=rita)
    make_article(
        headline="Not Rita's", status="draft", published_at=None, created_by=make_desk_user("rob", "Reporter")
    )
    make_article(headline="Published long ago", published_at=timezone.now() - timedelta(days=300), created_by=rita)
    touched(older, 90)
    changelist = reverse("admin:articles_article_changelist")
    html = client.get(changelist).content.decode()
    assert "By created by" in html and '?created_by=me"' in html  # the filter and its "Me" choice
    assert "Last modified" in html  # a column to sort by
    listed = client.get(changelist, {"created_by": "me"}).content.decode()
    assert "Not Rita" not in listed and "Rita&#x27;s older" in listed
    # The home page's link: her stories, last changed first, drafts not buried under what was published.
    more = re.search(
        r'<p class="desk-shelf-more"><a href="([^"]+)"', shelf(client.get(reverse(HOME)).content.decode(), "mine")[1]
    )
    listed = client.get(more.group(1).replace("&amp;", "&")).content.decode()
    headlines = re.findall(r'class="field-headline"><a href="[^"]+">([^<]+)</a>', listed)
    assert headlines == ["Published long ago", "Rita&#x27;s newer", "Rita&#x27;s older"]
