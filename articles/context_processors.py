"""Template context every page shares."""

from django.conf import settings

from articles.models import Section


def site(request):
    """Return the site name and the top-level sections for the navigation."""
    return {
        "site_name": settings.NEWSROOM["SITE_NAME"],
        "nav_sections": Section.objects.filter(parent__isnull=True).only("name", "path", "slug"),
    }
