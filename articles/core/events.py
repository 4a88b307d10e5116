"""What happens to a story that partners outside the newsroom hear of, and the signal that tells them.

The desk's publishing code says what happened (``story_event``); the webhooks of articles.distribution
listen. Nothing else sends it, so a fixture loaded with ``loaddata`` or an import announces nothing.
"""

from django.dispatch import Signal
from django.utils.translation import gettext_lazy

PUBLISH = "publish"
CORRECT = "correct"
UPDATE = "update"
WITHDRAW = "withdraw"
KILL = "kill"
# Not a story's event: a test an operator sends from the desk to see that a subscriber answers.
PING = "ping"

CHOICES = [
    (PUBLISH, gettext_lazy("Published")),
    (CORRECT, gettext_lazy("Corrected")),
    (UPDATE, gettext_lazy("Updated")),
    (WITHDRAW, gettext_lazy("Withdrawn")),
    (KILL, gettext_lazy("Killed (deleted)")),
]
EVENTS = tuple(name for name, _ in CHOICES)
DELIVERY_CHOICES = [*CHOICES, (PING, gettext_lazy("Test ping"))]

# Sent with event (a name above), guid, article (None once the story is gone) and, for a ping only,
# subscribers: the rows to ping.
story_event = Signal()

_PUBLISHED = "published"
_WITHDRAWN = "withdrawn"


def event_of(*, from_status: str, to_status: str, corrected: bool = False, changed: bool = True) -> str | None:
    """Return the event a save of a story makes: publish, withdraw, correct, update, or None.

    A correction saved with a published story makes "correct" rather than "update"; a story that stays
    unpublished makes none.
    """
    if to_status == _PUBLISHED and from_status != _PUBLISHED:
        return PUBLISH
    if from_status == _PUBLISHED and to_status == _WITHDRAWN:
        return WITHDRAW
    if from_status == to_status == _PUBLISHED:
        if corrected:
            return CORRECT
        return UPDATE if changed else None
    return None


def was_out(status: str) -> bool:
    """Tell whether subscribers have heard of a story in this status, so deleting it is a kill."""
    return status in (_PUBLISHED, _WITHDRAWN)
