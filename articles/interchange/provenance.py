"""What an import set on a row, kept as short digests so the next import can tell the desk's work from its own.

A row an import writes carries a record: ``{"fields": {name: digest}}``, one digest per field (and per
list of child rows, such as a story's bylines) of the value that import set. Later, a field whose value
still has that digest is the import's to update; one whose value differs was changed on the desk and is
kept. The record is written by the fixture builder and the ninjs importer, and travels in dumps with the
row, so a backup restored elsewhere keeps knowing which values came from the wire.

Values are digested in one canonical JSON form: text as it is, times in UTC to the millisecond with a
trailing Z, a row another row points at by its natural key as a list, child rows as sorted lists.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

DIGEST_LENGTH = 16
FIELDS = "fields"


def moment_text(moment: datetime.datetime | None) -> str | None:
    """Return a time as the record compares it: UTC, whole milliseconds, trailing Z (None stays None)."""
    if moment is None:
        return None
    utc = moment.astimezone(datetime.UTC) if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    text = utc.replace(microsecond=utc.microsecond // 1000 * 1000, tzinfo=None).isoformat()
    if utc.microsecond:
        text = text[:23]
    return text + "Z"


def digest(value: Any) -> str:
    """Return the short digest of a canonical value (text, number, None, or lists and dicts of them)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def record_of(values: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Return the record an import leaves for these canonical values."""
    return {FIELDS: {name: digest(value) for name, value in sorted(values.items())}}


def digests_in(record: Any) -> dict[str, str]:
    """Return the field → digest map of a stored record, empty for a row no import wrote."""
    if isinstance(record, Mapping) and isinstance(record.get(FIELDS), Mapping):
        return {str(name): value for name, value in record[FIELDS].items() if isinstance(value, str)}
    return {}


def rows(items: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """Return child rows (each a sequence of canonical values) in the one order a digest needs.

    A story's child rows are: bylines (person slug, role, position), mentions (person slug, title,
    position), tags (name), links (position, kind, title, target guid or None, url, anchor block) and
    corrections (kind, text, time).
    """
    return sorted((list(item) for item in items), key=lambda item: json.dumps(item, ensure_ascii=False))
