"""Query strings and addresses from the wild get a 4xx answer, never a server error."""

import pytest

from tests.factories import make_article, make_person, make_section

pytestmark = pytest.mark.django_db

HOSTILE_PATHS = [
    "/?page=-1",
    "/?page=abc",
    "/?page=0",
    "/?page=99999999999999999999999",
    "/?page=1.5",
    "/?page=%00",
    "/search/?q=" + "x" * 10_000,
    "/search/?q=%00%00union%20select",
    "/search/?q=%F0%9F%92%A5%E2%80%AE%D8%A7",
    "/search/?q=<script>alert(1)</script>",
    "/search/?q=a&page=-5",
    "/search/?q[]=a",
    "/people/%E2%80%AE%D8%A7%D9%84/",
    "/people/" + "a" * 5000 + "/",
    "/tags/%F0%9F%92%A5/",
    "/tags/%00/",
    "/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/",
    "/news/2025/13/45/slug/",
    "/news/0000/00/00/%E2%80%AE/",
    "/articles/%E2%80%AE/",
    "/" + "a/" * 300,
    "/static/../../etc/passwd",
    "/media/../../etc/passwd",
    "/admin/../../",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_request_is_answered_without_a_server_error(client, path):
    make_article(primary_section=make_section(slug="news"))
    make_person(slug="someone")
    response = client.get(path)
    assert response.status_code < 500, (path, response.status_code)


def test_page_out_of_range_is_a_404_in_the_house_style(client):
    make_article()
    response = client.get("/?page=-1")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_search_with_a_nul_byte_still_searches(client):
    make_article(headline="Harbour reopens")
    response = client.get("/search/", {"q": "Harbour\x00"})
    assert response.status_code == 200
    assert "<mark>Harbour</mark> reopens" in response.content.decode()
