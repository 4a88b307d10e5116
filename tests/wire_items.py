"""Incoming items for the queue's tests: plain-text wire copy, or agency items built as the readers build them."""

import dataclasses
from datetime import UTC, datetime

from articles.interchange import wire
from articles.interchange.formats.items import IncomingItem, Subject

COPY = """{headline}
Forecasters expect a wet week on the coast.
-
BEIRUT (Reuters) - Rain fell on Beirut on Monday, Prime Minister Nawaf Salam said as the storm came ashore.
{second}
(Reporting by Rana Haddad; Editing by Tom Lasseter)
"""


def copy(headline="Rain returns to the coast", second="The storm moved north overnight."):
    """Return plain-text wire copy in the layout of fixtures/wire/."""
    return COPY.format(headline=headline, second=second)


def write_copy(folder, name, **words):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(copy(**words), encoding="utf-8")
    return path


def agency_item(**overrides):
    """Return an item as a NewsML-G2 reader gives it: guid, version, priority, subjects and the parsed copy."""
    words = {key: overrides.pop(key) for key in ("headline", "second") if key in overrides}
    fields = {
        "format": "newsml-g2",
        "story": wire.parse(copy(**words)),
        "guid": "tag:reuters.com,2026:newsml_RAIN1",
        "version": 1,
        "provider": "Reuters",
        "credit": "Reuters",
        "slugline": "WEATHER-LEBANON/RAIN",
        "priority": 4,
        "urgency": 3,
        "sent_at": datetime(2026, 12, 7, 9, 30, tzinfo=UTC),
        "subjects": (Subject("weather", "medtop:17000000", "medtop"), Subject("Lebanon")),
    }
    fields.update(overrides)
    return IncomingItem(**fields)


def version_of(item, **changes):
    """Return a later version of an item with some fields changed."""
    words = {key: changes.pop(key) for key in ("headline", "second") if key in changes}
    if words:
        changes["story"] = wire.parse(copy(**words))
    return dataclasses.replace(item, **changes)
