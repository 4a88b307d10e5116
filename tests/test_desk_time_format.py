"""Every time on the desk reads one way, "7 Dec 2026, 18:41": the story list, the history, the workflow
history, messages and the soft lock's notice."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.desk.timezone import local
from articles.models import StatusChange
from tests.factories import make_article, make_desk_user
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db

TWELVE_HOUR = re.compile(r"\d(?:\s|&nbsp;)?[ap]\.?m\.?", re.I)


def test_the_one_format():
    assert local(datetime(2026, 12, 7, 18, 41, tzinfo=ZoneInfo("UTC"))) == "7 Dec 2026, 18:41"


def test_the_list_the_history_and_the_lock_notice_agree(client, editor, settings):
    settings.TIME_ZONE = "Asia/Beirut"
    story = make_article(
        status="review", published_at=datetime(2031, 3, 4, 16, 5, tzinfo=ZoneInfo("UTC")), updated_at=None
    )
    # An editor publishes (schedules) it through the form: a revision, a workflow step and a message.
    response = client.post(change_url(story), form_data(client.get(change_url(story)), _publish="x"), follow=True)
    page = response.content.decode()
    scheduled = "4 Mar 2031, 18:05"  # 16:05 UTC on Beirut's clock
    assert f"is scheduled for {scheduled}" in page
    change = StatusChange.objects.get()
    assert f"In review → Published by Eddie, {local(change.at)}" in page

    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f"Scheduled for {scheduled}" in changelist  # the status column
    assert f'<td class="field-published_at nowrap">{scheduled}</td>' in changelist  # the admin's own column

    history = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    revision = Version.objects.get_for_object(story).get().revision
    assert local(revision.date_created) in history

    colleague = Client()
    colleague.force_login(make_desk_user("anna", "Editor"))
    notice = colleague.get(change_url(story)).content.decode()
    since = cache.get(f"desk:editing:{story.pk}")["since"]
    assert f"Being edited by Eddie since {local(since)}" in notice

    for html in (page, changelist, history, notice):
        assert not TWELVE_HOUR.search(re.sub(r"<[^>]+>", " ", html)), TWELVE_HOUR.search(html)
