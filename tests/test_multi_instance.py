"""Two app servers sharing one PostgreSQL and one Redis: a publish on either is seen at once on both."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import make_article
from tests.test_database_outage import REPO, fetch, free_port


def start_server(port, database_url, redis_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_PAGE_CACHE": "1",
        "DJANGO_PLAIN_STATIC": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(url):
    for _ in range(200):
        try:
            return fetch(url)
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{url} never answered")


@pytest.mark.django_db(transaction=True)
@pytest.mark.page_cache
def test_two_app_servers_share_the_database_and_see_each_others_invalidations():
    redis_url = os.environ.get("REDIS_URL")
    if connection.vendor != "postgresql" or not redis_url:
        pytest.skip("the scale path needs PostgreSQL and Redis: runs in CI's PostgreSQL + Redis pass")
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    make_article(headline="First edition")
    ports = [free_port(), free_port()]
    servers = [start_server(port, database_url, redis_url) for port in ports]
    try:
        for port in ports:
            status, html = wait_for(f"http://127.0.0.1:{port}/")
            assert status == 200 and "First edition" in html
        for port in ports:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=15) as response:
                assert response.headers["X-Page-Cache"] == "hit"  # both serve from the shared cache
        make_article(headline="Second edition")  # this process bumps the shared content version
        for port in ports:
            status, html = fetch(f"http://127.0.0.1:{port}/")
            assert status == 200 and "Second edition" in html
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
