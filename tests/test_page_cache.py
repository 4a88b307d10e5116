"""The anonymous page cache: fast for readers, never stale after a write, never shared with staff."""

import os
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Correction
from articles.platform import cache as page_cache
from articles.platform import redis_version
from tests.conftest import SEED_FIXTURE
from tests.factories import make_article, make_section, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


def test_a_second_anonymous_visit_is_served_without_touching_the_database(client, django_assert_num_queries):
    article = make_article(headline="Cached story")
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content and "Cached story" in second.content.decode()
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_head_requests_get_the_cached_pages_validators(client):
    article = make_article(headline="Checked by a crawler")
    first = client.head(article.get_absolute_url())
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate" and first["ETag"]
    second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit" and second["ETag"] == first["ETag"]
    assert "Checked by a crawler" in second.content.decode()
    assert client.head(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_publishing_correcting_and_withdrawing_show_at_once(client):
    section = make_section(slug="world")
    old = make_article(primary_section=section, headline="Old story")
    assert "Old story" in client.get("/").content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"

    new = make_article(primary_section=section, headline="Fresh story")  # published now
    home = client.get("/")
    assert home["X-Page-Cache"] == "miss" and "Fresh story" in home.content.decode()

    client.get(old.get_absolute_url())
    Correction.objects.create(article=old, text="The date was wrong.")
    assert "The date was wrong." in client.get(old.get_absolute_url()).content.decode()

    new.status = Article.Status.WITHDRAWN
    new.save()
    assert "Fresh story" not in client.get("/").content.decode()
    assert client.get(new.get_absolute_url()).status_code == 404


def test_loading_a_fixture_invalidates_cached_pages(client):
    make_article(headline="Before the import")
    client.get("/")
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    assert "Syrian, Israeli officials" in client.get("/").content.decode()


def test_staff_and_logged_in_visitors_never_get_or_fill_the_cache(client):
    make_article(headline="Shared story")
    client.force_login(make_staff())
    response = client.get("/")
    assert "X-Page-Cache" not in response
    client.logout()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_posts_and_the_admin_are_not_cached(client):
    assert "X-Page-Cache" not in client.get("/admin/login/")
    assert "X-Page-Cache" not in client.post("/search/", {"q": "x"})


def test_a_scheduled_story_limits_how_long_pages_are_kept(client):
    make_article(headline="Now")
    make_article(headline="Later", published_at=timezone.now() + timedelta(seconds=90))
    with mock.patch.object(page_cache.cache, "set", wraps=page_cache.cache.set) as cache_set:
        client.get("/")
    page_sets = [c for c in cache_set.call_args_list if c.args[0].startswith("newsroom:page:")]
    assert len(page_sets) == 1 and 1 <= page_sets[0].args[2] <= 91


def test_conditional_get_answers_304_for_pages_and_feeds(client):
    article = make_article()
    response = client.get(article.get_absolute_url())
    etag = response["ETag"]
    # Browsers may keep the page but must revalidate, so a new story is never hidden behind it.
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    feed = client.get("/feeds/rss.xml")
    assert feed.status_code == 200 and feed["Last-Modified"]
    assert client.get("/feeds/rss.xml", HTTP_IF_MODIFIED_SINCE=feed["Last-Modified"]).status_code == 304
    assert client.get("/feeds/rss.xml", HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304


def test_cache_versions_survive_a_cache_restart(monkeypatch):
    page_cache.bump_content_version()
    before = page_cache.content_version()
    page_cache.cache.clear()  # Redis restarted, keys gone
    time.sleep(0.002)  # versions count microseconds; a restart never happens within the same one
    # A process following the version's channel reads the key itself at least once a second; here, at once.
    monkeypatch.setattr(redis_version, "RECHECK_SECONDS", 0)
    after = page_cache.content_version()
    # In Redis a lost version restarts above every old one; the file-kept version is not lost at all.
    assert after > before if page_cache._shared_cache() else after == before


def test_worker_processes_without_a_shared_cache_see_each_others_writes(tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO

    if page_cache._shared_cache():
        pytest.skip("with Redis the version lives in the cache; this is the one-machine, no-Redis path")
    before = page_cache.content_version()
    version_file = page_cache._version_file()
    # Another process (another gunicorn worker) bumps the version...
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsroom.settings'; django.setup();"
        "from articles.platform.cache import bump_content_version; bump_content_version()"
    )
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DJANGO_CONTENT_VERSION_FILE"] = str(version_file)
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, timeout=60)
    # ...and this one sees it at once.
    assert page_cache.content_version() > before


def test_bodies_written_in_pieces_are_sent_as_one(client):
    make_article()
    for expected in ("miss", "hit"):
        response = client.get("/feeds/rss.xml")
        assert response["X-Page-Cache"] == expected
        # What a WSGI server gets by iterating the response: one piece means one write.
        assert len(list(response)) == 1
        assert response.content.startswith(b"<?xml")


def test_after_redis_loses_the_content_version_a_write_starts_a_larger_one():
    if not page_cache._shared_cache():
        pytest.skip("the one-machine path keeps the version in a file; this is Redis's")
    before = page_cache.content_version()
    # What a Redis restart without persistence does: the key is gone.
    page_cache._version_store().lose()
    page_cache.bump_content_version()
    after = page_cache.content_version()
    assert after > before, "a version used before would bring back pages cached under it"
