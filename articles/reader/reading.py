"""The queries behind readers' pages, and what of them is kept in Django's cache between requests.

Every list starts from Article.objects.published() and every name or tag page from public_q(): the one
definition of what readers may see. Lists read values_list() rows into small cards; a story's parts
come through Prefetch objects defined here once, which the feeds use too. A story with its page, list
rows and section lookups are kept under the content version (articles/platform/cache.py), so no write is missed.
"""

import datetime
import hashlib
import math

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from taggit.models import Tag

from articles.core.text import title_key
from articles.core.urlcache import fast_reverse, site_urls
from articles.models import (
    CARD_FIELDS,
    CARD_PICTURE_FIELDS,
    Article,
    Authorship,
    Image,
    Mention,
    Person,
    RelatedLink,
    Section,
    TaggedArticle,
    article_path,
    bylines,
    is_public,
    mentions,
    public_q,
)
from articles.platform.cache import content_version, seconds_until_next_change, versioned
from articles.reader.rendering import story_body


def tagging_rows():
    """Return stories' tags through their taggings, in the order they were given.

    Prefetching taggit's manager instead builds a queryset per story.
    """
    return TaggedArticle.objects.select_related("tag").only("content_object", "tag__name", "tag__slug").order_by("pk")


def taggings():
    """Return how a story's tags are fetched, for story pages and feeds alike."""
    return Prefetch("tagged_items", queryset=tagging_rows())


def link_rows():
    """Return stories' links; a linked story is read only for its address, never its body."""
    return RelatedLink.objects.select_related("target_article__primary_section").only(
        *(field.attname for field in RelatedLink._meta.concrete_fields),
        "target_article__slug",
        "target_article__published_at",
        "target_article__primary_section__path",
    )


def related_links():
    """Return how a story's links are fetched."""
    return Prefetch("related_links", queryset=link_rows())


def story_query(slug, *, now=None):
    """Return the public story with this slug, with its section and lead picture, as a queryset."""
    # Slugs are unique: no ordering to compile or sort by.
    return Article.objects.published(now=now).for_story().filter(slug=slug).order_by()[:1]


def published_story(slug, *, now=None):
    """Return the public story with this slug, with its section and lead picture, or None."""
    return next(iter(story_query(slug, now=now)), None)


# A byline's word for a role, in brackets after the name: words of their own rather than the desk's
# labels lowered, since not every language writes these nouns in lower case.
BYLINE_ROLES = {
    Authorship.Role.ADDITIONAL: pgettext_lazy("in brackets after a name in a byline", "additional reporting"),
    Authorship.Role.PHOTOGRAPHER: pgettext_lazy("in brackets after a name in a byline", "photographer"),
    Authorship.Role.EDITOR: pgettext_lazy("in brackets after a name in a byline", "editor"),
}


def _person_url(slug):
    return fast_reverse("articles:person-detail", slug=slug)


def story_parts(article):
    """Return the bylines, mentions, links, tags and corrections of a story.

    Bylines are (address, name, role) with role empty for an author, mentions (address, name, title),
    tags (address, name); links and corrections are model instances.
    """
    prefetch_related_objects([article], bylines(), mentions(), taggings(), related_links(), "corrections")
    return {
        "authorships": [
            (
                _person_url(byline.person.slug),
                byline.person.name,
                "" if byline.role == Authorship.Role.AUTHOR else str(BYLINE_ROLES.get(byline.role, byline.role)),
            )
            for byline in article.authorships.all()
        ],
        "mentions": [
            (_person_url(mention.person.slug), mention.person.name, mention.title)
            for mention in article.mentions.all()
        ],
        "links": list(article.related_links.all()),
        "tags": [
            (fast_reverse("articles:tag-detail", slug=tagging.tag.slug), tagging.tag.name)
            for tagging in article.tagged_items.all()
        ],
        "corrections": list(article.corrections.all()),
    }


def resolve_pending_links(links, *, exclude=None, now=None):
    """Point links whose story has since arrived at that story, with one query for all of them.

    Return when a story one of them waits for becomes public (published but scheduled or under
    embargo), or None if no such story exists yet.
    """
    now = now or timezone.now()
    pending = {
        title_key(link.title): link
        for link in links
        if link.target_article_id is None and link.title and (not link.url or link.url.startswith("/search/"))
    }
    if not pending:
        return None
    # Look up by the indexed headline key alone; whether a match is public is checked here, so the
    # database never walks the whole published index.
    found = (
        Article.objects.filter(headline_key__in=list(pending))
        .exclude(pk=getattr(exclude, "pk", None))
        .select_related("primary_section")
        .only("headline_key", "slug", "status", "published_at", "embargo_until", "primary_section__path")
        .order_by("headline_key", "-published_at")
    )
    coming = []
    for target in found:
        if target.is_public(now=now):
            if target.headline_key in pending:
                pending.pop(target.headline_key).resolved_target = target
        elif target.status == Article.Status.PUBLISHED and target.published_at:
            coming.append(max(filter(None, (target.published_at, target.embargo_until))))
    return min(coming, default=None)


