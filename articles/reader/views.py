"""Public pages. Every one starts from Article.objects.published()."""

import datetime
import hashlib
import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.views import defaults
from django.views.generic import DetailView, ListView, TemplateView

from articles.core.limits import REDIRECT_PATH_MAX_LENGTH, year_in_range
from articles.core.urlcache import fast_reverse
from articles.models import (
    Article,
    ArticleRedirect,
    Correction,
)
from articles.platform import invalidation, security
from articles.platform.cache import reads_query
from articles.reader import reading, search, share_card, structured_data
from articles.reader.pagination import slice_page


class PublishedArticlesMixin:
    """Start every public query from the published articles, with what the cards show."""

    paginate_by = 20
    # The query parameters the page reads; the page cache ignores any others (articles/platform/cache.py).
    cache_query_parameters = ("page",)

    def published_articles(self):
        return Article.objects.published().for_listing()

    def get_queryset(self):
        return self.published_articles()

    def page_rows(self, start, stop):
        """Return the cards from start to stop of the list; pages with a list of their own (reading.py) override it."""
        return reading.cards_of(self.object_list, start, stop)

    def paginate_queryset(self, queryset, page_size):
        # Counting every public story on each request costs more than the page itself at scale.
        page = slice_page(self.page_rows, self.request, page_size)
        return None, page, page, page.has_other_pages()


class HomeView(PublishedArticlesMixin, ListView):
    """The lead story and the latest, then the latest from each top-level section."""

    template_name = "articles/home.html"
    context_object_name = "articles"
    # The section blocks are drawn from this many recent stories: one bounded query, whatever the archive's size.
    section_window = 200
    per_section = 4

    def get_queryset(self):
        # The list comes from page_rows; building the published() queryset here cost 0.2 ms for nothing.
        return Article.objects.none()

    def page_rows(self, start, stop):
        return reading.latest(start, stop)

    def get_context_data(self, **kwargs):
        invalidation.page_shows(invalidation.HOME)
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            # The navigation lists the same top-level sections: fetch them once for both.
            sections = reading.top_sections()
            context["nav_sections"] = reading.section_links(sections)
            context["section_blocks"] = self.section_blocks(sections, exclude={a.pk for a in context["articles"]})
        return context

    def section_blocks(self, sections, exclude):
        """Return [(section, stories)] for top-level sections in menu order, leaving out stories shown above."""
        chosen = {s.path: [] for s in sections}
        # First only ids and section paths of the recent window (cheap rows), then the chosen cards.
        for pk, path in reading.recent_paths(self.section_window):
            top = path.split("/", 1)[0]
            if pk not in exclude and top in chosen and len(chosen[top]) < self.per_section:
                chosen[top].append(pk)
        wanted = [pk for pks in chosen.values() for pk in pks]
        cards = {a.pk: a for a in reading.cards(wanted)}
        return [
            (section, [cards[pk] for pk in chosen[section.path] if pk in cards])
            for section in sections
            if chosen[section.path]
        ]


class SectionDetailView(PublishedArticlesMixin, ListView):
    template_name = "articles/section_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.section = reading.section_at(self.kwargs["path"].strip("/"))
        if self.section is None:
            raise Http404("No such section")
        invalidation.page_shows(invalidation.section_key(self.section.pk))
        return Article.objects.none()  # the list comes from page_rows

    def page_rows(self, start, stop):
        return reading.section_latest(self.section, start, stop)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        context["nav_sections"], context["breadcrumbs"] = reading.menu_and_trail(self.section)
        context["subsections"] = reading.subsections(self.section)
        return context


def can_preview(user):
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


