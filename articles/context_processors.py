"""Template context every page shares."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles import reading
from articles.urlcache import fast_reverse

SITE_URLS = ("home", "search", "archive", "corrections", "feed-rss", "feed-atom")


def site(request):
    """Return the site name and the top-level sections for the navigation (fetched only if shown)."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        # The header's search box shows the reader's query on the search page (which sets its own).
        "query": "",
        "nav_sections": SimpleLazyObject(reading.top_sections),
        # Reversed once per process, not by a {% url %} tag on every page.
        "site_urls": {name.replace("-", "_"): fast_reverse(f"articles:{name}") for name in SITE_URLS},
    }
