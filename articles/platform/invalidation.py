"""Targeted invalidation: each cached page carries the keys of what it shows, and a change purges only
the keys it touches, so a correction empties the pages that show the story and nothing else.

Keys (also sent to a CDN as ``Surrogate-Key`` and ``xkey``):

- ``a<id>``: a story. Its own page, its ninjs item, its redirects, and every list, aside or feed whose
  cards show it carry it; so a page that showed the story before a change (an old section, a tag it
  lost) is purged with it.
- ``s<id>``, ``t<id>``, ``p<id>``: a section's front (and its feeds), a tag's page, a person's page.
- ``home``, ``feed`` (the site's feeds and the ninjs list), ``news-sitemap``, ``sitemap:<n>`` (the n-th
  page of the stories' sitemap), ``sitemaps`` (every sitemap, for a story that enters or leaves them).
- ``missing``: the not-found pages; a story published at an address must not stay a cached 404 there.
- ``any``: a page that declared nothing of what it shows (search, archives). Every change purges it.

A change to a story purges its own key, its sections' fronts and their parents, its tags' and people's
pages, home, the feeds, its sitemap page and the News sitemap, and ``any`` and ``missing``. What touches
every page (a section renamed: the navigation; a person or tag renamed; a fixture load) purges them all.

How a purge reaches each process's cached pages: every purge takes the next number of one counter and
records, for each key, the number of its last purge. A page is stored with the number current when its
building began and is served only while none of its keys was purged after that. With Redis the counter
is the content version and purges are announced on its channel (articles/platform/redis_version.py);
without it, on one machine, they are lines appended to a file beside the content version file.
"""

import contextlib
import contextvars
import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from articles.platform import stores

logger = logging.getLogger("newsroom.cache")

HOME = "home"
FEED = "feed"
NEWS_SITEMAP = "news-sitemap"
SITEMAPS = "sitemaps"
MISSING = "missing"
ANY = "any"
EVERYTHING = "*"  # a purge of every page
ALL = "all"  # the key every page carries in front of a CDN, which a purge of every page purges there
SITEMAP_PAGE_SIZE = 5000  # articles.distribution.sitemaps.ArticleSitemap.limit

# Sent after each purge with the keys purged (EVERYTHING for all): a CDN's purge and tests listen here.
pages_purged = Signal()


def story_key(pk):
    return f"a{pk}"


def section_key(pk):
    return f"s{pk}"


def tag_key(pk):
    return f"t{pk}"


def person_key(pk):
    return f"p{pk}"


def sitemap_page_key(number):
    return f"sitemap:{number}"


# What the page being built shows, collected while it is built (set by the page cache on a miss).
_page_keys = contextvars.ContextVar("newsroom_page_keys", default=None)


def page_shows(*keys):
    """Declare that the page being built shows what these keys name."""
    shown = _page_keys.get()
    if shown is not None:
        shown.update(keys)


@contextlib.contextmanager
def collecting_page_keys():
    """Collect, into the set yielded, the keys the page built inside the block declares."""
    shown = set()
    token = _page_keys.set(shown)
    try:
        yield shown
    finally:
        _page_keys.reset(token)


# The purge log: one machine without Redis.


class PurgeLog:
    """Purges as lines appended to a file; each process reads what was added since it last looked.

    A purge's number is the file's length once its line is written, so numbers grow with every purge and
    need no lock: an append of one short line is one write. A page's stamp is (file, length read). When
    the file grows past ``ROTATE_BYTES`` a writer starts a new one; a process that sees another file
    treats every page it built before as stale.
    """

    ROTATE_BYTES = 4 * 1024 * 1024

    def __init__(self, path):
        self.path = Path(path)
        self.pid = os.getpid()
        self.inode = None
        self.offset = 0
        self.floor = 0
        self.purged = {}

    def refresh(self):
        try:
            status = self.path.stat()
        except FileNotFoundError:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch()
            status = self.path.stat()
        if status.st_ino != self.inode or status.st_size < self.offset or os.getpid() != self.pid:
            # A new log (or a forked process): nothing built before is known to be fresh.
            self.inode, self.offset, self.floor, self.purged, self.pid = status.st_ino, 0, 0, {}, os.getpid()
            self.floor = self.offset = status.st_size
            return
        if status.st_size == self.offset:
            return
        with self.path.open("rb") as log:
            log.seek(self.offset)
            added = log.read(status.st_size - self.offset)
        end = self.offset
        for line in added.split(b"\n")[:-1]:  # a line still being written has no newline yet
            end += len(line) + 1
            keys = line.decode().split()
            if EVERYTHING in keys:
                self.floor = end
            for key in keys:
                self.purged[key] = end
        self.offset = end

    def stamp(self):
        self.refresh()
        return (self.inode, self.offset)

    def fresh(self, stamp, keys):
        inode, built_at = stamp
        if inode != self.inode or built_at < self.floor:
            return False
        purged = self.purged
        return all(purged.get(key, 0) <= built_at for key in keys)

    def purge(self, keys):
        line = (" ".join(sorted(keys)) + "\n").encode()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, line)
            end = os.lseek(descriptor, 0, os.SEEK_CUR)
        finally:
            os.close(descriptor)
        if end > self.ROTATE_BYTES:
            fresh_log = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            fresh_log.write_bytes(b"")
            os.replace(fresh_log, self.path)


