"""Stories and lists are kept in the cache between visits, and every change shows on the next request."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.desk import publishing
from articles.models import Article, Correction, RelatedLink, Section
from tests.factories import add_author, add_link, make_article, make_person, make_section, make_staff

pytestmark = pytest.mark.django_db


def _page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_to_a_story_reads_only_the_story(client, django_assert_num_queries):
    article = make_article()
    add_author(article)
    article.tags.add("Cairo")
    first = _page(client, article)
    with django_assert_num_queries(1):  # the story itself: is it still public, has it changed?
        assert _page(client, article) == first


def test_a_correction_shows_on_the_next_request(client):
    article = make_article()
    _page(client, article)
    Correction.objects.create(article=article, text="An earlier version misspelt the minister's name.")
    assert "An earlier version misspelt the minister's name." in _page(client, article)


def test_an_edit_to_the_story_shows_on_the_next_request(client):
    article = make_article(body="<p>First draft of the body.</p>")
    assert "First draft of the body." in _page(client, article)
    article.body = "<p>The body as corrected.</p>"
    article.save()
    html = _page(client, article)
    assert "The body as corrected." in html and "First draft" not in html


def test_an_update_that_skips_model_signals_still_shows(client):
    article = make_article(body="<p>Before.</p>")
    _page(client, article)
    # A bulk update() sends no signal; the story's own version and modification time still move on.
    Article.objects.filter(pk=article.pk).update(
        body="<p>After.</p>", version=article.version + 1, last_modified=timezone.now()
    )
    assert "<p>After.</p>" in _page(client, article)


def test_renamed_people_and_sections_show_on_the_next_request(client):
    person = make_person(name="Jane Reporter", slug="jane")
    article = make_article(primary_section=make_section(name="World", slug="world"))
    add_author(article, person)
    assert ">Jane Reporter</a>" in _page(client, article)
    person.name = "Jane Q. Reporter"
    person.save()
    section = Section.objects.get(slug="world")
    section.name = "The World"
    section.save()
    html = _page(client, article)
    assert ">Jane Q. Reporter</a>" in html and '<a href="/world/">The World</a>' in html


def test_a_withdrawn_story_is_gone_on_the_next_request(client):
    article = make_article()
    _page(client, article)
    publishing.move_many(articles=[article], to_status=Article.Status.WITHDRAWN, user=make_staff())
    assert client.get(article.get_absolute_url()).status_code == 410  # Gone: see test_withdrawn_stories.py


def test_a_read_more_link_follows_its_story_once_it_is_due_with_no_write_in_between(client):
    article = make_article(body="<p>One.</p><p>Two.</p>")
    add_link(
        article,
        title="Ceasefire holds",
        url="/search/?q=Ceasefire+holds",
        kind=RelatedLink.Kind.READ_MORE,
        anchor_block=1,
    )
    due = timezone.now() + timedelta(seconds=2)
    coming = make_article(headline="Ceasefire holds", published_at=due)
    assert '<a href="/search/?q=Ceasefire+holds">Ceasefire holds</a>' in _page(client, article)
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 1.1)
    assert f'<a href="{coming.get_absolute_url()}">Ceasefire holds</a>' in _page(client, article)


def test_a_new_story_heads_every_list_it_belongs_to_on_the_next_request(client):
    section = make_section(name="World", slug="world")
    make_article(primary_section=section, headline="Yesterday's news")
    pages = ("/", "/world/")
    for page in pages:
        client.get(page)
    fresh = make_article(primary_section=section, headline="Breaking now")
    fresh.tags.add("Cairo")
    for page in (*pages, "/tags/cairo/"):
        assert "Breaking now" in client.get(page).content.decode(), page


def test_a_scheduled_story_joins_the_lists_when_it_is_due_with_no_write_in_between(client):
    section = make_section(name="World", slug="world")
    make_article(primary_section=section)
    due = timezone.now() + timedelta(seconds=2)
    make_article(primary_section=section, headline="Scheduled story", published_at=due)
    assert "Scheduled story" not in client.get("/").content.decode()
    assert "Scheduled story" not in client.get("/world/").content.decode()
    # Kept lists last at most a second past the moment, as cached pages do (cache lifetimes are whole seconds).
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 1.1)
    assert "Scheduled story" in client.get("/").content.decode()
    assert "Scheduled story" in client.get("/world/").content.decode()