def _page_of(article, now):
    """Return what a story's page shows besides the story's own row, as plain values, and when it next
    changes by the clock alone (a story a link waits for comes due), or None."""
    parts = story_parts(article)
    links = parts["links"]
    coming = resolve_pending_links(links, exclude=article, now=now)
    read_more = [link for link in links if link.kind == RelatedLink.Kind.READ_MORE]
    nav_sections, trail = menu_and_trail(article.primary_section, kept=False)
    page = {
        "story_body": story_body(article.body, read_more, dateline=article.dateline),
        "related_links": [
            (link.get_absolute_url(), link.title) for link in links if link.kind == RelatedLink.Kind.RELATED
        ],
        "authorships": parts["authorships"],
        "mentions": parts["mentions"],
        "tags": parts["tags"],
        "corrections": parts["corrections"],
        "breadcrumbs": trail,
        "nav_sections": nav_sections,
    }
    page["rendered"] = story_parts_html(page)
    return page, coming


# The parts of a story's page that depend on the story alone, each a template a publisher may override.
STORY_PART_TEMPLATES = {
    "breadcrumbs": "articles/includes/breadcrumbs.html",
    "byline": "articles/includes/byline.html",
    "related": "articles/includes/related.html",
    "people": "articles/includes/people.html",
    "topics": "articles/includes/topics.html",
}


def story_parts_html(page):
    """Return the story-only parts of its page rendered once, to be kept with the story's cache entry."""
    context = {**page, "credits": page["authorships"], "site_urls": site_urls()}
    return {name: render_to_string(template, context) for name, template in STORY_PART_TEMPLATES.items()}


def story_page(article):
    """Return what a story's page shows besides the story's own row (for previews: never kept)."""
    return _page_of(article, timezone.now())[0]