_logs = {}


def page_state():
    """Return what follows purges in this process: the Redis store, the purge log, or None.

    None (a shared cache other than Redis) means pages are kept under the content version, as before
    targeted purges: every change makes every page stale.
    """
    store = stores.version_store()
    if store is not None:
        return store
    if stores.shared_cache():
        return None
    path = Path(f"{settings.NEWSROOM['CONTENT_VERSION_FILE']}.purges")
    log = _logs.get(path)
    if log is None:
        log = _logs[path] = PurgeLog(path)
    return log


def purge(keys):
    """Purge the pages that carry any of ``keys`` (EVERYTHING: all pages) in every process, now."""
    keys = set(keys)
    if not keys:
        return
    if settings.NEWSROOM.get("PURGE") == "everything":
        # As before targeted purges (kept to compare them, in `make bench-day`): any change, every page.
        keys = {EVERYTHING}
    state = page_state()
    if state is not None:
        state.purge(keys)
    # Otherwise pages are kept under the content version, which every write moves on already.
    logger.info("purged pages: %s", " ".join(sorted(keys)))
    pages_purged.send(sender=None, keys=frozenset(keys))
    _purge_cdn(keys)


def _purge_cdn(keys):
    """Queue the CDN's purge of the same keys, when a CDN is configured (articles/platform/purge.py)."""
    if not settings.NEWSROOM.get("PURGE_ADAPTERS"):
        return
    try:
        from articles.platform import tasks
    except ImportError:  # pragma: no cover - the tasks module is part of the app
        return
    purge_after_change = getattr(tasks, "purge_after_change", None)
    if purge_after_change is not None:
        purge_after_change(sorted(ALL if key == EVERYTHING else key for key in keys))


# What a change touches.


