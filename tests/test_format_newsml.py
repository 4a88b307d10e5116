"""The NewsML-G2 and NewsML 1 readers: what an editor sees of each agency file, and what is refused and why."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.interchange import formats
from articles.interchange.formats import FormatError, Picture, Subject, newsml1, newsml_g2
from tests.format_views import WIRE_FORMATS as SHARED
from tests.format_views import paragraphs, story_view
from tests.format_views import shared_bytes as shared

G2 = SHARED / "newsml-g2"
EXAMPLES = SHARED / "iptc-newsml-g2-examples"
NEWSML1 = Path(__file__).resolve().parent / "data" / "newsml1-story.xml"


def read_all(data, filename):
    return list(formats.read(data, filename=filename))


def test_reuters_story_as_an_editor_sees_it():
    [item] = read_all(shared(G2 / "reuters-L1N14N0FF-v1.xml"), "reuters-v1.xml")
    story = item.story
    assert item.format == "newsml-g2"
    assert story.headline == "CORRECTED-S. Illinois battles flooding as Mississippi River builds downstream"
    assert item.slugline == "USA-WEATHER/ (UPDATE 1, PIX, CORRECTED)"
    assert item.credit == story.source == "Reuters"
    assert item.provider == "reuters.com"
    assert story.dateline is None
    texts = paragraphs(story)
    assert len(texts) == 16
    assert texts[0].startswith("(In Jan. 3 story, corrects last paragraph")
    # The closing "(Reporting by …; Editing by …)" becomes bylines, not text.
    assert texts[-1].endswith("as flood waters threatened to inundate it.")
    assert [(b.name, b.role) for b in story.bylines] == [
        ("David Bailey", "author"),
        ("Erwin Seba", "author"),
        ("Tim Ghianni", "author"),
        ("Dan Grebler", "editor"),
    ]
    assert item.guid == "tag:reuters.com,0000:newsml_L1N14N0FF"
    assert item.version == 978556838
    assert item.pub_status == "usable"
    assert item.embargo is None
    assert item.urgency == 3 and item.priority == 3
    assert item.language == "en"
    assert item.sent_at == datetime(2016, 1, 4, 15, 43, 34, tzinfo=UTC)
    assert Subject(name="subj:04015000", code="04015000", scheme="subj") in item.subjects
    assert "Illinois" in story.places


def test_second_reuters_version_cancels_the_first():
    [first] = read_all(shared(G2 / "reuters-L1N14N0FF-v1.xml"), "reuters-v1.xml")
    [second] = read_all(shared(G2 / "reuters-L1N14N0FF-v2.xml"), "reuters-v2.xml")
    assert second.guid == first.guid
    assert second.version > first.version
    # A kill notice carries no text, yet the desk must see it to mark the story killed.
    assert second.pub_status == "canceled"
    assert second.story.blocks == ()
    assert second.story.headline == first.story.headline


def test_ansa_plain_text_item():
    [item] = read_all(shared(G2 / "ansa-text.xml"), "ansa.xml")
    story = item.story
    assert story_view(item) == ("Catalan independence declaration unacceptable - Alfano", [], "Rome")
    assert (story.dek, story.source) == ("Foreign minister expresses faith in Spanish government", "ANSA")
    texts = paragraphs(story)
    assert len(texts) == 4
    assert texts[0] == (
        "Italian Foreign Minister Angelino Alfano has said that the Catalan independence declaration is unacceptable."
    )
    assert texts[-1].startswith("Catalan leader Carles Puigdemont signed a declaration")
    assert item.guid == "tag:ansa.it,2017-10-11:40e5fb1034e7e2b21942ea09718fc85a"
    assert item.version == 1
    assert item.language == "it"
    assert item.urgency == 5
    assert item.sent_at == datetime(2017, 10, 11, 10, 41, tzinfo=timezone(timedelta(hours=1)))
    assert [s.name for s in item.subjects][0] == "ALR"
    # The picture the item points to is kept by its address; it has no caption to lead with.
    assert item.pictures == (Picture(href="tag:ansa.it,2017-10-11:200400bfd17a98e68ea9597546e5ec93.jpg"),)
    assert story.lead_image is None


def test_iptc_text_document_with_nitf_inside():
    [item] = read_all(shared(G2 / "iptc-listing-2-text-document.xml"), "listing-2.xml")
    story = item.story
    assert story.headline == 'Fed to halt QE to avert "bubble"'
    assert [b.name for b in story.bylines] == ["Meredith Jameson"]
    assert item.extra["byline_titles"] == ["Staff Reporter"]
    assert story.dateline == "New York, NY"
    assert story.source == "Associated Press"
    texts = paragraphs(story)
    assert len(texts) == 2
    assert texts[0].startswith("(New York, NY - October 21) Et, sent luptat luptat")
    assert texts[-1].endswith("esto cons dolutpat, si.")
    assert item.subjects == (
        Subject(name="economy, business and finance", code="04000000", scheme="medtop"),
        Subject(name="central bank", code="20000350", scheme="medtop"),
        Subject(name="money and monetary policy", code="20000379", scheme="medtop"),
    )
    assert item.guid == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert item.version == 11
    assert item.slugline == "US-Finance-Fed"
    assert item.language == "en-US"


def test_lone_content_set_with_nitf():
    [item] = read_all(shared(G2 / "iptc-listing-25-nitf-inline.xml"), "listing-25.xml")
    story = item.story
    assert story.headline == "Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05p.m."
    assert story.dek.startswith("A pair of teams coming off big weekend sweeps")
    assert story.source == "Sports Network"
    [text] = paragraphs(story)
    assert text.startswith("With the Philadelphia Phillies picking up momentum")
    assert item.guid is None


def test_news_item_without_text_is_refused_with_the_reason():
    with pytest.raises(FormatError) as caught:
        read_all(shared(G2 / "iptc-listing-1-news-item.xml"), "listing-1.xml")
    assert caught.value.filename == "listing-1.xml"
    assert "carries no story text" in caught.value.message


# What each IPTC listing gives: the story headline, or the words of the refusal.
LISTINGS = {
    "LISTING_1_": "carries no story text",
    "LISTING_2_": 'Fed to halt QE to avert "bubble"',
    "LISTING_3_": "a picture news item carries no story text",
    "LISTING_3A_": "a picture news item carries no story text",
    "LISTING_4_": "a video news item",
    "LISTING_5_": "a video news item",
    "LISTING_6_": "a package item",
    "LISTING_7_": "a part of a NewsML-G2 document (<groupSet>)",
    "LISTING_8_": "a part of a NewsML-G2 document (<groupSet>)",
    "LISTING_9_": "a part of a NewsML-G2 document (<groupSet>)",
    "LISTING_10_": "a concept item",
    "LISTING_11_": "a concept item",
    "LISTING_12_": "a knowledge item",
    "LISTING_13_": "a catalog item",
    "LISTING_14_": "a concept item",
    "LISTING_15_": "a knowledge item",
    "LISTING_16_": "a composite news item",
    "LISTING_17_": "a planning item",
    "LISTING_18_": "a planning item",
    "LISTING_19_": "a planning item",
    "LISTING_20_": "a planning item",
    "LISTING_21_": "application/sportsml+xml",
    "LISTING_22_": "Preview: Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05 p.m.",
    "LISTING_23_": "a package item",
    "LISTING_24_": "the news message carries no text item: item 1 (packageItem): a package item",
    "LISTING_25_": "Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05p.m.",
    "LISTING_26_": "a picture news item",
    "LISTING_27_": "carries no story text",
    "LISTING_28_": "a part of a NewsML-G2 document (<contentMeta>)",
    "LISTING_29_": "carries no story text (it holds no content)",
    "Receiver View": 'Fed to halt QE to avert "bubble"',
    "ap_metadata_example": "a video news item",
    "facet-example.": "carries no story text",
    "facet-example-2": "carries no story text",
    "facet-example-3": "Content goes here...",
}


def test_every_iptc_listing_gives_items_or_a_clear_refusal():
    if not EXAMPLES.exists():
        pytest.skip(f"the IPTC listings are not at {EXAMPLES}")
    seen = set()
    for path in sorted(EXAMPLES.glob("*.xml")):
        [key] = [key for key in LISTINGS if path.name.startswith(key)]
        seen.add(key)
        try:
            items = read_all(path.read_bytes(), path.name)
        except FormatError as error:
            assert error.filename == path.name
            assert LISTINGS[key] in error.message, (path.name, error.message)
            continue
        assert [item.story.headline for item in items] == [LISTINGS[key]], path.name
        assert all(item.story.blocks for item in items)
    assert seen == set(LISTINGS)


def test_sports_story_from_the_listings():
    [item] = read_all(shared(EXAMPLES / "LISTING_22_Sports_story_in_NewsML-G2NITF.xml"), "listing-22.xml")
    story = item.story
    assert story.dek.startswith("A pair of teams coming off big weekend sweeps")
    assert story.dateline == "Philadelphia"
    assert len(paragraphs(story)) == 6
    assert Subject(name="Baseball", code="20000849", scheme="medtop") in item.subjects
    assert Subject(name="Philadelphia Phillies", code="l.mlb.com-t.19", scheme="team") in item.subjects


@pytest.mark.parametrize(
    "path",
    [
        "nitf/ap-nitf.xml",
        "newsml-g2/ansa-text.xml",
        "newsml-g2/iptc-listing-1-news-item.xml",
        "newsml-g2/iptc-listing-2-text-document.xml",
        "newsml-g2/iptc-listing-25-nitf-inline.xml",
        "newsml-g2/reuters-L1N14N0FF-v1.xml",
        "newsml-g2/reuters-L1N14N0FF-v2.xml",
    ],
)
def test_shared_files_are_recognised_by_content_whatever_their_name(path):
    expected = "nitf" if path.startswith("nitf") else "newsml-g2"
    assert formats.detect(shared(SHARED / path), filename="x.txt") == expected


# A News Item of our own with the envelope parts the shared files leave out.
EMBARGOED = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:council-vote" version="4" xml:lang="en">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider literal="Example Wire"/>
    <versionCreated>2026-05-02T10:00:00+02:00</versionCreated>
    <firstCreated>2026-05-01T09:00:00Z</firstCreated>
    <embargoed>2026-05-03T06:00:00Z</embargoed>
    <pubStatus qcode="stat:usable"/>
    <edNote>Strictly embargoed until 0600 GMT.</edNote>
    <signal qcode="sig:update"/>
    <link rel="irel:previousVersion" residref="urn:example:council-vote-v3"/>
  </itemMeta>
  <contentMeta>
    <urgency>2</urgency>
    <located qcode="city:riverton"><name>Riverton</name></located>
    <by>By MARIA OKAFOR, Example Wire City Hall Reporter</by>
    <dateline>RIVERTON, May 2</dateline>
    <creditline>Example Wire</creditline>
    <subject qcode="medtop:11000000"><name xml:lang="en">politics</name></subject>
    <subject qcode="medtop:20000574">
      <name xml:lang="de">Kommunalwahl</name><name xml:lang="en">local elections</name>
    </subject>
    <slugline>Council-Vote</slugline>
    <headline>Council votes to keep the night buses</headline>
    <description role="drol:summary">The service survives a second budget round.</description>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><head><title>ignored</title></head><body>
        <p>The council voted seven to two on Friday to keep the night buses.</p>
        <figure><img src="bus.jpg" alt="A night bus"/><figcaption>A night bus at the depot.</figcaption></figure>
        <h2>Who pays</h2>
        <ol><li>The city: two thirds</li><li>The region: one third</li></ol>
        <p>The next review is due in a year.</p>
      </body></html>
    </inlineXML>
  </contentSet>
</newsItem>
"""