class ArticleDetailView(DetailView):
    """A public story; for staff, also a draft or scheduled story at its would-be address, as a preview.

    The story and its meta tags are drawn from their templates (includes/story.html, article_meta.html)
    into the page (article_detail.html). For readers the page is drawn once per version of the story,
    language, scheme and host, and kept in the story's cache entry (reading.public_story_page), which is
    checked against the story's row on every request.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    cache_query_parameters = ()
    story_templates = {"meta": "articles/includes/article_meta.html", "story": "articles/includes/story.html"}
    entry_shape = "page-2"

    def get_queryset(self):
        # Only a request carrying a session can be staff; readers' requests never look further.
        if self.request.COOKIES.get(settings.SESSION_COOKIE_NAME) and can_preview(self.request.user):
            return Article.objects.for_story()
        return Article.objects.published().for_story()

    def get(self, request, *args, **kwargs):
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return self.get_with_session(request)
        # A reader: nothing but public stories, and no session to look up.
        # The entry's shape is named in its key: a deploy that changes it never reads an older one.
        variant = f"{self.entry_shape}:{request.scheme}://{request.get_host()}"
        page = reading.public_story_page(self.kwargs["slug"], variant=variant, build=self.reader_page)
        if page is None:
            return self.moved(request)
        invalidation.page_shows(*page["keys"])
        if request.path != page["path"]:
            return redirect(page["path"], permanent=True)
        return HttpResponse(page["html"])

    def get_with_session(self, request):
        try:
            self.object = self.get_object()
        except Http404:
            return self.moved(request)
        self.path = self.object.get_absolute_url()
        if request.path != self.path:
            return redirect(self.path, permanent=True)
        return self.render_story()

    def render_story(self):
        """Render self.object for someone signed in: drawn afresh, and never kept if it is a preview."""
        context = self.get_context_data(object=self.object, **self.story_context(reading.story_page(self.object)))
        context["story_html"] = self.story_html(context)
        response = self.render_to_response(context)
        if not self.object.is_public():
            # A preview: never stored by any cache, never indexed.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def moved(self, request):
        """Send a reader to where a story moved, if it did and is public; Gone if it was withdrawn; else Not Found."""
        response = moved_story(request) or withdrawn_story(request, self.kwargs["slug"])
        if response is None:
            raise Http404("No such story")
        return response

    def reader_page(self, story, page):
        """Return what a reader's request for this story gets, drawn once to be kept: its address and page.

        A reader's page of a story is the same for every reader of one scheme, host and language until
        the story or the content version moves on, which is what its cache entry is keyed by.
        """
        self.object = story
        self.path = story.get_absolute_url()
        with invalidation.collecting_page_keys() as shown:  # the stories its asides show, kept with the entry
            context = {"article": story, "object": story, "view": self, **self.story_context(page)}
            context["story_html"] = self.story_html(context)
            html = render_to_string(self.template_name, context, request=self.request)
        keys = sorted(shown | {invalidation.story_key(story.pk)})
        return {"path": self.path, "html": html, "keys": keys}

    def story_html(self, context):
        return {
            name: render_to_string(template, context, request=self.request)
            for name, template in self.story_templates.items()
        }

    def story_context(self, page):
        """Return the template context of a story's page, from the story and what reading found for it."""
        article = self.object
        authorships, mentions, tags = page["authorships"], page["mentions"], page["tags"]
        request = self.request
        summary = article.seo_description or article.dek
        picture, width, height = structured_data.lead_picture(article, request)
        canonical_url = structured_data.absolute(request, self.path)
        page_title = article.seo_title or article.headline
        return {
            **page,
            "preview": not article.is_public(),
            "canonical_url": canonical_url,
            "share_links": structured_data.share_links(canonical_url, article.headline),
            "ninjs_url": fast_reverse("articles:ninjs-detail", guid=article.guid),
            "section_feed_url": fast_reverse("articles:section-feed-rss", path=article.primary_section.path),
            # A number: the template's {% blocktranslate count %} chooses "min read" in the plural it needs.
            "reading_minutes": reading_minutes(article.body),
            "page_title": page_title,
            "description": truncate(summary, 160),
            "social_meta": structured_data.social_meta(
                article,
                title=page_title,
                description=truncate(summary, 300),
                social_description=truncate(summary, 200),
                url=canonical_url,
                picture=(picture, width, height),
                tags=tags,
            ),
            "structured_data": [
                structured_data.news_article(
                    article,
                    request,
                    authorships=authorships,
                    mentions=mentions,
                    tags=tags,
                    corrections=page["corrections"],
                    picture=(picture, width, height),
                    url=canonical_url,
                ),
                structured_data.breadcrumbs(page["breadcrumbs"], request),
            ],
        }


def page_not_found(request, exception):
    """Answer an unknown address: 301 to the story that once lived there, if it is public; else 404.

    The addresses are kept in ArticleRedirect: a story's old address after its slug, section or date
    changed, and a story's address on the system it came from (a WordPress export's permalinks).
    """
    if request.method in ("GET", "HEAD"):
        response = moved_story(request)
        if response is not None:
            return response
    return defaults.page_not_found(request, exception)


