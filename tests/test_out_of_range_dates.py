"""Addresses that carry a date outside the years a story can have are not found, never a server error."""

import pytest

from articles.core.limits import EARLIEST_YEAR, LATEST_YEAR
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

OUT_OF_RANGE_ARCHIVES = [
    "/archive/9999/12/",
    "/archive/9999/12/31/",
    "/archive/0001/01/",
    "/archive/0001/01/01/",
    f"/archive/{EARLIEST_YEAR - 1}/12/",
    f"/archive/{EARLIEST_YEAR - 1}/12/31/",
    f"/archive/{LATEST_YEAR + 1}/01/",
    f"/archive/{LATEST_YEAR + 1}/01/01/",
]

# Far from UTC on either side: converting the first or last day of Python's calendar overflows.
ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("path", OUT_OF_RANGE_ARCHIVES)
def test_archive_pages_outside_the_years_of_stories_are_not_found(client, settings, zone, path):
    settings.TIME_ZONE = zone
    make_article()
    response = client.get(path)
    assert response.status_code == 404, (path, zone)
    assert "We can’t find that page" in response.content.decode()


@pytest.mark.parametrize("zone", ZONES)
def test_archive_pages_at_the_edges_of_the_years_still_answer(client, settings, zone):
    settings.TIME_ZONE = zone
    for path in (
        f"/archive/{EARLIEST_YEAR}/01/",
        f"/archive/{EARLIEST_YEAR}/01/01/",
        f"/archive/{LATEST_YEAR}/12/",
        f"/archive/{LATEST_YEAR}/12/31/",
    ):
        assert client.get(path).status_code == 200, (path, zone)


@pytest.mark.parametrize(
    "path",
    [
        "/news/9999/12/31/a-story/",
        "/news/0001/01/01/a-story/",
        "/news/0000/00/00/a-story/",
        "/news/9999/12/31/story-at-the-end/",
        "/feeds/sections/news/rss.xml",
        "/sitemap-articles.xml?p=99999999999999999999",
        "/archive/?page=99999999999999999999",
    ],
)
@pytest.mark.parametrize("zone", ZONES)
def test_other_dated_addresses_never_fail(client, settings, zone, path):
    settings.TIME_ZONE = zone
    make_article(primary_section=make_section(slug="news"), slug="story-at-the-end")
    response = client.get(path)
    assert response.status_code < 500, (path, zone, response.status_code)
