"""RSS 2.0 and Atom feeds for the whole site, each section, tag and author — all from published()."""

import copy
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext

from articles.models import Article, Section, bylines
from articles.platform import invalidation
from articles.reader import reading

FEED_LENGTH = 30


def found_or_404(row):
    """Return row, or answer 404 when the lookup found nothing."""
    if row is None:
        raise Http404("No such feed")
    return row


class ArticleFeed(Feed):
    """The latest public stories; subclasses narrow the selection.

    RSS readers take a description as HTML, and Atom's <summary> goes out as type="html": the plain text
    an editor typed (a standfirst, a section's notes, a name) is escaped there, so it shows as typed.
    Titles, names and categories are text in both formats and go out as they are.
    """

    feed_type = Rss201rev2Feed
    description_template = None

    def title(self, obj=None):
        return settings.NEWSROOM["SITE_NAME"]

    def description_text(self, obj=None):
        return gettext("The latest stories from %(site)s.") % {"site": settings.NEWSROOM["SITE_NAME"]}

    def description(self, obj=None):
        return escape(self.description_text(obj))

    def link(self, obj=None):
        return reverse("articles:home")

    def get_feed(self, obj, request):
        """Build the feed on a copy of this feed that serves this request alone."""
        # The URLconf holds one instance per feed, shared by every thread of a worker, and Django passes
        # item methods the item alone: the request their absolute links need lives on the copy.
        for_this_request = copy.copy(self)
        for_this_request.request = request
        return super(ArticleFeed, for_this_request).get_feed(obj, request)

    def filter_articles(self, queryset, obj):
        return queryset

    def items(self, obj=None):
        queryset = (
            Article.objects.published()
            .for_story()
            .defer("body")  # a feed item carries the standfirst, not the story
            .prefetch_related(bylines(), reading.taggings())
            .order_by("-published_at", "-pk")
        )
        items = list(self.filter_articles(queryset, obj)[:FEED_LENGTH])
        invalidation.page_shows(self.list_key(obj), *(invalidation.story_key(item.pk) for item in items))
        return items

    def list_key(self, obj):
        """The key of the list this feed follows (articles/platform/invalidation.py)."""
        return invalidation.FEED

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return escape(item.dek or item.headline)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(filter(None, (item.updated_at, item.published_at)))

    def item_author_name(self, item):
        # Atom requires an author on every entry; a story with no byline is the publication's own.
        names = [a.person.name for a in item.authorships.all()]
        return ", ".join(names) or item.source or settings.NEWSROOM["SITE_NAME"]

    def item_author_link(self, item):
        authors = list(item.authorships.all())
        return self.request.build_absolute_uri(authors[0].person.get_absolute_url()) if authors else None

    def item_categories(self, item):
        return [item.primary_section.name, *(tagging.tag.name for tagging in item.tagged_items.all())]

    def item_enclosures(self, item):
        image = item.lead_image
        if not image or not image.file:
            return []
        try:
            size = image.file.size
        except OSError:
            return []
        mime = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        return [Enclosure(self.request.build_absolute_uri(image.file.url), str(size), mime)]


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, obj=None):
        return self.description_text(obj)  # Atom's subtitle is sent as text


class LatestRssFeed(ArticleFeed):
    pass


class LatestAtomFeed(AtomMixin, ArticleFeed):
    pass


class SectionRssFeed(ArticleFeed):
    def get_object(self, request, path):
        return get_object_or_404(Section, path=path.strip("/"))

    def title(self, obj=None):
        return f"{obj.name} – {settings.NEWSROOM['SITE_NAME']}"

    def description_text(self, obj=None):
        return obj.description or gettext("The latest %(section)s stories from %(site)s.") % {
            "section": obj.name,
            "site": settings.NEWSROOM["SITE_NAME"],
        }

    def link(self, obj=None):
        return obj.get_absolute_url()

    def list_key(self, obj):
        return invalidation.section_key(obj.pk)

    def filter_articles(self, queryset, obj):
        return queryset.filter(Q(primary_section=obj) | Q(primary_section__path__startswith=f"{obj.path}/"))


class SectionAtomFeed(AtomMixin, SectionRssFeed):
    pass


class TagRssFeed(ArticleFeed):
    def get_object(self, request, slug):
        # A name only hidden stories carry has no feed, as it has no page (reading.tag_at).
        return found_or_404(reading.tag_at(slug))

    def title(self, obj=None):
        return f"{obj.name} – {settings.NEWSROOM['SITE_NAME']}"

    def description_text(self, obj=None):
        return gettext("Stories about %(tag)s from %(site)s.") % {
            "tag": obj.name,
            "site": settings.NEWSROOM["SITE_NAME"],
        }

    def link(self, obj=None):
        return reverse("articles:tag-detail", kwargs={"slug": obj.slug})

    def list_key(self, obj):
        return invalidation.tag_key(obj.pk)

    def filter_articles(self, queryset, obj):
        return queryset.filter(tagged_items__tag=obj)


class TagAtomFeed(AtomMixin, TagRssFeed):
    pass


class PersonRssFeed(ArticleFeed):
    def get_object(self, request, slug):
        return found_or_404(reading.person_at(slug))

    def title(self, obj=None):
        return f"{obj.name} – {settings.NEWSROOM['SITE_NAME']}"

    def description_text(self, obj=None):
        return gettext("Stories by %(name)s on %(site)s.") % {"name": obj.name, "site": settings.NEWSROOM["SITE_NAME"]}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def list_key(self, obj):
        return invalidation.person_key(obj.pk)

    def filter_articles(self, queryset, obj):
        return queryset.filter(authorships__person=obj).distinct()


class PersonAtomFeed(AtomMixin, PersonRssFeed):
    pass