def moved_story(request):
    """Return a 301 to the public story that once lived at the request's address, a 410 if that story was
    withdrawn, or None."""
    # An address no redirect can hold (a NUL, which PostgreSQL refuses in text, or too long) is simply not found.
    if "\x00" in request.path or len(request.path) > REDIRECT_PATH_MAX_LENGTH:
        return None
    moved = ArticleRedirect.objects.filter(old_path=request.path).select_related("article__primary_section").first()
    if moved:
        invalidation.page_shows(invalidation.story_key(moved.article_id))
    if moved and moved.article.is_public():
        return redirect(moved.article.get_absolute_url(), permanent=True)
    if moved and moved.article.status == Article.Status.WITHDRAWN:
        return gone(request)
    return None


def withdrawn_story(request, slug):
    """Return a 410 Gone notice if the story with this slug was withdrawn, or None."""
    withdrawn = Article.objects.filter(slug=slug, status=Article.Status.WITHDRAWN).values_list("pk", flat=True)[:1]
    for pk in withdrawn:
        invalidation.page_shows(invalidation.story_key(pk))
        return gone(request)
    return None


def gone(request):
    """Return the short notice a reader gets at the address of a withdrawn story: 410 Gone, not Not Found.

    It names nothing of the story: what was withdrawn may have been withdrawn for what it said.
    """
    return render(request, "articles/withdrawn.html", status=410)


def truncate(text, length):
    """Return text cut to length characters with an ellipsis, as the truncatechars filter does."""
    # Truncator walks every character; a text no longer than the limit needs no walk at all.
    return text if len(text) <= length else Truncator(text).chars(length)


WORDS_PER_MINUTE = 230


# Bodies are sanitized HTML, so every "<" opens a tag: enough to count words, never to display text.
_TAG = re.compile(r"<[^>]*>")


def reading_minutes(body):
    """Return the whole minutes an adult reader needs for a body, at least one."""
    return max(1, round(len(_TAG.sub(" ", body).split()) / WORDS_PER_MINUTE))


class ArticlePreviewView(ArticleDetailView):
    """/preview/<guid>/: any story, whatever its status and date, for staff who may see the desk."""

    slug_field = "guid"
    slug_url_kwarg = "guid"

    def dispatch(self, request, *args, **kwargs):
        if not can_preview(request.user):
            return redirect_to_login(request.get_full_path(), login_url=reverse("admin:login"))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.for_story()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.path = self.object.get_absolute_url()  # where the story is, or will be, read
        return self.render_story()


