"""Feeds served by a threaded server: each reader gets links to the host and feed they asked for."""

import http.client
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connections

from articles.distribution import feeds
from tests.factories import add_author, make_article, make_image, make_person, make_section
from tests.test_distribution import png_upload

pytestmark = pytest.mark.django_db(transaction=True)

ABSOLUTE_URL = re.compile(r"https?://([^/\"'<>\s]+)")
NAMESPACE = re.compile(r'xmlns(?::\w+)?="[^"]*"')
SELF_LINK = re.compile(r'<link href="([^"]+)" rel="self"|<atom:link href="([^"]+)" rel="self"')


class ThreadedServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            # Each request thread opened its own database connection; the test database must be droppable.
            connections.close_all()


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def server():
    """Serve the site's WSGI application with a thread per request, as gunicorn --threads does."""
    httpd = make_server("127.0.0.1", 0, get_wsgi_application(), ThreadedServer, QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


@pytest.fixture
def stories(settings):
    settings.ALLOWED_HOSTS = [".example"]
    sections = [make_section(name="World", slug="world"), make_section(name="Sport", slug="sport")]
    for n in range(4):
        picture = make_image(file=png_upload(f"lead-{n}.png"))
        article = make_article(primary_section=sections[n % 2], lead_image=picture)
        add_author(article, make_person(name=f"Reporter {n}", slug=f"reporter-{n}"))


def fetch(port, host, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def wrong_links(host, path, status, body):
    """Return what in a feed points anywhere but the host and feed it was asked for."""
    if status != 200:
        return [f"status {status}"]
    links = ABSOLUTE_URL.findall(NAMESPACE.sub("", body))
    wrong = [f"link to {found}" for found in links if found != host]
    wrong += [
        f"self link {link}"
        for pair in SELF_LINK.findall(body)
        for link in pair
        if link and link != f"http://{host}{path}"
    ]
    if 'rel="enclosure"' not in body and "<enclosure " not in body:
        wrong.append("no picture")  # the story's picture link is one of the links that must be right
    return wrong


FEEDS = [
    "/feeds/atom.xml",
    "/feeds/rss.xml",
    "/feeds/sections/world/atom.xml",
    "/feeds/sections/sport/atom.xml",
    "/feeds/sections/world/rss.xml",
    "/feeds/sections/sport/rss.xml",
]


def test_two_feeds_built_at_the_same_time_each_link_to_their_own_host(server, stories, monkeypatch):
    # Hold both requests where the stories are read, so the second has begun before the first writes a link.
    both_started = threading.Barrier(2, timeout=20)
    one_query_at_a_time = threading.Lock()
    read_stories = feeds.ArticleFeed.items

    def items_once_both_have_started(self, obj=None):
        both_started.wait()
        with one_query_at_a_time:
            return list(read_stories(self, obj))

    monkeypatch.setattr(feeds.ArticleFeed, "items", items_once_both_have_started)
    # One feed object answers every section's Atom feed, as one answers the site's.
    asked = [("north.example", "/feeds/sections/world/atom.xml"), ("south.example", "/feeds/sections/sport/atom.xml")]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda request: fetch(server, *request), asked))
    for (host, path), (status, body) in zip(asked, answers, strict=True):
        assert wrong_links(host, path, status, body) == [], f"{host}{path}"


def test_many_readers_on_many_hosts_at_once_each_get_their_own_links(server, stories):
    asked = [(f"paper-{n % 7}.example", FEEDS[n % len(FEEDS)]) for n in range(160)]
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda request: fetch(server, *request), asked))
    wrong = {
        f"{host}{path}": problems
        for (host, path), answer in zip(asked, answers, strict=True)
        if (problems := wrong_links(host, path, *answer))
    }
    assert wrong == {}
