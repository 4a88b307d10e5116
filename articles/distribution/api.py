"""The read-only partner API: published stories as IPTC ninjs 3.1, one by one or a page at a time."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from articles.interchange.ninjs import to_ninjs
from articles.models import Article
from articles.platform import invalidation, security
from articles.platform.cache import reads_query

PAGE_SIZE = 50
NINJS_TYPE = "application/ninjs+json"


def ninjs_queryset():
    return Article.objects.published().with_story_parts().order_by("-published_at", "-pk")


def _json(data, request):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False}, safe=False)
    response["Content-Type"] = f"{NINJS_TYPE}; charset=utf-8"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@reads_query()
@require_GET
def ninjs_detail(request, guid):
    """Return one published story as a ninjs item."""
    article = get_object_or_404(ninjs_queryset(), guid=guid)
    invalidation.page_shows(invalidation.story_key(article.pk))
    return _json(to_ninjs(article, absolute=request.build_absolute_uri), request)


@reads_query("page")
@require_GET
def ninjs_list(request):
    """Return a page of published stories, newest first, with links to the neighbouring pages."""
    # Each page builds up to 50 whole stories: requests the page cache cannot answer are limited per address.
    wait = security.seconds_until_allowed(request, "api")
    if wait:
        refusal = JsonResponse({"error": "Too many requests", "retry_after": wait})
        refusal["Access-Control-Allow-Origin"] = "*"
        return security.too_many_requests(refusal, wait)
    paginator = Paginator(ninjs_queryset(), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page") from exc
    base = request.build_absolute_uri(reverse("articles:ninjs-list"))
    invalidation.page_shows(invalidation.FEED, *(invalidation.story_key(article.pk) for article in page))
    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": f"{base}?page={page.next_page_number()}" if page.has_next() else None,
            "previous": f"{base}?page={page.previous_page_number()}" if page.has_previous() else None,
            "items": [to_ninjs(article, absolute=request.build_absolute_uri) for article in page],
        },
        request,
    )
