"""The queries behind readers' pages, prepared once per process (see articles/prepared.py).

Each is the same ORM queryset the page would otherwise build on every request, starting from
Article.objects.published() where it lists stories; only the SQL compilation is kept.
"""

import datetime
import functools

from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    CARD_FIELDS,
    Article,
    Authorship,
    Correction,
    Mention,
    Person,
    RelatedLink,
    Section,
    TaggedArticle,
    article_path,
    is_public,
    public_q,
)
from articles.prepared import PreparedQuery
from articles.urlcache import fast_reverse

STORY = PreparedQuery(
    Article,
    lambda slug, now: Article.objects.published(now=now).for_story().filter(slug=slug)[:2],
    slug=str,
    now=datetime.datetime,
)


def _parts(model, *related, key="article_id", order=None):
    """Return a prepared query for one story's rows of model, with the related rows the page shows."""

    def build(article):
        rows = model.objects.filter(**{key: article}).select_related(*related)
        return rows.order_by(*order) if order else rows

    return PreparedQuery(model, build, article=int)


# A story's bylines, mentions and tags as plain rows of one query: the page shows only names and addresses.
BYLINE, MENTION, TAG = 0, 1, 2


def _story_names(article):
    arms = [
        Authorship.objects.filter(article_id=article).annotate(
            part=Value(BYLINE), slug=F("person__slug"), name=F("person__name"), extra=F("role"), pos=F("position")
        ),
        Mention.objects.filter(article_id=article).annotate(
            part=Value(MENTION), slug=F("person__slug"), name=F("person__name"), extra=F("title"), pos=F("position")
        ),
        # Tags in the order they were given, as the story's Topics and its feed entries list them.
        TaggedArticle.objects.filter(content_object_id=article).annotate(
            part=Value(TAG), slug=F("tag__slug"), name=F("tag__name"), extra=Value(""), pos=F("pk")
        ),
    ]
    first, *rest = (arm.order_by().values_list("part", "slug", "name", "extra", "pos", "pk") for arm in arms)
    return first.union(*rest, all=True).order_by("part", "pos", "pk")


NAMES = PreparedQuery(Authorship, _story_names, article=int)
# A linked story is read only for its address: not its body, standfirst or any other column.
LINKS = PreparedQuery(
    RelatedLink,
    lambda article: (
        RelatedLink.objects.filter(article_id=article)
        .select_related("target_article__primary_section")
        .only(
            *(field.attname for field in RelatedLink._meta.concrete_fields),
            "target_article__slug",
            "target_article__published_at",
            "target_article__primary_section__path",
        )
    ),
    article=int,
)
CORRECTIONS = _parts(Correction)
TOP_SECTIONS = PreparedQuery(
    Section,
    lambda: Section.objects.filter(parent__isnull=True).only("name", "path", "slug"),
)


@functools.cache
def _menu_and_trail(depth):
    """Return the prepared query for the top-level sections and a trail this deep: one slot per path."""
    return PreparedQuery(
        Section,
        lambda **paths: Section.objects.filter(
            Q(parent__isnull=True) | Q(path__in=[paths[f"p{i}"] for i in range(depth)])
        ).values_list("path", "name", "parent_id"),
        **{f"p{i}": str for i in range(depth)},
    )


def _first(rows):
    return rows[0] if rows else None


def _listed(query, now, **values):
    """Return the cards of a prepared list of public stories, as of now (the present if None)."""
    return as_cards(query(now=now or timezone.now(), **values))


def published_story(slug, *, now=None):
    """Return the public story with this slug, with its section and lead picture, or None."""
    return _first(STORY(slug=slug, now=now or timezone.now()))


@functools.cache
def _role_labels():
    # Built on first use: the labels are translations, not ready when this module is imported.
    return {value: str(label).lower() for value, label in Authorship.Role.choices}


def _person_url(slug):
    return fast_reverse("articles:person-detail", slug=slug)


def story_parts(article):
    """Return the bylines, mentions, links, tags and corrections of a story, in three prepared queries.

    Bylines are (address, name, role) with role empty for an author, mentions (address, name, title),
    tags (address, name), all from one query; links and corrections are model instances.
    """
    pk = article.pk
    labels = _role_labels()
    names = {BYLINE: [], MENTION: [], TAG: []}
    for part, slug, name, extra, _position, _pk in NAMES(article=pk):
        if part == BYLINE:
            role = "" if extra == Authorship.Role.AUTHOR else labels.get(extra, extra)
            names[part].append((_person_url(slug), name, role))
        elif part == MENTION:
            names[part].append((_person_url(slug), name, extra))
        else:
            names[part].append((fast_reverse("articles:tag-detail", slug=slug), name))
    return {
        "authorships": names[BYLINE],
        "mentions": names[MENTION],
        "links": LINKS(article=pk),
        "tags": names[TAG],
        "corrections": CORRECTIONS(article=pk),
    }


