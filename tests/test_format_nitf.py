"""The NITF reader: what an editor sees of an NITF story, and the refusals of bad files."""

from datetime import UTC, datetime

import pytest

from articles.interchange import formats
from articles.interchange.formats import MAX_FILE_BYTES, FormatError, Subject, nitf
from tests.format_views import WIRE_FORMATS as SHARED
from tests.format_views import only_picture

AP = SHARED / "nitf" / "ap-nitf.xml"

# An NITF 3.6 story of our own, in the IPTC namespace, using the parts the AP sample leaves out.
FULL = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" version="-//IPTC//DTD NITF 3.6//EN">
  <head>
    <title>Harbour bridge</title>
    <tobject tobject.type="news">
      <tobject.subject tobject.subject.refnum="04005000" tobject.subject.matter="energy and resource"/>
    </tobject>
    <docdata management-status="usable">
      <doc-id id-string="urn:example:bridge-2026-0412"/>
      <urgency ed-urg="2"/>
      <date.issue norm="20260412T091500+0200"/>
      <date.release norm="20260413T060000Z"/>
      <date.expire norm="20260513T060000Z"/>
      <du-key version="3" key="bridge"/>
      <ed-msg info="Embargoed until 0600 GMT Monday"/>
      <doc.copyright holder="Harbour Wire" year="2026"/>
      <key-list><keyword key="bridges"/><keyword key="Harbour City"/></key-list>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline><hl1>New harbour bridge opens to cyclists first</hl1><hl2>Cars must wait until June</hl2></hedline>
      <byline>By ANNA LINDQVIST and Tom Reyes<byttl>Harbour Wire Staff</byttl></byline>
      <distributor>Harbour Wire Service</distributor>
      <dateline><location>HARBOUR CITY</location><story.date norm="20260412">April 12</story.date></dateline>
    </body.head>
    <body.content>
      <p>HARBOUR CITY (Harbour Wire) \xe2\x80\x94 The bridge opened at dawn to a line of cyclists.</p>
      <media media-type="image">
        <media-reference source="bridge.jpg" alternate-text="Cyclists on the bridge deck"/>
        <media-caption>Cyclists cross the new bridge at dawn.</media-caption>
        <media-producer>Photo: Lena Berg</media-producer>
      </media>
      <media media-type="video"><media-reference source="bridge.mp4"/><media-caption>Video</media-caption></media>
      <hl2>What comes next</hl2>
      <block>
        <p>Cars will follow in <em>June</em>, the works office said.</p>
        <ul><li>Cyclists: from today</li><li>Cars: June</li></ul>
      </block>
      <p>The old ferry will keep running until then.</p>
    </body.content>
  </body>
