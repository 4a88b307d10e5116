"""Revisions: every desk save is kept with who and why, can be compared, restored, and recovered."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Authorship, Correction, Mention, RelatedLink, TaggedArticle
from tests.conftest import SEED_FIXTURE
from tests.factories import add_author, add_link, add_mention, make_article
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db


def save(client, article, **changes):
    response = client.post(change_url(article), form_data(client.get(change_url(article)), **changes))
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_every_desk_save_is_a_revision_with_the_user_and_the_move(client, editor):
    article = make_article(status="review", published_at=None)
    save(client, article, body="<p>Checked.</p>", _publish="Publish")
    revision = Version.objects.get_for_object(article).get().revision
    assert revision.user == editor
    assert revision.get_comment() == "Published. Changed Body."
    save(client, article, dek="A plain edit.")
    assert Version.objects.get_for_object(article).first().revision.get_comment() == "Changed Standfirst."


def test_history_compares_a_revision_with_the_story_now(client, editor):
    article = make_article(headline="First headline", body="<p>Kept.</p>\n<p>Old line.</p>")
    save(client, article, headline="First headline")
    save(client, article, headline="Second headline", body="<p>Kept.</p>\n<p>New line.</p>")
    first = Version.objects.get_for_object(article).last()
    history = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    compare_url = reverse("admin:articles_article_compare", args=[article.pk, first.pk])
    assert f'href="{compare_url}"' in history
    html = client.get(compare_url).content.decode()
    assert "<td>First headline</td>" in html and "<td>Second headline</td>" in html
    assert "<del>&lt;p&gt;Old line.&lt;/p&gt;</del>" in html and "<ins>&lt;p&gt;New line.&lt;/p&gt;</ins>" in html
    assert '<li class="diff-same">&lt;p&gt;Kept.&lt;/p&gt;</li>' in html


def test_restoring_a_revision_brings_back_the_text_and_keeps_the_workflow_state(client, editor):
    article = make_article(headline="The original", status="review", published_at=None)
    save(client, article)  # revision at version 2, in review
    first = Version.objects.get_for_object(article).get()
    save(client, article, headline="A worse headline", _publish="Publish")  # version 3, published
    revert_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = client.get(revert_url)
    assert page.status_code == 200 and "The original" in page.content.decode()
    assert Article.objects.get().headline == "A worse headline"  # looking changes nothing
    response = client.post(revert_url, form_data(page))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "The original"
    assert (article.status, article.version) == ("published", 4)


def test_restoring_an_earlier_revision_keeps_the_corrections_readers_have_seen(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(headline="The original")
    save(client, article)
    first = Version.objects.get_for_object(article).get()
    fixed_at = timezone.now() - timedelta(minutes=5)
    Correction.objects.create(article=article, text="The minister's name was misspelt.", published_at=fixed_at)
    save(client, article, headline="A worse headline")
    revert_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = client.get(revert_url)
    assert "The minister&#x27;s name was misspelt." in page.content.decode()
    assert client.post(revert_url, form_data(page)).status_code == 302
    article.refresh_from_db()
    assert article.headline == "The original"
    assert list(article.corrections.values_list("text", flat=True)) == ["The minister's name was misspelt."]
    # Not wound back to "never updated" (the desk's form keeps times to the second).
    assert article.updated_at == fixed_at.replace(microsecond=0)
    assert "name was misspelt." in client.get(article.get_absolute_url()).content.decode()  # readers still see it


def test_a_deleted_story_is_recovered_with_all_its_parts(client, editor):
    article = make_article(headline="Gone and back")
    add_author(article)
    add_mention(article, title="Foreign Minister")
    article.tags.add("Damascus")
    add_link(article)
    Correction.objects.create(article=article, text="An earlier version misspelled a name.")
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.exists() and not Mention.objects.exists()

    recover_list = client.get(reverse("admin:articles_article_recoverlist")).content.decode()
    assert "Gone and back" in recover_list
    deleted = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    response = client.post(recover_url, form_data(client.get(recover_url)))
    assert response.status_code == 302
    article = Article.objects.get(headline="Gone and back")
    assert Authorship.objects.filter(article=article).count() == 1
    assert Mention.objects.get(article=article).title == "Foreign Minister"
    assert list(article.tags.names()) == ["Damascus"] and TaggedArticle.objects.count() == 1
    assert RelatedLink.objects.get(article=article).url == "https://example.org/"
    assert Correction.objects.get(article=article).text == "An earlier version misspelled a name."


def test_loaddata_still_loads_the_seed_and_makes_no_revisions(db):
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    assert Article.objects.count() == 1 and not Version.objects.exists()


def test_a_dump_from_another_desk_loads_without_its_accounts(client, editor, tmp_path):
    make_article(headline="Written on another desk", created_by=editor)
    out = io.StringIO()
    call_command("dumpdata", "articles", "taggit", natural_foreign=True, natural_primary=True, stdout=out)
    rows = json.loads(out.getvalue())
    story = next(row for row in rows if row["model"] == "articles.article")
    assert story["fields"]["created_by"] == ["eddie"]
    story["fields"]["created_by"] = ["someone-only-there"]
    Article.objects.all().delete()
    path = tmp_path / "elsewhere.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    call_command("loaddata", str(path), verbosity=0)
    loaded = Article.objects.get()
    assert loaded.headline == "Written on another desk" and loaded.created_by is None
