"""Feeds, sitemaps, structured data and ninjs, each checked with a real parser or the official schema."""

import io
import json
import re
from datetime import UTC, timedelta
from pathlib import Path

import extruct
import feedparser
import jsonschema
import pytest
import xmlschema
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.http import http_date
from PIL import Image as PILImage

from articles.models import Article, Correction, Mention, RelatedLink
from tests.factories import add_author, add_link, add_mention, make_article, make_image, make_person, make_section

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"


def need_schemas():
    if not SCHEMAS.is_dir():
        pytest.skip(f"the official schemas are not at {SCHEMAS} (../shared is absent)")


def png_upload(name="lead.png", size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#336699").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def newsroom():
    """Two public stories with bylines, tags, a picture and a correction, plus a draft."""
    world = make_section(name="World", slug="world")
    author = make_person(name="Jane Reporter", slug="jane-reporter")
    image = make_image(file=png_upload(), caption="Ships in the harbour.", credit="AP")
    first = make_article(
        primary_section=world,
        headline="Harbour reopens",
        dek="Ships return.",
        lead_image=image,
        published_at=timezone.now() - timedelta(hours=3),
        dateline="BEIRUT",
    )
    add_author(first, author)
    add_mention(first, make_person(name="Ron Dermer", slug="ron-dermer"), title="Israeli minister")
    first.tags.add("Lebanon", "Shipping")
    Correction.objects.create(article=first, text="An earlier version misnamed the port.")
    add_link(first, title="Port strike ends", url="/search/?q=Port+strike+ends", kind="read_more", anchor_block=1)
    second = make_article(
        primary_section=world, headline="Older story", published_at=timezone.now() - timedelta(days=5)
    )
    second.tags.add("Shipping")
    make_article(primary_section=world, headline="Secret draft", status=Article.Status.DRAFT, published_at=None)
    return {"first": first, "second": second, "world": world, "author": author}


# --- feeds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/feeds/sections/world/rss.xml",
        "/feeds/sections/world/atom.xml",
        "/feeds/tags/shipping/rss.xml",
        "/feeds/tags/shipping/atom.xml",
        "/feeds/people/jane-reporter/rss.xml",
        "/feeds/people/jane-reporter/atom.xml",
    ],
)
def test_feeds_parse_cleanly_with_full_metadata(client, newsroom, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(("application/rss+xml", "application/atom+xml"))
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert "Secret draft" not in titles
    assert "Harbour reopens" in titles
    entry = feed.entries[titles.index("Harbour reopens")]
    assert entry.link == "http://testserver" + newsroom["first"].get_absolute_url()
    assert entry.id == newsroom["first"].guid
    assert entry.author == "Jane Reporter"
    assert {"World", "Lebanon", "Shipping"} <= {tag.term for tag in entry.tags}
    assert entry.published_parsed is not None
    if "atom" in path:
        assert entry.updated_parsed is not None
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.type == "image/png" and int(enclosure.length) > 0


def test_pages_advertise_their_feeds(client, newsroom):
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Newsroom (RSS)" href="/feeds/rss.xml">' in home
    section = client.get("/world/").content.decode()
    assert 'href="/feeds/sections/world/rss.xml"' in section and 'href="/feeds/sections/world/atom.xml"' in section
    assert 'href="/feeds/tags/shipping/atom.xml"' in client.get("/tags/shipping/").content.decode()
    assert 'href="/feeds/people/jane-reporter/rss.xml"' in client.get("/people/jane-reporter/").content.decode()


@pytest.mark.parametrize("n", [2, 8])
def test_feed_queries_do_not_grow_with_stories(client, django_assert_num_queries, n):
    section = make_section(slug="world")
    for _ in range(n):
        article = make_article(primary_section=section)
        add_author(article)
        article.tags.add("Shipping")
    with django_assert_num_queries(3):  # stories, bylines, tags
        assert client.get("/feeds/rss.xml").status_code == 200
    with django_assert_num_queries(4):  # + the section
        assert client.get("/feeds/sections/world/atom.xml").status_code == 200


def test_feed_categories_are_the_section_then_the_tags_in_the_order_they_were_given(client):
    article = make_article(primary_section=make_section(name="World", slug="world"))
    for name in ("Zeta", "Alpha", "Mu"):
        article.tags.add(name)
    entry = feedparser.parse(client.get("/feeds/rss.xml").content).entries[0]
    assert [tag.term for tag in entry.tags] == ["World", "Zeta", "Alpha", "Mu"]


def test_unknown_feed_objects_are_not_found(client):
    assert client.get("/feeds/tags/nope/rss.xml").status_code == 404
    assert client.get("/feeds/sections/nope/rss.xml").status_code == 404


# --- sitemaps and robots.txt -----------------------------------------------------------------------


def validate_xml(xml, schema_file):
    need_schemas()
    schema = xmlschema.XMLSchema(str(SCHEMAS / schema_file))
    schema.validate(xml)


def test_sitemap_index_and_every_sitemap_are_valid(client, newsroom):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    validate_xml(index.content.decode(), "siteindex.xsd")
    locations = re.findall(r"<loc>http://testserver([^<]+)</loc>", index.content.decode())
    assert locations == [
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
        "/sitemap-people.xml",
        "/sitemap-tags.xml",
        "/sitemap-news.xml",
    ]
    articles = client.get("/sitemap-articles.xml").content.decode()
    validate_xml(articles, "sitemap.xsd")
    assert newsroom["first"].get_absolute_url() in articles and "<lastmod>" in articles
    assert "secret-draft" not in articles.lower() and Article.objects.get(headline="Secret draft").slug not in articles
    for name in ("sections", "people", "tags"):
        validate_xml(client.get(f"/sitemap-{name}.xml").content.decode(), "sitemap.xsd")
    assert "/people/jane-reporter/" in client.get("/sitemap-people.xml").content.decode()
    assert "/tags/lebanon/" in client.get("/sitemap-tags.xml").content.decode()


def test_news_sitemap_holds_only_the_last_48_hours_and_is_valid(client, newsroom):
    need_schemas()
    xml = client.get("/sitemap-news.xml").content.decode()
    schema = xmlschema.XMLSchema([str(SCHEMAS / "sitemap.xsd"), str(SCHEMAS / "sitemap-news.xsd")])
    schema.validate(xml)
    assert "<news:title>Harbour reopens</news:title>" in xml
    assert "Older story" not in xml and "Secret draft" not in xml
    assert "<news:name>Newsroom</news:name><news:language>en</news:language>" in xml


def test_news_sitemap_stops_at_its_limit(client, monkeypatch):
    from articles.distribution import sitemaps

    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for _ in range(5):
        make_article()
    assert client.get("/sitemap-news.xml").content.decode().count("<url>") == 3


@pytest.mark.parametrize("n", [2, 8])
def test_sitemap_queries_do_not_grow(client, django_assert_num_queries, n):
    for _ in range(n):
        make_article().tags.add("Shipping")
    with django_assert_num_queries(1):  # the page; a page past the end is known by coming back empty
        assert client.get("/sitemap-articles.xml").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/sitemap-news.xml").status_code == 200


def test_stories_sitemap_pages_list_every_public_story_once_newest_first(client, monkeypatch):
    from articles.distribution import sitemaps

    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    now = timezone.now()
    stories = [make_article(published_at=now - timedelta(hours=h)) for h in (1, 30, 50, 70, 90)]
    make_article(headline="Still a draft", status=Article.Status.DRAFT)
    make_article(headline="Embargoed", embargo_until=now + timedelta(hours=3))
    changed = now - timedelta(minutes=5, seconds=7)
    Article.objects.filter(pk__in=[story.pk for story in stories]).update(last_modified=now - timedelta(days=5))
    Article.objects.filter(pk=stories[1].pk).update(last_modified=changed)
    pages = [client.get("/sitemap-articles.xml", {"p": p}) for p in (1, 2, 3)]
    assert [r.status_code for r in pages] == [200, 200, 200]
    listed = [loc for r in pages for loc in re.findall(r"<loc>http://testserver([^<]+)</loc>", r.content.decode())]
    assert listed == [story.get_absolute_url() for story in stories]
    # The whole time of the last change, in the site's zone, not just the day.
    assert f"<lastmod>{changed.replace(microsecond=0).isoformat()}</lastmod>" in pages[0].content.decode()
    assert pages[0]["Last-Modified"] == http_date(changed.timestamp())
    assert pages[0]["X-Robots-Tag"] == "noindex, noodp, noarchive"
    for past_the_end in ("4", "0", "-1", "two"):
        assert client.get("/sitemap-articles.xml", {"p": past_the_end}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_people_and_tags_sitemaps_list_only_those_on_public_stories(client):
    now = timezone.now()
    public = make_article()
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    embargoed = make_article(embargo_until=now + timedelta(hours=2))
    scheduled = make_article(published_at=now + timedelta(hours=2))
    on_public = [
        add_author(public, make_person(slug="writes-public")).person,
        add_mention(public, make_person(slug="named-public")).person,
    ]
    both = make_person(slug="draft-and-public")
    add_author(draft, both)
    add_mention(public, both)
    for story, slug in ((draft, "draft-only"), (embargoed, "embargoed-only"), (scheduled, "scheduled-only")):
        add_author(story, make_person(slug=f"{slug}-writer"))
        add_mention(story, make_person(slug=f"{slug}-named"))
    public.tags.add("Shown")
    draft.tags.add("Shown", "Draft only")
    embargoed.tags.add("Embargoed only")
    people = re.findall(r"/people/([^/]+)/", client.get("/sitemap-people.xml").content.decode())
    assert people == sorted([*(p.slug for p in on_public), both.slug])
    assert re.findall(r"/tags/([^/]+)/", client.get("/sitemap-tags.xml").content.decode()) == ["shown"]


def test_news_sitemap_is_left_out_while_no_story_is_recent(client):
    make_article(published_at=timezone.now() - timedelta(days=3))
    assert client.get("/sitemap-news.xml").status_code == 404
    assert "sitemap-news" not in client.get("/sitemap.xml").content.decode()
    assert "sitemap-news" not in client.get("/robots.txt").content.decode()


def test_robots_txt_names_the_sitemaps(client):
    make_article()
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /admin/" in text


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml", "/sitemap-news.xml"])
def test_crawler_files_answer_head_with_the_type_a_get_gets(client, url):
    """Link checkers and some crawlers ask with HEAD first; a 405 there reads as a missing file."""
    make_article()
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


# --- structured data ------------------------------------------------------------------------------


def test_article_page_carries_news_article_json_ld_and_social_tags(client, newsroom):
    article = newsroom["first"]
    html = client.get(article.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld", "opengraph"], uniform=True)
    by_type = {item["@type"]: item for item in data["json-ld"]}
    news = by_type["NewsArticle"]
    assert news["headline"] == "Harbour reopens"
    assert news["datePublished"] == article.published_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert news["dateModified"] >= news["datePublished"]
    assert news["author"] == [
        {"@type": "Person", "name": "Jane Reporter", "url": "http://testserver/people/jane-reporter/"}
    ]
    assert news["publisher"]["name"] == "Newsroom" and news["publisher"]["logo"]["url"].endswith(".png")
    assert news["image"][0]["url"].startswith("http://testserver/media/images/")
    assert news["mainEntityOfPage"]["@id"] == "http://testserver" + article.get_absolute_url()
    assert news["articleSection"] == "World" and set(news["keywords"]) == {"Lebanon", "Shipping"}
    assert news["dateline"] == "BEIRUT"
    assert news["correction"][0]["@type"] == "CorrectionComment"
    assert news["correction"][0]["text"] == "An earlier version misnamed the port."
    crumbs = by_type["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "World"]
    og = data["opengraph"][0]
    assert og["og:title"] == "Harbour reopens" and og["@type"] == "article"
    assert og["og:image"].startswith("http://testserver/media/")
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article(headline="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    data = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert data[0]["headline"] == "</script><script>alert(1)</script>"


# --- ninjs ----------------------------------------------------------------------------------------


def ninjs_validator():
    need_schemas()
    schema = json.loads((SCHEMAS / "ninjs" / "ninjs-schema_3.1.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_each_published_story_is_valid_ninjs_at_a_stable_address(client, newsroom):
    article = newsroom["first"]
    html = client.get(article.get_absolute_url()).content.decode()
    link = f'type="application/ninjs+json" title="This story as IPTC ninjs" href="/api/ninjs/{article.guid}">'
    assert '<link rel="alternate" ' + link in html
    response = client.get(f"/api/ninjs/{article.guid}")
    assert response["Content-Type"] == "application/ninjs+json; charset=utf-8"
    item = response.json()
    ninjs_validator().validate(item)
    assert item["uri"] == article.guid and item["headlines"][0]["value"] == "Harbour reopens"
    assert item["by"] == "Jane Reporter" and item["located"] == "BEIRUT"
    assert {
        "name": "Ron Dermer",
        "rel": "mentioned",
        "literal": "ron-dermer",
        "uri": "http://testserver/people/ron-dermer/",
    } in item["people"]
    draft = Article.objects.get(headline="Secret draft")
    assert client.get(f"/api/ninjs/{draft.guid}").status_code == 404


def test_ninjs_listing_is_paginated_and_valid(client, newsroom, monkeypatch):
    from articles.distribution import api

    monkeypatch.setattr(api, "PAGE_SIZE", 1)
    first = client.get("/api/ninjs/").json()
    assert first["count"] == 2 and first["pages"] == 2 and first["next"].endswith("?page=2")
    validator = ninjs_validator()
    for item in first["items"] + client.get("/api/ninjs/?page=2").json()["items"]:
        validator.validate(item)
    assert client.get("/api/ninjs/?page=3").status_code == 404
    assert client.get("/api/ninjs/?page=x").status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_ninjs_listing_queries_do_not_grow(client, django_assert_num_queries, n):
    for _ in range(n):
        article = make_article()
        add_author(article)
        add_mention(article, title="Minister")
        article.tags.add("Shipping")
        add_link(article)
        Correction.objects.create(article=article, text="Fixed.")
    with django_assert_num_queries(7):  # count, page, bylines, mentions, links, tags, corrections
        assert client.get("/api/ninjs/").status_code == 200


def story_snapshot(article):
    """Return what a reader and an editor see of a story, independent of database ids."""
    article.refresh_from_db()
    return {
        "fields": {
            f: getattr(article, f)
            for f in (
                "guid",
                "headline",
                "slug",
                "dek",
                "body",
                "status",
                "published_at",
                "embargo_until",
                "dateline",
                "source",
                "source_id",
                "updated_at",
            )
        },
        "section": article.primary_section.path,
        "authors": [(a.person.slug, a.role) for a in article.authorships.order_by("position")],
        "mentions": [(m.person.slug, m.title) for m in article.mentions.order_by("position")],
        "tags": sorted(article.tags.names()),
        "links": [
            (r.position, r.kind, r.title, r.target_article_id and r.target_article.guid, r.url, r.anchor_block)
            for r in article.related_links.order_by("position")
        ],
        "corrections": [(c.kind, c.text, c.published_at) for c in article.corrections.all()],
        "picture": article.lead_image and (article.caption, article.lead_image.credit, article.lead_image.key),
    }


def test_export_then_import_gives_the_same_story(client, seed, tmp_path):
    Correction.objects.create(
        article=seed,
        kind="clarification",
        text="A clarification.",
        published_at=seed.published_at + timedelta(hours=1),
    )
    seed.updated_at = seed.published_at + timedelta(hours=2)
    seed.save()
    before = story_snapshot(seed)
    exported = tmp_path / "story.json"
    exported.write_text(client.get(f"/api/ninjs/{seed.guid}").content.decode(), encoding="utf-8")
    Article.objects.all().delete()
    call_command("import_ninjs", str(exported), stdout=io.StringIO())
    assert story_snapshot(Article.objects.get()) == before
    call_command("import_ninjs", str(exported), stdout=io.StringIO())  # idempotent
    assert Article.objects.count() == 1 and Mention.objects.count() == 5 and RelatedLink.objects.count() == 2


def test_a_partners_ninjs_item_imports(db):
    need_schemas()
    example = SCHEMAS.parent / "schemas" / "ninjs-examples" / "3.0_ninjsExSimpleText_3.json"
    out = io.StringIO()
    call_command("import_ninjs", str(example), "--section", "partners/ap", stdout=out)
    article = Article.objects.get()
    assert article.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert article.body.startswith("<p>GROSSETO, Italy (AP)")
    assert article.primary_section.path == "partners/ap"
    assert [a.person.name for a in article.authorships.order_by("position")] == [
        "Paulo Santalucia",
        "Frances d'Emilio",
    ]
    assert article.is_public()


def test_a_bad_file_among_good_ones_imports_nothing(client, seed, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"uri": "urn:partner:1", "headlines": [{"value": "Partner story"}], "bodies": [{"value": "Text."}]})
    )
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"uri": "urn:partner:2", "headlines": [{"value": "No body"}]}))
    with pytest.raises(CommandError, match="bad.json: urn:partner:2: no body"):
        call_command("import_ninjs", str(good), str(bad), stdout=io.StringIO())
    assert list(Article.objects.values_list("headline", flat=True)) == [seed.headline]
    for text, message in [("{", "not UTF-8 JSON"), ('{"headlines": []}', "has no uri"), ("[1]", "not a JSON object")]:
        bad.write_text(text)
        with pytest.raises(CommandError, match=message):
            call_command("import_ninjs", str(bad), stdout=io.StringIO())
