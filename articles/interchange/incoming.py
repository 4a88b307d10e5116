"""The desk's incoming queue: what a new arrival does to it, and making a draft story from an item.

An agency's items are told apart by their source and guid. An arrival for a guid not queued yet is
queued; a newer version of a queued one (a higher version number, an item that names it as the version
it replaces, or for copy without version numbers, different copy) replaces it in place and keeps the old
one in the item's history; an older or identical version is ignored; a kill (pubStatus canceled) marks
the queued item killed and changes nothing else, so a story already taken from it stays as the desk has
it. Taking an item makes its draft story through the fixture builder, as build_fixtures and loaddata
would, so a story taken from the queue and one loaded from the same copy are made the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import reversion
from django.core import serializers
from django.db import transaction
from django.db.models import Q
from taggit.models import Tag

from articles.core import limits, natural_keys
from articles.core.text import ascii_slug
from articles.interchange import fixture_builder, item_json, reimport
from articles.interchange.formats.items import IncomingItem
from articles.interchange.wire import WireError, find_names
from articles.models import Article, Section, WireItem, now_ms

Status = WireItem.PubStatus
# The section a taken story starts in; the editor moves it on the change form.
TAKE_SECTION = "news"
SMALL_NUMBER = 32767  # the largest priority or urgency the queue's columns hold
BIG_NUMBER = 2**63 - 1  # the largest version number they hold (Reuters numbers versions in the billions)
# Arrivals written together: one query reads what a batch may touch, a few bulk queries write it.
BATCH_SIZE = 500
# What an arrival may change on a queued entry.
UPDATED_FIELDS = [
    "guid",
    "item",
    "filename",
    "history",
    "format",
    "version",
    "received_at",
    "sent_at",
    "priority",
    "urgency",
    "slugline",
    "headline",
    "embargo",
    "pub_status",
    "kill_note",
]


class IngestError(ValueError):
    """An item the queue cannot hold (a guid or headline too long for it, say), in words for operators."""


class TakeRefused(Exception):
    """An item that may not become a story (it was killed, or its copy does not fit a story)."""


@dataclass(frozen=True)
class Outcome:
    """What one arrival did to the queue: queued, replaced, ignored or killed, and why."""

    action: str
    entry: WireItem | None
    reason: str = ""
    guid: str = ""  # the entry's guid when the arrival was decided, as the report names it


def source_of(item: IncomingItem) -> str:
    """Return who sent the item, as the queue keys and shows it."""
    return (item.provider or item.credit or "")[: WireItem._meta.get_field("source").max_length]


@dataclass(frozen=True)
class Arrival:
    """One item checked to fit the queue and keyed as the queue keys it, waiting to be queued."""

    item: IncomingItem
    source: str
    guid: str
    filename: str
    data: dict


def arrival(item: IncomingItem, *, filename: str, fallback_guid: str) -> Arrival:
    """Return an item ready to queue; raise IngestError if it cannot fit. fallback_guid names copy with no guid."""
    guid = item.guid or fallback_guid
    _check_fits(guid, item)
    return Arrival(item=item, source=source_of(item), guid=guid, filename=filename, data=item_json.to_data(item))


def ingest(item: IncomingItem, *, filename: str, fallback_guid: str) -> Outcome:
    """Put one arrival into the queue; fallback_guid names copy that carries no guid (its file's stem)."""
    return ingest_all([arrival(item, filename=filename, fallback_guid=fallback_guid)])[0]


def ingest_all(arrivals: list[Arrival], *, batch_size: int = BATCH_SIZE) -> list[Outcome]:
    """Put arrivals into the queue in their order; return what each did.

    Each batch reads the entries it may touch in one query, decides in memory in arrival order (so a
    second version or a kill behind its story in the same batch acts on it as if it came alone), then
    writes the changed entries and the new ones in a few bulk queries.
    """
    outcomes = []
    for start in range(0, len(arrivals), batch_size):
        outcomes += _ingest_batch(arrivals[start : start + batch_size])
    return outcomes


def _ingest_batch(arrivals: list[Arrival]) -> list[Outcome]:
    queued = _queued_for(arrivals)
    new, changed, outcomes = {}, {}, []
    for one in arrivals:
        outcome = _arrive(one, queued)
        outcomes.append(outcome)
        if outcome.action != "ignored":
            # Keyed by identity: an entry changed twice in a batch is written once, as it ends up.
            (new if outcome.entry.pk is None else changed)[id(outcome.entry)] = outcome.entry
    # Changed entries first: one may give up the guid a new entry takes.
    WireItem.objects.bulk_update(changed.values(), UPDATED_FIELDS)
    WireItem.objects.bulk_create(new.values())
    return outcomes


def _queued_for(arrivals: list[Arrival]) -> dict[tuple[str, str], WireItem]:
    """Return, locked and keyed by (source, guid), the queued entries the arrivals name or replace."""
    guids = {}
    for one in arrivals:
        guids.setdefault(one.source, set()).update(filter(None, (one.guid, one.item.replaces)))
    wanted = Q()
    for source, names in guids.items():
        wanted |= Q(source=source, guid__in=sorted(names))
    entries = WireItem.objects.select_for_update().filter(wanted).order_by("pk")
    return {(entry.source, entry.guid): entry for entry in entries}


def _arrive(one: Arrival, queued: dict[tuple[str, str], WireItem]) -> Outcome:
    """Apply one arrival to the queue held in memory, as ingest's rules say; return what it did."""
    item = one.item
    entry = queued.get((one.source, one.guid))
    if entry is None and item.replaces:
        entry = queued.get((one.source, item.replaces))
    if entry is None:
        entry = WireItem(source=one.source, guid=one.guid, item=one.data, filename=one.filename)
        _fill(entry, item)
        queued[one.source, one.guid] = entry
        return Outcome("killed" if entry.killed else "queued", entry, guid=one.guid)
    if item.pub_status == Status.CANCELED:
        return _kill(entry, item, one.filename)
    refusal = _not_newer(entry, item, one.data)
    if refusal:
        return Outcome("ignored", entry, refusal, guid=entry.guid)
    entry.history = [*entry.history, _snapshot(entry)]
    del queued[one.source, entry.guid]
    entry.guid, entry.item, entry.filename = one.guid, one.data, one.filename
    queued[one.source, one.guid] = entry
    _fill(entry, item)
    return Outcome("replaced", entry, guid=one.guid)


def _check_fits(guid: str, item: IncomingItem) -> None:
    for name, value in (("guid", guid), ("headline", item.story.headline), ("slugline", item.slugline or "")):
        limit = WireItem._meta.get_field(name).max_length
        if len(value) > limit:
            raise IngestError(f"the {name} is {len(value)} characters long; the queue holds {limit}")


def _fill(entry: WireItem, item: IncomingItem) -> None:
    """Copy what the queue's list shows from the item onto its entry."""
    entry.format = item.format
    entry.version = _version(item)
    entry.received_at = now_ms()
    entry.sent_at = fixture_builder.aware(item.sent_at)
    entry.priority = _small(item.priority)
    entry.urgency = _small(item.urgency)
    entry.slugline = item.slugline or ""
    entry.headline = item.story.headline
    entry.embargo = fixture_builder.aware(item.embargo)
    entry.pub_status = item.pub_status
    if item.pub_status == Status.CANCELED:
        entry.kill_note = _kill_note(item)


def _kill(queued: WireItem, item: IncomingItem, filename: str) -> Outcome:
    """Mark a queued item killed; its copy, and any story taken from it, stay as they are."""
    if queued.killed:
        return Outcome("ignored", queued, "the item is killed already", guid=queued.guid)
    queued.history = [*queued.history, _snapshot(queued)]
    queued.pub_status = Status.CANCELED
    queued.kill_note = _kill_note(item)
    queued.filename = filename
    queued.received_at = now_ms()
    if _version(item) is not None:
        queued.version = _version(item)
    return Outcome("killed", queued, guid=queued.guid)


def _kill_note(item: IncomingItem) -> str:
    return item.editorial_note or item.story.headline


def _not_newer(queued: WireItem, item: IncomingItem, data: dict) -> str:
    """Return why an arrival does not replace the queued item; "" when it does."""
    if item.replaces and item.replaces == queued.guid and item.guid != queued.guid:
        return ""
    if item.version is not None and queued.version is not None:
        if item.version <= queued.version:
            return f"version {item.version} is not newer than the queued version {queued.version}"
        return ""
    if data == queued.item:
        return "the same copy is queued already"
    return ""


def _snapshot(entry: WireItem) -> dict:
    """Return what the item's history keeps of the version being replaced."""
    return {
        "guid": entry.guid,
        "version": entry.version,
        "received_at": entry.received_at.isoformat(),
        "filename": entry.filename,
        "pub_status": entry.pub_status,
        "item": entry.item,
    }


def _version(item: IncomingItem) -> int | None:
    return item.version if item.version is not None and 0 <= item.version <= BIG_NUMBER else None


def _small(number: int | None) -> int | None:
    return number if number is not None and 0 <= number <= SMALL_NUMBER else None


def item_of(entry: WireItem) -> IncomingItem:
    """Return the item as it arrived."""
    return item_json.from_data(entry.item)


def earlier_item(entry: WireItem) -> IncomingItem | None:
    """Return the version the queued one replaced, or None for a first version."""
    for snapshot in reversed(entry.history):
        if snapshot.get("item") and snapshot["item"] != entry.item:
            return item_json.from_data(snapshot["item"])
    return None


def kill_notice(entry: WireItem) -> str:
    """Return the desk's warning about a killed item, naming what the agency said."""
    return f"The agency killed this story: {entry.kill_note or entry.headline}"


def take(*, entry: WireItem, user) -> Article:
    """Return the draft story made from a queued item, making it the first time; raise TakeRefused if killed.

    Taking twice gives the same story: the item is locked while its story is made, and a story made
    already is returned as it is.
    """
    with transaction.atomic():
        entry = WireItem.objects.select_for_update(of=("self",)).select_related("taken_story").get(pk=entry.pk)
        if entry.taken_story is not None:
            return entry.taken_story
        if entry.killed:
            raise TakeRefused(f"{kill_notice(entry)}. A killed item cannot be taken.")
        article = _make_story(entry, item_of(entry))
        Article.objects.filter(pk=article.pk, created_by__isnull=True).update(created_by=user)
        article.refresh_from_db()
        entry.taken_story, entry.taken_at = article, now_ms()
        entry.save(update_fields=["taken_story", "taken_at"])
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Taken from the incoming queue ({entry.source or entry.format} {entry.guid}).")
            reversion.add_to_revision(article)
    return article


def _make_story(entry: WireItem, item: IncomingItem) -> Article:
    """Build the story's fixture rows from the item and load them as loaddata would."""
    # Items are queued without the people, places and organisations their text names (ingest reads
    # them with wire.names_later()): the story finds them now.
    item = replace(item, story=find_names(item.story))
    source = fixture_builder.source_of_item(item, source_id=entry.guid, filename=entry.filename or entry.guid)
    try:
        limits.check_moment(source.embargo)
    except limits.TimeOutOfRange as exc:
        raise TakeRefused(f"The item cannot become a story: its embargo is out of range ({exc}).") from exc
    guid = fixture_builder.article_guid(entry.guid)
    slug = ascii_slug(item.story.headline) or "story"
    taken = Article.objects.filter(slug__startswith=slug).exclude(guid=guid).values_list("slug", flat=True)
    options = fixture_builder.BuildOptions(section_path=TAKE_SECTION, taken_slugs=frozenset(taken))
    try:
        rows = fixture_builder.build([source], options)
    except WireError as exc:
        raise TakeRefused(f"The item cannot become a story: {exc.message}") from exc
    with natural_keys.remembering(), reimport.loading() as load:
        for row in serializers.deserialize("python", _new_rows_only(rows)):
            row.save()
        reimport.finish(load, source="the incoming queue")
    return Article.objects.get(guid=guid)


def _new_rows_only(rows: list[dict]) -> list[dict]:
    """Leave out the sections and tags the database has already, so the desk's names for them stay."""
    paths = [row["fields"]["path"] for row in rows if row["model"] == "articles.section"]
    existing_paths = set(Section.objects.filter(path__in=paths).values_list("path", flat=True))
    tag_rows = {row["fields"]["slug"]: row["fields"]["name"] for row in rows if row["model"] == "taggit.tag"}
    known_tags = dict(Tag.objects.filter(slug__in=tag_rows).values_list("slug", "name"))
    renamed = {tag_rows[slug]: name for slug, name in known_tags.items()}
    kept = []
    for row in rows:
        if row["model"] == "articles.section" and row["fields"]["path"] in existing_paths:
            continue
        if row["model"] == "taggit.tag" and row["fields"]["slug"] in known_tags:
            continue
        if row["model"] == "articles.taggedarticle":
            name = row["fields"]["tag"][0]
            row = {**row, "fields": {**row["fields"], "tag": [renamed.get(name, name)]}}
        kept.append(row)
    return kept
