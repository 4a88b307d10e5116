"""Purging pages from the caches in front of the app (Varnish, a CDN) by surrogate key.

A page names the surrogate keys of what it shows (``a123`` a story, ``s4`` a section, ``home`` …); a
write names the keys it touches and, once committed, asks every configured adapter to purge them.
Adapters are listed in ``settings.NEWSROOM["PURGE_ADAPTERS"]``, each a dict with ``BACKEND`` (the dotted
path of a PurgeAdapter subclass) and ``OPTIONS`` (its keyword arguments), as Django's STORAGES are.
No adapters, the default, means no cache in front: purging then does nothing.

A purge that does not reach every cache raises PurgeFailed, so that the task that asked retries.
"""

import http.client
import logging
import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

logger = logging.getLogger("newsroom.purge")

# Surrogate keys are short tokens; anything else is refused before a request is made. Varnish's xkey
# splits on spaces and commas, and CDNs take the same alphabet.
KEY_PATTERN = re.compile(r"[A-Za-z0-9:_.\-]{1,128}")
# Keys per purge request: a header of at most a few kilobytes, well inside Varnish's 8 KB default
# (http_req_hdr_len) and Fastly's 256 keys a request.
KEYS_PER_REQUEST = 200


class PurgeFailed(Exception):
    """A cache in front could not be purged (unreachable, refused, or answered with an error): retry later."""


def valid_keys(keys):
    """Return the keys deduplicated and sorted, or raise ValueError naming the first one that is not a token."""
    keys = list(keys)
    for key in keys:
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            raise ValueError(f"Not a surrogate key (letters, digits and : _ . - only, 1 to 128): {key!r}")
    return sorted(set(keys))


