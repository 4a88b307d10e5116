"""A real outage: the app reaches PostgreSQL through a proxy the test cuts and restores."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_article

REPO = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CuttableProxy:
    """Forward a local port to the database until cut; cutting also drops every open connection."""

    def __init__(self, port, target):
        self.port, self.target = port, target
        self.sockets = []
        self.listener = None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        for sock in [self.listener, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.close()
                except OSError:
                    pass


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_readers_get_a_503_while_the_database_is_away_and_pages_once_it_is_back():
    if connection.vendor != "postgresql":
        pytest.skip("needs a network database: runs in the PostgreSQL pass of the suite")
    make_article(headline="Outage survivor")
    settings = connection.settings_dict
    proxy = CuttableProxy(free_port(), (settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    proxy.start()
    web_port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"postgres://{settings['USER']}@127.0.0.1:{proxy.port}/{settings['NAME']}",
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_PLAIN_STATIC="1",
        DJANGO_CONTENT_VERSION_FILE=str(REPO / ".content-version-outage-test"),
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{web_port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{web_port}/"
        for _ in range(100):
            try:
                status, html = fetch(url)
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and "Outage survivor" in html

        proxy.cut()
        # A page already in the page cache is still served without the database...
        status, html = fetch(url)
        assert status == 200 and "Outage survivor" in html
        # ...and one that must be built gets the 503 page in the house style.
        uncached = f"http://127.0.0.1:{web_port}/search/?q=outage"
        status, html = fetch(uncached)
        assert status == 503 and "We’ll be back in a moment" in html

        proxy.start()
        status, html = fetch(uncached)
        assert status == 200 and "<mark>Outage</mark> survivor" in html
    finally:
        server.terminate()
        server.wait(timeout=10)
        proxy.cut()
        _end_other_sessions()


def _end_other_sessions():
    """End the server's leftover sessions (they came through the proxy), so the test database can be dropped."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