def story_stamp(slug, *, now=None):
    """Return the id, version and modification time of the public story with this slug, or None.

    Asked on every reader's request for a story, so it is one short SQL statement through Django's
    cursor (documented: "Executing custom SQL directly") and the public test in Python (models.is_public)
    rather than a queryset, which cost more to build and compile than the database took to answer.
    """
    with connection.cursor() as cursor:
        cursor.execute(STAMP_SQL, [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, version, last_modified, status, published_at, embargo_until = row
    if not is_public(status, _aware(published_at), _aware(embargo_until), now=now):
        return None
    return pk, version, _aware(last_modified)


STAMP_SQL = (
    "SELECT id, version, last_modified, status, published_at, embargo_until "
    f"FROM {Article._meta.db_table} WHERE slug = %s"
)


def _aware(value):
    """Return a datetime column as an aware UTC datetime, however the database driver handed it over."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def public_story_page(slug, *, variant, build):
    """Return build(story, page) for the public story with this slug, or None if readers may not see it.

    page is what story_page() returns. The result is kept in the cache under the content version,
    which every write to anything a page shows moves on, so a publish, correction or update shows on
    the next request; and under variant (the scheme and host the page was drawn for) and the language.
    The story's row is still read each time, narrowly (story_stamp): whether readers may see it now,
    and whether its version or modification time moved on without the content version (an update()
    sends no signal). A link waiting for a story that is scheduled or under embargo depends on the
    clock too: the entry ends when that story is due.
    """
    digest = hashlib.sha256(f"{variant}\0{slug}".encode()).hexdigest()[:32]
    key = f"newsroom:story:{content_version()}:{get_language()}:{digest}"
    kept = versioned.get(key)
    if kept is not None:
        stamp = story_stamp(slug)
        if stamp is None:
            return None
        if kept[0] == stamp:
            return kept[1]
    story = published_story(slug)
    if story is None:
        return None
    now = timezone.now()
    page, coming = _page_of(story, now)
    built = build(story, page)
    seconds = settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600)
    if coming:
        seconds = max(1, min(seconds, math.ceil((coming - now).total_seconds())))
    versioned.set(key, ((story.pk, story.version, story.last_modified), built), seconds)
    return built


CHROME_TEMPLATES = {"header": "includes/header.html", "footer": "includes/footer.html"}


def site_chrome(request):
    """Return the header and footer of reader pages, drawn once per content version, language and year.

    What they show (the site's name and addresses, the top sections) changes only with the content
    version; a page with a search query in its header draws its header itself (base.html).
    """
    year = timezone.localdate().year
    key = f"newsroom:chrome:{content_version()}:{get_language()}:{year}"
    chrome = versioned.get(key)
    if chrome is None:
        chrome = {name: render_to_string(template, request=request) for name, template in CHROME_TEMPLATES.items()}
        versioned.set(key, chrome, settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600))
    return chrome


def top_sections():
    """Return the top-level sections in menu order, for the navigation."""
    return _kept(
        "top-sections",
        (),
        lambda: list(Section.objects.filter(parent__isnull=True).only("name", "path", "slug")),
        None,
        clock=False,
    )


def section_links(sections):
    """Return (address, name) of each section, as the navigation and breadcrumbs show them.

    Templates unpack the pairs ({% for url, name in … %}): no attribute lookups or method calls per link.
    """
    return [(_section_url(section.path), section.name) for section in sections]


def menu_and_trail(section, *, kept=True):
    """Return links to the top-level sections in menu order and the trail from the top down to section.

    One query for both, kept in the cache unless kept is false; each is a list of (address, name) pairs.
    """
    segments = section.path.split("/")
    paths = ["/".join(segments[: i + 1]) for i in range(len(segments))]

    def found():
        return list(
            Section.objects.filter(Q(parent__isnull=True) | Q(path__in=paths)).values_list("path", "name", "parent_id")
        )

    rows = _kept("menu-and-trail", paths, found, None, clock=False) if kept else found()
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
    """A story as a list shows it: headline, standfirst, time, section, address and lead picture, from a plain row.

    Lists show up to 60 stories; a card holds only what a card shows and the public check needs, where a
    model instance and one for its section per story cost more than the list's query. The picture stays
    a plain row (picture) until a card is drawn, which most requests do not do (cards.py keeps them).
    """

    __slots__ = (
        "pk", "headline", "slug", "dek", "status", "published_at", "embargo_until", "primary_section", "picture",
        "_lead_image",
    )  # fmt: skip
    # The model's card fields (for_listing), led by the keys of the story and its section, then the picture's.
    columns = ("pk", "primary_section_id", *CARD_FIELDS, *CARD_PICTURE_FIELDS)

    def __init__(self, pk, headline, slug, dek, status, published_at, embargo_until, section, picture=None):
        self.pk, self.headline, self.slug, self.dek = pk, headline, slug, dek
        self.status, self.published_at, self.embargo_until = status, published_at, embargo_until
        self.primary_section = section
        # (file, width, height, alt text, renditions) of a lead picture with a file; None otherwise.
        self.picture = picture
        self._lead_image = None

    def __str__(self):
        return self.headline

    @property
    def lead_image(self):
        """Return the lead picture as an (unsaved) Image, as a story's own lead_image would be; None without a file."""
        if self._lead_image is None and self.picture is not None:
            file, width, height, alt_text, renditions = self.picture
            self._lead_image = Image(file=file, width=width, height=height, alt_text=alt_text, renditions=renditions)
        return self._lead_image

    def get_absolute_url(self):
        return article_path(self.primary_section.path, self.published_at, self.slug)

    def is_public(self, *, now=None):
        return is_public(self.status, self.published_at, self.embargo_until, now=now)


# The section's columns (name, slug, path) come after the story's own in a card row, then the picture's.
SECTION_COLUMNS = sum(field.startswith("primary_section__") for field in CARD_FIELDS)


def as_cards(rows):
    """Return Card objects for rows of Card.columns; stories of one section share its CardSection."""
    sections = {}
    cards = []
    for pk, section_pk, headline, slug, dek, status, published_at, embargo_until, *rest in rows:
        section, picture = rest[:SECTION_COLUMNS], rest[SECTION_COLUMNS:]
        where = sections.get(section_pk)
        if where is None:
            where = sections[section_pk] = CardSection(section_pk, *section)
        # A caption-only wire picture (no file) is no picture for a card.
        shown = tuple(picture) if picture[0] else None
        cards.append(Card(pk, headline, slug, dek, status, published_at, embargo_until, where, shown))
    return cards


def cards_of(queryset, start, stop):
    """Return rows start to stop of a for_listing() queryset as cards, in one query."""
    return as_cards(queryset.values_list(*Card.columns)[start:stop])


_MISSING = object()


def _published_until(version):
    """Return when the public stories next change by the clock alone (a scheduled story, an embargo), or None.

    Kept in the cache for each content version, so one query answers it for every page until then.
    """
    key = f"newsroom:published-until:{version}"
    until = versioned.get(key, _MISSING)
    now = timezone.now()
    if until is _MISSING or (until is not None and until <= now):
        seconds = seconds_until_next_change(now)
        until = now + datetime.timedelta(seconds=seconds) if seconds else None
        versioned.set(key, until, settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600))
    return until


def _kept(name, args, fetch, now, *, clock=True):
    """Return fetch(), kept in the cache while the content and the public stories stay as they are.

    The key holds the content version, which every write moves on, and, for an answer that depends on
    which stories are public (clock true), the moment the next scheduled story or embargo comes due.
    An answer for a given moment (now) other than the present is not kept.
    """
    if now is not None:
        return fetch()
    version = content_version()
    until = _published_until(version) if clock else None
    shape = hashlib.sha256(repr(args).encode()).hexdigest()[:32]
    key = f"newsroom:rows:{version}:{until.timestamp() if until else 0}:{name}:{shape}"
    rows = versioned.get(key, _MISSING)
    if rows is _MISSING:
        rows = fetch()
        versioned.set(key, rows, settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600))
    return rows


def _listed(name, args, build, start, stop, now):
    """Return rows start to stop of build()'s list of public stories as cards, kept as _kept() keeps them.

    The queryset is built only when the rows are not kept: building one cost more than reading the cache.
    """
    return as_cards(
        _kept(name, (*args, start, stop), lambda: list(build().values_list(*Card.columns)[start:stop]), now)
    )


def listing(*, now=None):
    """Return the public stories, newest first, with what a card shows."""
    return Article.objects.published(now=now).for_listing()


def section_listing(section, *, now=None):
    """Return the public stories of a section and the sections below it, newest first."""
    return listing(now=now).filter(
        Q(primary_section=section) | Q(primary_section__path__startswith=f"{section.path}/")
    )


def tag_listing(tag, *, now=None):
    """Return the public stories with this tag, newest first."""
    return listing(now=now).filter(tagged_items__tag=tag)


def linked_listing(link, person, *, now=None):
    """Return the public stories with a row of link (Authorship, Mention) for this person, newest first."""
    # A semi-join rather than a join plus DISTINCT: the database stops at the page it needs.
    return listing(now=now).filter(pk__in=link.objects.filter(person=person).values("article_id"))


def latest(start, stop, *, now=None):
    """Return the public stories from start to stop, newest first, as cards."""
    return _listed("latest", (), lambda: listing(now=now), start, stop, now)


def section_latest(section, start, stop, *, now=None):
    """Return the public stories of a section and the sections below it, newest first, as cards."""
    return _listed("section", (section.pk, section.path), lambda: section_listing(section, now=now), start, stop, now)


def tag_latest(tag, start, stop, *, now=None):
    """Return the public stories with this tag, newest first, as cards."""
    return _listed("tag", (tag.pk,), lambda: tag_listing(tag, now=now), start, stop, now)


def written_by(person, start, stop, *, now=None):
    """Return the public stories with this person's byline, newest first, as cards."""
    return _listed("written", (person.pk,), lambda: linked_listing(Authorship, person, now=now), start, stop, now)


def mentioning(person, start, stop, *, now=None):
    """Return the public stories that name this person, newest first, as cards."""
    return _listed("mentioning", (person.pk,), lambda: linked_listing(Mention, person, now=now), start, stop, now)


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
def person_at(slug, *, now=None):
    """Return the person with this slug, with their photo, if a public story names them; otherwise None."""
    return _kept(
        "person",
        slug,
        lambda: Person.objects.select_related("photo").filter(in_public_stories(now), slug=slug).first(),
        now,
    )


def tag_at(slug, *, now=None):
    """Return the tag with this slug if a public story carries it; otherwise None."""
    return _kept("tag-at", slug, lambda: Tag.objects.filter(on_public_stories(now), slug=slug).first(), now)


def recent_query(size, *, now=None):
    """Return (pk, section path) rows of the newest size public stories, as a queryset."""
    rows = Article.objects.published(now=now).order_by("-published_at", "-pk")
    return rows.values_list("pk", "primary_section__path")[:size]


def recent_paths(size, *, now=None):
    """Return (pk, section path) of the newest size public stories."""
    return _kept("recent", size, lambda: list(recent_query(size, now=now)), now)


def cards_query(pks):
    """Return the card rows of the stories with these primary keys, public or not, newest first."""
    # By primary key alone: with the published() filter added, SQLite walks the whole published index
    # instead. cards() checks that each story is public.
    return Article.objects.for_listing().filter(pk__in=pks).values_list(*Card.columns)


def cards(pks, *, now=None):
    """Return those of the stories with these primary keys that are public, as cards, newest first."""
    pks = list(pks)
    if not pks:
        return []
    rows = _kept("cards", pks, lambda: list(cards_query(pks)), None, clock=False)
    return [card for card in as_cards(rows) if card.is_public(now=now)]


def section_at(path):
    """Return the section at this path, or None."""
    return _kept("section-at", path, lambda: Section.objects.filter(path=path).first(), None, clock=False)


def subsections(section):
    """Return the sections directly below this one, in menu order."""
    return _kept("subsections", section.pk, lambda: list(Section.objects.filter(parent=section)), None, clock=False)
