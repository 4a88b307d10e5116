import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, RelatedLink
from tests.factories import add_author, add_link, add_mention, make_article, make_person, make_section

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_by_headline_and_hides_the_rest(client):
    public = make_article(headline="Public story")
    make_article(headline="Secret draft", status=Article.Status.DRAFT, published_at=None)
    make_article(headline="Tomorrow's story", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{public.get_absolute_url()}">Public story</a>' in html
    assert "Secret draft" not in html and "Tomorrow" not in html
    assert f'<time datetime="{public.published_at.replace(microsecond=0).isoformat()}"' in html


def test_drafts_and_scheduled_articles_are_not_found(client):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get(reverse("articles:article-short", kwargs={"slug": draft.slug})).status_code == 404


def test_wrong_section_or_date_redirects_to_the_canonical_address(client):
    article = make_article()
    other = make_section(slug="elsewhere")
    canonical = article.get_absolute_url()
    stale = canonical.replace(article.primary_section.path, other.path)
    response = client.get(stale)
    assert response.status_code == 301 and response["Location"] == canonical
    short = client.get(reverse("articles:article-short", kwargs={"slug": article.slug}))
    assert short.status_code == 301 and short["Location"] == canonical


def test_article_page_shows_what_a_reader_needs(client):
    section = make_section(name="Middle East", slug="middle-east")
    article = make_article(
        primary_section=section,
        headline="Talks in Paris",
        dek="Officials meet.",
        dateline="PARIS",
        body="<p>One.</p>\n<h2>A subheading</h2>\n<p>Two.</p>\n<p>Three.</p>",
    )
    add_author(article, make_person(name="Jane Reporter", slug="jane-reporter"))
    add_author(article, make_person(name="Sam Lens", slug="sam-lens"), role="photographer", position=1)
    add_mention(article, make_person(name="Ron Dermer", slug="ron-dermer"), title="Israeli Minister")
    article.tags.add("Syria", "Paris")
    add_link(
        article, title="Earlier story", url="/search/?q=Earlier+story", kind=RelatedLink.Kind.READ_MORE, anchor_block=2
    )
    add_link(article, title="Background", url="https://example.org/bg", kind=RelatedLink.Kind.RELATED)
    Correction.objects.create(article=article, text="An earlier version misdated the talks.")

    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h1>Talks in Paris</h1>" in html
    assert '<p class="dek">Officials meet.</p>' in html
    assert '<p><span class="dateline">PARIS —</span> One.</p>' in html
    assert "<h2>A subheading</h2>" in html
    # The read-more link sits right after the second block, before the third.
    assert html.index("A subheading") < html.index("Earlier story") < html.index("<p>Two.</p>")
    assert (
        '<p class="byline">By <a href="/people/jane-reporter/">Jane Reporter</a> and '
        '<a href="/people/sam-lens/">Sam Lens</a> (photographer)</p>'
    ) in html
    assert '<a href="/people/ron-dermer/">Ron Dermer</a><span class="person-title">, Israeli Minister</span>' in html
    assert '<a href="/tags/syria/">Syria</a>' in html
    assert '<a href="https://example.org/bg">Background</a>' in html
    assert "An earlier version misdated the talks." in html
    assert '<a href="/middle-east/">Middle East</a>' in html


def test_pending_read_more_link_resolves_when_the_story_arrives(client):
    article = make_article(body="<p>One.</p><p>Two.</p>")
    add_link(
        article,
        title="Erdogan slams strikes",
        url="/search/?q=Erdogan+slams+strikes",
        kind=RelatedLink.Kind.READ_MORE,
        anchor_block=1,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/search/?q=Erdogan+slams+strikes">Erdogan slams strikes</a>' in html
    arrived = make_article(headline="Erdogan slams strikes")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<a href="{arrived.get_absolute_url()}">Erdogan slams strikes</a>' in html


def _article_with(n):
    article = make_article(body="".join(f"<p>Paragraph {i}.</p>" for i in range(n + 2)))
    for i in range(n):
        add_author(article)
        add_mention(article, title=f"Title {i}")
        article.tags.add(f"Tag {i}")
        add_link(
            article, title=f"Pending {i}", url=f"/search/?q=p{i}", kind=RelatedLink.Kind.READ_MORE, anchor_block=i + 1
        )
        add_link(article, title=f"Linked {i}", target_article=make_article(), url="")
        Correction.objects.create(article=article, text=f"Fix {i}", published_at=timezone.now() - timedelta(minutes=i))
    return article


@pytest.mark.parametrize("n", [1, 6])
def test_article_page_query_count_does_not_grow_with_its_content(client, django_assert_num_queries, n):
    article = _article_with(n)
    # The story; one query a kind of part, each through the Prefetch the feeds use too (bylines, people,
    # tags, links, corrections); the pending-link lookup; the navigation with the breadcrumb trail; the
    # header's sections (the header is then kept for every page until the content changes).
    with django_assert_num_queries(9):
        first = client.get(article.get_absolute_url()).content
    # Then the rest of the page comes from the story's cache entry: the story alone is read.
    with django_assert_num_queries(1):
        assert client.get(article.get_absolute_url()).content == first


@pytest.mark.parametrize("n", [25, 60])  # more than a page, so home has section blocks too
def test_list_pages_query_count_does_not_grow(client, django_assert_num_queries, n):
    section = make_section(slug="world")
    person = make_person(slug="someone")
    for _ in range(n):
        article = make_article(primary_section=section)
        add_mention(article, person)
        article.tags.add("Syria")
    # No COUNT(*): a page fetches one row more than it shows to know whether an older page exists.
    # Each list is kept in the cache until the content changes or the next scheduled story is due: the
    # first page after a change also asks when that is.
    # next change, page, top-level sections (nav and blocks), the recent window's ids, the blocks' cards
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(4):  # section, page, nav and breadcrumb trail, subsections
        assert client.get("/world/").status_code == 200
    with django_assert_num_queries(3):  # person, stories mentioning, stories written (nav kept)
        assert client.get("/people/someone/").status_code == 200
    with django_assert_num_queries(2):  # tag, page
        assert client.get("/tags/syria/").status_code == 200
    for page in ("/", "/world/", "/people/someone/", "/tags/syria/"):
        with django_assert_num_queries(0):  # until the next change
            assert client.get(page).status_code == 200


def test_list_pages_link_to_older_and_newer_pages(client):
    for n in range(25):
        make_article(headline=f"Paged story {n:02d}")
    first = client.get("/").content.decode()
    assert '<a rel="next" href="?page=2">Older</a>' in first and 'rel="prev"' not in first
    latest = first.split('class="section-block"')[0]
    assert latest.count('class="card"') == 20
    second = client.get("/?page=2").content.decode()
    assert second.count('class="card"') == 5
    assert '<a rel="prev" href="?page=1">Newer</a>' in second and 'rel="next"' not in second
    assert client.get("/?page=3").status_code == 404


def test_home_shows_the_lead_story_then_the_latest_from_each_section(client):
    news = make_section(name="News", slug="news", position=1)
    world = make_section(name="World", slug="world", parent=news)
    sport = make_section(name="Sport", slug="sport", position=2)
    make_section(name="Empty", slug="empty", position=3)
    base = timezone.now() - timedelta(days=1)
    for i in range(6):
        make_article(primary_section=world, headline=f"World {i}", published_at=base + timedelta(minutes=i))
        make_article(primary_section=sport, headline=f"Sport {i}", published_at=base + timedelta(minutes=i, seconds=1))
    for i in range(20):
        make_article(primary_section=sport, headline=f"Latest {i}", published_at=base + timedelta(hours=1, minutes=i))
    html = client.get("/").content.decode()
    latest, *blocks = html.split('class="section-block"')
    assert latest.index("Latest 19") < latest.index("Latest 18")  # the newest leads
    assert [b.split("</h2>")[0].rsplit(">", 2)[-2].split("<")[0] for b in blocks] == ["News", "Sport"]
    news_block, sport_block = (block.split("</section>")[0] for block in blocks)
    # Four per section, newest first; stories of a subsection count for its parent; no story twice.
    assert [h for h in (f"World {i}" for i in range(6)) if h in news_block] == [f"World {i}" for i in range(2, 6)]
    assert news_block.index("World 5") < news_block.index("World 2")
    assert [h for h in (f"Sport {i}" for i in range(6)) if h in sport_block] == [f"Sport {i}" for i in range(2, 6)]
    assert "Latest" not in sport_block


def test_person_page_lists_stories_written_and_stories_they_appear_in(client):
    reporter = make_person(name="Rita Reporter", slug="rita")
    written = make_article(headline="Written by Rita")
    add_author(written, reporter)
    mentioned = make_article(headline="Rita in the news")
    add_mention(mentioned, reporter, title="Reporter")
    html = client.get("/people/rita/").content.decode()
    by, news = html.split('id="mentions-heading"')
    assert "Stories by Rita Reporter" in by and "Written by Rita" in by and "Rita in the news" not in by
    assert "Rita in the news" in news and "Written by Rita" not in news


def test_section_front_includes_subsections_stories(client):
    news = make_section(name="News", slug="news")
    world = make_section(name="World", slug="world", parent=news)
    article = make_article(primary_section=world, headline="Deep story")
    html = client.get("/news/").content.decode()
    assert "Deep story" in html and article.get_absolute_url() in html
    assert client.get("/news/world/").status_code == 200
    assert client.get("/nope/").status_code == 404


def test_navigation_and_breadcrumbs_link_the_sections_and_mark_the_current_one(client):
    news = make_section(name="News", slug="news", position=1)
    world = make_section(name="World & Co <b>", slug="world", parent=news)
    make_section(name="Sport", slug="sport", position=2)
    article = make_article(primary_section=world, headline="Deep story")
    nav = '<li><a href="/news/">News</a></li><li><a href="/sport/">Sport</a></li>'
    section_html = client.get("/news/world/").content.decode()
    assert nav in section_html  # top-level sections only, in menu order
    assert (
        '<li><a href="/">Home</a></li>\n    <li><a href="/news/">News</a></li>'
        '<li><a href="/news/world/" aria-current="page">World &amp; Co &lt;b&gt;</a></li>'
    ) in section_html
    story_html = client.get(article.get_absolute_url()).content.decode()
    assert nav in story_html
    # On a story the trail leads to its section, and no link claims to be the page itself.
    assert '<li><a href="/news/world/">World &amp; Co &lt;b&gt;</a></li>' in story_html
    assert "aria-current" not in story_html


def test_person_and_tag_pages_list_only_public_stories(client):
    person = make_person(name="Tom Barrack", slug="tom-barrack", job_title="US Special Envoy")
    public = make_article(headline="Envoy speaks")
    add_mention(public, person, title="US envoy")
    public.tags.add("Syria")
    hidden = make_article(headline="Hidden draft", status=Article.Status.DRAFT, published_at=None)
    add_mention(hidden, person)
    hidden.tags.add("Syria")
    person_html = client.get("/people/tom-barrack/").content.decode()
    assert "<h1>Tom Barrack</h1>" in person_html and "Envoy speaks" in person_html
    assert "Hidden draft" not in person_html
    tag_html = client.get("/tags/syria/").content.decode()
    assert "Envoy speaks" in tag_html and "Hidden draft" not in tag_html


def test_person_and_tag_pages_page_through_their_lists_and_know_unknown_names(client):
    person = make_person(name="Pat Pager", slug="pat")
    now = timezone.now()
    for hour in range(25):
        story = make_article(headline=f"Story {hour:02d}", published_at=now - timedelta(hours=hour))
        add_author(story, person)
        add_mention(story, person)
        story.tags.add("Paging")
    # Both of the person's lists page on their own parameter; the tag page on ?page=.
    older = client.get("/people/pat/", {"by_page": 2, "page": 2}).content.decode()
    by, news = older.split('id="mentions-heading"')
    assert re.findall(r"Story (\d\d)", by) == ["20", "21", "22", "23", "24"]
    assert re.findall(r"Story (\d\d)", news) == ["20", "21", "22", "23", "24"]
    newest = client.get("/tags/paging/").content.decode()
    assert re.findall(r"Story (\d\d)", newest) == [f"{hour:02d}" for hour in range(20)]
    assert client.get("/tags/paging/", {"page": 3}).status_code == 404
    assert client.get("/people/nobody/").status_code == 404
    assert client.get("/tags/nothing/").status_code == 404


def test_search_finds_published_stories_only(client):
    make_article(headline="Ceasefire holds in the south")
    make_article(headline="Ceasefire draft", status=Article.Status.DRAFT, published_at=None)
    html = client.get("/search/", {"q": "ceasefire"}).content.decode()
    assert "<mark>Ceasefire</mark> holds in the south" in html and "Ceasefire draft" not in html
    assert client.get("/search/", {"q": "x" * 10_000}).status_code == 200


def test_bad_page_numbers_are_not_found_not_errors(client):
    make_article()
    assert client.get("/", {"page": "abc"}).status_code == 404
    assert client.get("/", {"page": "-1"}).status_code == 404
    assert client.get("/", {"page": "99"}).status_code == 404


def test_stylesheet_is_served(client):
    html = client.get("/").content.decode()
    assert 'href="/static/css/site.css"' in html


def test_fast_urls_match_django_reverse():
    from django.urls import reverse

    from articles.core.urlcache import fast_reverse

    cases = [
        ("articles:person-detail", {"slug": "asaad-al-shaibani"}),
        ("articles:tag-detail", {"slug": "tel-aviv"}),
        ("articles:section-detail", {"path": "news/middle-east"}),
        ("articles:article-detail", {"path": "news/a-b", "year": 2025, "month": "07", "day": "05", "slug": "x-y"}),
        ("articles:person-detail", {"slug": "zzslugzz-1111"}),
        ("articles:tag-detail", {"slug": "دمشق"}),
        # The same names in another order, and a value reverse() must percent-encode among plain ones.
        ("articles:article-detail", {"slug": "x-y", "day": "05", "month": "07", "year": 2025, "path": "news/a-b"}),
        ("articles:article-detail", {"path": "news", "year": 2025, "month": "07", "day": "05", "slug": "café"}),
    ]
    for name, kwargs in cases:
        assert fast_reverse(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_search_is_ranked_full_text_with_the_query_highlighted(client):
    make_article(headline="Budget vote delayed", dek="Lawmakers argue.", body="<p>The harbour was quiet.</p>")
    make_article(headline="Harbour reopens", dek="Ships return to the harbour.", body="<p>Harbour harbour.</p>")
    make_article(headline="Weather", body="<p>Nothing about ports.</p>")
    html = client.get("/search/", {"q": "harbour"}).content.decode()
    # A headline match ranks above a body-only match; stories without the word are not listed.
    assert html.index("<mark>Harbour</mark> reopens") < html.index("Budget vote delayed")
    assert "Weather" not in html
    assert "Ships return to the <mark>harbour</mark>." in html
    assert "2 stories found" in html
    # Case and punctuation typed by the reader do not matter.
    assert "<mark>Harbour</mark> reopens" in client.get("/search/", {"q": "HARBOUR!"}).content.decode()
    # Readers cannot inject search syntax.
    assert client.get("/search/", {"q": 'harbour" OR "x* NEAR(a b) -'}).status_code == 200


def test_search_results_page_through_public_stories_only_in_rank_order(client):
    for n in range(25):
        make_article(headline=f"Harbour report {n}", body="<p>Quiet.</p>")
    for n in range(3):
        make_article(headline=f"Harbour draft {n}", status=Article.Status.DRAFT, published_at=None)
    top = make_article(headline="Harbour harbour", dek="The harbour, again.", body="<p>Harbour.</p>")
    first = client.get("/search/", {"q": "harbour"}).content.decode()
    assert "26 stories found" in first and "draft" not in first
    assert first.index("<mark>Harbour</mark> <mark>harbour</mark>") < first.index("<mark>Harbour</mark> report")
    second = client.get("/search/", {"q": "harbour", "page": 2}).content.decode()
    assert second.count('class="card"') == 6 and top.headline not in second and "draft" not in second
    shown = {m for page in (first, second) for m in re.findall(r"report (\d+)", page)}
    assert len(shown) == 25


def test_a_word_in_every_story_ranks_only_the_newest_candidates(client, monkeypatch):
    from articles.reader import search

    monkeypatch.setattr(search, "CANDIDATES", 3)
    now = timezone.now()
    for n in range(5):
        make_article(headline=f"Harbour note {n}", published_at=now - timedelta(hours=5 - n))
    html = client.get("/search/", {"q": "harbour"}).content.decode()
    assert "3 stories found" in html
    assert {int(n) for n in re.findall(r"note (\d+)", html)} == {2, 3, 4}


def test_search_index_follows_edits_and_deletions(client):
    article = make_article(headline="Original words")
    article.headline = "Replacement words"
    article.save()
    assert "Replacement" in client.get("/search/", {"q": "replacement"}).content.decode()
    assert "0 stories found" in client.get("/search/", {"q": "original"}).content.decode()
    article.delete()
    assert "0 stories found" in client.get("/search/", {"q": "replacement"}).content.decode()


@pytest.mark.parametrize("n", [2, 12])
def test_search_queries_do_not_grow(client, django_assert_num_queries, n):
    from django.db import connection

    for i in range(n):
        make_article(headline=f"Harbour story {i}")
    fts_lookup = 0 if connection.vendor == "postgresql" else 1  # SQLite asks its FTS5 table first
    with django_assert_num_queries(3 + fts_lookup):  # (FTS), count, page, nav
        assert client.get("/search/", {"q": "harbour"}).status_code == 200


def test_corrections_page_lists_public_corrections_only(client, django_assert_num_queries):
    public = make_article(headline="Public story")
    Correction.objects.create(article=public, kind="clarification", text="<p>We meant Tuesday.</p>")
    draft = make_article(headline="Draft story", status=Article.Status.DRAFT, published_at=None)
    Correction.objects.create(article=draft, text="Not yet public.")
    with django_assert_num_queries(2):  # corrections with their stories, nav
        html = client.get("/corrections/").content.decode()
    assert "Clarification" in html and "<p>We meant Tuesday.</p>" in html
    assert f'<a href="{public.get_absolute_url()}">Public story</a>' in html
    assert "Not yet public." not in html and "Draft story" not in html
    assert 'href="/corrections/"' in client.get("/").content.decode()


def test_article_shows_reading_time_and_updated_time(client):
    words = " ".join(["word"] * 690)
    article = make_article(body=f"<p>{words}</p>")
    article.updated_at = article.published_at + timedelta(minutes=30)
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "3 min read" in html
    assert f'· Updated <time datetime="{article.updated_at.replace(microsecond=0).isoformat()}">' in html
