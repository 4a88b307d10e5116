"""ninjs 1.x, 2.x and 3.x items read by the pure reader: what an editor sees, whatever the version."""

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.interchange.formats import FormatError, Subject, detect, ninjs_reader, read
from tests.format_views import SHARED, editor_view, items_or_refusal, needs_shared, only_picture, read_as


@needs_shared
def test_bbc_item_in_a_result_wrapper():
    data = (SHARED / "wire-formats" / "ninjs" / "bbc-ninjs-text.json").read_bytes()
    [item] = read(data, filename="bbc.json")
    assert editor_view(item) == {
        "format": "ninjs",
        "headline": "advisory",
        "bylines": ["John Doe"],
        "dateline": None,
        "source": None,
        "paragraphs": 1,
        "first": "body",
        "last": "body",
        "caption": None,
        "credit": None,
        "tags": ["Planning Permission"],
        "embargo": None,
        "pub_status": "usable",
        "guid": "https://www.example.com//12345",
        "version": None,
    }
    assert item.story.dek == "LDRS WALES v.1"
    assert (item.urgency, item.language) == (3, "en")
    assert item.sent_at == datetime(2018, 5, 28, 16, 40, 8, tzinfo=UTC)


@needs_shared
def test_superdesk_item():
    data = (SHARED / "wire-formats" / "ninjs" / "superdesk-ninjs1.json").read_bytes()
    [item] = read(data, filename="superdesk.json")
    assert editor_view(item) == {
        "format": "ninjs",
        "headline": "headline",
        "bylines": ["Peter", "Jane"],
        "dateline": "Milton Keynes",
        "source": None,
        "paragraphs": 1,
        "first": "The story so far.",
        "last": "The story so far.",
        "caption": None,
        "credit": None,
        "tags": ["arts, culture and entertainment"],
        "embargo": None,
        "pub_status": "usable",
        "guid": "urn:newsml:localhost:2017-08-24T14:37:19.783611:c044162e-7f40-4d04-b700-49b6a66e652c",
        "version": 2,
    }
    assert item.subjects == (Subject(name="arts, culture and entertainment", code="01000000"),)
    assert (item.story.dek, item.slugline, item.language, item.priority) == ("abstract", "slugline", "fr", 6)
    assert (item.credit, item.editorial_note) == ("Australian Associated Press", "ed note")


@needs_shared
@pytest.mark.parametrize(
    "name", ["1.4_ninjsExSimpleText1.json", "2.1_ninjsExSimpleText_2.json", "3.0_ninjsExSimpleText_3.json"]
)
def test_the_same_story_reads_the_same_in_every_version(name):
    [item] = read((SHARED / "schemas" / "ninjs-examples" / name).read_bytes(), filename=name)
    view = editor_view(item)
    assert view["headline"] == "Captain of wrecked cruise ship on trial in Italy"
    assert view["bylines"] == ["Paulo Santalucia", "Frances d'Emilio"]
    assert (view["dateline"], view["source"]) == ("GROSSETO, Italy", "AP")
    assert view["paragraphs"] == 4
    assert view["first"].startswith("The trial of the captain of the shipwrecked Costa Concordia cruise liner")
    assert view["last"].endswith("took on water and capsized. Schettino has denied wrongdoing.")
    assert item.sent_at == datetime(2013, 7, 9, 10, 37, tzinfo=UTC)


@needs_shared
def test_detect_knows_ninjs_by_its_content_whatever_the_name():
    for path in (SHARED / "wire-formats" / "ninjs").iterdir():
        assert detect(path.read_bytes(), filename="story.txt") == "ninjs"


# --- items of our own: every property the reader takes ------------------------------------------------------

VERSION_3 = {
    "standard": {"name": "ninjs", "version": "3.1"},
    "uri": "urn:example:harbour-fire",
    "type": "text",
    "version": "3",
    "versionCreated": "2026-03-24T10:15:00+01:00",
    "embargoedUntil": "2026-03-25T06:00:00Z",
    "pubStatus": "withheld",
    "urgency": 2,
    "language": "en-GB",
    "slugline": "harbour-fire",
    "headlines": [{"role": "sub", "value": "Second day"}, {"role": "main", "value": "Fire shuts the harbour"}],
    "descriptions": [{"role": "summary", "contentType": "text/plain", "value": "Ferries are moved north."}],
    "bodies": [
        {
            "role": "main",
            "contentType": "text/html",
            "value": "<p>PORTSMOUTH (XYZ) — A blaze kept the harbour shut.</p><h2>Ferries</h2>"
            "<ul><li>Island ferries use the north pier.</li><li>Cargo waits offshore.</li></ul>"
            "<p>The port hopes to reopen on Thursday.</p>",
        }
    ],
    "people": [
        {"name": "Mary-Anne de Vries", "rel": "author"},
        {"name": "Tom Reed", "rel": "mentioned"},
    ],
    "subjects": [{"name": "Fire", "uri": "http://cv.iptc.org/newscodes/mediatopic/20000139"}],
    "located": "Portsmouth",
    "associations": [
        {
            "name": "featureimage",
            "type": "picture",
            "by": "Sam Lee/XYZ",
            "descriptions": [
                {"role": "caption", "value": "Smoke over the fuel depot."},
                {"role": "alt", "value": "Black smoke above tanks"},
            ],
            "renditions": [
                {"name": "thumbnail", "href": "https://img.example/t.jpg", "width": 100},
                {"name": "original", "href": "https://img.example/o.jpg", "width": 3000},
            ],
        }
    ],
}

