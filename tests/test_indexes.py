"""The queries every public page runs are served by an index, on SQLite and on PostgreSQL."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Authorship, Correction, Mention, Person, bylines, mentions
from articles.reader import reading
from tests.conftest import SEED_FIXTURE
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def hot_queries(section):
    """Return the listing and lookup queries the public pages run, as the views build them."""
    published = Article.objects.published()
    card = reading.Card.columns
    return {
        "home": reading.listing().values_list(*card)[0:21],
        "home section blocks": reading.recent_query(200),
        "home cards": reading.cards_query([1, 2, 3]),
        "section": reading.section_listing(section).values_list(*card)[0:21],
        "article": reading.story_query("story-1"),
        "tag": reading.tag_listing(Tag(pk=1)).values_list(*card)[0:21],
        "person, bylines": reading.linked_listing(Authorship, Person(pk=1)).values_list(*card)[0:21],
        "person, mentions": reading.linked_listing(Mention, Person(pk=1)).values_list(*card)[0:21],
        "read-more lookup": Article.objects.filter(headline_key__in=["a headline"]),
        "news sitemap": published.filter(published_at__gte=timezone.now()).order_by("-published_at")[:1000],
    }


def plan(queryset):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a small test table PostgreSQL rightly prefers a sequential scan; forbidding it shows
            # whether an index can serve the query at all, which is what matters at 100,000 rows.
            cursor.execute("SET enable_seqscan = off")
            try:
                return queryset.explain()
            finally:
                cursor.execute("SET enable_seqscan = on")
        return queryset.explain()


def test_hot_queries_use_an_index():
    section = make_section()
    for _ in range(5):
        make_article(primary_section=section)
    for name, queryset in hot_queries(section).items():
        text = plan(queryset)
        if connection.vendor == "postgresql":
            assert "Index" in text and "Seq Scan on articles_article" not in text, (name, text)
        else:
            article_lines = [line for line in text.splitlines() if "articles_article" in line]
            assert article_lines and all(
                "USING" in line and ("INDEX" in line or "PRIMARY KEY" in line) for line in article_lines
            ), (name, text)


def test_the_story_stamp_read_on_every_story_request_is_served_by_the_slug_index():
    make_article(primary_section=make_section(), slug="story-1")
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
        cursor.execute(explain + reading.STAMP_SQL, ["story-1"])
        text = "\n".join(str(row) for row in cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = on")
    assert "Seq Scan" not in text and "SCAN articles_article" not in text, text
    assert "Index" in text or "INDEX" in text, text


def test_home_cards_are_fetched_by_primary_key_not_by_walking_the_published_index():
    if connection.vendor != "sqlite":
        # PostgreSQL plans a tiny test table by whatever is cheapest there; its hot-query check is above.
        pytest.skip("the walk of the published index was SQLite's plan")
    text = plan(reading.cards_query([1, 2, 3]))
    assert "PRIMARY KEY" in text and "article_status_pub_idx" not in text, text


def test_postgresql_search_uses_the_full_text_index():
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite searches its FTS5 table")
    from articles.reader.search import search

    section = make_section()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            guid=f"urn:test:{n}",
            headline=f"Story {n}",
            slug=f"story-x-{n}",
            body="<p>Markets and weather.</p>",
            primary_section=section,
            status="published",
            published_at=now,
        )
        for n in range(3000)
    )
    make_article(headline="Harbour reopens")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    # As for the other hot queries: whether the index can serve the match at all, whatever the planner
    # prefers on a small test table (where walking the newest stories may well cost less).
    matches = RawSQL("search_document @@ plainto_tsquery('english', %s)", ["harbour"], output_field=BooleanField())
    text = plan(Article.objects.filter(matches).order_by())
    assert "articles_article_search_document" in text, text
    assert [a.headline for a in search(Article.objects.published(), "harbour")] == ["Harbour reopens"]


@pytest.mark.django_db
def test_sqlite_search_triggers_survive_every_migration():
    """SQLite rebuilds a table to alter a column and drops its triggers: a later migration must put them back."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the triggers are SQLite's; PostgreSQL searches its stored search document")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'")
        triggers = sorted(row[0] for row in cursor.fetchall())
    assert triggers == ["articles_search_delete", "articles_search_insert", "articles_search_update"]


def test_the_desks_section_filter_reads_the_section_newest_first_from_an_index():
    section = make_section()
    for status in ["draft", "review", "published"]:
        make_article(primary_section=section, status=status, published_at=timezone.now())
    text = plan(Article.objects.filter(primary_section=section).order_by("-published_at", "-pk")[:100])
    if connection.vendor == "postgresql":
        assert "article_desk_section_idx" in text, text
    else:
        # Without it SQLite sorts every story of the section: a quarter of a second for 8,000. (Sorting
        # "the right part", stories published in the same millisecond by id, costs nothing.)
        assert "article_desk_section_idx" in text and "TEMP B-TREE FOR ORDER BY" not in text, text


def planner_statistics(table):
    """Return how many statistics rows the query planner has for a table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone():
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0]


def test_loading_a_fixture_leaves_the_planner_statistics_of_what_it_loaded():
    # Without them SQLite walked the whole published index for 200 search results (26 ms against 1.5 ms
    # at 100,000 stories); tiny test tables cannot show that plan, so this checks the statistics exist.
    if connection.vendor == "sqlite":
        assert planner_statistics("articles_article") == 0
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    assert planner_statistics("articles_article") > 0
    assert planner_statistics("articles_mention") > 0


def test_generating_demo_stories_leaves_planner_statistics():
    call_command("generate_demo", articles=30, stdout=io.StringIO())
    assert planner_statistics("articles_article") > 0


def test_a_storys_parts_are_read_through_its_key_without_sorting_by_the_story():
    # Child rows were ordered by "article", which sorts by the story's own ordering: every byline,
    # mention, link and correction query joined the stories' table only to sort by a constant.
    parts = {
        "bylines": (bylines().queryset.filter(article__in=[1, 2]), ["articles_authorship"]),
        "mentions": (mentions().queryset.filter(article__in=[1, 2]), ["articles_mention"]),
        "tags": (reading.tagging_rows().filter(content_object__in=[1, 2]), ["articles_taggedarticle"]),
        "links": (reading.link_rows().filter(article__in=[1, 2]), ["articles_relatedlink"]),
        "corrections": (Correction.objects.filter(article__in=[1, 2]), ["articles_correction"]),
    }
    for name, (queryset, tables) in parts.items():
        sql = str(queryset.query)
        assert 'ORDER BY "articles_article"' not in sql, (name, sql)
        text = plan(queryset)
        for table in tables:
            if connection.vendor == "postgresql":
                assert "Index" in text and f"Seq Scan on {table}" not in text, (name, text)
            else:
                lines = [line for line in text.splitlines() if f" {table} " in f"{line} "]
                assert lines and all("USING" in line and "INDEX" in line for line in lines), (name, table, text)
