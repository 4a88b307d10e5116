"""Template context every page shares."""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles import reading
from articles.urlcache import fast_reverse

SITE_URLS = ("home", "search", "archive", "corrections", "feed-rss", "feed-atom")
ASSETS = {"stylesheet": "css/site.css", "icon": "img/icon.png"}


@functools.cache
def site_urls():
    """Return the addresses every page links to, reversed once per process rather than on every page."""
    urls = {name.replace("-", "_"): fast_reverse(f"articles:{name}") for name in SITE_URLS}
    # The hashed names of the stylesheet and icon, looked up in the static files' manifest once.
    urls.update((name, static(path)) for name, path in ASSETS.items())
    return urls


def _forget(**kwargs):
    site_urls.cache_clear()


# Tests change ROOT_URLCONF, STATIC_URL and the static files' storage; so could a deploy's settings.
setting_changed.connect(_forget)


def site(request):
    """Return the site name and the top-level sections for the navigation (fetched only if shown)."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        # The header's search box shows the reader's query on the search page (which sets its own).
        "query": "",
        "nav_sections": SimpleLazyObject(lambda: reading.section_links(reading.top_sections())),
        "site_urls": site_urls(),
        "year": timezone.localdate().year,
    }
