"""WordPress exports (WXR): posts become stories with their sections, tags, authors, pictures and old addresses."""

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.interchange.formats import FormatError, Picture, SectionRef, Subject, detect, read, wxr
from tests.format_views import (
    WIRE_FORMATS,
    editor_view,
    items_or_refusal,
    needs_shared,
    paragraphs,
    read_as,
)

SHARED = WIRE_FORMATS / "wxr"


@needs_shared
def test_the_shared_export_gives_one_story_a_post():
    data = (SHARED / "wordpress-wxr.xml").read_bytes()
    assert detect(data, filename="export.txt") == "wxr"
    posts = list(read(data, filename="export.xml"))
    assert [post.story.headline for post in posts] == [
        "Starafrica to dispose assets for $6 million to clear debt",
        "test2",
        "test3",
        "test4",
        "test5",
    ]
    first = posts[0]
    assert editor_view(first) == {
        "format": "wxr",
        "headline": "Starafrica to dispose assets for $6 million to clear debt",
        "bylines": ["admin", "Tester"],
        "dateline": "Harare",
        "source": "The SDNewTester",
        "paragraphs": 2,
        "first": "Cash-strapped StarAfrica Corporation is set to dispose its transport company and its stake in "
        "Tongaat Hulett Botswana for $6 million to offset part of the companyâs $19.7 million debt.",
        "last": "Bla bla test",
        "caption": None,
        "credit": None,
        "tags": ["companies"],
        "embargo": None,
        "pub_status": "usable",
        "guid": "http://sdnewtester.org/?p=216",
        "version": None,
    }
    assert first.sections == (
        SectionRef(path="business", name="Business"),
        SectionRef(path="companies", name="Companies"),
        SectionRef(path="economy", name="Economy"),
    )
    assert first.subjects == (Subject(name="companies", code="companies-2", scheme="wordpress:post_tag"),)
    assert first.permalink == "http://sdnewtester.org/bla/bla/article.html"
    assert first.published_at == datetime(2013, 7, 29, 16, 3, 54, tzinfo=UTC)
    assert first.source_published is True
    assert [post.source_published for post in posts[1:]] == [False] * 4
    # A post of nothing but a rule, a picture and an embedded frame has no paragraphs, and keeps its picture.
    assert paragraphs(posts[4].story) == []
    assert posts[4].pictures == (Picture(href="https://bla.invalid"),)


