"""Draft → in review → published → withdrawn, by buttons on the form and by bulk actions, each move recorded."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk import publishing
from articles.models import Article, StatusChange
from tests.factories import make_article, make_desk_user, make_image
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db


def press(client, article, button, **changes):
    """Open the story's form, change some fields, and press one of its buttons."""
    return client.post(change_url(article), form_data(client.get(change_url(article)), **{button: "x"}, **changes))


def test_the_form_offers_the_moves_the_user_may_make(client, editor):
    review = make_article(status="review", published_at=None)
    html = client.get(change_url(review)).content.decode()
    assert 'value="Publish" name="_publish"' in html and 'value="Send back to draft" name="_back_to_draft"' in html
    assert 'name="_withdraw"' not in html
    client.force_login(make_desk_user("rita", "Reporter"))
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'value="Submit for review" name="_submit_review"' in html and 'name="_publish"' not in html


def test_publishing_from_review_records_who_and_when_and_publishes_now(client, editor):
    article = make_article(status="review", published_at=None)
    before = timezone.now()
    response = press(client, article, "_publish")
    assert response.status_code == 302 and response.url == change_url(article)
    article.refresh_from_db()
    assert article.status == "published" and before <= article.published_at <= timezone.now()
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.user) == ("review", "published", editor)
    page = client.get(response.url).content.decode()
    assert "is now published" in page
    assert "In review → Published by Eddie" in page


def test_publishing_with_problems_is_refused_and_lists_them(client, editor):
    article = make_article(status="review", published_at=None, body="", lead_image=make_image(alt_text=""))
    response = press(client, article, "_publish")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be published yet. It needs body text and alt text on the lead picture" in html
    article.refresh_from_db()
    assert (article.status, article.published_at, article.version) == ("review", None, 1)
    assert not StatusChange.objects.exists()


def test_a_story_without_a_headline_is_named_as_this_story_in_the_refusal(client, editor):
    article = make_article(status="review", published_at=None, lead_image=make_image(alt_text=""))
    response = press(client, article, "_publish", headline="", slug="", primary_section="", body="")
    html = response.content.decode()
    assert (
        "This story cannot be published yet. It needs a headline, a slug (the story&#x27;s address), a section,"
        in html
    )
    assert "body text and alt text on the lead picture" in html and "“”" not in html
    assert Article.objects.get().status == "review"


def test_publish_problems_names_everything_missing():
    article = Article(headline=" ", slug="", body="<p> </p>")
    expected = ["a headline", "a slug (the story's address)", "a section", "body text"]
    assert publishing.publish_problems(article) == expected


def test_a_future_time_schedules_the_story_in_the_desks_time_zone(client, editor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = make_article(status="review", published_at=None)
    response = press(client, article, "_publish", published_at_0="2040-07-25", published_at_1="06:00:00")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at == datetime(2040, 7, 25, 6, tzinfo=ZoneInfo("Europe/Paris"))
    assert "is scheduled for 25 Jul 2040, 06:00" in client.get(response.url).content.decode()
    assert not Article.objects.published().exists()
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled for 25 Jul 2040, 06:00" in changelist  # 04:00 UTC, shown in Paris time


def test_withdraw_and_back_to_draft(client, editor):
    article = make_article()
    assert press(client, article, "_withdraw").status_code == 302
    assert press(client, Article.objects.get(), "_back_to_draft").status_code == 302
    moves = list(StatusChange.objects.values_list("from_status", "to_status"))
    assert moves == [("published", "withdrawn"), ("withdrawn", "draft")]


def test_a_move_outside_the_workflow_is_refused(client, editor):
    article = make_article()
    response = client.post(change_url(article), form_data(client.get(change_url(article)), status="review"))
    assert "cannot go from “Published” to “In review”" in response.content.decode()
    assert Article.objects.get().status == "published"


def test_bulk_publish_moves_every_story_and_records_each(client, editor):
    first, second = (make_article(status="review", published_at=None) for _ in range(2))
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [first.pk, second.pk], "index": 0},
        follow=True,
    )
    assert "is now published" in response.content.decode()
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
    assert StatusChange.objects.filter(to_status="published", user=editor).count() == 2
    assert set(Article.objects.values_list("version", flat=True)) == {2}


def test_bulk_publish_with_one_bad_story_changes_nothing(client, editor):
    good = make_article(status="review", published_at=None)
    bad = make_article(headline="No words", status="review", published_at=None, body="")
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [good.pk, bad.pk], "index": 0},
        follow=True,
    )
    html = response.content.decode()
    assert "“No words” cannot be published yet. It needs body text." in html and "Nothing was changed." in html
    assert set(Article.objects.values_list("status", flat=True)) == {"review"}
    assert not StatusChange.objects.exists()


def test_moves_by_reporters_and_editors_follow_the_table():
    reporter = make_desk_user("rita", "Reporter")
    editor = make_desk_user("eddie", "Editor")
    draft = make_article(status="draft", published_at=None, created_by=reporter)
    assert publishing.refusals(article=draft, to_status="review", user=reporter) == []
    assert publishing.refusals(article=draft, to_status="published", user=reporter)
    assert publishing.refusals(article=draft, to_status="published", user=editor) == []
    assert publishing.refusals(article=draft, to_status="withdrawn", user=editor)
    publishing.move_many(articles=[draft], to_status="review", user=reporter)
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("review", 2)
    assert timezone.now() - StatusChange.objects.get().at < timedelta(minutes=1)
