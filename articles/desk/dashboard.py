"""The desk's home: the stories someone on the desk looks for first, and the list filters its links open.

"My stories", "Awaiting review" (for editors) and "Scheduled", each the few last changed, with a link to
the whole list. Each shelf is one query that an index narrows before sorting (the writer, the status).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from articles.desk import publishing
from articles.desk.workflow import status_text
from articles.models import Article, Authorship

Status = Article.Status
ROWS = 5
LAST_CHANGE = "last_modified"  # the story list's column the shelves and their links sort by


def bylined_to(user):
    """Return the condition for stories with user in the byline, through the person her account is linked to."""
    return Q(pk__in=Authorship.objects.filter(person__user=user).values("article_id"))


def mine(user):
    """Return the condition for user's own stories: written by her, or carrying her byline."""
    return Q(created_by=user) | bylined_to(user)


def scheduled(now=None):
    """Return the condition for stories published with a time still ahead."""
    return Q(status=Status.PUBLISHED, published_at__gt=now or timezone.now())


class CreatedByFilter(admin.SimpleListFilter):
    title = gettext_lazy("created by")
    parameter_name = "created_by"

    def lookups(self, request, model_admin):
        return [("me", gettext("Me")), ("mine", gettext("Me, or with my byline"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(created_by=request.user)
        if self.value() == "mine":
            return queryset.filter(mine(request.user))
        return queryset


class TimingFilter(admin.SimpleListFilter):
    title = gettext_lazy("publication time")
    parameter_name = "timing"

    def lookups(self, request, model_admin):
        return [("scheduled", gettext("Scheduled (time still ahead)"))]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.filter(scheduled())
        return queryset


@dataclass(frozen=True)
class Row:
    headline: str
    url: str
    status: str
    changed: object


@dataclass(frozen=True)
class Shelf:
    slug: str
    title: str
    rows: list
    more_url: str
    more_label: str
    empty: str


def shelves(request, model_admin):
    """Return the desk home's shelves for the user of request, each with its few last-changed stories."""
    user = request.user
    if not model_admin.has_view_or_change_permission(request):
        return []
    wanted = [
        ("mine", gettext("My stories"), mine(user), {"created_by": "mine"}, gettext("You have no stories yet.")),
    ]
    if publishing.is_editor(user):
        wanted.append(
            (
                "review",
                gettext("Awaiting review"),
                Q(status=Status.REVIEW),
                {"status__exact": Status.REVIEW},
                gettext("Nothing is waiting for review."),
            )
        )
    wanted.append(
        ("scheduled", gettext("Scheduled"), scheduled(), {"timing": "scheduled"}, gettext("Nothing is scheduled."))
    )
    changelist = reverse("admin:articles_article_changelist")
    order = {"o": f"-{sort_column(request, model_admin)}"}
    fields = ["pk", "headline", "status", "published_at", "embargo_until", "last_modified"]
    found = []
    for slug, title, condition, query, empty in wanted:
        stories = Article.objects.filter(condition).order_by("-last_modified", "-pk").only(*fields)[:ROWS]
        rows = [
            Row(
                headline=story.headline or gettext("(no headline)"),
                url=reverse("admin:articles_article_change", args=[story.pk]),
                status=status_text(story),
                changed=story.last_modified,
            )
            for story in stories
        ]
        more = gettext("All of them, last changed first")
        found.append(Shelf(slug, title, rows, f"{changelist}?{urlencode({**query, **order})}", more, empty))
    return found


def sort_column(request, model_admin):
    """Return the story list's column number for the last change, as its ?o= ordering counts them."""
    columns = list(model_admin.get_list_display(request))
    if model_admin.get_actions(request):
        columns.insert(0, "action_checkbox")  # the changelist counts the checkbox column first
    return columns.index(LAST_CHANGE) + 1