def test_news_item_envelope_and_xhtml_body():
    [item] = read_all(EMBARGOED, "council.xml")
    story = item.story
    assert story.headline == "Council votes to keep the night buses"
    assert story.dek == "The service survives a second budget round."
    assert [b.name for b in story.bylines] == ["Maria Okafor"]
    assert item.extra["byline_titles"] == ["Example Wire City Hall Reporter"]
    assert story.dateline == "RIVERTON, May 2"
    assert [(b.kind, b.text or b.items) for b in story.blocks] == [
        ("paragraph", "The council voted seven to two on Friday to keep the night buses."),
        ("subheading", "Who pays"),
        ("list", ("The city: two thirds", "The region: one third")),
        ("paragraph", "The next review is due in a year."),
    ]
    assert item.pictures == (Picture(href="bus.jpg", caption="A night bus at the depot.", alt="A night bus"),)
    assert story.lead_image.caption == "A night bus at the depot."
    assert item.embargo == datetime(2026, 5, 3, 6, 0, tzinfo=UTC)
    assert item.pub_status == "usable"
    assert item.replaces == "urn:example:council-vote-v3"
    assert (item.guid, item.version, item.urgency) == ("urn:example:council-vote", 4, 2)
    assert item.editorial_note == "Strictly embargoed until 0600 GMT."
    assert item.extra["signals"] == ["update"]
    assert item.sent_at == datetime(2026, 5, 2, 8, 0, tzinfo=UTC)
    assert item.subjects == (
        Subject(name="politics", code="11000000", scheme="medtop"),
        Subject(name="local elections", code="20000574", scheme="medtop"),
    )


