"""Loading copy again over rows the desk has worked on: what an import may change, and what it keeps.

The rule, for stories, people and pictures that are already in the database:

- A field is updated only while it still holds what the last import set (its digest in the row's
  ``import_record``); a field the desk has changed keeps the desk's value, and the import says so.
- A story's status, creator, guid and version counter are never taken from the import. When the import
  changes a story, its version moves on by one, so an editor with the story open gets the conflict page.
- A story's bylines, mentions, tags, links and corrections are each one list: the import replaces a list
  (adding, updating and removing rows) only while it is as the last import left it; a list the desk has
  touched (a row removed, added or edited) is left exactly as the desk has it.
- What an import changes on a story is saved as a revision naming the fields.

Fixture loads reach this through ``pre_save`` with ``raw=True`` (how ``loaddata`` saves); ``loading()``
gathers, for one load, what the report and the revisions need, and ``finish()`` completes the story
lists and writes them. The ninjs importer calls ``merge()`` and ``plan_lists()`` directly.
"""

import contextlib
import contextvars
from dataclasses import dataclass, field

import reversion
from django.db.models import DateTimeField, FileField
from django.db.models.signals import post_save, pre_save

from articles.core import natural_keys
from articles.core.text import title_key
from articles.interchange import fixture_builder, provenance
from articles.models import (
    Article,
    ArticleRedirect,
    Authorship,
    Correction,
    Image,
    Mention,
    Person,
    RelatedLink,
    TaggedArticle,
    now_ms,
)

# The fields an import owns, per model (the fixture builder digests the same ones); every other field of a
# row already stored stays as it is: a story's status, creator and version above all.
OWNED = {
    Article: fixture_builder.ARTICLE_OWNED,
    Person: fixture_builder.PERSON_OWNED,
    Image: (*fixture_builder.IMAGE_OWNED, "renditions"),
}
# A story's lists of child rows: the model, the field naming the story, and how the report names the list.
LISTS = {
    "authorships": (Authorship, "article", "bylines"),
    "mentions": (Mention, "article", "people mentioned"),
    "tags": (TaggedArticle, "content_object", "tags"),
    "related_links": (RelatedLink, "article", "related links"),
    "corrections": (Correction, "article", "corrections"),
}
LIST_OF_MODEL = {model: name for name, (model, _story, _label) in LISTS.items()}
RECORD = "import_record"


def canonical(instance, name):
    """Return the value of a field as the import record digests it."""
    model_field = type(instance)._meta.get_field(name)
    value = getattr(instance, model_field.attname)
    if model_field.many_to_one or model_field.one_to_one:
        return None if value is None else list(natural_keys.related(instance, name).natural_key())
    if isinstance(model_field, DateTimeField):
        return provenance.moment_text(value)
    if isinstance(model_field, FileField):
        return value.name or "" if value else ""
    return value


def story_lists(article_pk, *, using="default"):
    """Return a story's child rows as the import record digests them, one canonical list per kind."""
    return {
        "authorships": provenance.rows(
            Authorship.objects.using(using)
            .filter(article_id=article_pk)
            .values_list("person__slug", "role", "position")
        ),
        "mentions": provenance.rows(
            Mention.objects.using(using).filter(article_id=article_pk).values_list("person__slug", "title", "position")
        ),
        "tags": sorted(
            TaggedArticle.objects.using(using).filter(content_object_id=article_pk).values_list("tag__name", flat=True)
        ),
        "related_links": provenance.rows(
            RelatedLink.objects.using(using)
            .filter(article_id=article_pk)
            .values_list("position", "kind", "title", "target_article__guid", "url", "anchor_block")
        ),
        "corrections": provenance.rows(
            (kind, text, provenance.moment_text(moment))
            for kind, text, moment in Correction.objects.using(using)
            .filter(article_id=article_pk)
            .values_list("kind", "text", "published_at")
        ),
    }


