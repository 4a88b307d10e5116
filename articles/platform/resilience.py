"""Keep serving through outages: a cache that degrades to no cache, and a 503 page when the database is away."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("newsroom.resilience")

RETRY_AFTER_SECONDS = 30


def _cache_miss_on_outage(method, *, fallback):
    """Wrap a cache method so that an unreachable Redis reads as a miss and a write is skipped."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except self.outage_errors as exc:
            logger.warning("cache unavailable, serving uncached: %s", exc)
            if callable(fallback):
                return fallback(*args, **kwargs)
            return fallback

    return wrapper


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, except that Redis being down makes pages slower rather than broken."""

    def __init__(self, server, params):
        super().__init__(server, params)
        import redis

        self.outage_errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    get = _cache_miss_on_outage(RedisCache.get, fallback=lambda key, default=None, version=None: default)
    get_many = _cache_miss_on_outage(RedisCache.get_many, fallback={})
    has_key = _cache_miss_on_outage(RedisCache.has_key, fallback=False)
    add = _cache_miss_on_outage(RedisCache.add, fallback=False)
    set = _cache_miss_on_outage(RedisCache.set, fallback=None)
    set_many = _cache_miss_on_outage(RedisCache.set_many, fallback=lambda data, *a, **k: list(data))
    touch = _cache_miss_on_outage(RedisCache.touch, fallback=False)
    delete = _cache_miss_on_outage(RedisCache.delete, fallback=False)
    delete_many = _cache_miss_on_outage(RedisCache.delete_many, fallback=None)
    clear = _cache_miss_on_outage(RedisCache.clear, fallback=False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except self.outage_errors as exc:
            # Callers that count (rate limits, content versions) must know the write did not happen.
            logger.warning("cache unavailable for incr: %s", exc)
            raise ValueError(f"cache unavailable: {exc}") from exc


class DatabaseUnavailableMiddleware:
    """Answer 503 in the house style while the database is unreachable; recover by itself when it returns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self.unavailable(exc)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return self.unavailable(exception)
        return None

    def unavailable(self, exc):
        logger.error("database unavailable: %s", exc)
        from django.db import connections

        # Drop broken connections so the next request reconnects instead of reusing a dead socket.
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