@pytest.mark.parametrize(("qcode", "expected"), [("stat:withheld", "withheld"), ("stat:canceled", "canceled")])
def test_pub_status(qcode, expected):
    data = EMBARGOED.replace(b"stat:usable", qcode.encode())
    [item] = read_all(data, "council.xml")
    assert item.pub_status == expected


def test_message_yields_each_text_item_and_skips_the_rest():
    item = EMBARGOED.split(b"?>", 1)[1].replace(b' xmlns="http://iptc.org/std/nar/2006-10-01/"', b"")
    photo = b'<newsItem guid="p1"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>'
    second = item.replace(b"urn:example:council-vote", b"urn:example:second")
    message = (
        b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2026-05-02T10:00:00Z</sent>'
        b"<priority>2</priority></header><itemSet>" + item + photo + second + b"</itemSet></newsMessage>"
    )
    items = read_all(message, "message.xml")
    assert [i.guid for i in items] == ["urn:example:council-vote", "urn:example:second"]
    assert all(i.priority == 2 for i in items)
    only_photo = message.replace(item, b"").replace(second, b"")
    with pytest.raises(
        FormatError, match=r"message.xml: the news message carries no text item: item 1 \(p1\): a picture"
    ):
        read_all(only_photo, "message.xml")


def test_newsml1_story_of_our_own():
    [item] = read_all(NEWSML1.read_bytes(), "afp.xml")
    story = item.story
    assert item.format == "newsml1"
    assert story.headline == "River ferry returns to service after winter repairs"
    assert story.dek == "Crossings resume on Saturday with a new timetable"
    assert [b.name for b in story.bylines] == ["Claire Martin"]
    assert story.dateline == "LYON"
    assert story.source == "Example Agency"
    assert [b.kind for b in story.blocks] == ["paragraph", "subheading", "paragraph", "list", "paragraph"]
    assert story.blocks[0].text.startswith("The river ferry linking the two banks")
    assert story.blocks[-1].text == "Tickets bought for the old service remain valid until the end of May."
    assert (story.lead_image.caption, story.lead_image.credit) == (
        "The ferry moored at the Saint-Paul landing stage.",
        "Jean Dupont / Example Agency",
    )
    # A photo with its renditions and caption component is one picture, at its high-resolution address.
    assert item.pictures == (
        Picture(
            href="ferry-highres.jpg",
            caption="The ferry moored at the Saint-Paul landing stage.",
            credit="Jean Dupont / Example Agency",
        ),
        Picture(href="queue.jpg", caption="Passengers queue for the first crossing.", credit="Example Agency"),
    )
    # Every revision shares the guid: the PublicIdentifier less its revision number.
    assert (item.guid, item.version) == ("urn:newsml:example-agency.test:20260312:TX-LYO-FERRY", 2)
    assert item.pub_status == "usable"
    assert item.embargo == datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
    assert item.urgency == 2 and item.priority == 3
    assert item.sent_at == datetime(2026, 3, 12, 7, 10, tzinfo=UTC)
    assert item.subjects == (
        Subject(name="04015000", code="04015000", scheme="subj"),
        Subject(name="ferries"),
        Subject(name="Lyon"),
    )
    assert formats.detect(NEWSML1.read_bytes(), filename="x.txt") == "newsml1"