@dataclass
class Outcome:
    """What an import did to one stored row: the fields it changed and the ones it kept from the desk."""

    instance: object
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def merge(stored, incoming):
    """Put back on incoming every value the import may not change; return what changes and what is kept.

    stored is the row as the database has it; incoming is the same row as the import brings it, with
    the import's own record (digests of the values it sets) in ``import_record``.
    """
    model = type(stored)
    owned = OWNED[model]
    stored_record = getattr(stored, RECORD) or {}
    left = provenance.digests_in(stored_record)
    asserted = provenance.digests_in(getattr(incoming, RECORD))
    digests = dict(left)
    outcome = Outcome(incoming)
    for name in owned:
        old, new = canonical(stored, name), canonical(incoming, name)
        if old != new and left.get(name) != provenance.digest(old):
            outcome.kept.append(name)  # the desk changed it (or no import ever set it)
            _copy(stored, incoming, name)
            continue
        if old != new:
            outcome.changed.append(name)
        if name in asserted:
            digests[name] = asserted[name]
        elif old != new:
            digests.pop(name, None)  # a value from a row that says nothing of its origin counts as the desk's
    if model is Article:
        if incoming.status != stored.status:
            outcome.kept.insert(0, "status")
        if (
            stored.status == Article.Status.PUBLISHED
            and incoming.published_at is None
            and incoming.status != stored.status
        ):
            # Copy built as drafts over a story already out keeps the times readers were shown; a row
            # that says "published" without a time is broken, and the database refuses it below.
            for name in ("published_at", "updated_at"):
                _copy(stored, incoming, name)
                if name in outcome.changed:
                    outcome.changed.remove(name)
                    outcome.kept.append(name)
    for model_field in model._meta.concrete_fields:
        if model_field.name not in owned and not model_field.primary_key and model_field.name != RECORD:
            setattr(incoming, model_field.attname, getattr(stored, model_field.attname))
    if model is Article:
        incoming.headline_key = title_key(incoming.headline)
    # A row no import ever wrote keeps having no record.
    setattr(incoming, RECORD, {**stored_record, provenance.FIELDS: digests} if digests or stored_record else None)
    return outcome


def plan_lists(stored, incoming_record, current):
    """Return (open, changing): the lists the import may replace, and those of them it will change.

    A list is open when the import brings one (its record has a digest for it) and the story's list is
    still as the last import left it.
    """
    left = provenance.digests_in(stored.import_record)
    asserted = provenance.digests_in(incoming_record)
    open_lists, changing = set(), set()
    for name, value in current.items():
        now = provenance.digest(value)
        if name in asserted and left.get(name) == now:
            open_lists.add(name)
            if asserted[name] != now:
                changing.add(name)
    return open_lists, changing


def record_lists(record, open_lists, asserted_record):
    """Return record with the digests of the open lists taken from the import's own record."""
    if not open_lists:
        return record
    asserted = provenance.digests_in(asserted_record)
    digests = provenance.digests_in(record)
    for name in open_lists:
        digests[name] = asserted[name]
    return {**(record or {}), provenance.FIELDS: digests}


def save_revision(article, names, *, source):
    """Record what an import changed on a story as a revision the desk's History shows."""
    with reversion.create_revision():
        reversion.set_comment(f"Re-imported from {source}; changed: {', '.join(names)}.")
        reversion.add_to_revision(article)


def _copy(stored, incoming, name):
    attname = type(stored)._meta.get_field(name).attname
    setattr(incoming, attname, getattr(stored, attname))


def label(model, name):
    """Return how a report names a field or a list of a model."""
    if name in LISTS:
        return LISTS[name][2]
    return str(model._meta.get_field(name).verbose_name)


def describe_row(instance):
    """Return how a report names a row: a story by headline and guid, a person by name and slug."""
    if isinstance(instance, Article):
        return f"story “{instance.headline}” ({instance.guid})"
    if isinstance(instance, Person):
        return f"person “{instance.name}” ({instance.slug})"
    return f"picture {instance.key}"


# --- fixture loads ----------------------------------------------------------------------------------


@dataclass
class StoryLoad:
    """One stored story a fixture load reaches: what it keeps, changes, and which of its lists it replaces."""

    outcome: Outcome
    old_url: str | None
    open_lists: set
    changing: set
    seen: dict = field(default_factory=dict)  # list name -> pks of the rows the load brought
    refused: list = field(default_factory=list)  # rows of a list the desk has touched, removed after saving
    kept_lists: set = field(default_factory=set)


@dataclass
class Load:
    stories: dict = field(default_factory=dict)  # story pk -> StoryLoad
    rows: list = field(default_factory=list)  # Outcomes for people and pictures


_load = contextvars.ContextVar("reimport_load", default=None)


@contextlib.contextmanager
def loading():
    """Gather, for one fixture load, what finish() needs; raw saves outside a load are not imports.

    django-reversion restores a revision through raw saves too: a restore is the desk's own act, and
    the desk's rules for it (articles/desk/revisions.py) apply instead of an import's.
    """
    token = _load.set(Load())
    try:
        yield _load.get()
    finally:
        _load.reset(token)


