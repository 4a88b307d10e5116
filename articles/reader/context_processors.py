"""Template context every page shares."""

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.core.urlcache import site_urls
from articles.reader import reading


def site(request):
    """Return the site name and the top-level sections for the navigation (fetched only if shown)."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        # The header's search box shows the reader's query on the search page (which sets its own).
        "query": "",
        "nav_sections": SimpleLazyObject(lambda: reading.section_links(reading.top_sections())),
        "site_urls": site_urls(),
        "year": timezone.localdate().year,
        # The header and footer (includes/header.html, footer.html), drawn once per content version.
        "site_chrome": SimpleLazyObject(lambda: reading.site_chrome(request)),
    }
