"""A page cache for anonymous readers, invalidated by a content version rather than by flushing.

Every public page is a function of the published content and the clock. A write to content bumps
one version number; cached pages are keyed by it, so the next request after a publish, update,
correction or withdrawal builds fresh pages while the old entries simply expire. The clock is the
other input: a page never outlives the next scheduled publication or embargo lift.

Signals are used here, not for core logic, because loaddata and every other writer must bump the
version too, and raw fixture loads call no model method.
"""

import contextlib
import contextvars
import hashlib
import logging
import os
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache, caches
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.encoding import iri_to_uri

from articles.platform import invalidation
from articles.platform.redis_version import clock_version
from articles.platform.stores import VERSION_KEY
from articles.platform.stores import shared_cache as _shared_cache
from articles.platform.stores import version_store as _version_store

logger = logging.getLogger("newsroom.cache")
# 410 is a withdrawn story's notice: like a 404 it ends with the content version that a republish moves on.
CACHEABLE_STATUS = {200, 301, 404, 410}
# Longer addresses (after dropping the query parameters a page does not read) are served uncached.
MAX_KEYED_ADDRESS = 1000


def reads_query(*names):
    """Declare the query parameters a page reads: the page cache keys on those and ignores any others.

    For a function view; a class-based view sets ``cache_query_parameters`` instead.
    """

    def declare(view):
        view.cache_query_parameters = frozenset(names)
        return view

    return declare


def query_parameters(view):
    """Return the query parameters a view function declares it reads, or None if it declares nothing."""
    declared = getattr(getattr(view, "view_class", view), "cache_query_parameters", None)
    if declared is None and isinstance(view, Feed):
        # Django's syndication feeds read nothing from the query string.
        return frozenset()
    return None if declared is None else frozenset(declared)


def _version_file():
    return Path(settings.NEWSROOM["CONTENT_VERSION_FILE"])


# The version a request read first, so that one page is built from one version and asks the shared cache
# for it once, not once per list, card set and section lookup. Set per request by PageCacheMiddleware.
_request_version = contextvars.ContextVar("newsroom_request_version", default=None)


@contextlib.contextmanager
def one_version_per_request():
    """Read the content version at most once inside the block (a write inside it forgets the reading)."""
    token = _request_version.set([None])
    try:
        yield
    finally:
        _request_version.reset(token)


def content_version():
    """Return the current content version, starting one if there is none yet.

    With a shared cache the version lives there; with per-process memory caches (one machine,
    several gunicorn workers, no Redis) it is the modification time of a small file, so a publish
    handled by one worker is seen by all of them at the cost of one stat() call.
    """
    memo = _request_version.get()
    if memo is None:
        return _read_content_version()
    if memo[0] is None:
        memo[0] = _read_content_version()
    return memo[0]


def _read_content_version():
    store = _version_store()
    if store is not None:
        return store.read()
    if _shared_cache():
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, clock_version(), timeout=None)
            version = cache.get(VERSION_KEY, clock_version())
        return version
    try:
        return _version_file().stat().st_mtime_ns
    except FileNotFoundError:
        bump_content_version()
        return _version_file().stat().st_mtime_ns


_deferred = contextvars.ContextVar("content_version_deferred", default=None)


@contextlib.contextmanager
def one_bump_after():
    """Bump the content version once when the block ends, not once per row written inside it.

    For bulk writers such as loaddata: 4,000 rows wrote the version file 4,000 times (a fifth of
    the load's time), and every one of those bumps came before the load's transaction committed.
    """
    writes = []
    token = _deferred.set(writes)
    try:
        with invalidation.purges_suspended():
            yield
    finally:
        _deferred.reset(token)
        if writes:
            bump_content_version()
        invalidation.purge({invalidation.EVERYTHING})  # and every page purged once, after the version moved


def bump_content_version(**kwargs):
    """Make every cached page stale: the next request for each builds it again."""
    writes = _deferred.get()
    if writes is not None:
        if not writes:
            writes.append(True)
        return
    memo = _request_version.get()
    if memo is not None:
        memo[0] = None
    if not _shared_cache():
        path = _version_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(str(time.time_ns()))
        os.replace(temporary, path)
        return
    store = _version_store()
    if store is not None:
        store.bump()
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # Missing key or cache down: start a new, larger version (a restart must not reuse old keys).
        cache.set(VERSION_KEY, clock_version(), timeout=None)


class VersionedCache:
    """The cache for entries whose key names the content version (pages, rows, cards, story entries).

    Such an entry never changes under its key: a write moves the version on and so the key. With a
    shared cache (Redis), each process also keeps what it read in its own memory, the ``local`` cache
    of settings.CACHES, so a page costs one round trip (the version) instead of one per list and card
    set. Without a shared cache the default cache is already the process's memory and is used alone.
    """

    def local_cache(self):
        return caches["local"] if _shared_cache() and "local" in settings.CACHES else None

    def get(self, key, default=None):
        local = self.local_cache()
        if local is not None:
            value = local.get(key, _MISSING)
            if value is not _MISSING:
                return value
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            return default
        if local is not None:
            local.set(key, value, settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600))
        return value

    def get_many(self, keys):
        local = self.local_cache()
        found = local.get_many(keys) if local is not None else {}
        missing = [key for key in keys if key not in found]
        if missing:
            shared = cache.get_many(missing)
            if local is not None and shared:
                local.set_many(shared, settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600))
            found.update(shared)
        return found

    def set(self, key, value, timeout):
        cache.set(key, value, timeout)
        local = self.local_cache()
        if local is not None:
            local.set(key, value, timeout)

    def set_many(self, values, timeout):
        cache.set_many(values, timeout)
        local = self.local_cache()
        if local is not None:
            local.set_many(values, timeout)


