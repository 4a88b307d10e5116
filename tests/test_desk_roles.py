"""Reporters write and submit their own drafts; editors edit, publish, withdraw and correct anything."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, Correction, RelatedLink, StatusChange
from tests.factories import make_article, make_desk_user, make_section
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(client):
    user = make_desk_user("rita", "Reporter")
    client.force_login(user)
    return user


def write_draft(client, section, headline="Rita's draft", slug="ritas-draft"):
    """Add a story through the admin as the logged-in user and return it."""
    page = client.get(reverse("admin:articles_article_add"))
    data = form_data(page, headline=headline, slug=slug, primary_section=section.pk, body="<p>Copy.</p>")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(slug=slug)


def perms(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_the_migration_creates_both_roles():
    reporter, editor = perms("Reporter"), perms("Editor")
    assert {"add_article", "change_article", "view_article", "add_mention", "add_tag", "view_section"} <= reporter
    assert not {"publish_article", "delete_article", "add_correction", "change_section"} & reporter
    assert {"publish_article", "delete_article", "add_correction", "change_correction", "change_section"} <= editor


def test_a_reporter_writes_a_draft_that_is_theirs(client, reporter):
    article = write_draft(client, make_section())
    assert article.created_by == reporter
    assert article.status == Article.Status.DRAFT
    # And may go on editing it.
    page = client.get(change_url(article))
    assert 'name="headline"' in page.content.decode()


@pytest.mark.parametrize(
    "how", [{"status": "published"}, {"_publish": "Publish"}], ids=["status-select", "publish-button"]
)
def test_a_reporter_cannot_publish_their_draft(client, reporter, how):
    article = write_draft(client, make_section())
    data = form_data(client.get(change_url(article)), headline="Changed on the way", **how)
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Only an editor can publish, schedule or withdraw a story" in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.headline, article.version) == ("draft", "Rita's draft", 1)
    assert not StatusChange.objects.exists()


def test_a_reporter_cannot_schedule_with_a_future_time_either(client, reporter):
    article = write_draft(client, make_section())
    data = form_data(
        client.get(change_url(article)), status="published", published_at_0="2040-01-01", published_at_1="06:00:00"
    )
    response = client.post(change_url(article), data)
    assert "Only an editor can publish" in response.content.decode()
    assert Article.objects.get().status == "draft"


def test_a_reporter_is_not_offered_publish_and_a_crafted_bulk_publish_is_refused(client, reporter):
    article = write_draft(client, make_section())
    changelist = reverse("admin:articles_article_changelist")
    html = client.get(changelist).content.decode()
    assert 'value="submit_for_review"' in html and 'value="publish"' not in html
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [article.pk], "index": 0}, follow=True
    )
    assert "Only an editor can publish, schedule or withdraw a story" in response.content.decode()
    assert "Nothing was changed." in response.content.decode()
    assert Article.objects.get().status == "draft"


def test_a_reporter_sees_someone_elses_story_read_only_and_cannot_post_to_it(client, reporter):
    article = make_article(headline="The editors scoop", status="draft", published_at=None)
    page = client.get(change_url(article))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The editors scoop" in html and 'name="headline"' not in html
    assert 'name="_publish"' not in html and 'name="_submit_review"' not in html
    data = {"headline": "Hijacked", "slug": article.slug, "status": "draft", "opened_version": 1}
    assert client.post(change_url(article), data).status_code == 403
    assert Article.objects.get().headline == "The editors scoop"


def test_a_reporter_cannot_move_someone_elses_story_with_a_bulk_action(client, reporter):
    article = make_article(headline="Not Rita's", status="draft", published_at=None)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_for_review", "_selected_action": [article.pk], "index": 0},
        follow=True,
    )
    assert "You may not change “Not Rita&#x27;s”" in response.content.decode()
    assert Article.objects.get().status == "draft"


def test_a_submitted_draft_is_read_only_for_its_reporter(client, reporter):
    article = write_draft(client, make_section())
    client.post(change_url(article), form_data(client.get(change_url(article)), _submit_review="Submit"))
    assert Article.objects.get().status == "review"
    assert 'name="body"' not in client.get(change_url(article)).content.decode()


def test_a_reporter_cannot_write_corrections_even_by_a_crafted_post(client, reporter):
    article = write_draft(client, make_section())
    page = client.get(change_url(article))
    assert 'name="corrections-0-text"' not in page.content.decode()
    data = form_data(page)
    data.update(
        {
            "corrections-TOTAL_FORMS": 1,
            "corrections-INITIAL_FORMS": 0,
            "corrections-0-kind": "correction",
            "corrections-0-text": "Planted.",
            "corrections-0-published_at_0": "2025-01-01",
            "corrections-0-published_at_1": "10:00:00",
        }
    )
    assert client.post(change_url(article), data).status_code == 302
    assert not Correction.objects.exists()
    assert client.get(reverse("admin:articles_correction_add")).status_code == 403


def test_a_reporter_changes_links_only_inside_their_own_drafts(client, reporter):
    other = make_article()
    link = RelatedLink.objects.create(article=other, position=0, title="Elsewhere", url="https://example.org/")
    assert client.get(reverse("admin:articles_relatedlink_add")).status_code == 403
    url = reverse("admin:articles_relatedlink_change", args=[link.pk])
    assert client.post(url, {"title": "Changed"}).status_code == 403


def test_an_editor_edits_and_publishes_a_reporters_story(client, django_user_model):
    section = make_section()
    reporter = make_desk_user("rita", "Reporter")
    client.force_login(reporter)
    article = write_draft(client, section)
    client.force_login(make_desk_user("eddie", "Editor"))
    data = form_data(client.get(change_url(article)), headline="Sharpened by the desk", _publish="Publish")
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.status, article.created_by) == ("Sharpened by the desk", "published", reporter)