def keys_for_stories(pks, *, entered_or_left=()):
    """Return the keys of the pages that show, or will now show, the stories with these ids."""
    from django.db.models import Q
    from django.utils import timezone

    from articles.models import Article, Authorship, Mention, Section, TaggedArticle

    pks = set(pks)
    keys = {HOME, FEED, NEWS_SITEMAP, ANY, MISSING}
    keys.update(story_key(pk) for pk in pks)
    rows = list(
        Article.objects.filter(pk__in=pks).values_list("pk", "primary_section__path", "status", "published_at")
    )
    paths = {path for _, path, _, _ in rows if path}
    prefixes = {"/".join(path.split("/")[: depth + 1]) for path in paths for depth in range(path.count("/") + 1)}
    sections = Section.objects.filter(path__in=prefixes).values_list("pk", flat=True)
    tags = TaggedArticle.objects.filter(content_object_id__in=pks).values_list("tag_id", flat=True)
    authors = Authorship.objects.filter(article_id__in=pks).values_list("person_id", flat=True)
    mentioned = Mention.objects.filter(article_id__in=pks).values_list("person_id", flat=True)
    keys.update(section_key(pk) for pk in sections)
    keys.update(tag_key(pk) for pk in tags)
    keys.update(person_key(pk) for pk in {*authors, *mentioned})
    if entered_or_left:
        keys.add(SITEMAPS)
    now = timezone.now()
    for _pk, _path, status, published_at in rows:
        if status != Article.Status.PUBLISHED or published_at is None or published_at > now:
            continue
        newer = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__lte=now).filter(
            Q(published_at__gt=published_at) | Q(published_at=published_at, pk__gt=_pk)
        )
        keys.add(sitemap_page_key(newer.count() // SITEMAP_PAGE_SIZE + 1))
    return keys


class Changes:
    """The stories changed in this thread since the last purge, purged when their transaction commits.

    Every note registers its own on_commit call; the first to run purges all that was noted and the others
    find nothing left. Notes of a transaction that rolled back lose their calls and are purged with the
    next change instead: a purge too many, never a page left stale.
    """

    def __init__(self):
        self.stories = set()
        self.deleted = set()  # keys of stories deleted, taken while they still existed
        self.entered_or_left = set()  # stories that became public or stopped being so
        self.everything = False

    def __bool__(self):
        return bool(self.stories or self.deleted or self.everything)

    def keys(self):
        if self.everything:
            return {EVERYTHING}
        keys = set(self.deleted)
        if self.stories:
            keys |= keys_for_stories(self.stories, entered_or_left=self.entered_or_left)
        return keys


_local = threading.local()
_suspended = contextvars.ContextVar("newsroom_purges_suspended", default=None)


@contextlib.contextmanager
def _noting():
    """Yield this thread's Changes to note a change in; purge at the commit, or at once outside a transaction."""
    changes = getattr(_local, "changes", None)
    if changes is None:
        changes = _local.changes = Changes()
    in_transaction = transaction.get_connection().in_atomic_block
    yield changes
    if in_transaction:
        transaction.on_commit(_flush)
    else:
        _flush()


def _flush():
    changes = getattr(_local, "changes", None)
    _local.changes = None
    if changes:
        purge(changes.keys())


@contextlib.contextmanager
def purges_suspended():
    """Note no change inside the block: its writer purges every page itself when it is done."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def story_changed(pk, *, entered_or_left=False):
    if _suspended.get() or pk is None:
        return
    with _noting() as changes:
        changes.stories.add(pk)
        if entered_or_left:
            changes.entered_or_left.add(pk)


def story_deleted(pk):
    if _suspended.get() or pk is None:
        return
    keys = keys_for_stories([pk], entered_or_left=True)
    with _noting() as changes:
        changes.deleted.update(keys)


def everything_changed():
    if _suspended.get():
        return
    with _noting() as changes:
        changes.everything = True


# Signals: every writer (the desk, imports, scripts) purges through them.


def _story_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("status", "published_at").first()
    instance.newsroom_public_before = before


def _story_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "newsroom_public_before", None)
    entered_or_left = created or before != (instance.status, instance.published_at)
    story_changed(instance.pk, entered_or_left=entered_or_left)


def _story_deleting(sender, instance, **kwargs):
    story_deleted(instance.pk)


def _part_written(sender, instance, raw=False, **kwargs):
    """A row of a story (byline, mention, tag, related link, correction) was written or deleted."""
    if raw:
        return
    # A byline or tag added to a public story can add a person or a tag to the sitemaps.
    from articles.models import Correction, RelatedLink

    pk = getattr(instance, "article_id", None) or getattr(instance, "content_object_id", None)
    story_changed(pk, entered_or_left=not isinstance(instance, (RelatedLink, Correction)))


def _shared_thing_written(sender, instance, created=False, raw=False, **kwargs):
    """A section, person, tag or picture changed: the navigation, bylines and cards show them everywhere.

    A new one shows nowhere yet (a story that uses it is purged when it does).
    """
    if raw or created:
        return
    everything_changed()


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    from articles.models import Article

    if not action.startswith("post_"):
        return
    if isinstance(instance, Article):
        story_changed(instance.pk)
    elif model is Article:
        for pk in pk_set or ():
            story_changed(pk)


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
    from taggit.models import Tag

    from articles import models

    uid = "page-purge"
    pre_save.connect(_story_saving, sender=models.Article, dispatch_uid=f"{uid}-story-saving")
    post_save.connect(_story_saved, sender=models.Article, dispatch_uid=f"{uid}-story-saved")
    pre_delete.connect(_story_deleting, sender=models.Article, dispatch_uid=f"{uid}-story-deleting")
    for part in (models.Authorship, models.Mention, models.TaggedArticle, models.RelatedLink, models.Correction):
        post_save.connect(_part_written, sender=part, dispatch_uid=f"{uid}-save-{part._meta.label}")
        post_delete.connect(_part_written, sender=part, dispatch_uid=f"{uid}-delete-{part._meta.label}")
    for shared in (models.Section, models.Person, models.Image, Tag):
        post_save.connect(_shared_thing_written, sender=shared, dispatch_uid=f"{uid}-save-{shared._meta.label}")
        post_delete.connect(_shared_thing_written, sender=shared, dispatch_uid=f"{uid}-delete-{shared._meta.label}")
    m2m_changed.connect(_links_changed, dispatch_uid=f"{uid}-m2m")
