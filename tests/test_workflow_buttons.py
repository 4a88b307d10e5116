"""The story form offers only the moves the user may make, as buttons; every other move is refused in words."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk import publishing
from articles.models import Article, StatusChange
from tests.factories import make_article, make_desk_user
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db


def buttons(response):
    """Return the workflow buttons of a change form as {name: label}."""
    html = response.content.decode()
    return {
        name: label
        for label, name in re.findall(
            r'<input type="submit" value="([^"]*)" name="(_\w+)" class="workflow-button"', html
        )
    }


def press(client, article, button, **changes):
    return client.post(change_url(article), form_data(client.get(change_url(article)), **{button: "x"}, **changes))


@pytest.mark.parametrize(
    ("status", "published_at", "offered"),
    [
        ("draft", None, {"_submit_review": "Submit for review", "_publish": "Publish"}),
        ("review", None, {"_back_to_draft": "Send back to draft", "_publish": "Publish"}),
        ("published", timedelta(days=-1), {"_withdraw": "Withdraw"}),
        ("withdrawn", timedelta(days=-1), {"_back_to_draft": "Send back to draft"}),
    ],
)
def test_an_editor_is_offered_each_move_from_where_the_story_is(client, editor, status, published_at, offered):
    when = timezone.now() + published_at if published_at is not None else None
    story = make_article(status=status, published_at=when)
    assert buttons(client.get(change_url(story))) == offered


def test_a_saved_future_time_makes_the_publish_button_say_schedule(client, editor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    story = make_article(status="review", published_at=datetime(2040, 7, 25, 6, tzinfo=ZoneInfo("Europe/Paris")))
    response = client.get(change_url(story))
    assert buttons(response)["_publish"] == "Schedule for 25 Jul 2040, 06:00"
    html = response.content.decode()
    # What the browser's script needs to relabel the button as the time is edited.
    assert 'data-publish-label="Publish"' in html and 'data-schedule-label="Schedule for %(when)s"' in html
    assert 'data-when-format="j M Y, H:i"' in html and "js/desk-workflow" in html


def test_a_reporter_sees_no_status_dropdown_and_only_her_moves(client, rita):
    draft = make_article(status="draft", published_at=None, created_by=rita)
    response = client.get(change_url(draft))
    html = response.content.decode()
    assert buttons(response) == {"_submit_review": "Submit for review"}
    assert '<select name="status"' not in html and '<input type="hidden" name="status" value="draft"' in html
    assert buttons(client.get(reverse("admin:articles_article_add"))) == {"_submit_review": "Submit for review"}


def test_editors_get_buttons_not_a_dropdown_either(client, editor):
    html = client.get(change_url(make_article(status="draft", published_at=None))).content.decode()
    assert '<select name="status"' not in html


def test_a_plain_save_keeps_the_status(client, editor):
    story = make_article(status="review", published_at=None)
    response = client.post(change_url(story), form_data(client.get(change_url(story)), headline="New words"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.status, story.headline) == ("review", "New words")
    assert not StatusChange.objects.exists()


def test_the_author_pulls_her_story_back_from_review_and_edits_it_again(client, rita):
    story = make_article(status="draft", published_at=None, created_by=rita)
    assert press(client, story, "_submit_review").status_code == 302
    story.refresh_from_db()
    assert story.status == "review"
    page = client.get(change_url(story))
    assert buttons(page) == {"_back_to_draft": "Send back to draft"}  # the form is read-only; the button is not
    response = client.post(change_url(story), form_data(page, _back_to_draft="Send back to draft"), follow=True)
    assert "is now draft" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "draft" and story.version == 3
    moves = list(StatusChange.objects.values_list("from_status", "to_status", "user__username"))
    assert moves == [("draft", "review", "rita"), ("review", "draft", "rita")]
    assert buttons(client.get(change_url(story))) == {"_submit_review": "Submit for review"}


def test_a_reporter_cannot_pull_back_a_colleagues_story(client, rita):
    story = make_article(status="review", published_at=None, created_by=make_desk_user("rob", "Reporter"))
    assert buttons(client.get(change_url(story))) == {}
    response = client.post(change_url(story), {"_back_to_draft": "x"}, follow=True)
    assert "reporters edit only their own drafts" in response.content.decode()
    assert Article.objects.get().status == "review"


@pytest.mark.parametrize(
    ("status", "button", "refusal"),
    [
        ("draft", "_publish", "Only an editor can publish"),
        ("draft", "_withdraw", "cannot go from “Draft” to “Withdrawn”"),
        ("review", "_publish", "reporters edit only their own drafts"),
        ("published", "_withdraw", "reporters edit only their own drafts"),
        ("withdrawn", "_back_to_draft", "Only an editor can publish"),
    ],
)
def test_crafted_posts_a_reporter_is_not_offered_are_refused_in_words(client, rita, status, button, refusal):
    when = None if status in {"draft", "review"} else timezone.now() - timedelta(days=1)
    story = make_article(status=status, published_at=when, created_by=rita)
    response = client.post(change_url(story), {**form_data(client.get(change_url(story))), button: "x"}, follow=True)
    assert response.status_code == 200 and refusal in response.content.decode()
    story.refresh_from_db()
    assert story.status == status and not StatusChange.objects.exists()


def test_the_server_schedules_by_the_time_sent_whatever_the_button_said(client, editor):
    story = make_article(status="review", published_at=None)
    ahead = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = press(
        client,
        story,
        "_publish",
        published_at_0=ahead.strftime("%Y-%m-%d"),
        published_at_1=ahead.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "published" and story.published_at == ahead
    assert "is scheduled for" in client.get(response.url).content.decode()
    assert not Article.objects.published().exists()


def test_the_rules_let_the_author_pull_back_only_her_own_story_in_review():
    rita, rob = make_desk_user("rita", "Reporter"), make_desk_user("rob", "Reporter")
    review = make_article(status="review", published_at=None, created_by=rita)
    assert publishing.refusals(article=review, to_status="draft", user=rita) == []
    assert publishing.refusals(article=review, to_status="draft", user=rob)
    assert publishing.refusals(article=review, to_status="published", user=rita)
    assert [name for name, _ in publishing.available_moves(rita, review)] == ["_back_to_draft"]
    assert publishing.available_moves(rob, review) == []
