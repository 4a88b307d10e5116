"""Staff preview of unpublished stories, and permanent redirects when a published story moves."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, ArticleRedirect
from tests.factories import make_article, make_section, make_staff

pytestmark = pytest.mark.django_db


# Preview


def test_staff_preview_a_scheduled_story_at_its_would_be_address(client):
    scheduled = make_article(headline="Budget leaks early", published_at=timezone.now() + timedelta(hours=6))
    url = scheduled.get_absolute_url()
    assert client.get(url).status_code == 404  # readers: not yet
    client.force_login(make_staff())
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Budget leaks early" in html
    assert '<p class="preview-banner" role="status"><strong>Preview</strong> · Scheduled for' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_staff_preview_a_draft_by_its_preview_address(client):
    draft = make_article(headline="Draft on the desk", status=Article.Status.DRAFT, published_at=None)
    preview = f"/preview/{draft.guid}/"
    anonymous = client.get(preview)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(make_staff())
    html = client.get(preview).content.decode()
    assert "Draft on the desk" in html and "<strong>Preview</strong> · Draft" in html
    assert "Not yet published" in html


def test_staff_without_article_rights_cannot_preview(client):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(make_staff(username="clerk", is_superuser=False))
    assert client.get(f"/preview/{draft.guid}/").status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.page_cache
def test_a_preview_never_enters_the_page_cache(client):
    scheduled = make_article(headline="Embargoed scoop", published_at=timezone.now() + timedelta(hours=1))
    staff = client
    staff.force_login(make_staff())
    assert "Embargoed scoop" in staff.get(scheduled.get_absolute_url()).content.decode()
    staff.logout()
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_a_public_story_seen_by_staff_is_no_preview(client):
    article = make_article()
    client.force_login(make_staff())
    response = client.get(article.get_absolute_url())
    assert "preview-banner" not in response.content.decode() and "X-Robots-Tag" not in response


# Redirects


def test_changing_a_published_slug_leaves_a_permanent_redirect(client):
    article = make_article(slug="first-slug")
    old_url = article.get_absolute_url()
    article.slug = "better-slug"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_moving_a_story_to_another_section_twice_keeps_every_old_address_working(client):
    article = make_article(primary_section=make_section(slug="news"))
    first = article.get_absolute_url()
    article.primary_section = make_section(slug="world")
    article.save()
    second = article.get_absolute_url()
    article.primary_section = make_section(slug="politics")
    article.save()
    for old in (first, second):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == article.get_absolute_url()


def test_moving_back_to_an_old_address_needs_no_redirect(client):
    article = make_article(slug="original")
    original = article.get_absolute_url()
    article.slug = "detour"
    article.save()
    article.slug = "original"
    article.save()
    assert client.get(original).status_code == 200
    # The detour's address and its short link are kept; the story's own addresses are no redirects.
    assert sorted(ArticleRedirect.objects.values_list("old_path", flat=True)) == [
        "/articles/detour/",
        original.replace("original", "detour"),
    ]


def test_drafts_leave_no_redirects_and_withdrawn_stories_are_not_redirected_to(client):
    draft = make_article(status=Article.Status.DRAFT, slug="draft-one")
    draft.slug = "draft-two"
    draft.save()
    assert not ArticleRedirect.objects.exists()
    article = make_article(slug="to-withdraw")
    old = article.get_absolute_url()
    article.slug = "withdrawn-later"
    article.save()
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert client.get(old).status_code == 410  # not redirected to, and gone rather than never there


def test_the_short_link_follows_the_story_after_its_slug_changes(client):
    article = make_article(slug="first-slug")
    article.slug = "second-slug"
    article.save()
    article.slug = "third-slug"
    article.save()
    for slug in ("first-slug", "second-slug", "third-slug"):
        response = client.get(f"/articles/{slug}/")
        assert response.status_code == 301 and response["Location"] == article.get_absolute_url(), slug
    # A new story may take a slug given up: its short link is then its own.
    newcomer = make_article(slug="first-slug")
    assert client.get("/articles/first-slug/")["Location"] == newcomer.get_absolute_url()


def test_a_short_link_never_shows_what_readers_may_not_see(client):
    draft = make_article(slug="draft-slug", status=Article.Status.DRAFT)
    draft.slug = "draft-renamed"
    draft.save()
    assert client.get("/articles/draft-slug/").status_code == 404
    assert client.get("/articles/draft-renamed/").status_code == 404
    withdrawn = make_article(slug="to-go")
    withdrawn.slug = "gone-now"
    withdrawn.save()
    withdrawn.status = Article.Status.WITHDRAWN
    withdrawn.save()
    assert client.get("/articles/to-go/").status_code == 410
    assert client.get("/articles/gone-now/").status_code == 410
    assert client.get("/articles/never-was/").status_code == 404


def test_redirects_travel_in_the_dump(tmp_path):
    article = make_article(slug="before")
    article.slug = "after"
    article.save()
    dump = tmp_path / "dump.json"
    call_command(
        "dumpdata", "articles", "taggit", natural_foreign=True, natural_primary=True, output=str(dump), verbosity=0
    )
    ArticleRedirect.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    # The old address and the old short link.
    assert [r.article for r in ArticleRedirect.objects.all()] == [article, article]


# Corrections move the story's "Updated" time


def test_a_correction_moves_the_updated_time_readers_see(client):
    from articles.models import Correction

    article = make_article(published_at=timezone.now() - timedelta(hours=5))
    assert "Updated" not in client.get(article.get_absolute_url()).content.decode()
    fixed_at = (timezone.now() - timedelta(minutes=30)).replace(microsecond=0)
    Correction.objects.create(article=article, text="The minister's name was misspelt.", published_at=fixed_at)
    article.refresh_from_db()
    assert article.updated_at == fixed_at
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'Updated <time datetime="{timezone.localtime(fixed_at).isoformat()}">' in html
    # An older correction entered later does not move the time back.
    Correction.objects.create(article=article, text="Earlier fix.", published_at=fixed_at - timedelta(hours=1))
    article.refresh_from_db()
    assert article.updated_at == fixed_at


def test_view_on_site_in_the_desk_opens_the_preview_until_the_story_is_public(client):
    from django.urls import reverse

    client.force_login(make_staff())
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    public = make_article()
    change = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert f'href="/preview/{draft.guid}/"' in change
    change = client.get(reverse("admin:articles_article_change", args=[public.pk])).content.decode()
    assert f'href="{public.get_absolute_url()}"' in change


def test_a_correction_written_on_the_desk_moves_the_updated_time_and_its_revision_keeps_it(client):
    from django.urls import reverse
    from reversion.models import Version

    from articles.models import Correction
    from tests.factories import make_desk_user
    from tests.forms import change_url, form_data

    client.force_login(make_desk_user("eddie", "Editor"))
    article = make_article(published_at=timezone.now() - timedelta(hours=5))
    fixed_at = timezone.localtime() - timedelta(minutes=2)
    data = form_data(client.get(change_url(article)))
    data.update(
        {
            "corrections-TOTAL_FORMS": 1,
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version gave the wrong date.",
            "corrections-0-published_at_0": f"{fixed_at:%Y-%m-%d}",
            "corrections-0-published_at_1": f"{fixed_at:%H:%M:%S}",
        }
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.updated_at == fixed_at.replace(microsecond=0) == Correction.objects.get().published_at
    assert "Updated <time" in client.get(article.get_absolute_url()).content.decode()
    # The history records the time readers were shown, so restoring this revision keeps it.
    assert Version.objects.get_for_object(article).first().field_dict["updated_at"] == article.updated_at
    assert client.get(reverse("admin:articles_article_history", args=[article.pk])).status_code == 200
