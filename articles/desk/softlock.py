"""Who has a story open on the desk: a note in the shared cache that warns, but never stops, a colleague.

The note names a user and the browser tab she opened the story in. The open page renews it with a short
heartbeat and drops it when the tab is left (a beacon on pagehide), so a closed tab frees the story within
a couple of minutes at worst, and at once when the browser gets the beacon out. A note whose holder can no
longer edit the story (she submitted it for review, say) is not shown, and her save drops it.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext

from articles.desk.publishing import may_edit
from articles.desk.timezone import local

TIMEOUT_SECONDS = 2 * 60
HEARTBEAT_SECONDS = 40  # well inside the timeout, so a slow tab does not lose its note between beats
TAB_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True)
class Editing:
    user_id: int
    name: str
    since: datetime
    tab: str = ""

    def __str__(self):
        return gettext("Being edited by %(name)s since %(when)s") % {"name": self.name, "when": local(self.since)}

    def notice(self, user):
        """Return what the desk tells user about this note, in words."""
        if self.user_id == user.pk:
            return gettext("You have this story open in another tab since %(when)s.") % {"when": local(self.since)}
        return gettext("%(editing)s. Your changes and theirs may collide.") % {"editing": self}


def _key(article_pk):
    return f"desk:editing:{article_pk}"


def new_tab_id():
    """Return an id for a page the desk has just drawn; the browser keeps one per tab."""
    return secrets.token_urlsafe(12)


def holder(article, *, asking=None):
    """Return who has the story open now, or None; someone who can no longer edit it does not count."""
    note = cache.get(_key(article.pk))
    if not note:
        return None
    held = Editing(**note)
    if asking is not None and held.user_id == asking.pk:
        return held  # the asker knows whether she may edit; no need to look herself up
    user = get_user_model().objects.filter(pk=held.user_id, is_active=True).first()
    if user is None or not may_edit(user, article):
        cache.delete(_key(article.pk))
        return None
    return held


def note_editing(*, article, user, tab=""):
    """Record that user has the story open in tab, and return None; or return the note of whoever else has it.

    Someone else is a colleague, or the same user in another tab. Without a tab (the page as the server
    draws it, before its script has said which tab it is in) the user's own note is kept as it is.
    """
    held = holder(article, asking=user)
    if held is not None and (held.user_id != user.pk or (tab and held.tab and held.tab != tab)):
        return held
    since = held.since if held is not None else timezone.now()
    name = user.get_full_name() or user.get_username()
    tab = tab or (held.tab if held is not None else "")
    cache.set(_key(article.pk), {"user_id": user.pk, "name": name, "since": since, "tab": tab}, TIMEOUT_SECONDS)
    return None


def release(*, article_pk, user, tab=""):
    """Drop user's note on the story: the one of that tab, or with no tab, whichever she holds."""
    note = cache.get(_key(article_pk))
    if note and note["user_id"] == user.pk and (not tab or note.get("tab", "") in {"", tab}):
        cache.delete(_key(article_pk))


def after_save(*, article, user):
    """Keep user's note after she saved the story, or drop it if her save means she can no longer edit it."""
    if may_edit(user, article):
        note_editing(article=article, user=user)
    else:
        release(article_pk=article.pk, user=user)
