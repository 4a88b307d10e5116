"""How a stored body and a story's times become what a reader's page shows."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.core.sanitize import clean_html
from articles.reader.rendering import body_segments, split_blocks
from articles.templatetags.newsroom import jsonld, reader_datetime, reader_time


def test_split_blocks_keeps_nested_elements_whole():
    body = (
        "<p>One <b>bold</b> line<br>and a break.</p>\n"
        "<ul><li>first</li><li>second <em>item</em></li></ul>"
        "<blockquote><p>Quoted</p><p>twice</p></blockquote>"
        "<h2>Subheading</h2>"
    )
    assert split_blocks(body) == [
        "<p>One <b>bold</b> line<br>and a break.</p>",
        "<ul><li>first</li><li>second <em>item</em></li></ul>",
        "<blockquote><p>Quoted</p><p>twice</p></blockquote>",
        "<h2>Subheading</h2>",
    ]


def test_split_blocks_is_not_fooled_by_angle_brackets_in_attributes_comments_or_case():
    body = '<p title="a > b">x</p><!-- <p>hidden</p> --><P>upper</P><img src="a.jpg" alt="1 > 0"/><p/>tail'
    assert split_blocks(body) == [
        '<p title="a > b">x</p><!-- <p>hidden</p> -->',
        "<P>upper</P>",
        '<img src="a.jpg" alt="1 > 0"/>',
        "<p/>tail",
    ]


def test_split_blocks_of_loose_text_and_empty_bodies():
    assert split_blocks("Just words, no markup.") == ["Just words, no markup."]
    assert split_blocks("Lead words <p>then a paragraph</p>") == ["Lead words", "<p>then a paragraph</p>"]
    assert split_blocks("   ") == []
    assert split_blocks(None) == []


def test_split_blocks_of_text_that_is_not_html_loses_nothing():
    # Stray "<", unclosed quotes and an open comment: each becomes text of some block, none is dropped.
    for text in ['<a "' * 2000, "<" * 5000, "<!--" * 2000, '<p title="' + "<a " * 2000]:
        assert "".join(split_blocks(text)).replace(" ", "") == text.replace(" ", "")


@given(
    st.lists(st.sampled_from(["<p>", "</p>", "<ul><li>", "</li></ul>", "<br>", "<b>", "</b>", "text ", "<", ">", '"']))
)
def test_split_blocks_keeps_every_character_of_a_sanitized_body(pieces):
    html = clean_html("".join(pieces)).strip()
    blocks = split_blocks(html)
    assert "".join(blocks).replace(" ", "").replace("\n", "") == html.replace(" ", "").replace("\n", "")


@given(
    st.lists(st.sampled_from(["<p>", "</p>", "<ul><li>", "</li></ul>", "<br>", "<b>", "</b>", "text ", "<!-- c -->"])),
    st.integers(min_value=0, max_value=6),
)
def test_split_blocks_with_a_limit_gives_the_same_first_blocks_and_the_rest_whole(pieces, limit):
    html = clean_html("".join(pieces)).strip()
    whole = split_blocks(html)
    limited = split_blocks(html, limit=limit)
    # At least the first `limit` blocks are the same; what follows comes back as one block, nothing lost.
    head, rest = limited[:-1], limited[-1:]
    assert head == whole[: len(head)]
    assert len(head) >= min(limit, len(whole) - 1)
    assert [block for text in rest for block in split_blocks(text)] == whole[len(head) :]


def test_reader_datetime_reads_as_the_date_filter_does_in_the_sites_zone():
    moment = datetime.datetime(2025, 7, 25, 23, 30, tzinfo=datetime.UTC)
    date_filter = Template('{{ moment|date:"j F Y, H:i e" }}')
    for zone in ("UTC", "Europe/London", "Asia/Beirut"):
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            assert reader_datetime(moment) == date_filter.render(Context({"moment": moment}))
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert reader_datetime(moment) == "26 July 2025, 00:30 BST"
    assert reader_datetime(None) == ""


def test_reader_time_reads_as_the_date_filters_hours_and_minutes():
    time_filter = Template('{{ moment|date:"H:i" }}')
    for moment in (datetime.datetime(2025, 7, 25, 23, 5, tzinfo=datetime.UTC), timezone.now()):
        for zone in ("UTC", "Asia/Kathmandu", "America/St_Johns"):
            with timezone.override(zoneinfo.ZoneInfo(zone)):
                assert reader_time(moment) == time_filter.render(Context({"moment": moment}))
    assert reader_time(None) == ""


def test_jsonld_cannot_close_its_script_element():
    html = jsonld({"headline": "</script><script>alert(1)</script> & <!--"})
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html
    assert "\\u0026" in html and "\\u003C!--" in html


def read_more(anchor, title):
    return type("Link", (), {"anchor_block": anchor, "title": title})()


def test_body_segments_run_the_blocks_between_read_more_links_together():
    body = "".join(f"<p>Paragraph {n}.</p>" for n in range(1, 6))
    links = [
        read_more(2, "after two"),
        read_more(0, "before all"),
        read_more(9, "past the end"),
        read_more(2, "also two"),
    ]
    segments = body_segments(body, links, dateline="BEIRUT")
    assert [(s.html, [link.title for link in s.links]) for s in segments] == [
        ("", ["before all"]),
        ('<p><span class="dateline">BEIRUT —</span> Paragraph 1.</p>\n<p>Paragraph 2.</p>', ["after two", "also two"]),
        ("<p>Paragraph 3.</p>\n<p>Paragraph 4.</p>\n<p>Paragraph 5.</p>", ["past the end"]),
    ]
    # Without read-more links the whole sanitized body is one segment, dateline included; an empty body is none.
    assert [s.html for s in body_segments(body, [])] == [body]
    assert [s.html for s in body_segments(body + "<script>x()</script>", [], dateline="BEIRUT")] == [
        body.replace("<p>", '<p><span class="dateline">BEIRUT —</span> ', 1)
    ]
    assert body_segments("", []) == []
    assert [link.title for s in body_segments("", [read_more(3, "kept")]) for link in s.links] == ["kept"]


def test_byline_reads_as_english_and_escapes_names():
    jane = ("/people/jane/", "Jane <Doe>", "")
    sam = ("/people/sam/", "Sam Lens", "photographer")
    kim = ("/people/kim/", "Kim & Co", "editor")
    assert byline([jane]) == '<a href="/people/jane/">Jane &lt;Doe&gt;</a>'
    assert byline([jane, sam]) == (
        '<a href="/people/jane/">Jane &lt;Doe&gt;</a> and <a href="/people/sam/">Sam Lens</a> (photographer)'
    )
    assert byline([jane, sam, kim]) == (
        '<a href="/people/jane/">Jane &lt;Doe&gt;</a>, <a href="/people/sam/">Sam Lens</a> (photographer) and '
        '<a href="/people/kim/">Kim &amp; Co</a> (editor)'
    )
    assert byline([]) == ""


def test_people_and_link_lists_escape_what_editors_typed():
    people = [("/people/a/", 'Ann "A" Lee', "Minister <of> Health"), ("/people/b/", "Bo", "")]
    assert people_items(people) == (
        '<li><a href="/people/a/">Ann &quot;A&quot; Lee</a><span class="person-title">, Minister &lt;of&gt; Health'
        '</span></li><li><a href="/people/b/">Bo</a></li>'
    )
    links = [("/news/", "News"), ("/news/a&b/", "A & B")]
    assert link_items(links) == '<li><a href="/news/">News</a></li><li><a href="/news/a&amp;b/">A &amp; B</a></li>'
    assert link_items(links, current=True).endswith('<a href="/news/a&amp;b/" aria-current="page">A &amp; B</a></li>')
    assert link_items([("", "Kept <off> the web")]) == "<li>Kept &lt;off&gt; the web</li>"
    assert link_items([], current=True) == ""


def byline(credits):
    """Return the names the byline template writes after "By", for (address, name, role) rows."""
    html = render_to_string("articles/includes/byline.html", {"credits": credits})
    return html.removeprefix('<p class="byline">By ').removesuffix("</p>")


def people_items(mentions):
    """Return the list items the people template writes for (address, name, title) rows."""
    html = render_to_string("articles/includes/people.html", {"mentions": mentions})
    return html[html.index("<ul>") + 4 : html.index("</ul>")].strip()


def link_items(links, current=False):
    """Return the list items the link-list template writes for (address, text) pairs."""
    return render_to_string("includes/link_items.html", {"links": links, "current": current})
