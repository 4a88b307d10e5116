"""Sitemaps for crawlers, a Google News sitemap, and robots.txt that names them — all from published()."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from taggit.models import Tag

from articles.models import Article, Person, Section, article_path
from articles.platform import invalidation
from articles.platform.cache import reads_query
from articles.reader import reading
from articles.reader.pagination import page_number

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    limit = 5000
    changefreq = "daily"

    def items(self):
        return (
            Article.objects.published()
            .select_related("primary_section")
            .only("slug", "published_at", "last_modified", "updated_at", "primary_section__path")
            .order_by("-published_at", "-pk")
        )

    def get_urls(self, page=1, site=None, protocol=None):
        """Return the page's entries from plain rows, in one query.

        Django's version counts the published stories first (80 ms at 100,000 on SQLite: the count reads
        every row for its embargo), then makes a model instance and a dict of eight keys per story. Here
        a page past the end is known by coming back empty.
        """
        try:
            number = int(page)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        start = (number - 1) * self.limit
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        rows = self.items().values_list("primary_section__path", "published_at", "slug", "last_modified")
        urls = [
            {
                "location": base + article_path(path, published_at, slug),
                "lastmod": modified,
                "changefreq": self.changefreq,
            }
            for path, published_at, slug, modified in rows[start : start + self.limit]
        ]
        if not urls and number > 1:
            raise EmptyPage("That page contains no results")
        self.latest_lastmod = max((url["lastmod"] for url in urls), default=None)
        return urls

    @cached_property
    def totals(self):
        # The index needs the number of stories (for its pages) and the latest change: one pass for both.
        return Article.objects.published().aggregate(count=Count("pk"), latest=Max("last_modified"))

    @property
    def paginator(self):
        pages = super().paginator
        pages.count = self.totals["count"]
        return pages

    def get_latest_lastmod(self):
        # Django's default walks every item for the index's <lastmod>; the database knows the answer.
        return self.totals["latest"]


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.annotate(latest=Max("articles__published_at")).order_by("path")

    def lastmod(self, item):
        return item.latest


class PersonSitemap(Sitemap):
    limit = 5000

    def items(self):
        # For each person, does one public story carry their byline or name them? Each EXISTS stops at
        # the first such story, through the person's index: 8 ms at 100,000 stories on SQLite, where
        # IN over every public story's id took 400 ms (and a join with DISTINCT 21 s).
        return Person.objects.filter(reading.in_public_stories(timezone.now())).only("slug").order_by("slug")


class TagSitemap(Sitemap):
    limit = 5000

    def items(self):
        # As for people: 5 ms where IN over every public story's id took 220 ms.
        return Tag.objects.filter(reading.on_public_stories(timezone.now())).only("slug").order_by("slug")

    def location(self, item):
        return reverse("articles:tag-detail", kwargs={"slug": item.slug})


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
    "tags": TagSitemap,
}


def recent_news(now=None):
    """Return the stories a Google News sitemap lists: published in the last 48 hours."""
    now = now or timezone.now()
    return Article.objects.published(now=now).filter(published_at__gte=now - NEWS_WINDOW)


def news_sitemap_url(request):
    """Return the news sitemap's address, or None while it would be empty (an empty urlset is invalid)."""
    return request.build_absolute_uri(reverse("sitemap-news")) if recent_news().exists() else None


@reads_query()
@require_safe
def sitemap_index(request):
    """Return the sitemap index: Django's, plus the Google News sitemap when it has stories."""
    response = sitemap_views.index(
        request, SITEMAPS, template_name="sitemaps/index.xml", sitemap_url_name="sitemap-section"
    )
    response.context_data["news_sitemap_url"] = news_sitemap_url(request)
    # It gives each page of the stories' sitemap with its last change.
    pages = ArticleSitemap().paginator.num_pages
    invalidation.page_shows(invalidation.SITEMAPS, *(invalidation.sitemap_page_key(n) for n in range(1, pages + 1)))
    return response


@reads_query("p")
@require_safe
def sitemap_section(request, section):
    """Return one page (?p=N) of the stories', sections', people's or tags' sitemap.

    Written by the template sitemaps/urlset.xml, a publisher's to replace. Entries carry the whole
    time of their last change, not just the day.
    """
    if section not in SITEMAPS:
        raise Http404(f"No sitemap named {section!r}.")
    sitemap = SITEMAPS[section]()
    # A whole number within the bound every list page keeps: a larger one overflows the database's integers.
    number = page_number(request, param="p")
    try:
        urls = sitemap.get_urls(page=number, site=get_current_site(request), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(f"No page {request.GET.get('p')!r} in this sitemap.") from error
    invalidation.page_shows(invalidation.SITEMAPS)
    if section == "articles":
        invalidation.page_shows(invalidation.sitemap_page_key(number))
    response = TemplateResponse(request, "sitemaps/urlset.xml", {"urlset": urls}, content_type="application/xml")
    # Sitemaps are for crawlers to read, not to list in results (as Django's own sitemap view says).
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    latest = getattr(sitemap, "latest_lastmod", None)
    if latest:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


@reads_query()
@require_safe
def news_sitemap(request):
    """Return the Google News sitemap: at most 1,000 stories published in the last 48 hours."""
    articles = list(
        recent_news()
        .select_related("primary_section")
        .only("headline", "slug", "published_at", "primary_section__path")
        .order_by("-published_at", "-pk")[:NEWS_LIMIT]
    )
    invalidation.page_shows(invalidation.NEWS_SITEMAP)
    if not articles:
        raise Http404("No stories in the last 48 hours.")
    context = {
        "articles": articles,
        "base": f"{request.scheme}://{request.get_host()}",
        "publication_name": settings.NEWSROOM["SITE_NAME"],
        "language": settings.NEWSROOM["SITE_LANGUAGE"],
    }
    return TemplateResponse(request, "sitemaps/news.xml", context, content_type="application/xml")


@reads_query()
@require_safe
def robots_txt(request):
    """Return robots.txt: crawl everything public, skip the desk and search, and here are the sitemaps."""
    base = f"{request.scheme}://{request.get_host()}"
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_PATH}",
        "Disallow: /search/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {base}{reverse('sitemap-index')}",
    ]
    news = news_sitemap_url(request)
    if news:
        lines.append(f"Sitemap: {news}")
    lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
