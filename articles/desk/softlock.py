"""Who has a story open on the desk: a note in the shared cache that warns, but never stops, a colleague.

The note expires a few minutes after its holder last opened or saved the story, so a closed tab or a
lunch break frees it without anyone having to remember.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

TIMEOUT_SECONDS = 5 * 60


@dataclass(frozen=True)
class Editing:
    user_id: int
    name: str
    since: datetime

    def __str__(self):
        return f"Being edited by {self.name} since {timezone.localtime(self.since):%H:%M}"


def _key(article_pk):
    return f"desk:editing:{article_pk}"


def holder(article_pk):
    """Return who has the story open now, or None."""
    note = cache.get(_key(article_pk))
    return Editing(**note) if note else None


def note_editing(*, article_pk, user):
    """Record that user has the story open and return None, or return the colleague who has it open already."""
    held = holder(article_pk)
    if held is not None and held.user_id != user.pk:
        return held
    since = held.since if held is not None else timezone.now()
    name = user.get_full_name() or user.get_username()
    cache.set(_key(article_pk), {"user_id": user.pk, "name": name, "since": since}, TIMEOUT_SECONDS)
    return None
