"""Times on the desk in the editor's own time zone.

The desk's pages set a `desk_tz` cookie from the browser's time zone; for staff pages this middleware
makes it the current time zone, so the changelist's "Scheduled for …", the history and the date and
time a story is scheduled for are all read and entered as the editor's clock shows them. Readers'
pages stay in the site's zone (TIME_ZONE): they are shared and cached.
"""

import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.utils import formats, timezone

COOKIE = "desk_tz"


def zone_from(request):
    """Return the ZoneInfo the request's cookie names, or None if it names none we know."""
    name = unquote(request.COOKIES.get(COOKIE, ""))  # the browser writes it URL-encoded
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class DeskTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        zone = zone_from(request) if request.path.startswith(self.prefix) else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)


def local(moment):
    """Return a time as the desk reads it: in the current time zone (the editor's, on desk pages), to the minute.

    The format is the locale's DATETIME_FORMAT (newsroom/formats sets it for English: "7 Dec 2026, 18:41"),
    the one the admin's own columns and history use, so every time on the desk reads the same way.
    """
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
