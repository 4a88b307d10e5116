"""What a revision may bring back: one story and its own rows, never where the story stands for readers."""

from django.db import transaction

from articles.models import Article, ArticleRedirect, Correction

# The rows a revision holds beside its story: the follow list of the story's reversion registration.
PARTS = ("authorships", "mentions", "tagged_items", "related_links", "corrections")
# Where the story stands for readers. A restore leaves them as they are now; only the workflow moves them.
LIVE_FIELDS = ("status", "published_at", "embargo_until", "updated_at")
# The row's own bookkeeping, which a restore leaves as it is too.
KEPT_FIELDS = (*LIVE_FIELDS, "version", "guid", "created_by")


def part_keys():
    """Return, for each model of a story's parts, the name of its column holding the story's id."""
    relations = [Article._meta.get_field(name) for name in PARTS]
    return {relation.related_model: relation.field.attname for relation in relations}


def own_parts(revision, story_pk, *, with_corrections):
    """Return the versions in revision of rows that belong to story story_pk: its bylines, mentions, tags, links.

    A revision can hold other stories (a bulk move saves them in one) and rows naming another story;
    those are left out, and so is a row whose id another story's row has now.
    """
    keys = part_keys()
    if not with_corrections:
        del keys[Correction]
    parts = []
    for version in revision.version_set.select_related("content_type").order_by("pk"):
        model = version.content_type.model_class()
        if model not in keys or version.field_dict.get(keys[model]) != story_pk:
            continue
        holder = model._default_manager.filter(pk=version.object_id).values_list(keys[model], flat=True).first()
        if holder is None or holder == story_pk:
            parts.append(version)
    return parts


def restore(story_version, parts, *, story_pk):
    """Write a revision of an existing story back, keeping its live state and its corrections as they are now.

    The story's bylines, mentions, tags and links that the revision does not hold are removed.
    """
    kept = Article.objects.filter(pk=story_pk).values(*KEPT_FIELDS).get()
    known_url = _public_url(story_pk)
    with transaction.atomic():
        held = {(version.content_type.model_class(), version.object_id) for version in parts}
        for model, key in part_keys().items():
            if model is Correction:
                continue
            for row in model._default_manager.filter(**{key: story_pk}):
                if (model, str(row.pk)) not in held:
                    row.delete()
        recover(story_version, parts)
        Article.objects.filter(pk=story_pk).update(**kept)
        if known_url:
            # The revision's slug or section may give the story another address; readers' links keep working.
            ArticleRedirect.record(known_url, Article.objects.select_related("primary_section").get(pk=story_pk))


def recover(story_version, parts):
    """Write a story's version and its rows' versions back to the database."""
    with transaction.atomic():
        story_version.revert()
        for version in parts:
            version.revert()


def _public_url(story_pk):
    """Return the address a published story has now, or None."""
    story = Article.objects.select_related("primary_section").get(pk=story_pk)
    if story.status == Article.Status.PUBLISHED and story.published_at is not None:
        return story.get_absolute_url()
    return None
