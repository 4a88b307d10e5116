"""Times as machine-readable text: the one form fixtures, ninjs and JSON-LD share, and the datetime="" of pages."""

import datetime

from django.utils.timezone import localtime


def iso_utc(moment: datetime.datetime | None) -> str | None:
    """Return a time as ISO 8601 in UTC with a trailing Z (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        # Read as the machine's local time, a naive time would be written as some other instant.
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment.astimezone(datetime.UTC).isoformat().removesuffix("+00:00") + "Z"


def machine_time(value: datetime.datetime | None) -> str:
    """Return a time for a datetime="" attribute or a sitemap: ISO 8601 in the site's zone, whole seconds.

    HTML allows at most three digits of a fraction, so microseconds would make the page invalid.
    """
    if not value:
        return ""
    return localtime(value).replace(microsecond=0).isoformat()