def batches(items, size=KEYS_PER_REQUEST):
    """Yield the items in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class PurgeAdapter:
    """The interface every cache in front implements: purge by surrogate key, and by address."""

    def purge_keys(self, keys):
        """Purge every cached response carrying one of the keys (valid, deduplicated tokens); raise PurgeFailed."""
        raise NotImplementedError

    def purge_urls(self, urls):
        """Purge the cached responses of these absolute addresses; raise PurgeFailed."""
        raise NotImplementedError

    def __str__(self):
        return type(self).__name__


class VarnishAdapter(PurgeAdapter):
    """Purge one or more Varnish servers running deploy/varnish/newsroom.vcl.

    ``servers`` are the addresses Varnish listens on (``["http://127.0.0.1:6081"]``); a purge is one
    request to each of them per batch of keys, ``PURGE /`` with an ``xkey-purge`` header, which the
    VCL hands to the xkey vmod. ``timeout`` bounds each connection and answer, in seconds.
    """

    def __init__(self, servers=("http://127.0.0.1:6081",), timeout=2.0):
        if isinstance(servers, str):
            servers = [servers]
        self.servers = []
        for server in servers:
            parts = urlsplit(server)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"A Varnish server is an http:// address, not {server!r}")
            self.servers.append(parts)
        self.timeout = timeout

    def __str__(self):
        return "Varnish " + ", ".join(server.netloc for server in self.servers)

    def purge_keys(self, keys):
        keys = valid_keys(keys)
        failures = []
        for server in self.servers:
            for batch in batches(keys):
                try:
                    answer = self.request(server, "/", {"xkey-purge": " ".join(batch)})
                except PurgeFailed as error:
                    failures.append(str(error))
                    break
                logger.info(
                    "Varnish %s purged %s objects for %d keys: %s",
                    server.netloc,
                    answer.get("xkey-purged", "?"),
                    len(batch),
                    " ".join(batch),
                )
        if failures:
            raise PurgeFailed("; ".join(failures))

    def purge_urls(self, urls):
        failures = []
        for url in urls:
            address = urlsplit(url)
            path = (address.path or "/") + (f"?{address.query}" if address.query else "")
            headers = {"Host": address.netloc} if address.netloc else {}
            for server in self.servers:
                try:
                    self.request(server, path, headers)
                except PurgeFailed as error:
                    failures.append(str(error))
                else:
                    logger.info("Varnish %s purged %s", server.netloc, url)
        if failures:
            raise PurgeFailed("; ".join(failures))

    def request(self, server, path, headers):
        """Send one PURGE to a server and return the answer's headers; raise PurgeFailed unless it says 2xx."""
        connection_class = http.client.HTTPSConnection if server.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(server.hostname, server.port, timeout=self.timeout)
        try:
            connection.request("PURGE", path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            raise PurgeFailed(
                f"Varnish {server.netloc} could not be reached: {str(error) or type(error).__name__}"
            ) from error
        finally:
            connection.close()
        if not 200 <= response.status < 300:
            raise PurgeFailed(f"Varnish {server.netloc} refused the purge: {response.status} {response.reason}")
        return {name.lower(): value for name, value in response.getheaders()}


class RecordingAdapter(PurgeAdapter):
    """Keep what was purged in memory, for tests: ``keys`` and ``urls`` in the order asked.

    With ``fail=True`` every purge raises PurgeFailed (and records nothing), as an unreachable cache would.
    """

    def __init__(self, fail=False):
        self.fail = fail
        self.keys = []
        self.urls = []

    def purge_keys(self, keys):
        if self.fail:
            raise PurgeFailed("The recording adapter was told to fail")
        self.keys.extend(valid_keys(keys))

    def purge_urls(self, urls):
        if self.fail:
            raise PurgeFailed("The recording adapter was told to fail")
        self.urls.extend(urls)

    def clear(self):
        """Forget what was purged so far."""
        self.keys.clear()
        self.urls.clear()


# The adapters built from the settings, once per process (and again whenever a test changes NEWSROOM).
_adapters = None


def configured_adapters():
    """Return the purge adapters settings.NEWSROOM["PURGE_ADAPTERS"] lists, built once."""
    global _adapters
    if _adapters is None:
        _adapters = [
            import_string(entry["BACKEND"])(**entry.get("OPTIONS", {}))
            for entry in settings.NEWSROOM.get("PURGE_ADAPTERS", [])
        ]
    return _adapters


def forget_adapters(*, setting, **kwargs):
    """Build the adapters afresh after a test changes the settings they come from."""
    global _adapters
    if setting == "NEWSROOM":
        _adapters = None


setting_changed.connect(forget_adapters)


def cdn_configured():
    """Tell whether any cache in front (Varnish, a CDN) is to be purged, so pages may be kept there."""
    return bool(configured_adapters())


def purge_keys(keys):
    """Purge the keys from every configured cache in front; raise PurgeFailed if any of them was not purged.

    Every adapter is tried even when one fails, so one unreachable server does not leave the others stale.
    """
    keys = valid_keys(keys)
    if not keys:
        return
    failures = []
    for adapter in configured_adapters():
        started = time.monotonic()
        try:
            adapter.purge_keys(keys)
        except PurgeFailed as error:
            logger.warning("Purging %d keys from %s failed: %s", len(keys), adapter, error)
            failures.append(f"{adapter}: {error}")
        else:
            logger.info("Purged %d keys from %s in %.0f ms", len(keys), adapter, (time.monotonic() - started) * 1000)
    if failures:
        raise PurgeFailed("; ".join(failures))


def purge_urls(urls):
    """Purge these absolute addresses from every configured cache in front; raise PurgeFailed as purge_keys does."""
    urls = sorted(set(urls))
    if not urls:
        return
    failures = []
    for adapter in configured_adapters():
        try:
            adapter.purge_urls(urls)
        except PurgeFailed as error:
            logger.warning("Purging %d addresses from %s failed: %s", len(urls), adapter, error)
            failures.append(f"{adapter}: {error}")
    if failures:
        raise PurgeFailed("; ".join(failures))