def test_newsml1_canceled_and_textless():
    data = NEWSML1.read_bytes()
    canceled = data.replace(b'<Status FormalName="Embargoed"/>', b'<Status FormalName="Canceled"/>')
    assert [i.pub_status for i in read_all(canceled, "afp.xml")] == ["canceled"]
    start, end = data.index(b"<DataContent>"), data.index(b"</DataContent>")
    textless = data[:start] + data[end + len(b"</DataContent>") :]
    with pytest.raises(
        FormatError, match="afp.xml: the NewsML document carries no text item: item 1: the NewsML item"
    ):
        read_all(textless, "afp.xml")


@pytest.mark.parametrize("reader", [newsml_g2, newsml1])
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<newsItem><contentSet><inlineXML><p>open</inlineXML></contentSet>", "malformed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE newsItem [<!ENTITY x SYSTEM "http://example.invalid/x">]>'
            b"<newsItem>&x;</newsItem>",
            "refused XML",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE NewsML [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><NewsML>&c;</NewsML>',
            "refused XML",
        ),
        (b"<newsItem>" + b"x" * formats.MAX_FILE_BYTES + b"</newsItem>", "larger than"),
        (bytes(range(256)) * 4, "malformed XML"),
    ],
    ids=["malformed", "xxe", "billion-laughs", "oversized", "binary"],
)
def test_bad_input_is_refused_naming_the_file_and_reason(reader, data, reason):
    with pytest.raises(FormatError) as caught:
        list(reader.read(data, filename="bad.xml"))
    assert caught.value.filename == "bad.xml"
    assert reason in caught.value.message


