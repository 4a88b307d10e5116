"""Where the content version and the purges of pages are kept: Redis, or each process's own memory."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from articles.platform.redis_version import RedisVersion

VERSION_KEY = "newsroom:content-version"


def shared_cache():
    """Tell whether every worker process sees the same cache (Redis, Memcached) or has its own."""
    return not isinstance(caches["default"], LocMemCache)


# The content version's Redis client and subscription, one a cache location, kept for the life of the process.
_version_stores = {}


def version_store():
    """Return this process's RedisVersion for the content version, or None when the cache is not Redis.

    The version is read on every request. Django's Redis backend makes a client object for each call,
    which cost more than the round trip itself; this client is made once, by redis-py's documented
    from_url, with the cache's location and time-outs, and keeps the version under a key of its own.
    """
    default = settings.CACHES["default"]
    if "redis" not in default["BACKEND"].lower():
        return None
    location = default["LOCATION"]
    location = location if isinstance(location, str) else location[0]
    store = _version_stores.get(location)
    if store is None:
        options = default.get("OPTIONS", {})
        store = RedisVersion(
            location,
            f"{default.get('KEY_PREFIX', '')}:{VERSION_KEY}",
            connect_timeout=options.get("socket_connect_timeout", 0.5),
            timeout=options.get("socket_timeout", 0.5),
        )
        _version_stores[location] = store
    return store
