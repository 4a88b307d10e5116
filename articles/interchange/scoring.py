"""Score the wire parser against an editor's extraction of each story (pure: no Django).

A sample is a wire-copy file ``NAME.txt`` with the editor's extraction beside it in
``NAME.expected.json`` (headline, dek, caption, credit, subheadings, related_titles, people with
titles, paragraph_count). Three figures are measured over a folder of samples:

* **layout fields right** — the share of layout fields the parser gets exactly right. A story's
  layout fields are: headline, dek, caption, credit and paragraph count (one field each, so a
  missing dek or caption is a field the parser must leave empty too), plus one field per
  subheading and one per related title. For those two lists the fields are the larger of the
  expected and the parsed count, and the right ones are the items both share (as a multiset), so
  a missed item and an invented one each cost a field. Texts are compared after Unicode NFC and
  whitespace normalisation (runs of spaces collapsed, ends stripped); nothing else is forgiven.
* **people F1** — the F1 of the set of people's names the parser gives against the editor's,
  compared case-insensitively after NFC; totals add the hits, misses and extras of every story.
* **titles exact** — the share of the editor's people whose title the parser gives exactly (after
  NFC and whitespace normalisation) for the person of that name; a person the parser misses counts
  as a wrong title, and an editor's empty title must come back empty.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from articles.interchange.wire import WireArticle, WireError, parse_bytes

__all__ = ["SampleScore", "Score", "score_article", "score_folder", "score_samples", "total"]

_SPACE_RE = re.compile(r"\s+")
_SINGLE_FIELDS = ("headline", "dek", "caption", "credit")


def _norm(text: str | None) -> str | None:
    """Return text in NFC with its whitespace runs collapsed, or None for no text."""
    if text is None:
        return None
    cleaned = _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return cleaned or None


def _name_key(name: str) -> str:
    """Return the key two spellings of one name share: NFC, case-folded, whitespace collapsed."""
    return (_norm(name) or "").casefold()


@dataclass
class Score:
    """Counts behind the three figures, added up over one or many samples."""

    layout_right: int = 0
    layout_fields: int = 0
    people_hits: int = 0
    people_found: int = 0
    people_expected: int = 0
    titles_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def layout(self) -> float:
        """Return the share of layout fields right (1.0 when there are none)."""
        return self.layout_right / self.layout_fields if self.layout_fields else 1.0

    @property
    def people_f1(self) -> float:
        """Return the F1 of people's names (1.0 when neither side names anyone)."""
        if not self.people_found and not self.people_expected:
            return 1.0
        return 2 * self.people_hits / (self.people_found + self.people_expected)

    @property
    def titles(self) -> float:
        """Return the share of expected people given exactly the editor's title (1.0 when none)."""
        return self.titles_right / self.people_expected if self.people_expected else 1.0

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.layout_right += other.layout_right
        self.layout_fields += other.layout_fields
        self.people_hits += other.people_hits
        self.people_found += other.people_found
        self.people_expected += other.people_expected
        self.titles_right += other.titles_right
        self.misses.extend(other.misses)


@dataclass
class SampleScore:
    """One sample's name and score, or the error that stopped the parser."""

    name: str
    score: Score
    error: str | None = None


def _field(score: Score, label: str, want: object, got: object) -> None:
    """Count one layout field and note it when wrong."""
    score.layout_fields += 1
    if want == got:
        score.layout_right += 1
    else:
        score.misses.append(f"{label}: expected {want!r}, got {got!r}")


def _list_fields(score: Score, label: str, want: Iterable[str], got: Iterable[str]) -> None:
    """Count a list of layout fields: max(expected, parsed) fields, the shared items right."""
    want_counts = Counter(_norm(item) for item in want)
    got_counts = Counter(_norm(item) for item in got)
    score.layout_fields += max(want_counts.total(), got_counts.total())
    score.layout_right += (want_counts & got_counts).total()
    for item in (want_counts - got_counts).elements():
        score.misses.append(f"{label}: missed {item!r}")
    for item in (got_counts - want_counts).elements():
        score.misses.append(f"{label}: extra {item!r}")


def _layout(article: WireArticle) -> dict[str, str | None]:
    """Return the parsed single layout fields, normalised."""
    image = article.lead_image
    return {
        "headline": _norm(article.headline),
        "dek": _norm(article.dek),
        "caption": _norm(image.caption) if image else None,
        "credit": _norm(image.credit) if image else None,
    }


def score_article(article: WireArticle, expected: dict) -> Score:
    """Score one parsed story against the editor's extraction."""
    score = Score()
    parsed = _layout(article)
    for name in _SINGLE_FIELDS:
        _field(score, name, _norm(expected.get(name)), parsed[name])
    _list_fields(
        score,
        "subheading",
        expected.get("subheadings", []),
        [b.text for b in article.blocks if b.kind == "subheading"],
    )
    _list_fields(score, "related", expected.get("related_titles", []), [r.title for r in article.related])
    paragraphs = sum(block.kind == "paragraph" for block in article.blocks)
    _field(score, "paragraph count", expected.get("paragraph_count"), paragraphs)
    _score_people(score, article, expected.get("people", []))
    return score


def _score_people(score: Score, article: WireArticle, expected_people: list[dict]) -> None:
    """Count people hits, misses and extras, and the expected people given the editor's title."""
    found = {_name_key(person.name): person for person in article.people}
    wanted = {_name_key(person["name"]): person for person in expected_people}
    score.people_found += len(found)
    score.people_expected += len(wanted)
    score.people_hits += len(found.keys() & wanted.keys())
    for key, person in wanted.items():
        got = found.get(key)
        if got is None:
            score.misses.append(f"person: missed {person['name']!r}")
        elif _norm(got.title) == _norm(person.get("title")):
            score.titles_right += 1
        else:
            score.misses.append(f"title of {person['name']}: expected {person.get('title')!r}, got {got.title!r}")
    for key in found.keys() - wanted.keys():
        score.misses.append(f"person: extra {found[key].name!r}")


def _expected_total(expected: dict) -> Score:
    """Return a zero score that still counts every expected field, for a story the parser refused."""
    empty = WireArticle(
        headline="",
        dek=None,
        lead_image=None,
        dateline=None,
        source=None,
        blocks=(),
        related=(),
        people=(),
        places=(),
        organisations=(),
    )
    score = score_article(empty, expected)
    score.layout_right = score.titles_right = score.people_hits = 0
    return score


def score_samples(paths: Iterable[Path]) -> list[SampleScore]:
    """Parse and score each wire-copy file beside its ``.expected.json``."""
    results = []
    for path in sorted(paths):
        expected = json.loads(path.with_name(path.name.removesuffix(".txt") + ".expected.json").read_text("utf-8"))
        name = path.name.removesuffix(".txt")
        try:
            article = parse_bytes(path.read_bytes(), filename=path.name)
        except WireError as exc:
            results.append(SampleScore(name=name, score=_expected_total(expected), error=str(exc)))
            continue
        results.append(SampleScore(name=name, score=score_article(article, expected)))
    return results


def score_folder(folder: Path) -> list[SampleScore]:
    """Score every ``*.txt`` in a folder that has an ``.expected.json`` beside it."""
    return score_samples(
        path for path in Path(folder).glob("*.txt") if path.with_name(path.stem + ".expected.json").is_file()
    )


def total(results: Iterable[SampleScore]) -> Score:
    """Return the counts of many samples added up."""
    overall = Score()
    for result in results:
        overall.add(result.score)
    return overall
