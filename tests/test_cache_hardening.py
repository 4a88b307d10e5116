"""The page cache holds no other scheme's links and cannot be skipped cheaply; costly pages are rate-limited."""

import json
import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.urls import get_resolver

from articles.platform import cache as page_cache
from tests.conftest import REPO
from tests.factories import make_article, make_section, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

PROXY = "10.0.0.2"
PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.fixture
def behind_one_proxy(settings):
    """Run as operators configure a site behind one load balancer: DJANGO_TRUSTED_PROXY_HOPS=1."""
    settings.TRUSTED_PROXY_HOPS = 1
    settings.SECURE_PROXY_SSL_HEADER = PROXY_SSL_HEADER


@pytest.fixture
def client(client):
    """A test client that sends a Host header, as every browser does (else Django adds the port to the host)."""
    client.defaults["HTTP_HOST"] = "testserver"
    return client


def _settings_of(**env):
    """Return what the settings module makes of these environment variables, in a fresh process."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update(env)
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsroom.settings'; import django; django.setup();"
        "from django.conf import settings;"
        "import json; print(json.dumps([settings.SECURE_PROXY_SSL_HEADER, settings.TRUSTED_PROXY_HOPS]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=base, capture_output=True, text=True, timeout=120, check=True
    )
    header, hops = json.loads(result.stdout.strip().splitlines()[-1])
    return (tuple(header) if header else None), hops


SECRET = "x7$Kq9!vR2#mW4&pZ8*tB1^nY6@cF3%hJ5(dL0)sG9-aE2+uQ7=iO4"


def test_production_trusts_forwarded_headers_only_when_told_how_many_proxies_there_are():
    production = {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "news.example.org"}
    assert _settings_of(**production) == (None, 0)
    assert _settings_of(**production, DJANGO_TRUSTED_PROXY_HOPS="1") == (PROXY_SSL_HEADER, 1)
    assert _settings_of(DJANGO_TRUSTED_PROXY_HOPS="2") == (PROXY_SSL_HEADER, 2)


@pytest.mark.parametrize("header_trusted", [False, True])
def test_one_https_request_does_not_put_https_links_in_plain_readers_pages(client, settings, header_trusted):
    if header_trusted:
        # As production trusted X-Forwarded-Proto from anyone before: the scheme is still part of the key.
        settings.SECURE_PROXY_SSL_HEADER = PROXY_SSL_HEADER
    article = make_article(headline="Scheme story")
    forged = client.get(article.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 200
    plain = client.get(article.get_absolute_url())
    assert plain["X-Page-Cache"] == ("miss" if header_trusted else "hit")
    html = plain.content.decode()
    assert f'href="http://testserver{article.get_absolute_url()}"' in html
    assert "https://testserver" not in html


def test_behind_a_trusted_proxy_https_and_http_readers_get_their_own_pages(client, behind_one_proxy):
    article = make_article(headline="Scheme story")
    url = article.get_absolute_url()
    secure = client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert secure["X-Page-Cache"] == "miss" and f"https://testserver{url}" in secure.content.decode()
    plain = client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")
    assert plain["X-Page-Cache"] == "miss"
    assert f"http://testserver{url}" in plain.content.decode() and "https://testserver" not in plain.content.decode()
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")["X-Page-Cache"] == "hit"


def test_query_parameters_a_page_does_not_read_share_its_cached_page(client, django_assert_num_queries):
    make_article(headline="Tracked story")
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    for query in ("?utm_source=x", "?utm_source=y&fbclid=1", "?" + "junk=1&" * 400, "?PAGE=2"):
        with django_assert_num_queries(0):
            response = client.get("/" + query)
        assert response["X-Page-Cache"] == "hit", query
        assert response.content == first.content


def test_the_parameters_a_page_reads_still_choose_its_page(client):
    for n in range(25):
        make_article(headline=f"Story {n:02d}")
    assert client.get("/")["X-Page-Cache"] == "miss"
    second = client.get("/?page=2&utm_source=x")
    assert second["X-Page-Cache"] == "miss" and "Story 04" in second.content.decode()
    again = client.get("/?utm_campaign=y&page=2")
    assert again["X-Page-Cache"] == "hit" and again.content == second.content
    assert client.get("/?page=3").status_code == 404


def test_search_and_the_api_key_on_what_they_read(client):
    make_article(headline="Harbour reopens")
    make_article(headline="Airport closes")
    harbour = client.get("/search/?q=harbour")
    assert harbour["X-Page-Cache"] == "miss" and "reopens" in harbour.content.decode()
    assert client.get("/search/?q=harbour&ref=home")["X-Page-Cache"] == "hit"
    airport = client.get("/search/?ref=home&q=airport")
    assert airport["X-Page-Cache"] == "miss" and "closes" in airport.content.decode()
    assert client.get("/api/ninjs/")["X-Page-Cache"] == "miss"
    assert client.get("/api/ninjs/?cachebuster=123")["X-Page-Cache"] == "hit"


def test_sitemap_pages_and_redirects_keep_their_query(client, settings):
    make_article()
    assert client.get("/sitemap-articles.xml?p=1")["X-Page-Cache"] == "miss"
    assert client.get("/sitemap-articles.xml?p=2").status_code == 404
    # An address without its slash is redirected with its query string: each query its own redirect.
    first = client.get("/search?q=harbour")
    second = client.get("/search?q=airport")
    assert first.status_code == second.status_code == 301
    assert first["Location"].endswith("?q=harbour") and second["Location"].endswith("?q=airport")


def test_every_public_page_declares_the_query_parameters_it_reads():
    undeclared = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if getattr(pattern, "app_name", None) == "admin":
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif page_cache.query_parameters(pattern.callback) is None:
                undeclared.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    # Uploads and the desk (the admin's address, where the desk answers its own autocomplete) are never
    # cached: the page cache skips their prefixes. Everything else a reader reaches is.
    skipped = [path for path in undeclared if "media" in path or path.startswith(settings.ADMIN_PATH)]
    assert [path for path in undeclared if path not in skipped] == []


def test_a_bogus_session_cookie_gets_the_cached_page(client):
    make_article(headline="Cookie story")
    first = client.get("/")
    client.cookies["sessionid"] = "not-a-session-anyone-has"
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit" and response.content == first.content
    # A cookie-carrying miss is built as a reader's page and cached for everyone.
    client.cookies["sessionid"] = "another-made-up-session-key"
    section = client.get("/" + make_article().primary_section.path + "/")
    assert section["X-Page-Cache"] == "miss" and "sessionid" not in section.cookies
    del client.cookies["sessionid"]
    assert client.get(section.wsgi_request.path)["X-Page-Cache"] == "hit"


def test_an_authorization_header_is_no_way_around_the_cache(client):
    make_article()
    client.get("/")
    assert client.get("/", HTTP_AUTHORIZATION="Basic Zm9vOmJhcg==")["X-Page-Cache"] == "hit"


def test_a_logged_in_editor_still_never_gets_a_cached_page(client):
    make_article(headline="Shared story")
    client.get("/")
    client.force_login(make_staff())
    response = client.get("/")
    assert "X-Page-Cache" not in response and response.status_code == 200


@pytest.fixture
def tight_limits(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "RATE_LIMITS": {"search": 3, "api": 2}}


def test_searches_the_cache_cannot_answer_are_limited_per_address(client, tight_limits):
    make_article(headline="Harbour reopens")
    for n in range(3):
        assert client.get(f"/search/?q=harbour{n}").status_code == 200
    refused = client.get("/search/?q=harbour-again")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]
    assert "Too many searches" in refused.content.decode()
    # Searches already cached still answer, and so does everyone else.
    assert client.get("/search/?q=harbour0")["X-Page-Cache"] == "hit"
    assert client.get("/search/?q=harbour-again", REMOTE_ADDR="192.0.2.7").status_code == 200
    # The refusal itself was not cached for the address that asked next.
    assert client.get("/search/?q=harbour-again")["X-Page-Cache"] == "hit"


def test_the_limit_starts_again_in_the_next_minute(client, tight_limits):
    start = 1_800_000_000.0
    with mock.patch.object(time, "time", return_value=start):
        for n in range(4):
            client.get(f"/search/?q=n{n}")
        assert client.get("/search/?q=late").status_code == 429
    with mock.patch.object(time, "time", return_value=start + 60):
        assert client.get("/search/?q=late").status_code == 200


def test_the_ninjs_listing_is_limited_per_address(client, tight_limits):
    make_article()
    assert client.get("/api/ninjs/").status_code == 200
    assert client.get("/api/ninjs/?page=1").status_code == 200
    refused = client.get("/api/ninjs/?page=01")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json()["error"] == "Too many requests"
    assert client.get("/api/ninjs/")["X-Page-Cache"] == "hit"


def test_a_forged_forwarded_for_does_not_escape_the_limit(client, tight_limits):
    for n in range(3):
        client.get(f"/search/?q=a{n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert client.get("/search/?q=more", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_trusted_proxy_each_reader_has_their_own_limit(client, tight_limits, behind_one_proxy):
    def search(query, reader):
        # The proxy appends the address it was reached from to whatever the reader sent.
        return client.get(f"/search/?q={query}", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.66, {reader}")

    for n in range(3):
        assert search(f"a{n}", "198.51.100.1").status_code == 200
    assert search("more", "198.51.100.1").status_code == 429
    assert search("more", "198.51.100.2").status_code == 200


def test_limits_of_zero_turn_limiting_off(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "RATE_LIMITS": {"search": 0, "api": 0}}
    for n in range(70):
        assert client.get(f"/search/?q=n{n}").status_code == 200


def test_search_section_cached_pages_are_unchanged(client):
    section = make_section(slug="world")
    make_article(primary_section=section)
    first = client.get("/world/")
    assert first["X-Page-Cache"] == "miss" and first["ETag"]
    assert client.get("/world/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.head("/world/?utm_source=x")["X-Page-Cache"] == "hit"