SITE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
 <title>Harbour Gazette</title>
 <link>https://gazette.example</link>
 <wp:wxr_version>1.2</wp:wxr_version>
 <wp:author><wp:author_login><![CDATA[mvries]]></wp:author_login>
  <wp:author_display_name><![CDATA[Mary-Anne de Vries]]></wp:author_display_name></wp:author>
 <wp:author><wp:author_login><![CDATA[tom]]></wp:author_login>
  <wp:author_display_name><![CDATA[]]></wp:author_display_name>
  <wp:author_first_name><![CDATA[Tom]]></wp:author_first_name><wp:author_last_name><![CDATA[Reed]]></wp:author_last_name>
 </wp:author>
 <wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>news</wp:category_nicename>
  <wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
 <wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>port</wp:category_nicename>
  <wp:category_parent>news</wp:category_parent><wp:cat_name><![CDATA[Port]]></wp:cat_name></wp:category>
 <item>
  <title>Fire shuts the harbour</title>
  <link>https://gazette.example/2026/03/fire-shuts-the-harbour/</link>
  <dc:creator><![CDATA[mvries]]></dc:creator>
  <guid isPermaLink="false">https://gazette.example/?p=10</guid>
  <content:encoded><![CDATA[[caption id="attachment_12" width="800"]
<img src="https://gazette.example/smoke.jpg" alt="Smoke" />
Smoke over the depot on Tuesday.[/caption]

PORTSMOUTH - A blaze at a fuel depot kept the harbour shut on Tuesday.

Crews cooled the tanks [sic] through the night.
The harbour master spoke at dawn.
<h2>Ferries</h2>
<ul>
 <li>Island ferries use the north pier.</li>
 <li>Cargo waits offshore.</li>
</ul>
<blockquote>We will reopen on Thursday.</blockquote>
[gallery ids="12,13"]
[embed]https://video.example/watch?v=1[/embed]

&ldquo;It was a long night,&rdquo; one crew member said.]]></content:encoded>
  <excerpt:encoded><![CDATA[<p>Ferries are moved north.</p>]]></excerpt:encoded>
  <wp:post_id>10</wp:post_id>
  <wp:post_date_gmt><![CDATA[2026-03-24 09:15:00]]></wp:post_date_gmt>
  <wp:post_name><![CDATA[fire-shuts-the-harbour]]></wp:post_name>
  <wp:status><![CDATA[publish]]></wp:status>
  <wp:post_parent>0</wp:post_parent>
  <wp:post_type><![CDATA[post]]></wp:post_type>
  <category domain="category" nicename="port"><![CDATA[Port]]></category>
  <category domain="post_tag" nicename="fire"><![CDATA[Fire]]></category>
  <category domain="post_tag" nicename="ferries"><![CDATA[Ferries]]></category>
  <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[11]]></wp:meta_value></wp:postmeta>
 </item>
 <item>
  <title>Depot from the air</title>
  <wp:post_id>11</wp:post_id>
  <wp:post_type><![CDATA[attachment]]></wp:post_type>
  <wp:post_parent>10</wp:post_parent>
  <wp:attachment_url><![CDATA[https://gazette.example/depot.jpg]]></wp:attachment_url>
  <excerpt:encoded><![CDATA[The depot seen from the air.]]></excerpt:encoded>
  <wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>
   <wp:meta_value>Tanks by the quay</wp:meta_value></wp:postmeta>
 </item>
 <item>
  <title>Map of the port</title>
  <wp:post_id>13</wp:post_id>
  <wp:post_type><![CDATA[attachment]]></wp:post_type>
  <wp:post_parent>10</wp:post_parent>
  <wp:attachment_url><![CDATA[https://gazette.example/map.png]]></wp:attachment_url>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
 </item>
 <item>
  <title>About us</title>
  <wp:post_id>20</wp:post_id>
  <wp:post_type><![CDATA[page]]></wp:post_type>
  <content:encoded><![CDATA[We are a small paper.]]></content:encoded>
 </item>
 <item>
  <title>Bridge vote next week</title>
  <link>https://gazette.example/?p=30</link>
  <dc:creator><![CDATA[tom]]></dc:creator>
  <guid isPermaLink="false"></guid>
  <content:encoded><![CDATA[<p>The council votes on the bridge next week.</p>]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>30</wp:post_id>
  <wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
  <wp:status><![CDATA[draft]]></wp:status>
  <wp:post_type><![CDATA[post]]></wp:post_type>
  <category domain="category" nicename="news"><![CDATA[News]]></category>
 </item>
</channel>
</rss>
"""


def test_a_site_export_with_sections_tags_authors_and_pictures():
    fire, bridge = read_as("wxr", SITE.encode(), filename="gazette.xml")
    assert editor_view(fire) == {
        "format": "wxr",
        "headline": "Fire shuts the harbour",
        "bylines": ["Mary-Anne de Vries"],
        "dateline": "PORTSMOUTH",
        "source": None,
        "paragraphs": 5,
        "first": "A blaze at a fuel depot kept the harbour shut on Tuesday.",
        "last": "“It was a long night,” one crew member said.",
        "caption": "The depot seen from the air.",
        "credit": None,
        "tags": ["Fire", "Ferries"],
        "embargo": None,
        "pub_status": "usable",
        "guid": "https://gazette.example/?p=10",
        "version": None,
    }
    assert [(block.kind, block.text or block.items) for block in fire.story.blocks] == [
        ("paragraph", "A blaze at a fuel depot kept the harbour shut on Tuesday."),
        ("paragraph", "Crews cooled the tanks [sic] through the night."),
        ("paragraph", "The harbour master spoke at dawn."),
        ("subheading", "Ferries"),
        ("list", ("Island ferries use the north pier.", "Cargo waits offshore.")),
        ("paragraph", "We will reopen on Thursday."),
        ("paragraph", "“It was a long night,” one crew member said."),
    ]
    assert fire.story.dek == "Ferries are moved north."
    assert fire.pictures == (
        Picture(
            href="https://gazette.example/depot.jpg", caption="The depot seen from the air.", alt="Tanks by the quay"
        ),
        Picture(href="https://gazette.example/smoke.jpg", caption="Smoke over the depot on Tuesday.", alt="Smoke"),
        Picture(href="https://gazette.example/map.png"),
    )
    assert fire.sections == (SectionRef(path="news/port", name="Port"),)
    assert fire.permalink == "https://gazette.example/2026/03/fire-shuts-the-harbour/"
    assert fire.published_at == datetime(2026, 3, 24, 9, 15, tzinfo=UTC)
    assert fire.source_published is True
    assert fire.slugline == "fire-shuts-the-harbour"

    assert [byline.name for byline in bridge.story.bylines] == ["Tom Reed"]
    assert bridge.guid == "wxr:https://gazette.example:30"
    assert bridge.sections == (SectionRef(path="news", name="News"),)
    assert (bridge.source_published, bridge.published_at) == (False, None)
    assert bridge.pictures == ()


def test_without_a_thumbnail_the_first_captioned_picture_leads():
    data = SITE.replace("<wp:meta_value><![CDATA[11]]></wp:meta_value>", "<wp:meta_value></wp:meta_value>").encode()
    fire = next(read(data))
    assert (fire.story.lead_image.caption, fire.pictures[0].href) == (
        "Smoke over the depot on Tuesday.",
        "https://gazette.example/smoke.jpg",
    )


def test_stray_angle_brackets_stay_text_and_quoted_ones_stay_in_their_attribute():
    content = '<p>Scores: 3 < 4 and 5 > 2 <img alt="depot > quay" src="https://gazette.example/q.jpg"></p><!-- note'
    data = SITE.replace("<p>The council votes on the bridge next week.</p>", content).encode()
    bridge = list(read(data))[1]
    assert paragraphs(bridge.story) == ["Scores: 3 < 4 and 5 > 2"]
    assert bridge.pictures == (Picture(href="https://gazette.example/q.jpg", alt="depot > quay"),)


def test_binned_posts_are_left_behind():
    data = SITE.replace("<![CDATA[draft]]>", "<![CDATA[trash]]>").encode()
    assert [post.story.headline for post in read(data)] == ["Fire shuts the harbour"]


# --- bad input ------------------------------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&secret;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&c;</title>
<wp:post_type>post</wp:post_type></item></channel></rss>"""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (XXE, "refused XML"),
        (LAUGHS, "refused XML"),
        (SITE.encode()[:-200], "malformed XML"),
        (SITE.replace("<channel>", "<channel><item>", 1).encode(), "malformed XML"),
        (b'<rss xmlns:wp="http://wordpress.org/export/1.2/"></rss>', "without a <channel>"),
    ],
)
def test_bad_exports_are_refused_with_the_file_and_reason(data, reason):
    with pytest.raises(FormatError) as caught:
        list(read(data, filename="export.xml"))
    assert caught.value.filename == "export.xml"
    assert reason in caught.value.message


def test_the_xxe_entity_is_never_read():
    with pytest.raises(FormatError) as caught:
        list(wxr.read(XXE, filename="export.xml"))
    assert "root:" not in str(caught.value)


def test_an_oversized_export_is_refused_unread():
    with pytest.raises(FormatError, match="big.xml: file is larger than"):
        list(wxr.read(SITE.encode() + b" " * 20_000_001, filename="big.xml"))


# --- fuzz -----------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
content_piece = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["\n\n", "\n", "<p>", "</p>", "<h2>", "</h2>", "<ul><li>", "</li>", "</ul>", "<br/>", "<img src='x.jpg'>"]
        + ['[caption id="1"]', "[/caption]", "[gallery ids='1']", "[embed]", "[/embed]", "[sic]", "<figure>"]
        + ["<figcaption>", "</figcaption>", "</figure>", "<script>", "</script>", "&amp;", "By JANE DOE", "&#0;"]
    ),
)


@FUZZ
@given(st.lists(content_piece, max_size=40), st.text(max_size=30))
def test_any_post_content_gives_a_story_or_a_format_error(pieces, title):
    content = "".join(pieces).replace("]]>", "")
    escaped = title.replace("&", "&amp;").replace("<", "&lt;")
    data = SITE.replace("Fire shuts the harbour</title>", f"{escaped}</title>").replace(
        "We are a small paper.", content
    )
    data = data.replace("<wp:post_type><![CDATA[page]]></wp:post_type>", "<wp:post_type>post</wp:post_type>")
    items = items_or_refusal(wxr, data.encode("utf-8", "surrogatepass"), filename="fuzz.xml")
    assert all(item.story.headline for item in items or ())
