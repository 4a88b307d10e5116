"""Side effects run as background tasks: queued with the change, retried with a growing pause, their
failures kept and shown on the desk, and a publish that never waits for a worker."""

import io
import re
import sys
import types
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage

import articles.platform
from articles.models import Article, Image
from articles.platform import tasks
from tests.factories import make_article, make_section, run_waiting_tasks
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db

HOME = "admin:index"
TASK_LIST = "admin:django_tasks_database_dbtaskresult_changelist"


class PurgeFailed(Exception):
    """The purge layer's error, as articles/platform/purge.py raises it."""


@pytest.fixture
def cdn(monkeypatch):
    """A purge layer with a CDN configured, recording the keys it was asked to purge (or failing, if told to)."""
    fake = types.ModuleType("articles.platform.purge")
    fake.PurgeFailed = PurgeFailed
    fake.purged, fake.failing = [], False
    fake.configured = True

    def purge_keys(keys):
        if fake.failing:
            raise PurgeFailed("the CDN answered 503")
        fake.purged.append(list(keys))

    fake.purge_keys = purge_keys
    fake.cdn_configured = lambda: fake.configured
    monkeypatch.setitem(sys.modules, "articles.platform.purge", fake)
    monkeypatch.setattr(articles.platform, "purge", fake, raising=False)
    return fake


@pytest.fixture
def no_pause(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "TASK_RETRY_SECONDS": 0, "TASK_ATTEMPTS": 3}


def test_a_purge_is_queued_with_the_change_and_gone_if_the_change_rolls_back(cdn):
    with transaction.atomic():
        tasks.purge_after_change(["section:2", "article:7", "article:7"])
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY" and queued.args_kwargs["args"] == [["article:7", "section:2"]]

    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.purge_after_change({"article:8"})
        raise RuntimeError("the save failed")
    assert DBTaskResult.objects.count() == 1  # the task went with the change

    assert run_waiting_tasks() == 1
    assert cdn.purged == [["article:7", "section:2"]]


def test_no_purge_is_queued_without_a_cdn(cdn):
    cdn.configured = False
    tasks.purge_after_change({"article:7"})
    assert not DBTaskResult.objects.exists()


def test_the_pause_before_another_attempt_doubles_up_to_a_cap(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "TASK_RETRY_SECONDS": 30, "TASK_RETRY_MAX_SECONDS": 200}
    assert [tasks.backoff(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 200, 200]


def test_a_failed_purge_is_tried_again_later(cdn):
    cdn.failing = True
    tasks.purge_after_change({"article:7"})
    before = timezone.now()
    run_waiting_tasks()
    first, second = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "FAILED" and first.exception_class_path == "articles.platform.tasks.WillRetry"
    assert "the CDN answered 503" in first.traceback
    assert second.status == "READY" and second.args_kwargs["kwargs"] == {"task_attempt": 2}
    # Not yet: the second attempt waits for its pause (30 s by default).
    assert before + timedelta(seconds=29) < second.run_after < timezone.now() + timedelta(seconds=31)
    assert run_waiting_tasks() == 0

    cdn.failing = False
    DBTaskResult.objects.filter(pk=second.pk).update(run_after=timezone.now())
    assert run_waiting_tasks() == 1
    assert cdn.purged == [["article:7"]]
    assert DBTaskResult.objects.get(pk=second.pk).status == "SUCCESSFUL"


def test_after_the_last_attempt_the_failure_stays_on_record_and_the_desk_shows_it(cdn, no_pause, client, editor):
    cdn.failing = True
    tasks.purge_after_change({"article:7"})
    assert run_waiting_tasks() == 3  # TASK_ATTEMPTS, and no more
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in results] == ["FAILED"] * 3 and not DBTaskResult.objects.ready().exists()
    assert results[-1].exception_class_path.endswith("PurgeFailed")

    home = client.get(reverse(HOME)).content.decode()
    link = re.search(r'<a href="([^"]+)">1 task failed in the last 7 days</a>', home)
    assert link and "waiting" not in re.search(r'<section class="module desk-queue".*?</section>', home, re.S)[0]
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert listed.count("PurgeFailed: the CDN answered 503") == 1  # the attempts that were retried are not listed
    assert "purge_pages" in listed
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[results[-1].pk]))
    assert "the CDN answered 503" in detail.content.decode() and 'name="_save"' not in detail.content.decode()


def test_only_editors_read_the_task_list(client, rita):
    assert client.get(reverse(TASK_LIST)).status_code == 403
    assert "Background work" not in client.get(reverse(HOME)).content.decode()


def test_editors_find_the_task_list_on_the_desk_index(client, editor):
    html = client.get(reverse(HOME)).content.decode()
    assert "Background work" in html and reverse(TASK_LIST) in html
    assert client.get(reverse(TASK_LIST)).status_code == 200


def jpeg(name, size):
    out = io.BytesIO()
    PILImage.new("RGB", size, "#4a6d8c").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_with_no_worker_a_publish_with_a_new_picture_succeeds_and_its_task_waits(client, editor):
    upload = client.post(
        "/admin/articles/image/chooser/upload/",
        {"picture-file": jpeg("harbour.jpg", (1600, 900)), "picture-alt_text": "Boats moored at dusk"},
    )
    assert upload.status_code == 201
    picture = Image.objects.get()
    story = make_article(
        headline="Harbour reopens", status="draft", published_at=None, primary_section=make_section(name="World")
    )
    page = client.get(change_url(story))
    response = client.post(change_url(story), form_data(page, lead_image=str(picture.pk), _publish="x"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "published" and Article.objects.published().filter(pk=story.pk).exists()

    waiting = DBTaskResult.objects.get()
    assert waiting.status == "READY" and waiting.task_path.endswith("make_picture_renditions")
    client.logout()
    html = client.get(story.get_absolute_url()).content.decode()
    assert re.search(rf'<img src="{picture.file.url}" alt="Boats moored at dusk" width="1600" height="900"', html)

    client.force_login(editor)
    home = client.get(reverse(HOME)).content.decode()
    assert "1 task waiting for the background worker" in home

    run_waiting_tasks()  # the worker comes back
    assert "task waiting" not in client.get(reverse(HOME)).content.decode()
    client.logout()
    assert "/renditions/" in client.get(story.get_absolute_url()).content.decode()


def test_the_notice_counts_in_the_plural(client, editor):
    for n in range(3):
        tasks.enqueue_with_change(tasks.purge_pages, [f"article:{n}"])
    assert "3 tasks waiting for the background worker" in client.get(reverse(HOME)).content.decode()


def test_a_publish_queues_the_cdn_purge_and_a_worker_makes_it(settings, no_pause, django_capture_on_commit_callbacks):
    from articles.platform import purge

    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "PURGE_ADAPTERS": [{"BACKEND": "articles.platform.purge.RecordingAdapter"}],
    }
    (cdn,) = purge.configured_adapters()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        story = make_article(headline="Harbour reopens", primary_section=make_section(name="World"))
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "articles.platform.tasks.purge_pages" and cdn.keys == []  # nothing yet: no worker

    cdn.fail = True  # the CDN is away: the purge is tried again, up to TASK_ATTEMPTS
    assert run_waiting_tasks() == 3
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3 and cdn.keys == []
    assert (
        DBTaskResult.objects.order_by("enqueued_at").last().exception_class_path
        == "articles.platform.purge.PurgeFailed"
    )

    cdn.fail = False
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        story.headline = "Harbour reopens after storms"
        story.save()
    assert run_waiting_tasks() == 1
    assert f"a{story.pk}" in cdn.keys
