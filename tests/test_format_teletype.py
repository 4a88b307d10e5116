"""IPTC 7901 and ANPA-1312 teletype copy: what an editor sees of each story, takes joined, kills, bad framing."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.interchange.formats import FormatError, anpa, detect, iptc7901, read
from tests.format_views import WIRE_FORMATS as SHARED
from tests.format_views import (
    editor_view,
    items_or_refusal,
    needs_shared,
    only,
    paragraphs,
    read_as,
    story_view,
)

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"


# --- the shared files ---------------------------------------------------------------------------------------


@needs_shared
def test_dpa_iptc7901_story_as_an_editor_sees_it():
    item = only(read((SHARED / "iptc7901" / "iptc7901.txt").read_bytes(), filename="dpa.txt"))
    assert editor_view(item) == {
        "format": "iptc7901",
        "headline": "Germany Social Democrats: Coalition talks with Merkel could fail",
        "bylines": [],
        "dateline": "Berlin",
        "source": "dpa",
        "paragraphs": 5,
        "first": "Negotiations between German conservatives headed by Chancellor Angela Merkel and the left-leaning "
        "Social Democrats (SPD) on forming a coalition government could fail, a senior SPD member warned Wednesday.",
        "last": "The SPD plans to seek approval for any coalition deal with the conservatives from its 473,000 "
        'members in a December ballot. A "yes" vote will allow Merkel to be sworn in for a third term before '
        "Christmas.",
        "caption": None,
        "credit": None,
        "tags": ["i"],
        "embargo": None,
        "pub_status": "usable",
        "guid": "iptc7901:Germany-politics",
        "version": None,
    }
    # The notebook for editors stays out of the story and travels as the editorial note.
    assert not any("Wolfgang Schmidt" in text for text in paragraphs(item.story))
    assert "not for publication" in item.editorial_note
    assert (item.slugline, item.priority) == ("Germany-politics", 4)
    assert item.sent_at == datetime(2013, 11, 13, 11, 37, tzinfo=UTC)
    assert ("Angela Merkel", "Chancellor") in [(person.name, person.title) for person in item.story.people]


@needs_shared
def test_ap_anpa_story_as_an_editor_sees_it():
    item = only(read((SHARED / "anpa" / "ap-anpa-1.tst").read_bytes(), filename="ap.tst"))
    story = item.story
    assert editor_view(item) == {
        "format": "anpa",
        "headline": "Deng has 30 points, short-handed Heat beat Hawks 115-111",
        "bylines": ["Charles Odum"],
        "dateline": "ATLANTA",
        "source": "AP",
        "paragraphs": 16,
        "first": "Luol Deng scored 30 points and Josh McRoberts had 19 — season highs for each player — and the "
        "Miami Heat, playing without All-Stars Dwyane Wade and Chris Bosh, beat the Atlanta Hawks 115-111 on "
        "Friday night.",
        "last": "Hawks: Host Milwaukee on Saturday night.",
        "caption": None,
        "credit": None,
        "tags": ["z"],
        "embargo": None,
        "pub_status": "usable",
        "guid": "anpa:BC-BKN--Heat-Hawks",
        # "1stLd-Writethru": the first new lead after the first take.
        "version": 2,
    }
    assert "“I gave it a couple days to see if it would go away,” Wade said." in " ".join(paragraphs(story))
    assert [block.text for block in story.blocks if block.kind == "subheading"] == ["TIP-INS", "UP NEXT"]
    assert story.dek.startswith("Luol Deng scored 30 points")
    assert "Eds: Heat 115, Hawks 111." in item.editorial_note
    assert (item.slugline, item.priority) == ("BC-BKN--Heat-Hawks", 4)
    assert item.sent_at == datetime(2016, 2, 20, 3, 37, tzinfo=UTC)


@needs_shared
@pytest.mark.parametrize(("folder", "fmt"), [("iptc7901", "iptc7901"), ("anpa", "anpa")])
def test_detect_knows_teletype_by_its_content_whatever_the_name(folder, fmt):
    for path in (SHARED / folder).iterdir():
        assert detect(path.read_bytes(), filename="renamed.json") == fmt


# --- copy of our own: several takes and a kill ---------------------------------------------------------------


def message_7901(number, priority, keyword, text, sent="241015 GMT Mar 26"):
    return f"{SOH}xyz{number:03d} {priority} w 120 xyz\r\n{keyword}\r\n{STX}{text}{ETX}{sent}\r\n{EOT}"


HARBOUR_7901 = "".join(
    [
        message_7901(
            1,
            3,
            "Harbour-Fire/",
            "Fire keeps city harbour shut for a second day =\r\n\r\n"
            "   By MARY-ANNE DE VRIES\r\n\r\n"
            "   PORTSMOUTH (XYZ) - A blaze at a fuel depot kept the\r\n"
            "harbour closed on Tuesday, port officials said.\r\n\r\n"
            "   Crews cooled the tanks through the night.\r\n",
        ),
        message_7901(3, 3, "Harbour-Fire/2nd add", "   Ferries to the islands now leave from the north pier.\r\n"),
        message_7901(2, 3, "Harbour-Fire/1st add", "   The harbour master expects to reopen on Thursday.\r\n"),
        message_7901(
            4, 4, "Bridge-Vote/", "Council backs new bridge =\r\n\r\n   The council voted 9-2 for the bridge.\r\n"
        ),
        message_7901(5, 1, "Bridge-Vote/KILL", "KILL Bridge-Vote =\r\n\r\n   The story is withdrawn. Do not use.\r\n"),
    ]
).encode("latin-1")


def test_iptc7901_takes_are_joined_in_take_order_and_a_kill_cancels_its_story():
    harbour, bridge = read_as("iptc7901", HARBOUR_7901, filename="own.7901")
    assert story_view(harbour) == (
        "Fire keeps city harbour shut for a second day",
        ["Mary-Anne de Vries"],
        "PORTSMOUTH",
    )
    assert harbour.story.source == "XYZ"
    assert paragraphs(harbour.story) == [
        "A blaze at a fuel depot kept the harbour closed on Tuesday, port officials said.",
        "Crews cooled the tanks through the night.",
        "The harbour master expects to reopen on Thursday.",
        "Ferries to the islands now leave from the north pier.",
    ]
    assert harbour.pub_status == "usable"
    assert harbour.extra["takes"] == 3
    assert bridge.story.headline == "Council backs new bridge"
    assert bridge.pub_status == "canceled"
    assert bridge.priority == 1
    assert bridge.guid == "iptc7901:Bridge-Vote"


def message_anpa(number, heading, text, sent="AP-WF-03-02-26 0910GMT"):
    return f"\x16\x16{SOH}a{number:04d}\x1f-----\r\n{heading}\r\n{STX}{text}\t   {ETX}{sent}<\r\n\x0c\r\n{EOT}"


TENNIS_ANPA = "".join(
    [
        message_anpa(
            1,
            "u s\x13\x11 BC-TEN--Open-Final   03-02 0300",
            "^BC-TEN--Open-Final,0300<\r\n"
            "^Qualifier wins the open final in five sets<\r\n"
            "^By PIET VAN DER BERG=\r\n"
            "^Sports Writer=\r\n"
            "\t   MELBOURNE, Australia (AP) _ A qualifier ranked 140th won the open on Sunday. \r\n"
            "\t   ``I still cannot believe it,'' she said. \r\n",
        ),
        message_anpa(
            3, "u s\x13\x11 BC-TEN--Open-Final 2nd Add  03-02 0040", "\t   The men's final is on Monday. \r\n"
        ),
        message_anpa(
            2, "u s\x13\x11 BC-TEN--Open-Final 1st Add  03-02 0040", "\t   The crowd stood for ten minutes. \r\n"
        ),
        message_anpa(
            4,
            "r a\x13\x11 BC-GOV--Bridge-Vote   03-02 0100",
            "^Council backs new bridge<\r\n\t   The council voted 9-2 for the bridge. \r\n",
        ),
        message_anpa(
            5,
            "b a\x13\x11 BC-GOV--Bridge-Vote Kill  03-02 0030",
            "^KILL<\r\n^Editors: The story slugged BC-GOV--Bridge-Vote is killed. Do not use.<\r\n",
        ),
        message_anpa(
            6,
            "r a\x13\x11 BC-Zoo-Birth   03-02 0100",
            "^ELIMINATION<\r\n^Editors: Eliminate the story BC-Zoo-Birth. It was sent in error.<\r\n",
        ),
    ]
).encode("ascii")


def test_anpa_takes_are_joined_in_take_order_and_kills_cancel_their_stories():
    tennis, bridge, zoo = read_as("anpa", TENNIS_ANPA, filename="own.anpa")
    assert story_view(tennis) == (
        "Qualifier wins the open final in five sets",
        ["Piet van der Berg"],
        "MELBOURNE, Australia",
    )
    assert paragraphs(tennis.story) == [
        "A qualifier ranked 140th won the open on Sunday.",
        "“I still cannot believe it,” she said.",
        "The crowd stood for ten minutes.",
        "The men's final is on Monday.",
    ]
    assert tennis.priority == 3
    assert tennis.pub_status == "usable"
    assert bridge.story.headline == "Council backs new bridge"
    assert bridge.pub_status == "canceled"
    assert "killed" in bridge.editorial_note
    assert zoo.pub_status == "canceled"


def test_anpa_paragraphs_indented_with_spaces_read_the_same():
    spaced = TENNIS_ANPA.replace(b"\t   ", b"   ")
    assert [paragraphs(item.story) for item in anpa.read(spaced)] == [
        paragraphs(item.story) for item in anpa.read(TENNIS_ANPA)
    ]


def test_anpa_write_through_replaces_the_story_and_keeps_later_adds():
    rewrite = message_anpa(
        7,
        "u s\x13\x11 BC-TEN--Open-Final 1stLd-Writethru  03-02 0300",
        "^Qualifier wins the open, first in 50 years<\r\n"
        "\t   MELBOURNE, Australia (AP) _ A qualifier won the open on Sunday, the first in 50 years. \r\n"
        "\t   The crowd stood for ten minutes. \r\n",
    )
    later = message_anpa(8, "u s\x13\x11 BC-TEN--Open-Final 3rd Add  03-02 0040", "\t   Prize money was doubled. \r\n")
    tennis = list(anpa.read(TENNIS_ANPA + (rewrite + later).encode("ascii")))[0]
    assert tennis.story.headline == "Qualifier wins the open, first in 50 years"
    assert paragraphs(tennis.story) == [
        "A qualifier won the open on Sunday, the first in 50 years.",
        "The crowd stood for ten minutes.",
        "Prize money was doubled.",
    ]
    assert tennis.version == 2


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (f"{SOH}xyz001 3 w 10 xyz\r\nKey/\r\n{STX}Headline =\r\n   Text runs on".encode(), "SOH without ETX"),
        (f"{SOH}xyz001 3 w 10 xyz\r\nKey/\r\nHeadline =\r\n{ETX}{EOT}".encode(), "SOH without STX"),
        (f"{SOH}xyz001 3 w 10 xyz\r\nKey/\r\n{ETX}Headline{STX}{EOT}".encode(), "ETX before STX"),
        (f"{SOH}xyz001 3 w 10 xyz\r\nKey/\r\n{STX}Head{STX}line =\r\n{ETX}{EOT}".encode(), "a second STX"),
        (f"{SOH}xyz001 3 w 10 xyz\r\nKey/\r\n{STX}Head\x05line =\r\n{ETX}{EOT}".encode(), "control character 0x05"),
        (f"{SOH}xyz001 3 w 10 xyz\r\nKey/\r\n{STX}Headline =\r\n{ETX}{EOT}stray words".encode(), "text after EOT"),
        (f"{SOH}xyz001 3 w 10 xyz\r\nKey/\r\n{STX}Headline =\r\n{SOH}x{ETX}{EOT}".encode(), "SOH without ETX"),
    ],
)
def test_broken_teletype_framing_is_refused_with_the_reason(data, reason):
    with pytest.raises(FormatError) as caught:
        list(read(data, filename="broken.7901"))
    assert caught.value.filename == "broken.7901"
    assert reason in str(caught.value)


def test_broken_anpa_framing_names_the_message():
    data = TENNIS_ANPA + b"\x16\x16\x01a0009\x1f-----\r\nr a BC-Last   03-02 0100\r\n\x02^Headline<\r\n"
    with pytest.raises(FormatError, match=r"broken\.anpa: broken teletype framing in message 7: SOH without ETX"):
        list(read(data, filename="broken.anpa"))


def test_oversized_teletype_file_is_refused_unread():
    data = HARBOUR_7901 + b" " * 20_000_001
    with pytest.raises(FormatError, match="larger than"):
        list(iptc7901.read(data, filename="huge.7901"))


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, bytes(range(256)) * 4])
def test_binary_data_is_refused_with_the_file_and_reason(data):
    with pytest.raises(FormatError) as caught:
        list(read(data, filename="blob.bin"))
    assert caught.value.filename == "blob.bin"
    assert "binary" in caught.value.message or "control character" in caught.value.message


# --- fuzz -----------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text_piece = st.one_of(
    st.sampled_from(
        ["\r\n", "\t   ", "   ", "^", "<", "=", "/", " _ ", "``", "''", "\x16", "\x7f", "KILL", "By JANE DOE="]
        + ["PORTSMOUTH (XYZ) - ", "ELIMINATION", "Editors: ", "UP NEXT", "* * *", "not for publication", "dpa ab cd"]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=40),
)
heading_piece = st.sampled_from(
    ["xyz001 3 w 120 xyz\r\nHarbour-Fire/", "xyz002 1 w 20 xyz\r\nHarbour-Fire/1st add", "Bridge/KILL", ""]
    + ["a0101\x1f-----\r\nr a\x13\x11 BC-Story 2nd Add  03-02 0040", "a0102\x1f\r\nu s BC-Story 1stLd-Writethru"]
    + ["xyz003 2 w 10 xyz\r\nHarbour-Fire/take 2", "a0103\x1f-----\r\nb v BC-Story Kill 03-02 0010"]
)
message = st.builds(
    lambda heading, text, trailer: f"{SOH}{heading}\r\n{STX}{''.join(text)}{ETX}{trailer}\r\n{EOT}",
    heading_piece,
    st.lists(text_piece, max_size=30),
    st.sampled_from(["", "241015 GMT Mar 26", "AP-WF-03-02-26 0910GMT<", "999999 GMT Foo 99"]),
)
teletype_piece = st.one_of(message, message, st.sampled_from([SOH, STX, ETX, EOT, "\x05"]), text_piece)


@FUZZ
@given(st.lists(teletype_piece, max_size=12), st.sampled_from([iptc7901, anpa]))
def test_any_teletype_shaped_bytes_give_items_or_a_format_error(pieces, reader):
    data = "".join(pieces).encode("utf-8", "surrogatepass")
    for item in items_or_refusal(reader, data, filename="fuzz") or ():
        assert item.story.headline


REPO = Path(__file__).resolve().parents[1]


def test_plain_wire_copy_is_still_read_as_text():
    files = sorted((REPO / "fixtures" / "wire").glob("*.txt"))
    if (SHARED.parent / "wire-samples").is_dir():
        files += sorted((SHARED.parent / "wire-samples").glob("*.txt"))
    assert files
    for path in files:
        assert detect(path.read_bytes(), filename=path.name) == "text", path.name
