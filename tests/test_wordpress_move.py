"""Moving a WordPress site: build_fixtures on its export, loaddata, and the site as readers then find it."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticleRedirect, Image, Section
from tests.test_format_wxr import SITE

pytestmark = pytest.mark.django_db


def build(tmp_path, *flags):
    export = tmp_path / "gazette.xml"
    export.write_text(SITE, encoding="utf-8")
    fixture = tmp_path / "gazette.json"
    call_command("build_fixtures", str(export), "--output", str(fixture), *flags, stdout=None)
    return fixture


def test_a_moved_site_keeps_its_published_posts_sections_authors_pictures_and_old_addresses(tmp_path, client):
    call_command("loaddata", str(build(tmp_path, "--keep-source-status")), verbosity=0)

    fire = Article.objects.get(headline="Fire shuts the harbour")
    assert fire.status == Article.Status.PUBLISHED and fire.published_at.isoformat() == "2026-03-24T09:15:00+00:00"
    assert fire.primary_section.path == "news/port" and fire.primary_section.name == "Port"
    assert Section.objects.get(path="news").name == "News"
    assert [a.person.name for a in fire.authorships.all()] == ["Mary-Anne de Vries"]
    assert sorted(fire.tags.names()) >= ["Ferries", "Fire"]
    assert fire.lead_image.caption == "The depot seen from the air."
    # The other attachments are in the picture library with their words.
    assert Image.objects.filter(caption="Smoke over the depot on Tuesday.").exists()

    # A draft on the old site stays a draft here.
    bridge = Article.objects.get(guid__isnull=False, headline__icontains="bridge")
    assert bridge.status == Article.Status.DRAFT and bridge.primary_section.path == "news"

    # Readers following an old link land on the story.
    old = client.get("/2026/03/fire-shuts-the-harbour/")
    assert old.status_code == 301 and old["Location"] == fire.get_absolute_url()
    assert client.get(old["Location"]).status_code == 200
    assert ArticleRedirect.objects.get(article=fire).old_path == "/2026/03/fire-shuts-the-harbour/"


def test_without_the_flag_every_post_loads_as_a_draft_and_old_addresses_wait_for_publication(tmp_path, client):
    call_command("loaddata", str(build(tmp_path)), verbosity=0)
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DRAFT}
    assert client.get("/2026/03/fire-shuts-the-harbour/").status_code == 404


def test_publishing_at_a_time_and_keeping_the_source_status_cannot_be_asked_together(tmp_path):
    with pytest.raises(CommandError, match="--published-at and --keep-source-status"):
        build(tmp_path, "--keep-source-status", "--published-at", "2026-01-01T00:00:00Z")


def test_the_fixture_names_the_sections_and_the_redirect_by_natural_keys(tmp_path):
    rows = json.loads(build(tmp_path, "--keep-source-status").read_text(encoding="utf-8"))
    redirect = next(row for row in rows if row["model"] == "articles.articleredirect")
    story = next(
        row for row in rows if row["model"] == "articles.article" and row["fields"]["headline"].startswith("Fire")
    )
    assert redirect["fields"]["article"] == [story["fields"]["guid"]]
    assert story["fields"]["primary_section"] == ["news/port"]
