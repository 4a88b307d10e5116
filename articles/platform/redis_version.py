"""The content version kept in Redis, and followed by each process without a round trip per request.

Every page's cache key names the content version, so every request needs it. Asking Redis for it costs
one round trip a request, which on a cached page was a third of its time. Instead each process
subscribes to a channel on which every bump announces the new version, and reads what has arrived on
that connection before each page: a non-blocking read of its own socket, with no request sent. Redis
sends a published message to its subscribers in the same turn of its event loop as its answer to the
publisher, so by the time an editor's save has returned, every process's next page sees the new version.

The subscription is only trusted while it is healthy. If Redis cannot be reached, the process reads
the version from Redis on each request as before (or serves uncached while Redis is down), and tries
to subscribe again every ``RETRY_SECONDS``. When redis-py reconnects a cut subscription by itself, the
new subscription's confirmation makes the process read the key, since announcements made during the
cut are lost. As a safety net against anything else the channel could miss, a following process also
reads the key itself once every ``RECHECK_SECONDS``: no process stays behind for longer than that.
"""

import logging
import os
import threading
import time

logger = logging.getLogger("newsroom.cache")

# Versions start from the clock in microseconds, far above any count of writes since.
FIRST_VERSION = 10**15
RECHECK_SECONDS = 1.0
RETRY_SECONDS = 5.0


def clock_version():
    return time.time_ns() // 1000


class RedisVersion:
    """The content version under one Redis key, announced on a channel of the same name."""

    def __init__(self, location, key, *, connect_timeout=0.5, timeout=0.5):
        import redis

        self.key = key
        self.outage_errors = redis.exceptions.RedisError
        self.client = redis.Redis.from_url(location, socket_connect_timeout=connect_timeout, socket_timeout=timeout)
        # Channels belong to the whole server, not to a database: two sites on one Redis, in two databases,
        # must not hear each other's versions.
        self.channel = f"{key}@db{self.client.connection_pool.connection_kwargs.get('db', 0)}"
        self.lock = threading.Lock()  # threaded workers share the one subscription
        self.pid = os.getpid()
        self.subscription = None
        self.followed = None  # the newest version the channel or a recheck has shown
        self.checked_at = 0.0
        self.retry_at = 0.0

    # Reading.

    def read(self):
        """Return the current version, from the followed value when the subscription is healthy."""
        if os.getpid() != self.pid:
            self.forget_subscription()  # a forked child must not read its parent's socket
            self.pid = os.getpid()
        with self.lock:
            try:
                if self.following():
                    return self.followed
            except self.outage_errors as exc:
                logger.warning("content version channel lost, reading the version per request: %s", exc)
                self.forget_subscription()
        try:
            return self.fetch()
        except self.outage_errors as exc:
            logger.warning("cache unavailable for the content version, serving uncached: %s", exc)
            return clock_version()

    def following(self):
        """Bring the followed version up to date and tell whether it can be used (called under the lock)."""
        now = time.monotonic()
        if self.subscription is None:
            if now < self.retry_at:
                return False
            self.retry_at = now + RETRY_SECONDS
            self.subscribe()
        resubscribed = False
        while (message := self.subscription.get_message(timeout=0)) is not None:
            if message["type"] == "message":
                self.note(int(message["data"]))
            elif message["type"] == "subscribe":
                # redis-py connected again after a cut and subscribed anew: what was announced meanwhile
                # never reached this process, so read the key itself.
                resubscribed = True
        if resubscribed or now - self.checked_at >= RECHECK_SECONDS:
            self.note(self.fetch())
            self.checked_at = now
        return self.followed is not None

    def subscribe(self):
        subscription = self.client.pubsub()
        subscription.subscribe(self.channel)
        # Only once Redis has confirmed the subscription can no bump fall between it and the reading below.
        confirmed = subscription.get_message(timeout=self.client.connection_pool.connection_kwargs["socket_timeout"])
        if confirmed is None or confirmed["type"] != "subscribe":
            subscription.close()
            raise self.outage_errors("the subscription to the content version was not confirmed")
        self.subscription = subscription
        self.followed = None
        self.note(self.fetch())
        self.checked_at = time.monotonic()

    def forget_subscription(self):
        if self.subscription is not None:
            try:
                self.subscription.close()
            except self.outage_errors:
                pass
        self.subscription = None
        self.followed = None

    def note(self, version):
        if self.followed is None or version > self.followed:
            self.followed = version

    def fetch(self):
        version = self.client.get(self.key)
        if version is None:
            self.client.set(self.key, clock_version(), nx=True)
            version = self.client.get(self.key)
        return int(version)

    # Writing.

    def bump(self):
        """Move the version on and announce it; return the new version (None when Redis is down)."""
        try:
            version = self.client.incr(self.key)
            if version < FIRST_VERSION:
                # INCR of a missing key (a Redis restart) gives 1: start a new, larger version instead, so
                # that no old key is used again.
                version = clock_version()
                self.client.set(self.key, version)
            self.client.publish(self.channel, version)
        except self.outage_errors as exc:
            logger.warning("cache unavailable for the content version: %s", exc)
            return None
        with self.lock:
            if self.followed is not None:
                self.note(version)  # this process sees its own write at once
        return version

    def lose(self):
        """Delete the version, as a Redis restart without persistence does (for tests)."""
        self.client.delete(self.key)
