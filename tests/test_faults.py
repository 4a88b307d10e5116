"""Outages: the database or the cache goes away, and readers still get a sensible answer."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # the middleware closes broken connections, as in production
def test_database_outage_gives_a_503_page_and_the_site_recovers_by_itself(client):
    article = make_article(headline="Still here")
    # The database stops answering: every query on the open connection fails the way the driver
    # reports it, and so does every attempt to connect again, until it comes back.
    error = connection.Database.OperationalError("could not connect to server")
    connection.ensure_connection()
    real = connection.connection
    connection.connection = broken = mock.Mock()
    broken.cursor.side_effect = broken.execute.side_effect = error
    try:
        with mock.patch.object(connection, "get_new_connection", side_effect=error):
            response = client.get("/")
            assert response.status_code == 503
            assert response["Retry-After"] == "30"
            html = response.content.decode()
            assert "We’ll be back in a moment" in html and "Traceback" not in html
            assert client.get(article.get_absolute_url()).status_code == 503
    finally:
        if connection.connection is broken:
            connection.connection = real  # SQLite's in-memory test database is never closed
        else:
            real.close()  # the middleware dropped the broken connection; the next request reconnects
    response = client.get("/")
    assert response.status_code == 200 and "Still here" in response.content.decode()


def test_cache_outage_serves_pages_uncached(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "articles.platform.resilience.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    make_article(headline="Served without a cache")
    assert cache.get("anything", "fallback") == "fallback"
    cache.set("anything", 1)
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError, match="cache unavailable"):
        cache.incr("counter")
    response = client.get("/")
    assert response.status_code == 200 and "Served without a cache" in response.content.decode()
