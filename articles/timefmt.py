"""Times as machine-readable text, in the one form fixtures, ninjs and JSON-LD share."""

import datetime


def iso_utc(moment: datetime.datetime | None) -> str | None:
    """Return a time as ISO 8601 in UTC with a trailing Z (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        # Read as the machine's local time, a naive time would be written as some other instant.
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment.astimezone(datetime.UTC).isoformat().removesuffix("+00:00") + "Z"
