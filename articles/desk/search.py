"""The desk's search and date drill-down, answered from indexes so they stay quick at 100,000 stories.

The admin's own search runs LIKE '%word%' over every body and joins bylines and mentions (seconds at
newsroom scale); its date drill-down truncates every row's time in Python on SQLite (a second or more).
"""

import datetime

from django.db import connection
from django.db.models import F, Func, IntegerField, Min, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.core import limits
from articles.reader.search import POSTGRES_DOCUMENT, words


def _text_matches(word):
    """Return the ids of stories whose headline, standfirst or body has a word beginning with word."""
    if connection.vendor == "postgresql":
        # The stored search document of migration 0014, which its GIN index answers.
        return RawSQL(
            f"SELECT id FROM articles_article WHERE {POSTGRES_DOCUMENT} @@ to_tsquery('english', %s)",
            [f"{word}:*"],
        )
    return RawSQL("SELECT rowid FROM articles_search WHERE articles_search MATCH %s", [f'"{word}"*'])


def search_stories(queryset, query):
    """Return the stories of queryset matching every word of query.

    A word matches the beginning of a word in the headline, standfirst or body, or part of the name of
    someone in the byline or mentioned; the whole query also matches a guid or wire id exactly.
    """
    from articles.models import Article, Authorship, Mention, Person

    terms = words(query)
    if not terms:
        return queryset
    matched = Q()
    for term in terms:
        # Each word's stories as one set of ids (text, bylines, mentions), so that the database goes from
        # the few matches to their stories instead of testing every story of the newsroom.
        people = Person.objects.filter(name__icontains=term).values("pk")
        ids = (
            Article.objects.filter(pk__in=_text_matches(term))
            .order_by()
            .values("pk")
            .union(
                Authorship.objects.filter(person__in=people).order_by().values("article_id"),
                Mention.objects.filter(person__in=people).order_by().values("article_id"),
            )
        )
        matched &= Q(_desk_id__in=ids)
    exact = list(Article.objects.filter(Q(guid=query.strip()) | Q(source_id=query.strip())).values_list("pk")[:20])
    if exact:
        matched |= Q(pk__in=[pk for (pk,) in exact])
    # "+id IN (…)": the unary plus keeps SQLite from starting at the matches and sorting them all (30,000
    # rows read for a common name); it walks the stories newest first instead and stops at a page.
    unindexed_id = Func(F("pk"), template="+%(expressions)s", output_field=IntegerField())
    return queryset.alias(_desk_id=unindexed_id).filter(matched)


def _period_after(day, kind):
    """Return the first day of the year, month or day after the one day starts."""
    if kind == "year":
        return day.replace(year=day.year + 1)
    if kind == "month":
        return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return day + datetime.timedelta(days=1)


def _period_start(moment, kind):
    """Return the first day of the year, month or day a local time falls in."""
    if kind == "year":
        return datetime.date(moment.year, 1, 1)
    if kind == "month":
        return datetime.date(moment.year, moment.month, 1)
    return moment.date()


def within_bounds(queryset, field):
    """Return the rows whose time lies within articles.core.limits: a time outside them overflows date arithmetic."""
    return queryset.filter(**{f"{field}__range": (limits.EARLIEST, limits.LATEST)})


def periods_with_stories(queryset, field, kind):
    """Return the local start of each year, month or day in which queryset has a row, oldest first.

    What QuerySet.datetimes() returns, from one indexed MIN per period that has rows (and one to find
    there are no more), so that a story dated centuries away costs one query, not one per empty year.
    """
    rows = within_bounds(queryset, field)
    zone = timezone.get_current_timezone()
    starts = []
    following = rows.aggregate(first=Min(field))["first"]
    while following is not None:
        day = _period_start(timezone.localtime(following, zone), kind)
        starts.append(timezone.make_aware(datetime.datetime.combine(day, datetime.time()), zone))
        after = timezone.make_aware(datetime.datetime.combine(_period_after(day, kind), datetime.time()), zone)
        following = rows.filter(**{f"{field}__gte": after}).aggregate(first=Min(field))["first"]
    return starts


class IndexedPeriods:
    """Stands in for a changelist's queryset in Django's date_hierarchy tag: same answers, indexed queries."""

    def __init__(self, queryset, field):
        self.queryset = queryset
        self.field = field

    def aggregate(self, **aggregates):
        # The drill-down starts at the year or month holding every row: out-of-bounds rows take no part.
        return within_bounds(self.queryset, self.field).aggregate(**aggregates)

    def datetimes(self, field, kind):
        return periods_with_stories(self.queryset, field, kind)

    dates = datetimes
