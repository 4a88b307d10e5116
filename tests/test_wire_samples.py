"""Tests of the wire parser on real copy from other outlets, beside an editor's extraction of each."""

import json
import unicodedata
from pathlib import Path

import pytest

from articles.interchange.wire import parse_bytes

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "wire-samples"
SEED = SHARED / "seeds" / "000_ff7aa41f6574f300.txt"

pytestmark = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"wire samples not available: {SAMPLES} is absent (the shared folder is not mounted)"
)

# Measured floors per sample: (precision, recall) for people, places, organisations, and the share of
# expected people whose title matches exactly. They guard against regressions, not against perfection.
FLOORS = {
    "01_dailymaverick_icj_gaza_aid_hearings": {
        "people": (1.0, 1.0),
        "places": (1.0, 1.0),
        "organizations": (0.84, 1.0),
        "titles": 1.0,
    },
    "02_aljazeera_us_helicopter_crash_afghanistan": {
        "people": (1.0, 1.0),
        "places": (1.0, 1.0),
        "organizations": (1.0, 0.66),
        "titles": 1.0,
    },
    "04_albawaba_sweden_drops_assange_probe": {
        "people": (1.0, 1.0),
        "places": (1.0, 1.0),
        "organizations": (1.0, 1.0),
        "titles": 1.0,
    },
    "10_cbc_sinwar_hamas_political_head": {
        "people": (1.0, 1.0),
        "places": (1.0, 1.0),
        "organizations": (1.0, 1.0),
        "titles": 1.0,
    },
    "12_cnbc_emirates_boeing_order": {
        "people": (1.0, 1.0),
        "places": (1.0, 1.0),
        "organizations": (1.0, 1.0),
        "titles": 1.0,
    },
}


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _samples() -> list[str]:
    return sorted(p.name.removesuffix(".txt") for p in SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []


def _load(stem: str):
    path = SAMPLES / f"{stem}.txt"
    expected = json.loads((SAMPLES / f"{stem}.expected.json").read_text(encoding="utf-8"))
    return parse_bytes(path.read_bytes(), filename=path.name), expected


def _scores(got: list[str], want: list[str]) -> tuple[float, float]:
    got_keys, want_keys = {_key(g) for g in got}, {_key(w) for w in want}
    hits = len(got_keys & want_keys)
    precision = hits / len(got_keys) if got_keys else 1.0
    recall = hits / len(want_keys) if want_keys else 1.0
    return precision, recall


@pytest.mark.parametrize("stem", _samples())
def test_sample_layout_matches_the_editor(stem):
    article, expected = _load(stem)
    assert article.headline == expected["headline"]
    assert article.dek == expected["dek"]
    assert article.lead_image is not None
    assert article.lead_image.caption == expected["caption"]
    assert article.lead_image.credit == expected["credit"]
    assert [b.text for b in article.blocks if b.kind == "subheading"] == expected["subheadings"]
    assert [r.title for r in article.related] == expected["related_titles"]
    assert sum(b.kind == "paragraph" for b in article.blocks) == expected["paragraph_count"]


@pytest.mark.parametrize("stem", _samples())
def test_sample_entities_reach_measured_floors(stem):
    article, expected = _load(stem)
    floors = FLOORS.get(stem)
    if floors is None:
        pytest.skip(f"no measured floors recorded for new sample {stem}")
    found = {
        "people": [p.name for p in article.people],
        "places": list(article.places),
        "organizations": list(article.organisations),
    }
    report = []
    for field, got in found.items():
        want = [w["name"] if isinstance(w, dict) else w for w in expected[field]]
        precision, recall = _scores(got, want)
        report.append(f"{field}: precision {precision:.2f} recall {recall:.2f}")
        min_precision, min_recall = floors[field]
        assert precision >= min_precision, f"{stem} {field} precision {precision:.2f} < {min_precision}"
        assert recall >= min_recall, f"{stem} {field} recall {recall:.2f} < {min_recall}"
    titles = {_key(p.name): p.title for p in article.people}
    matched = sum(titles.get(_key(w["name"]), "\0") == w["title"] for w in expected["people"])
    share = matched / len(expected["people"]) if expected["people"] else 1.0
    report.append(f"titles: {matched}/{len(expected['people'])}")
    print(f"\n{stem}: " + "; ".join(report))
    assert share >= floors["titles"], f"{stem} titles {share:.2f} < {floors['titles']}"


@pytest.fixture
def seed():
    if not SEED.is_file():
        pytest.skip(f"seed copy not available: {SEED} is absent")
    return parse_bytes(SEED.read_bytes(), filename=SEED.name)


def test_seed_head_and_lead_image(seed):
    assert seed.headline == "Syrian, Israeli officials hold 'significant' meeting in Paris"
    assert seed.dek == (
        'Syrian and Israeli officials hold a US-brokered meeting in Paris to discuss "security understandings" '
        "in southern Syria."
    )
    assert seed.lead_image.caption.endswith("on March 13, 2025.")
    assert seed.lead_image.credit == "AP"
    assert seed.dateline is None and seed.source is None


def test_seed_subheadings_and_read_more_anchors(seed):
    assert [b.text for b in seed.blocks if b.kind == "subheading"] == [
        "Tel Aviv seeks southern Syria 'understanding'",
        "Past meetings, present calculations",
    ]
    first, second = seed.related
    assert (first.title, first.label) == (
        "Erdogan slams Israeli strikes on Syria, says will not accept division",
        "Read more",
    )
    assert second.title == "Barrack backs Damascus, suggests 'Israel' prefers a divided Syria: AP"
    # Each link sits after the paragraph that stood just above it in the copy.
    assert seed.blocks[first.after_block - 1].text.startswith("Meanwhile, Axios confirmed the meeting")
    assert seed.blocks[second.after_block - 1].text.startswith("The French-hosted meeting")
    assert second.after_block == len(seed.blocks)


def test_seed_people_and_titles(seed):
    people = {p.name: p for p in seed.people}
    sharaa = people["Ahmad al-Sharaa"]
    # The body's title wins over the caption's ("Syria's interim President").
    assert sharaa.title == "Syrian transitional President"
    assert sharaa.aliases == ("Ahmad Al-Sharaa",)
    assert people["Asaad al-Shaibani"].title == "Syrian Foreign Minister"
    assert people["Tom Barrack"].title == "US Special Envoy and Ambassador"
    assert people["Ron Dermer"].title == "Israeli Minister of Strategic Affairs"
    assert people["Benjamin Netanyahu"].title == "Israeli Prime Minister"
    assert [p.name for p in seed.people][0] == "Ahmad al-Sharaa"
    assert not {"Meanwhile", "Netanyahu", "al-Sharaa", "Damascus"} & set(people)