VERSION_1 = {
    "uri": "urn:example:bridge",
    "type": "text",
    "version": "1",
    "versioncreated": "2026-03-24T09:00:00",
    "embargoed": "2026-03-24T12:00:00",
    "pubstatus": "canceled",
    "headline": "Council backs new bridge",
    "byline": "By JANE DOE and JOHN ROE",
    "description_text": "A 9-2 vote.",
    "body_text": "The council voted 9-2 for the bridge.\n\nWork starts in May.",
    "subject": [{"name": "Transport", "code": "20000500", "scheme": "http://cv.iptc.org/newscodes/mediatopic/"}],
    "associations": {
        "main": {
            "type": "picture",
            "description_text": "The river crossing today.",
            "byline": "City Council",
            "renditions": {"original": {"href": "https://img.example/bridge.jpg"}},
        }
    },
}


def test_a_list_of_items_of_different_versions():
    third, first = read_as("ninjs", json.dumps([VERSION_3, VERSION_1]).encode(), filename="mixed.json")
    assert editor_view(third) == {
        "format": "ninjs",
        "headline": "Fire shuts the harbour",
        "bylines": ["Mary-Anne de Vries"],
        "dateline": "Portsmouth",
        "source": "XYZ",
        "paragraphs": 2,
        "first": "A blaze kept the harbour shut.",
        "last": "The port hopes to reopen on Thursday.",
        "caption": "Smoke over the fuel depot.",
        "credit": "Sam Lee/XYZ",
        "tags": ["Fire"],
        "embargo": datetime(2026, 3, 25, 6, 0, tzinfo=UTC),
        "pub_status": "withheld",
        "guid": "urn:example:harbour-fire",
        "version": 3,
    }
    assert [(block.kind, block.text or block.items) for block in third.story.blocks[1:3]] == [
        ("subheading", "Ferries"),
        ("list", ("Island ferries use the north pier.", "Cargo waits offshore.")),
    ]
    assert third.story.dek == "Ferries are moved north."
    assert only_picture(third) == ("https://img.example/o.jpg", "Black smoke above tanks")
    assert third.sent_at == datetime(2026, 3, 24, 9, 15, tzinfo=UTC)
    assert (third.urgency, third.language, third.slugline) == (2, "en-GB", "harbour-fire")

    assert editor_view(first) == {
        "format": "ninjs",
        "headline": "Council backs new bridge",
        "bylines": ["Jane Doe", "John Roe"],
        "dateline": None,
        "source": None,
        "paragraphs": 2,
        "first": "The council voted 9-2 for the bridge.",
        "last": "Work starts in May.",
        "caption": "The river crossing today.",
        "credit": "City Council",
        "tags": ["Transport"],
        # No zone given: the moment is read as UTC.
        "embargo": datetime(2026, 3, 24, 12, 0, tzinfo=UTC),
        "pub_status": "canceled",
        "guid": "urn:example:bridge",
        "version": 1,
    }
    assert first.subjects[0].code == "20000500"
    assert first.pictures[0].href == "https://img.example/bridge.jpg"


def test_an_items_wrapper_is_read():
    data = json.dumps({"items": [VERSION_1, VERSION_3]}).encode()
    assert [item.guid for item in read(data)] == ["urn:example:bridge", "urn:example:harbour-fire"]


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"uri": "urn:x", "headline": "Cut off', "malformed JSON"),
        (json.dumps([VERSION_1, "not an item"]).encode(), "item 2 is not a JSON object"),
        (json.dumps({"guid": "urn:x", "type": "text", "body_text": "words"}).encode(), "has no headline"),
        (json.dumps({"uri": "", "type": "text", "headline": "x"}).encode(), "item 1 has no uri or guid"),
        (b'{"uri": "urn:x", "headline": "x", "a": ' + b"[" * 100 + b"]" * 100 + b"}", "nested"),
        (b'{"uri": "urn:x", "headline": "\xff\xfe"}', "not UTF-8"),
    ],
)
def test_bad_ninjs_is_refused_with_the_file_and_reason(data, reason):
    with pytest.raises(FormatError) as caught:
        list(ninjs_reader.read(data, filename="bad.json"))
    assert caught.value.filename == "bad.json"
    assert reason in caught.value.message


def test_json_that_is_not_a_news_item_is_not_ninjs():
    assert not ninjs_reader.sniff(b'{"name": "package.json", "version": "1.0"}', None)
    assert not ninjs_reader.sniff(b"[1, 2, 3]", None)


def test_oversized_ninjs_is_refused_unread():
    data = json.dumps(VERSION_1).encode() + b" " * 20_000_001
    with pytest.raises(FormatError, match="huge.json: file is larger than"):
        list(ninjs_reader.read(data, filename="huge.json"))


# --- fuzz -----------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = sorted({key for item in (VERSION_1, VERSION_3) for key in item} | {"guid", "body_html", "places", "by", "item"})
json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=30)
    | st.sampled_from(["<p>x</p>", "2026-01-01T00:00"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS + ["value", "role"]), children, max_size=6)
    ),
    max_leaves=30,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), json_value, max_size=12))
def test_any_ninjs_shaped_json_gives_items_or_a_format_error(document):
    data = json.dumps({"headline": "Fuzz"} | document | {"uri": "urn:fuzz"}).encode()
    for item in items_or_refusal(ninjs_reader, data, filename="fuzz.json") or ():
        assert item.story.headline
        assert all(block.text or block.items for block in item.story.blocks)


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_give_items_or_a_format_error(data):
    items_or_refusal(ninjs_reader, b"{" + data, filename="fuzz.json")
