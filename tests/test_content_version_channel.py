"""With Redis, each process follows the content version on a channel instead of asking for it per request."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from articles.platform import cache as page_cache
from articles.platform.redis_version import RedisVersion

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="the channel is the Redis path; without Redis the version is a file's time",
)


def bump_in_another_process():
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsroom.settings'; django.setup();"
        "from articles.platform.cache import bump_content_version; bump_content_version()"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=dict(os.environ), check=True, timeout=60)


class CountingGets:
    """Count the GETs a RedisVersion sends (the round trips the channel is there to save)."""

    def __init__(self, store, monkeypatch):
        self.count = 0
        real_get = store.client.get

        def get(key):
            self.count += 1
            return real_get(key)

        monkeypatch.setattr(store.client, "get", get)


@pytest.fixture
def store():
    store = page_cache._version_store()
    store.forget_subscription()
    store.retry_at = 0.0
    yield store
    store.forget_subscription()
    store.retry_at = 0.0


def frozen_clock(monkeypatch):
    """Stop the clock the once-a-second check of the key reads, so that only the channel can bring news."""
    now = [1000.0]
    monkeypatch.setattr("articles.platform.redis_version.time.monotonic", lambda: now[0])
    return now


def test_a_bump_in_another_process_is_seen_at_once_without_asking_redis(store, monkeypatch):
    frozen_clock(monkeypatch)
    first = store.read()  # subscribes, and reads the key once
    gets = CountingGets(store, monkeypatch)
    assert [store.read() for _ in range(50)] == [first] * 50
    bump_in_another_process()
    assert store.read() > first
    assert gets.count == 0, "pages read the version from the channel, not by a round trip each"


def test_the_channel_is_checked_against_the_key_once_a_second(store, monkeypatch):
    now = frozen_clock(monkeypatch)
    store.read()
    gets = CountingGets(store, monkeypatch)
    for _ in range(20):
        store.read()
    assert gets.count == 0
    now[0] += 1.0
    store.read()
    assert gets.count == 1


def test_after_a_cut_subscription_the_key_is_read_again(store, monkeypatch):
    frozen_clock(monkeypatch)
    first = store.read()
    store.subscription.connection.disconnect()  # a network cut: what is announced now is lost to it
    bump_in_another_process()
    seen = [store.read()]
    for _ in range(50):
        time.sleep(0.01)  # the time between two requests
        seen.append(store.read())
        if seen[-1] > first:
            break
    assert seen[-1] > first, "the new subscription's confirmation makes the process read the key"
    assert len(seen) <= 3


def test_with_redis_down_pages_are_served_and_subscribing_is_retried_only_now_and_then(monkeypatch):
    down = RedisVersion("redis://127.0.0.1:1/0", "newsroom:test-version")  # nothing listens on port 1
    now = frozen_clock(monkeypatch)
    attempts = []
    monkeypatch.setattr(down, "subscribe", lambda: attempts.append(now[0]) or down.client.ping())
    for _ in range(10):
        assert down.read() > 10**15  # a fresh clock version: every page is built anew, none is refused
    assert len(attempts) == 1
    now[0] += 5.0
    down.read()
    assert len(attempts) == 2


def test_sites_in_two_databases_of_one_redis_do_not_hear_each_other(store):
    location = settings.CACHES["default"]["LOCATION"]
    base, _, db = location.rpartition("/")
    other_db = 14 if db != "14" else 13
    other = RedisVersion(f"{base}/{other_db}", store.key)
    try:
        other.client.set(other.key, 10**17)  # a far larger version in the other site's database
        mine = store.read()
        other.bump()
        assert store.read() == mine
    finally:
        other.lose()
        other.forget_subscription()


def test_a_write_in_this_process_is_seen_by_its_next_page(store):
    before = store.read()
    page_cache.bump_content_version()
    assert store.read() > before