class ArticleShortLinkView(TemplateView):
    """Send /articles/<slug>/ to the story's full address, even after its slug changed."""

    cache_query_parameters = ()

    def get(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        article = Article.objects.published().select_related("primary_section").filter(slug=slug).first()
        if article is not None:
            invalidation.page_shows(invalidation.story_key(article.pk))
            return redirect(article.get_absolute_url(), permanent=True)
        # The slug was changed since the link was given (models.Article.save keeps the old short link), or
        # the story was withdrawn.
        response = moved_story(request) or withdrawn_story(request, slug)
        if response is None:
            raise Http404("No such story")
        return response


SHARE_CARD_SECONDS = 24 * 60 * 60


@reads_query()
def article_share_image(request, slug):
    """Return the story's share card, drawn once per version of the story and then kept in the cache."""
    article = get_object_or_404(
        Article.objects.published()
        .select_related("primary_section")
        .only("pk", "headline", "version", "primary_section__name", "published_at", "status", "embargo_until"),
        slug=slug,
    )
    invalidation.page_shows(invalidation.story_key(article.pk))
    key = f"share-card:{article.pk}:{article.version}:{hashlib.sha256(article.headline.encode()).hexdigest()[:16]}"
    png = cache.get(key)
    if png is None:
        png = share_card.render(article.headline, article.primary_section.name, settings.NEWSROOM["SITE_NAME"])
        cache.set(key, png, SHARE_CARD_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=SHARE_CARD_SECONDS)
    return response


class PersonDetailView(PublishedArticlesMixin, ListView):
    template_name = "articles/person_detail.html"
    context_object_name = "articles"
    cache_query_parameters = ("page", "by_page")

    def get_queryset(self):
        self.person = reading.person_at(self.kwargs["slug"])
        if self.person is not None:
            invalidation.page_shows(invalidation.person_key(self.person.pk))
        if self.person is None:
            raise Http404("No such person")
        return Article.objects.none()  # the lists come from page_rows and get_context_data

    def page_rows(self, start, stop):
        return reading.mentioning(self.person, start, stop)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["written"] = slice_page(
            lambda start, stop: reading.written_by(self.person, start, stop),
            self.request,
            self.paginate_by,
            param="by_page",
        )
        return context


class TagDetailView(PublishedArticlesMixin, ListView):
    template_name = "articles/tag_detail.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.tag = reading.tag_at(self.kwargs["slug"])
        if self.tag is not None:
            invalidation.page_shows(invalidation.tag_key(self.tag.pk))
        if self.tag is None:
            raise Http404("No such tag")
        return Article.objects.none()  # the list comes from page_rows

    def page_rows(self, start, stop):
        return reading.tag_latest(self.tag, start, stop)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        return context


def clean_query(text, max_length):
    """Return a search query fit for the database: no control characters, single spaces, bounded."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text[: max_length * 4])
    return " ".join(printable.split())[:max_length]


class SearchView(PublishedArticlesMixin, ListView):
    # Readers want to know how many stories matched: search keeps Django's counting paginator.
    paginate_queryset = ListView.paginate_queryset

    template_name = "articles/search.html"
    context_object_name = "articles"
    cache_query_parameters = ("q", "page")
    max_query_length = 200

    def get(self, request, *args, **kwargs):
        # Any story published or changed may enter this list: it is purged with every change.
        invalidation.page_shows(invalidation.ANY)
        # Each new query is a full-text search the page cache has not seen: limited per client address.
        if request.GET.get("q"):
            wait = security.seconds_until_allowed(request, "search")
            if wait:
                return security.too_many_requests(render(request, "429.html", {"what": gettext("searches")}), wait)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""), self.max_query_length)
        if not self.query:
            return Article.objects.none()
        return search.search(self.published_articles(), self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        return context


class CorrectionsView(ListView):
    """Every public correction, clarification and update, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    cache_query_parameters = ("page",)

    def get_queryset(self):
        # Any story published or changed may enter this list: it is purged with every change.
        invalidation.page_shows(invalidation.ANY)
        return (
            Correction.objects.filter(article__in=Article.objects.published().values("pk"))
            .select_related("article__primary_section")
            .order_by("-published_at", "-pk")
        )

    def paginate_queryset(self, queryset, page_size):
        page = slice_page(queryset, self.request, page_size)
        return None, page, page, page.has_other_pages()

    paginate_by = 30


class ArchiveIndexView(TemplateView):
    """Every month that has public stories, newest first, grouped by year."""

    template_name = "articles/archive_index.html"
    cache_query_parameters = ()

    def get_context_data(self, **kwargs):
        # Any story published or changed may enter this list: it is purged with every change.
        invalidation.page_shows(invalidation.ANY)
        context = super().get_context_data(**kwargs)
        months = Article.objects.published().dates("published_at", "month", order="DESC")
        years = {}
        for month in months:
            years.setdefault(month.year, []).append(month)
        context["years"] = list(years.items())
        return context


class DateArchiveView(PublishedArticlesMixin, ListView):
    """The public stories of one month or one day, newest first, in the site's time zone."""

    template_name = "articles/archive.html"
    context_object_name = "articles"

    def get_queryset(self):
        # Any story published or changed may enter this list: it is purged with every change.
        invalidation.page_shows(invalidation.ANY)
        year, month = int(self.kwargs["year"]), int(self.kwargs["month"])
        day = self.kwargs.get("day")
        # Outside the years a story can have there is nothing to list, and near the ends of the
        # calendar the period's end and its conversion to the site's zone overflow.
        if not year_in_range(year):
            raise Http404("No stories in that year")
        try:
            first = datetime.date(year, month, int(day) if day else 1)
        except ValueError:
            raise Http404("No such date") from None
        if day:
            last = first + datetime.timedelta(days=1)
        else:
            last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        self.period = first
        self.is_day = bool(day)
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(last, datetime.time.min, tzinfo=zone)
        # A range on the indexed column rather than __year/__month lookups the index cannot serve.
        return self.published_articles().filter(published_at__gte=start, published_at__lt=end)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        context["is_day"] = self.is_day
        return context