def test_embargoed_without_a_time_holds_the_item():
    data = EMBARGOED.replace(b"<embargoed>2026-05-03T06:00:00Z</embargoed>", b"<embargoed/>")
    [item] = read_all(data, "council.xml")
    assert (item.pub_status, item.embargo) == ("withheld", None)


def test_an_embargo_that_is_not_a_time_is_refused_rather_than_ignored():
    data = EMBARGOED.replace(b"2026-05-03T06:00:00Z", b"Monday noon")
    with pytest.raises(FormatError, match="council.xml: embargoed 'Monday noon' is not a date and time"):
        read_all(data, "council.xml")


def _with_content(content_set):
    start, end = EMBARGOED.index(b"<contentSet>"), EMBARGOED.index(b"</contentSet>") + len(b"</contentSet>")
    return EMBARGOED[:start] + content_set + EMBARGOED[end:]


def test_plain_text_indented_as_a_whole_keeps_its_paragraphs():
    data = _with_content(
        b"<contentSet><inlineData contenttype='text/plain'>\n      The council voted on Friday.\n"
        b"      The vote was close.\n\n      The next review is due in a year.\n    </inlineData></contentSet>"
    )
    [item] = read_all(data, "council.xml")
    assert paragraphs(item.story) == [
        "The council voted on Friday. The vote was close.",
        "The next review is due in a year.",
    ]


def test_base64_inline_data():
    data = _with_content(
        b"<contentSet><inlineData contenttype='text/plain' encoding='base64'>"
        b"VGhlIGNvdW5jaWwgdm90ZWQu</inlineData></contentSet>"
    )
    [item] = read_all(data, "council.xml")
    assert paragraphs(item.story) == ["The council voted."]


def test_other_xml_vocabularies_are_not_read_as_story_text():
    data = _with_content(
        b"<contentSet><inlineXML contenttype='application/vnd.example.scores+xml'><scores><team>Riverton 3</team>"
        b"</scores></inlineXML></contentSet>"
    )
    with pytest.raises(FormatError, match=r"carries no story text \(it holds inlineXML application/vnd.example"):
        read_all(data, "council.xml")


@pytest.mark.parametrize("version", ["9" * 5000, "99999999999999999999", "²", "-3", "v2"])
def test_a_version_that_is_no_usable_number_is_left_out(version):
    data = EMBARGOED.replace(b'version="4"', f'version="{version}"'.encode())
    [item] = read_all(data, "council.xml")
    assert item.version is None
    assert item.guid == "urn:example:council-vote"
