"""Ranked full-text search over public stories: PostgreSQL's text search there, SQLite's FTS5 here."""

import re

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_RESULTS = 200  # ten pages of results
# Ranking every story that contains a very common word costs seconds at 100,000 stories; rank only
# the newest matches (FTS5 walks them in rowid order and stops), which is also what readers want.
CANDIDATES = 2000
_WORD = re.compile(r"\w+", re.UNICODE)
# PostgreSQL keeps each story's weighted search document (headline A, standfirst B, body C) in a
# stored, generated column with a GIN index of its own (migration 0014).
POSTGRES_DOCUMENT = "search_document"


def words(query):
    """Return the searchable words of a reader's query."""
    return _WORD.findall(query)[:10]


def search(queryset, query):
    """Return the stories of queryset matching query, best first."""
    terms = words(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        text = " ".join(terms)
        # A boolean expression filters as the WHERE condition itself, the form the GIN index answers.
        matches = RawSQL(f"{POSTGRES_DOCUMENT} @@ plainto_tsquery('english', %s)", [text], output_field=BooleanField())
        # As on SQLite, the newest CANDIDATES matches are ranked, not every story naming a common word.
        newest = queryset.filter(matches).order_by("-published_at", "-pk").values("pk")[:CANDIDATES]
        return (
            queryset.filter(pk__in=newest)
            .annotate(rank=RawSQL(f"ts_rank({POSTGRES_DOCUMENT}, plainto_tsquery('english', %s))", [text]))
            .order_by("-rank", "-published_at")
        )
    # FTS5: each word as a quoted string (no operators from readers), the last one as a prefix.
    match = " ".join(f'"{term}"' for term in terms[:-1]) + f' "{terms[-1]}"*'
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM (SELECT rowid, bm25(articles_search, 10.0, 5.0, 1.0) AS score FROM articles_search "
            "WHERE articles_search MATCH %s ORDER BY rowid DESC LIMIT %s) ORDER BY score LIMIT %s",
            [match.strip(), CANDIDATES, MAX_RESULTS],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    if not ranked:
        return queryset.none()
    return RankedStories(queryset, ranked)


class RankedStories:
    """The stories of a queryset in the order the full-text index ranked them, fetched a page at a time.

    Django's paginator counts it and slices it. Ordering by rank in SQL took a CASE of up to 200
    branches, which the ORM compiled twice a page (count and page): 40 of a search page's 67 ms.
    """

    def __init__(self, queryset, ranked):
        self.queryset = queryset
        self.ranked = ranked
        self._matching = None

    def matching(self):
        """Return the ranked ids that the queryset holds (the public ones), best first."""
        if self._matching is None:
            found = set(self.queryset.filter(pk__in=self.ranked).order_by().values_list("pk", flat=True))
            self._matching = [pk for pk in self.ranked if pk in found]
        return self._matching

    def count(self):
        return len(self.matching())

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.matching()[index]
        rows = {story.pk: story for story in self.queryset.filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]


def highlight(text, query):
    """Return text, escaped, with the query's words wrapped in <mark>."""
    terms = sorted({t.casefold() for t in words(query) if len(t) > 1}, key=len, reverse=True)
    escaped = str(escape(text))
    if not terms:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile(r"\b(" + "|".join(re.escape(str(escape(t))) for t in terms) + r")", re.IGNORECASE)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", escaped))  # noqa: S308 - only <mark> added to escaped text
