"""A story's time reads the same in every machine-readable output: ISO 8601 in UTC with a trailing Z."""

import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import call_command

from articles.models import Correction
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

BEIRUT = timezone(timedelta(hours=3))


def json_ld(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    found = [json.loads(block) for block in blocks]
    return next(item for item in found if item.get("@type") == "NewsArticle")


def test_json_ld_and_ninjs_give_the_same_utc_times(client):
    article = make_article(
        primary_section=make_section(slug="world"),
        published_at=datetime(2025, 7, 25, 13, 0, 0, 250000, tzinfo=BEIRUT),
        updated_at=datetime(2025, 7, 25, 14, 30, tzinfo=BEIRUT),
    )
    Correction.objects.create(article=article, text="Fixed.", published_at=datetime(2025, 7, 25, 14, 0, tzinfo=BEIRUT))
    news = json_ld(client, article)
    item = client.get(f"/api/ninjs/{article.guid}").json()
    published, updated, corrected = "2025-07-25T10:00:00.250000Z", "2025-07-25T11:30:00Z", "2025-07-25T11:00:00Z"
    assert (news["datePublished"], news["dateModified"]) == (published, updated)
    assert (item["firstCreated"], item["versionCreated"]) == (published, updated)
    assert news["correction"][0]["datePublished"] == corrected
    assert any(d["role"].endswith(f":{corrected}") for d in item["descriptions"])


def test_a_fixture_built_with_a_local_time_writes_it_in_utc(tmp_path):
    source = tmp_path / "harbour.txt"
    source.write_text("Harbour reopens after the storm\n-\nShips came back on Friday.\n", encoding="utf-8")
    output = tmp_path / "fixture.json"
    call_command(
        "build_fixtures",
        str(source),
        "--output",
        str(output),
        "--published-at",
        "2025-07-25T13:00:00+03:00",
        stdout=io.StringIO(),
    )
    (story,) = [row["fields"] for row in json.loads(output.read_text()) if row["model"] == "articles.article"]
    assert (story["published_at"], story["updated_at"]) == ("2025-07-25T10:00:00Z", "2025-07-25T10:00:00Z")