def top_sections():
    """Return the top-level sections in menu order, for the navigation."""
    return TOP_SECTIONS()


def section_links(sections):
    """Return (address, name) of each section, as the navigation and breadcrumbs show them.

    Templates unpack the pairs ({% for url, name in … %}): no attribute lookups or method calls per link.
    """
    return [(_section_url(section.path), section.name) for section in sections]


def menu_and_trail(section):
    """Return links to the top-level sections in menu order and the trail from the top down to section.

    One query for both; each is a list of (address, name) pairs.
    """
    segments = section.path.split("/")
    paths = ["/".join(segments[: i + 1]) for i in range(len(segments))]
    rows = _menu_and_trail(len(paths))(**{f"p{i}": path for i, path in enumerate(paths)})
    names = {path: name for path, name, _parent in rows}
    return (
        [(_section_url(path), name) for path, name, parent in rows if parent is None],
        [(_section_url(path), names[path]) for path in paths if path in names],
    )


def _section_url(path):
    return fast_reverse("articles:section-detail", path=path)


class CardSection:
    """The section a card names: its name and address."""

    __slots__ = ("pk", "name", "slug", "path")

    def __init__(self, pk, name, slug, path):
        self.pk, self.name, self.slug, self.path = pk, name, slug, path

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _section_url(self.path)


class Card:
    """A story as a list shows it: headline, standfirst, time, section and address, from a plain row.

    Lists show up to 60 stories. Making a model instance and one for its section per story cost more
    than the list's query; a card holds only what a card shows and the public check needs.
    """

    __slots__ = ("pk", "headline", "slug", "dek", "status", "published_at", "embargo_until", "primary_section")
    # The model's card fields (for_listing), led by the keys of the story and its section.
    columns = ("pk", "primary_section_id", *CARD_FIELDS)

    def __init__(self, pk, headline, slug, dek, status, published_at, embargo_until, section):
        self.pk, self.headline, self.slug, self.dek = pk, headline, slug, dek
        self.status, self.published_at, self.embargo_until = status, published_at, embargo_until
        self.primary_section = section

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return article_path(self.primary_section.path, self.published_at, self.slug)

    def is_public(self, *, now=None):
        return is_public(self.status, self.published_at, self.embargo_until, now=now)


def as_cards(rows):
    """Return Card objects for rows of Card.columns; stories of one section share its CardSection."""
    sections = {}
    cards = []
    for pk, section_pk, headline, slug, dek, status, published_at, embargo_until, *section in rows:
        where = sections.get(section_pk)
        if where is None:
            where = sections[section_pk] = CardSection(section_pk, *section)
        cards.append(Card(pk, headline, slug, dek, status, published_at, embargo_until, where))
    return cards


def cards_of(queryset, start, stop):
    """Return rows start to stop of a for_listing() queryset as cards, in one query."""
    return as_cards(queryset.values_list(*Card.columns)[start:stop])


LATEST = PreparedQuery(
    Article,
    lambda now, start, stop: Article.objects.published(now=now).for_listing().values_list(*Card.columns)[start:stop],
    now=datetime.datetime,
)
SECTION_LATEST = PreparedQuery(
    Article,
    lambda now, section, below, start, stop: (
        Article.objects.published(now=now)
        .for_listing()
        .filter(Q(primary_section_id=section) | Q(primary_section__path__startswith=below))
        .values_list(*Card.columns)[start:stop]
    ),
    now=datetime.datetime,
    section=int,
    below=str,
)
TAG_LATEST = PreparedQuery(
    Article,
    lambda now, tag, start, stop: (
        Article.objects.published(now=now)
        .for_listing()
        .filter(tagged_items__tag_id=tag)
        .values_list(*Card.columns)[start:stop]
    ),
    now=datetime.datetime,
    tag=int,
)


def _by_person(link):
    """Return the prepared list of public stories with a row of link (Authorship, Mention) for a person."""
    return PreparedQuery(
        Article,
        lambda now, person, start, stop: (
            Article.objects.published(now=now)
            .for_listing()
            # A semi-join rather than a join plus DISTINCT: the database stops at the page it needs.
            .filter(pk__in=link.objects.filter(person_id=person).values("article_id"))
            .values_list(*Card.columns)[start:stop]
        ),
        now=datetime.datetime,
        person=int,
    )