</nitf>
"""


def read_one(data, filename="story.xml"):
    items = list(formats.read(data, filename=filename))
    assert len(items) == 1
    return items[0]


@pytest.fixture
def ap_bytes():
    if not AP.exists():
        pytest.skip(f"the shared NITF sample is not at {AP}")
    return AP.read_bytes()


def test_ap_story_as_an_editor_sees_it(ap_bytes):
    item = read_one(ap_bytes, "ap-nitf.xml")
    story = item.story
    assert item.format == "nitf"
    assert story.headline == "Can trading pollution like stocks help fight climate change?"
    # The AP hl2 repeats the headline: no standfirst is made of it.
    assert story.dek is None
    assert [(b.name, b.role) for b in story.bylines] == [("Bernard Condon", "author")]
    assert item.extra["byline_titles"] == ["AP Business Writer"]
    assert story.dateline == "NEW YORK"
    assert story.source == "AP"
    paragraphs = [b for b in story.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 28
    # The dateline is printed before the first paragraph, so it is taken off the text.
    assert paragraphs[0].text.startswith("The gas produced by hog manure at farms across the U.S.")
    assert paragraphs[-1].text.startswith("Bernard Condon can be reached at http://twitter.com/BernardFCondon")
    assert item.sent_at == datetime(2015, 12, 10, 19, 10, 44, tzinfo=UTC)
    assert item.editorial_note == "For global distribution"
    assert item.credit == "AP"
    assert item.provider == "The Associated Press"
    assert item.guid is None  # the AP doc-id names its source but carries no id-string
    assert item.embargo is None
    assert item.pub_status == "usable"
    assert story.lead_image is None
    assert "Rudi Roeslein" in [p.name for p in story.people]


def test_every_nitf_part_of_the_specification():
    item = read_one(FULL)
    story = item.story
    assert story.headline == "New harbour bridge opens to cyclists first"
    assert story.dek == "Cars must wait until June"
    assert [b.name for b in story.bylines] == ["Anna Lindqvist", "Tom Reyes"]
    assert item.extra["byline_titles"] == ["Harbour Wire Staff"]
    assert story.dateline == "HARBOUR CITY"
    assert [(b.kind, b.text or b.items) for b in story.blocks] == [
        ("paragraph", "The bridge opened at dawn to a line of cyclists."),
        ("subheading", "What comes next"),
        ("paragraph", "Cars will follow in June, the works office said."),
        ("list", ("Cyclists: from today", "Cars: June")),
        ("paragraph", "The old ferry will keep running until then."),
    ]
    assert only_picture(item) == ("bridge.jpg", "Cyclists on the bridge deck")
    assert (story.lead_image.caption, story.lead_image.credit) == (
        "Cyclists cross the new bridge at dawn.",
        "Photo: Lena Berg",
    )
    assert item.guid == "urn:example:bridge-2026-0412"
    assert item.version == 3
    assert item.urgency == 2
    assert item.sent_at == datetime(2026, 4, 12, 7, 15, tzinfo=UTC)
    # date.release is the embargo; date.expire is not.
    assert item.embargo == datetime(2026, 4, 13, 6, 0, tzinfo=UTC)
    assert item.editorial_note == "Embargoed until 0600 GMT Monday"
    assert item.credit == "Harbour Wire"
    assert item.provider == "Harbour Wire Service"
    assert item.subjects == (
        Subject(name="bridges"),
        Subject(name="Harbour City"),
        Subject(name="energy and resource", code="04005000", scheme="subj"),
    )


@pytest.mark.parametrize(("status", "expected"), [("withheld", "withheld"), ("canceled", "canceled")])
def test_management_status_is_the_items_status(status, expected):
    data = FULL.replace(b'management-status="usable"', f'management-status="{status}"'.encode())
    assert read_one(data).pub_status == expected


def test_a_release_date_that_is_not_a_date_is_refused_rather_than_ignored():
    data = FULL.replace(b'norm="20260413T060000Z"', b'norm="next Monday"')
    with pytest.raises(FormatError, match=r"story\.xml: date\.release 'next Monday' is not a date"):
        read_one(data)


def test_a_story_without_text_is_refused():
    data = b"<nitf><body><body.head><hedline><hl1>Only a headline</hl1></hedline></body.head></body></nitf>"
    with pytest.raises(FormatError, match="empty.xml: the NITF document has no text in body.content"):
        read_one(data, "empty.xml")


def test_recognised_by_content_whatever_the_file_name(ap_bytes):
    assert formats.detect(ap_bytes, filename="x.txt") == "nitf"
    assert read_one(ap_bytes, "x.txt").story.headline.startswith("Can trading pollution")
    assert formats.detect(FULL, filename="x.txt") == "nitf"


BAD = {
    "malformed": (b"<nitf><body><body.content><p>Unclosed</body></nitf>", "malformed XML"),
    "xxe": (
        b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<nitf><body><body.content><p>&secret;</p></body.content></body></nitf>",
        "refused XML",
    ),
    "billion-laughs": (
        b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        b"<nitf><body><body.content><p>&d;</p></body.content></body></nitf>",
        "refused XML",
    ),
    "oversized": (b"<nitf>" + b" " * MAX_FILE_BYTES + b"</nitf>", "larger than"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_naming_the_file_and_reason(case):
    data, reason = BAD[case]
    with pytest.raises(FormatError) as caught:
        list(formats.read(data, filename=f"{case}.xml"))
    assert caught.value.filename == f"{case}.xml"
    assert reason in caught.value.message
    # The reader itself refuses the same way when called directly.
    with pytest.raises(FormatError, match=reason):
        list(nitf.read(data, filename=f"{case}.xml"))


def test_binary_junk_is_refused():
    junk = bytes(range(256)) * 4
    with pytest.raises(FormatError) as caught:
        list(nitf.read(junk, filename="junk.bin"))
    assert caught.value.filename == "junk.bin"
    assert "malformed XML" in caught.value.message


def test_a_canceled_document_without_text_is_kept_as_a_notice():
    data = (
        b'<nitf><head><docdata management-status="canceled"><doc-id id-string="urn:x:1"/></docdata></head>'
        b"<body><body.head><hedline><hl1>Withdrawn story</hl1></hedline></body.head></body></nitf>"
    )
    item = read_one(data)
    assert (item.pub_status, item.guid, item.story.headline, item.story.blocks) == (
        "canceled",
        "urn:x:1",
        "Withdrawn story",
        (),
    )


@pytest.mark.parametrize(
    ("byline", "names", "title"),
    [
        ("By JOHN SMITH, Associated Press Writer", ["John Smith"], "Associated Press Writer"),
        ("By Jane Doe and JOHN O'NEIL", ["Jane Doe", "John O'Neil"], None),
        ("by Ana María López, Special Correspondent", ["Ana María López"], "Special Correspondent"),
        ("The Associated Press", [], "The Associated Press"),
        ("By Jane Doe in Paris and John Roe", ["Jane Doe", "John Roe"], None),
    ],
)
def test_byline_text_in_the_byline_element(byline, names, title):
    data = FULL.replace(
        b"<byline>By ANNA LINDQVIST and Tom Reyes<byttl>Harbour Wire Staff</byttl></byline>",
        f"<byline>{byline}</byline>".encode(),
    )
    item = read_one(data)
    assert [b.name for b in item.story.bylines] == names
    assert item.extra.get("byline_titles", [None]) == [title]


def test_html_entities_of_a_named_dtd_are_read_as_characters():
    # Agencies name the NITF DTD without sending it; it is never fetched, yet its "&mdash;" must read.
    data = (
        b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "nitf-3-4.dtd"><nitf><body><body.head><hedline>'
        b"<hl1>Caf&eacute; reopens</hl1></hedline></body.head><body.content><p>Doors open &mdash; at last &amp; "
        b"for good.</p></body.content></body></nitf>"
    )
    item = read_one(data)
    assert item.story.headline == "Café reopens"
    assert item.story.blocks[0].text == "Doors open — at last & for good."
    # Without a DTD to define it, an HTML entity stays an error, as XML says.
    with pytest.raises(FormatError, match="undefined entity"):
        read_one(data.replace(b' SYSTEM "nitf-3-4.dtd"', b""))