def keep_desk_work(sender, instance, raw=False, using="default", **kwargs):
    """Before a fixture row is saved over a stored one, put back what the import may not change."""
    if not raw or _load.get() is None:
        return
    if sender in OWNED:
        _merge_row(sender, instance, using)
    elif sender in LIST_OF_MODEL:
        _check_child(sender, instance, using)


def _merge_row(model, instance, using):
    if instance.pk is None:
        return  # a new row: everything it brings is the import's
    stored = model._default_manager.using(using).select_for_update().filter(pk=instance.pk).first()
    if stored is None:
        return
    asserted_record = getattr(instance, RECORD)
    outcome = merge(stored, instance)
    load = _load.get()
    if model is not Article:
        if load is not None and (outcome.changed or outcome.kept):
            load.rows.append(outcome)
        return
    current = story_lists(stored.pk, using=using)
    # Outside a load nobody would remove the rows a corrected list drops: every list is then left alone.
    open_lists, changing = plan_lists(stored, asserted_record, current) if load is not None else (set(), set())
    instance.import_record = record_lists(instance.import_record, open_lists, asserted_record)
    if outcome.changed or changing:
        instance.version = stored.version + 1
        instance.last_modified = now_ms()
    if load is not None:
        old_url = stored.get_absolute_url() if stored.is_public() else None
        load.stories[stored.pk] = StoryLoad(outcome, old_url, open_lists, changing)


def _check_child(model, instance, using):
    load = _load.get()
    name = LIST_OF_MODEL[model]
    story = load.stories.get(getattr(instance, LISTS[name][1] + "_id")) if load is not None else None
    if story is None or name in story.open_lists:
        return
    stored = model._default_manager.using(using).filter(pk=instance.pk).first() if instance.pk else None
    if stored is None:
        story.refused.append(instance)  # a row the desk removed (or never had): it goes again once saved
        story.kept_lists.add(name)
        return
    for model_field in model._meta.concrete_fields:
        if getattr(instance, model_field.attname) != getattr(stored, model_field.attname):
            story.kept_lists.add(name)
        setattr(instance, model_field.attname, getattr(stored, model_field.attname))


def note_child(sender, instance, raw=False, using="default", **kwargs):
    """After a fixture row of a story's list is saved, remember it, or take it out again if refused."""
    load = _load.get()
    if not raw or load is None or sender not in LIST_OF_MODEL:
        return
    name = LIST_OF_MODEL[sender]
    story = load.stories.get(getattr(instance, LISTS[name][1] + "_id"))
    if story is None:
        return
    if any(row is instance for row in story.refused):
        sender._default_manager.using(using).filter(pk=instance.pk).delete()
    else:
        story.seen.setdefault(name, set()).add(instance.pk)


def finish(load, *, using="default", source="wire copy"):
    """Complete a fixture load: drop rows the import's lists no longer hold, save revisions; return the report."""
    lines = []
    for pk, story in load.stories.items():
        for name in sorted(story.open_lists):
            model, story_field, _label = LISTS[name]
            model._default_manager.using(using).filter(**{f"{story_field}_id": pk}).exclude(
                pk__in=story.seen.get(name, set())
            ).delete()
        article = Article.objects.using(using).get(pk=pk)
        outcome = story.outcome
        changed = [*outcome.changed, *sorted(story.changing)]
        kept = [*outcome.kept, *sorted(story.kept_lists)]
        if changed:
            save_revision(article, [label(Article, name) for name in changed], source=source)
            if story.old_url and article.is_public():
                ArticleRedirect.record(story.old_url, article)
        lines += report(article, changed, kept)
    for outcome in load.rows:
        lines += report(outcome.instance, outcome.changed, outcome.kept)
    return lines


def report(instance, changed, kept):
    """Return the lines that tell an operator what an import changed on a stored row and what it kept."""
    model = type(instance)
    lines = []
    if changed:
        version = f" (version {instance.version})" if isinstance(instance, Article) else ""
        lines.append(f"Updated {describe_row(instance)}: {', '.join(label(model, n) for n in changed)}{version}.")
    if kept:
        lines.append(f"Kept the desk's {', '.join(label(model, n) for n in kept)} on {describe_row(instance)}.")
    return lines


def connect():
    """Keep the desk's work whenever a fixture row is saved over a stored one."""
    for model in (*OWNED, *LIST_OF_MODEL):
        pre_save.connect(keep_desk_work, sender=model, dispatch_uid=f"reimport-keep-{model._meta.label}")
    for model in LIST_OF_MODEL:
        post_save.connect(note_child, sender=model, dispatch_uid=f"reimport-note-{model._meta.label}")