WRITTEN_BY = _by_person(Authorship)
MENTIONING = _by_person(Mention)


def in_public_stories(now):
    """Return the condition for people with a byline on, or named in, a story readers may see now.

    Each EXISTS stops at the first such story, through the person's index.
    """
    return Exists(Authorship.objects.filter(public_q("article__", now=now), person=OuterRef("pk"))) | Exists(
        Mention.objects.filter(public_q("article__", now=now), person=OuterRef("pk"))
    )


def on_public_stories(now):
    """Return the condition for tags given to a story readers may see now."""
    return Exists(TaggedArticle.objects.filter(public_q("content_object__", now=now), tag=OuterRef("pk")))


# A name that only embargoed, scheduled or unpublished stories use would tell readers what is coming.
PERSON_AT = PreparedQuery(
    Person,
    lambda slug, now: Person.objects.select_related("photo").filter(in_public_stories(now), slug=slug)[:1],
    slug=str,
    now=datetime.datetime,
)
TAG_AT = PreparedQuery(
    Tag, lambda slug, now: Tag.objects.filter(on_public_stories(now), slug=slug)[:1], slug=str, now=datetime.datetime
)
RECENT_PATHS = PreparedQuery(
    Article,
    lambda now, size: (
        Article.objects.published(now=now)
        .order_by("-published_at", "-pk")
        .values_list("pk", "primary_section__path")[:size]
    ),
    now=datetime.datetime,
)
SECTION_AT = PreparedQuery(Section, lambda path: Section.objects.filter(path=path)[:1], path=str)
SUBSECTIONS = PreparedQuery(Section, lambda parent: Section.objects.filter(parent_id=parent), parent=int)


@functools.cache
def _cards(count):
    # By primary key alone: with the published() filter added, SQLite walks the whole published index
    # instead (35 ms at 100,000 stories). cards() checks in Python that each story is still public.
    return PreparedQuery(
        Article,
        lambda **pks: (
            Article.objects.for_listing()
            .filter(pk__in=[pks[f"k{i}"] for i in range(count)])
            .values_list(*Card.columns)
        ),
        **{f"k{i}": int for i in range(count)},
    )


def latest(start, stop, *, now=None):
    """Return the public stories from start to stop, newest first, as cards."""
    return _listed(LATEST, now, start=start, stop=stop)


def section_latest(section, start, stop, *, now=None):
    """Return the public stories of a section and the sections below it, newest first, as cards."""
    return _listed(SECTION_LATEST, now, section=section.pk, below=f"{section.path}/", start=start, stop=stop)


def tag_latest(tag, start, stop, *, now=None):
    """Return the public stories with this tag, newest first, as cards."""
    return _listed(TAG_LATEST, now, tag=tag.pk, start=start, stop=stop)


def written_by(person, start, stop, *, now=None):
    """Return the public stories with this person's byline, newest first, as cards."""
    return _listed(WRITTEN_BY, now, person=person.pk, start=start, stop=stop)


def mentioning(person, start, stop, *, now=None):
    """Return the public stories that name this person, newest first, as cards."""
    return _listed(MENTIONING, now, person=person.pk, start=start, stop=stop)


def person_at(slug, *, now=None):
    """Return the person with this slug, with their photo, if a public story names them; otherwise None."""
    return _first(PERSON_AT(slug=slug, now=now or timezone.now()))


def tag_at(slug, *, now=None):
    """Return the tag with this slug if a public story carries it; otherwise None."""
    return _first(TAG_AT(slug=slug, now=now or timezone.now()))


def recent_paths(size, *, now=None):
    """Return (pk, section path) of the newest size public stories."""
    return RECENT_PATHS(now=now or timezone.now(), size=size)


def cards(pks, *, now=None):
    """Return those of the stories with these primary keys that are public, as cards, newest first."""
    pks = list(pks)
    if not pks:
        return []
    now = now or timezone.now()
    rows = as_cards(_cards(len(pks))(**{f"k{i}": pk for i, pk in enumerate(pks)}))
    return [card for card in rows if card.is_public(now=now)]


def section_at(path):
    """Return the section at this path, or None."""
    return _first(SECTION_AT(path=path))


def subsections(section):
    """Return the sections directly below this one, in menu order."""
    return SUBSECTIONS(parent=section.pk)
