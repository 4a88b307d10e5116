"""Property tests: whatever XML arrives, the NITF and NewsML readers yield items or raise FormatError, nothing else."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.interchange import formats
from articles.interchange.formats import IncomingItem, newsml1, newsml_g2, nitf
from tests.format_views import WIRE_FORMATS as SHARED
from tests.format_views import items_or_refusal

# A deadline per example keeps each run bounded; generous, so a loaded machine does not fail the property.
FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
READERS = [nitf, newsml_g2, newsml1]

SEEDS = [
    b"<nitf><head><docdata><date.release norm='20260101T000000Z'/><doc-id id-string='x'/></docdata></head>"
    b"<body><body.head><hedline><hl1>H</hl1></hedline><byline>By A B<byttl>T</byttl></byline></body.head>"
    b"<body.content><p>NEW YORK (AP) \xe2\x80\x94 Text.</p><media><media-caption>C</media-caption></media>"
    b"<ul><li>i</li></ul><hl2>S</hl2></body.content></body></nitf>",
    b"<newsItem guid='g' version='2'><itemMeta><itemClass qcode='ninat:text'/><pubStatus qcode='stat:usable'/>"
    b"<embargoed>2026-01-01T00:00:00Z</embargoed></itemMeta><contentMeta><headline>H</headline><by>By X</by>"
    b"<subject qcode='medtop:1'><name>n</name></subject></contentMeta><contentSet><inlineXML><html><body>"
    b"<p>(Reuters) - Text (Reporting by A B; Editing by C D)</p></body></html></inlineXML>"
    b"<inlineData>plain\n\n  text</inlineData></contentSet></newsItem>",
    b"<newsMessage><header><sent>2026-01-01T00:00:00Z</sent></header><itemSet><packageItem/>"
    b"<newsItem><contentSet><inlineData>Text</inlineData></contentSet></newsItem></itemSet></newsMessage>",
    b"<NewsML><NewsItem><Identification><NewsIdentifier><RevisionId>1</RevisionId><PublicIdentifier>u:1"
    b"</PublicIdentifier></NewsIdentifier></Identification><NewsManagement><Status FormalName='Usable'/>"
    b"</NewsManagement><NewsComponent><NewsLines><HeadLine>H</HeadLine></NewsLines><ContentItem>"
    b"<DataContent>Text</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>",
]

for _folder in ("nitf", "newsml-g2"):
    SEEDS.extend(path.read_bytes() for path in sorted((SHARED / _folder).glob("*.xml")) if SHARED.exists())

TAGS = [
    "nitf", "body", "body.content", "body.head", "hedline", "hl1", "hl2", "p", "ul", "li", "media", "byline",
    "byttl", "dateline", "docdata", "date.release", "newsItem", "newsMessage", "itemSet", "itemMeta",
    "contentMeta", "contentSet", "inlineXML", "inlineData", "headline", "subject", "pubStatus", "embargoed",
    "NewsML", "NewsItem", "NewsComponent", "ContentItem", "DataContent", "NewsLines", "HeadLine", "table", "tr",
]  # fmt: skip
ATTRIBUTES = ["qcode", "norm", "version", "guid", "FormalName", "id-string", "ed-urg", "rel", "residref", "Href"]
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["stat:canceled", "20261301T250000Z", "2026-02-30T00:00:00Z", "9" * 5000, "²", "-1", ""]),
)


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")


@st.composite
def elements(draw, depth=0):
    """Draw a well-formed element built from the formats' own names, with odd values."""
    tag = draw(st.sampled_from(TAGS))
    attributes = "".join(
        f" {name}='{_escape(value)}'"
        for name, value in draw(st.dictionaries(st.sampled_from(ATTRIBUTES), VALUES, max_size=3)).items()
    )
    inner = []
    if depth < 5:
        for part in draw(st.lists(st.one_of(st.text(max_size=40).map(_escape), elements(depth + 1)), max_size=4)):
            inner.append(part)
    return f"<{tag}{attributes}>{''.join(inner)}</{tag}>"


def _check(reader, data):
    for item in items_or_refusal(reader, data, filename="fuzz.xml") or ():
        assert isinstance(item, IncomingItem)
        assert item.story.headline or not item.story.blocks


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.FORMAT)
@FUZZ
@given(tree=elements())
def test_any_tree_of_format_elements(reader, tree):
    _check(reader, tree.encode("utf-8"))


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.FORMAT)
@FUZZ
@given(seed=st.sampled_from(SEEDS), cuts=st.lists(st.tuples(st.integers(0, 20000), st.binary(max_size=8)), max_size=4))
def test_mutated_real_files(reader, seed, cuts):
    data = bytearray(seed)
    for position, replacement in cuts:
        position %= len(data) + 1
        data[position : position + len(replacement)] = replacement
    _check(reader, bytes(data))


@FUZZ
@given(data=st.binary(max_size=2000))
def test_any_bytes_through_the_entry_point(data):
    items_or_refusal(formats, data, filename="fuzz.bin")