_MISSING = object()
versioned = VersionedCache()


def seconds_until_next_change(now=None):
    """Return how long the published set stays as it is: until the next scheduled story or embargo."""
    from articles.models import Article

    now = now or timezone.now()
    upcoming = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=now)),
        embargo=Min("embargo_until", filter=Q(embargo_until__gt=now)),
    )
    moments = [m for m in upcoming.values() if m]
    return max(1, int((min(moments) - now).total_seconds()) + 1) if moments else None


def _watched_models():
    from taggit.models import Tag

    from articles import models

    return [
        models.Article,
        models.Section,
        models.Person,
        models.Image,
        models.Authorship,
        models.Mention,
        models.TaggedArticle,
        models.RelatedLink,
        models.Correction,
        Tag,
    ]


def connect_invalidation():
    """Bump the content version whenever anything a public page shows is written or deleted."""
    for model in _watched_models():
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"page-cache-del-{model._meta.label}")
    m2m_changed.connect(bump_content_version, dispatch_uid="page-cache-m2m")
    invalidation.connect()


def single_chunk(response):
    """Join a response body written in many pieces into one.

    Feeds are written in thousands of small pieces and a WSGI server sends each with its own write:
    a cached feed ran at a tenth of a cached page's speed until its body was joined. Reading
    ``content`` joins the pieces and assigning it stores them as one; a body already in one piece
    is handed back as it is.
    """
    if isinstance(response, HttpResponse):
        response.content = response.content
    return response


class PageCacheMiddleware:
    """Serve anonymous GETs (and HEADs) of public pages from the cache; everyone else goes straight through."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.NEWSROOM.get("PAGE_CACHE", True)
        self.ttl = settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600)
        self.skip_prefixes = ("/" + settings.ADMIN_PATH, "/preview/", "/media/", "/static/")
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        with one_version_per_request():
            return self.respond(request)

    def respond(self, request):
        if not self.cacheable_request(request):
            return single_chunk(self.get_response(request))
        state = invalidation.page_state()
        stamp = state.stamp() if state is not None else None
        key = self.key(request, targeted=state is not None)
        if key is None or (state is not None and stamp is None):
            return single_chunk(self.get_response(request))
        cached = versioned.get(key)
        if cached is not None:
            response, keys, built = cached
            if state is None or state.fresh(built, keys):
                response["X-Page-Cache"] = "hit"
                return response
        with invalidation.collecting_page_keys() as shown:
            response = single_chunk(self.get_response(request))
        if self.cacheable_response(response):
            keys = frozenset(shown or {invalidation.ANY})
            if response.status_code == 404:
                keys |= {invalidation.MISSING}
            # The keys of what the page shows, for a CDN's purge by key (Fastly's Surrogate-Key, Varnish xkey).
            # Every page also carries "all", for a CDN's purge of every page.
            response["Surrogate-Key"] = response["xkey"] = " ".join(sorted(keys | {invalidation.ALL}))
            # The ETag is computed once here, so conditional GETs of cached pages cost no hashing.
            set_response_etag(response)
            until_change = seconds_until_next_change()
            seconds = min(self.ttl, until_change or self.ttl)
            if not response.has_header("Cache-Control"):
                # Browsers may keep the page but must ask again each time; the ETag makes that a 304, and a
                # story published a second ago is never hidden behind it. A CDN that the site purges
                # (settings.NEWSROOM["PURGE_ADAPTERS"]) may keep it as long as this cache does.
                shared = f", s-maxage={seconds}" if settings.NEWSROOM.get("PURGE_ADAPTERS") else ""
                response["Cache-Control"] = f"public, max-age=0{shared}, must-revalidate"
            versioned.set(key, (response, keys, stamp), seconds)
            response["X-Page-Cache"] = "miss"
        return response

    def cacheable_request(self, request):
        # HEAD shares GET's entry: the server sends the same headers and drops the body.
        if not self.enabled or request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(self.skip_prefixes):
            return False
        return not self.signed_in(request)

    def signed_in(self, request):
        """Tell whether the request belongs to someone with a session (staff, previews), who never shares pages.

        Only a session the store knows counts. A made-up or expired cookie is dropped from the request
        here, so the page is built exactly as for any reader, and may be cached for them.
        """
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if session_key is None:
            return False
        if self.session_store(session_key).keys():
            return True
        del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return False

    def cacheable_response(self, response):
        if response.status_code not in CACHEABLE_STATUS or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "")
        return "private" not in control and "no-store" not in control and "no-cache" not in control

    def key(self, request, *, targeted=False):
        """Return the cache key of the page a request asks for, or None if it is not to be cached.

        A page is the same for every reader of one scheme, host, path and the query parameters the page
        reads, whatever else the query string holds (tracking tags, cache busters).
        """
        address = f"{request.scheme}://{request.get_host()}{request.path}"
        query = self.query_read(request)
        if query:
            address = f"{address}?{query}"
        if len(address) > MAX_KEYED_ADDRESS:
            return None
        digest = hashlib.sha256(address.encode()).hexdigest()
        if targeted:
            # A page stays under its address; purges of what it shows make it stale (invalidation.py).
            return f"newsroom:page:{digest}"
        return f"newsroom:page:{content_version()}:{digest}"

    def query_read(self, request):
        """Return the part of the query string the page reads, in a fixed order."""
        if not request.META.get("QUERY_STRING"):
            return ""
        try:
            reads = query_parameters(resolve(request.path_info).func)
        except Resolver404:
            reads = None
        if reads is None:
            # A page that declares nothing, or no page at all (a redirect that adds the slash keeps the
            # query): the whole query string, as it came.
            return iri_to_uri(request.META["QUERY_STRING"])
        return urlencode([(name, value) for name in sorted(reads) for value in request.GET.getlist(name)])
