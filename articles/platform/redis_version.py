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
# A purge of pages (articles/platform/invalidation.py) in one step: the next version, the version each
# purged key was last purged at (or the floor, for a purge of everything), and the announcement
# "<version> <key> <key>…" on the channel. The records expire once no page built before them can be left.
PURGE_SCRIPT = """
local version = redis.call('INCR', KEYS[1])
if version < tonumber(ARGV[1]) then
  version = tonumber(ARGV[2])
end
-- Lua's numbers are doubles: written out plainly, never as 1.79e+15.
local written = string.format('%.0f', version)
redis.call('SET', KEYS[1], written)
for i = 5, #ARGV do
  if ARGV[i] == '*' then
    redis.call('SET', KEYS[3], written, 'EX', ARGV[3])
  else
    redis.call('HSET', KEYS[2], ARGV[i], written)
  end
end
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[4], written .. ' ' .. table.concat(ARGV, ' ', 5))
return written
"""
EVERYTHING = "*"
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
        self.down = False
        # Purges of pages, as the channel told them: a page built at a version below the floor, or showing a
        # key purged after the version it was built at, is stale.
        self.purged_key = f"{key}:purged"
        self.floor_key = f"{key}:floor"
        self.purged = {}
        self.floor = 0
        self.purge_script = self.client.register_script(PURGE_SCRIPT)

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
            version = self.fetch()
        except self.outage_errors as exc:
            logger.warning("cache unavailable for the content version, serving uncached: %s", exc)
            self.down = True
            return clock_version()
        self.down = False
        return version

    def stamp(self):
        """Return the version a page built now is stamped with, or None while Redis cannot be reached."""
        self.down = False
        version = self.read()
        return None if self.down else version

    def following(self):
        """Bring the followed version up to date and tell whether it can be used (called under the lock)."""
        now = time.monotonic()
        if self.subscription is None:
            if now < self.retry_at:
                return False
            self.retry_at = now + RETRY_SECONDS
            self.subscribe()
        resubscribed = False
        resubscribed = self.drain()
        if resubscribed:
            self.lost_track(self.fetch())
        elif now - self.checked_at >= RECHECK_SECONDS:
            version = self.fetch()
            if version > self.followed:
                self.drain()  # its announcement may have come in since the last look
                if version > self.followed:
                    self.lost_track(version)  # an announcement never came: trust no page built before
            self.checked_at = now
        return self.followed is not None

    def drain(self):
        """Take in what has arrived on the channel; tell whether redis-py subscribed anew after a cut."""
        resubscribed = False
        while (message := self.subscription.get_message(timeout=0)) is not None:
            if message["type"] == "message":
                version, *keys = message["data"].decode().split()
                self.heard(int(version), keys)
            elif message["type"] == "subscribe":
                # redis-py connected again after a cut and subscribed anew: what was announced meanwhile
                # never reached this process.
                resubscribed = True
        return resubscribed

    def heard(self, version, keys=()):
        """Take in a version and the keys purged at it (``*``: every page)."""
        self.note(version)
        for key in keys:
            if key == EVERYTHING:
                self.floor = version
            else:
                self.purged[key] = version

    def lost_track(self, version):
        """Purges may have gone by unheard: every page built before ``version`` is stale to this process."""
        self.note(version)
        self.floor = max(self.floor, self.followed)
        self.purged = {}

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
        self.lost_track(self.fetch())  # what was purged before this process listened is not known here
        self.checked_at = time.monotonic()

    def forget_subscription(self):
        self.purged = {}
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

    def fresh(self, stamp, keys):
        """Tell whether a page built at version ``stamp`` and showing ``keys`` has been purged since."""
        with self.lock:
            if self.subscription is not None and self.followed is not None:
                if stamp < self.floor:
                    return False
                purged = self.purged
                return all(purged.get(key, 0) <= stamp for key in keys)
        try:  # not following the channel: ask Redis (one round trip)
            pipeline = self.client.pipeline(transaction=False)
            pipeline.get(self.floor_key)
            pipeline.hmget(self.purged_key, sorted(keys))
            floor, versions = pipeline.execute()
        except self.outage_errors:
            return False
        if floor is not None and stamp < int(floor):
            return False
        return all(version is None or int(version) <= stamp for version in versions)

    # Writing.

    def purge(self, keys, *, keep_seconds=3600):
        """Purge the pages showing ``keys`` (``*``: every page) in every process; return the new version."""
        try:
            version = self.purge_script(
                keys=[self.key, self.purged_key, self.floor_key],
                args=[FIRST_VERSION, clock_version(), int(keep_seconds), self.channel, *sorted(keys)],
            )
            version = int(version)
        except self.outage_errors as exc:
            logger.warning("cache unavailable for a purge of pages: %s", exc)
            return None
        with self.lock:
            if self.followed is not None:
                self.heard(version, keys)  # this process sees its own purge at once
        return version

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
