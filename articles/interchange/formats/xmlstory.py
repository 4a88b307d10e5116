"""What the XML agency readers (NITF, NewsML-G2, NewsML 1) share: times, bylines, datelines and the story.

Pure: no Django. The readers find the parts in their own markup; this module turns the parts into the
same `WireArticle` the plain-text parser makes, and keeps every failure a `FormatError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import wraps
from html.entities import name2codepoint
from xml.etree.ElementTree import Element

from articles.core.limits import HEADLINE_MAX_LENGTH, TimeOutOfRange, check_moment
from articles.interchange import wire
from articles.interchange.formats import xml
from articles.interchange.formats.items import FormatError, IncomingItem, Picture, Subject
from articles.interchange.wire import Block, Byline, LeadImage, WireArticle

__all__ = [
    "child",
    "children",
    "guarded",
    "parse",
    "make_story",
    "moment",
    "split_byline",
    "strip_dateline",
    "text_items",
    "unique_subjects",
    "whole_number",
]

_ISO = re.compile(
    r"^(?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_BY = re.compile(r"^\s*by[:\s]+", re.IGNORECASE)
# Words that make a byline segment a job title rather than a name ("Associated Press Writer").
_TITLE_WORDS = frozenset(
    "writer writers correspondent correspondents reporter reporters editor editors press staff news service "
    "bureau chief associated agency columnist contributor analyst network international wire photographer "
    "special senior".split()
)
# "Jane Doe in Paris": the place is not part of the name.
_NAME_PLACE = re.compile(r"\s+in\s+[A-Z][\w'’. -]*$")
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_DOCTYPE_WITH_DTD = re.compile(rb"<!DOCTYPE\s+[^\s>\[]+\s+(?:SYSTEM|PUBLIC)\b")
_DASH = r"\s*(?:—|–|--?)\s+"
_SOURCE_LEAD = re.compile(r"^\((?P<source>[^()]{1,40})\)" + _DASH)
_DATELINE_LEAD = re.compile(r"^(?P<place>[^\W\d_][^()—–]{0,80}?)\s*(?:\((?P<source>[^()]{1,40})\))?" + _DASH)
# "(Reporting by A in Paris; Editing by B)" closing the copy.
_CREDIT_TAIL = re.compile(
    r"\s*\((?P<credits>(?:additional reporting|reporting|writing|editing)\s+by\s[^()]{2,300})\)\s*$", re.I
)
_CREDIT_PART = re.compile(r"^(?P<role>additional reporting|reporting|writing|editing)\s+by\s+(?P<names>.+)$", re.I)
_ROLES = {"additional reporting": "additional", "reporting": "author", "writing": "author", "editing": "editor"}


def _numeric_entity(match: re.Match[bytes]) -> bytes:
    """Return an HTML named entity as a numeric character reference; leave XML's own and unknown names."""
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    code = name2codepoint.get(name.decode("ascii"))
    return b"&#%d;" % code if code is not None else match.group(0)


def parse(data: bytes, *, filename: str | None) -> Element:
    """Parse an agency document safely; HTML entities its DTD would define (&mdash;) are read as characters.

    NITF and NewsML 1 files name their DTD rather than carry it, and the DTD is never fetched; without it
    "&mdash;" is undefined. Such names are rewritten as numeric references and the document read again.
    """
    try:
        return xml.parse(data, filename=filename)
    except FormatError as error:
        if "undefined entity" not in error.message or not _DOCTYPE_WITH_DTD.search(data[:4096]):
            raise
    return xml.parse(_NAMED_ENTITY.sub(_numeric_entity, data), filename=filename)


def moment(value: str | None, *, what: str, filename: str | None) -> datetime | None:
    """Return an aware datetime (UTC when no offset is given) from an ISO 8601 value, basic or extended form."""
    value = (value or "").strip()
    if not value:
        return None
    match = _ISO.match(value)
    if match is None:
        raise FormatError(f"{what} {value[:60]!r} is not a date and time", filename=filename)
    parts = match.groupdict()
    try:
        result = datetime(
            int(parts["y"]),
            int(parts["mo"]),
            int(parts["d"]),
            int(parts["h"] or 0),
            int(parts["mi"] or 0),
            int(parts["s"] or 0),
            int((parts["f"] or "0")[:6].ljust(6, "0")),
            tzinfo=UTC,
        )
        offset = parts["tz"]
        if offset and offset != "Z":
            digits = offset[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
            result = result.replace(tzinfo=timezone(timedelta(minutes=-minutes if offset[0] == "-" else minutes)))
        return check_moment(result)
    except (ValueError, TimeOutOfRange) as exc:
        raise FormatError(f"{what} {value[:60]!r} is not a usable date and time ({exc})", filename=filename) from exc


def whole_number(value: str | None, *, most: int = 2**63 - 1) -> int | None:
    """Return a whole number written in decimal digits, or None where it is none or larger than `most`."""
    value = (value or "").strip()
    if not value.isdecimal() or len(value) > len(str(most)):
        return None
    number = int(value)
    return number if number <= most else None


def lenient_moment(value: str | None, *, what: str, filename: str | None) -> datetime | None:
    """Return the time like `moment`, or None where the value is not one (for times only shown, never acted on)."""
    try:
        return moment(value, what=what, filename=filename)
    except FormatError:
        return None


def _name_case(name: str) -> str:
    """Return a name set in capitals in title case ("BERNARD CONDON" → "Bernard Condon"), others unchanged."""
    letters = [ch for ch in name if ch.isalpha()]
    return name.title() if letters and all(ch.isupper() for ch in letters) else name


def _has_title_word(segment: str) -> bool:
    """Tell whether a byline segment holds a word of a job title ("Writer", "Correspondent", "Press")."""
    return any(word.lower().strip(".") in _TITLE_WORDS for word in segment.replace("/", " ").split())


def _is_title(segment: str) -> bool:
    """Tell whether a later byline segment reads as a job title rather than a person's name."""
    words = segment.split()
    return not words or len(words) > 6 or any(word[0].islower() for word in words)


def split_byline(text: str) -> tuple[list[str], str | None]:
    """Split "By JOHN SMITH and JANE DOE, Associated Press Writers" into (["John Smith", "Jane Doe"], title)."""
    text = _BY.sub("", " ".join(text.split())).strip(" ,;")
    if not text:
        return [], None
    segments = [part.strip() for part in re.split(r"\s*[,;]\s*", text) if part.strip()]
    names: list[str] = []
    for position, segment in enumerate(segments):
        # "Associated Press" alone is a title too; later segments may also be titles by their small words.
        if _has_title_word(segment) or (position and _is_title(segment)):
            return names, ", ".join(segments[position:])
        for name in re.split(r"\s+(?:and|&)\s+|\s+AND\s+", segment):
            name = _NAME_PLACE.sub("", name.strip())
            if name:
                names.append(_name_case(name))
    return names, None


def strip_dateline(blocks: list[Block], dateline: str | None) -> tuple[list[Block], str | None, str | None]:
    """Take a dateline ("NEW YORK (AP) — ") off the first paragraph; return blocks, dateline and source.

    The reader pages print the story's dateline before the first paragraph, so it must not stay in the text.
    Only a place set in capitals, or the dateline the markup names, is taken.
    """
    for position, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        text = block.text
        lead = _SOURCE_LEAD.match(text[:160])
        if lead is not None:
            # "(ANSA) - Rome, October 11 - …" or just "(Sports Network) - …"
            text = text[lead.end() :]
        match = _DATELINE_LEAD.match(text[:160])
        if match is None or (lead is not None and not (dateline and text.casefold().startswith(dateline.casefold()))):
            if lead is None or not text:
                return blocks, dateline, None
            blocks = list(blocks)
            blocks[position] = Block(kind="paragraph", text=text)
            return blocks, dateline, lead.group("source").strip()
        place = match.group("place").strip(" ,")
        letters = [ch for ch in place.split(",")[0] if ch.isalpha()]
        named = dateline and place.casefold().startswith(dateline.casefold())
        capitals = len(letters) >= 2 and all(ch.isupper() for ch in letters)
        rest = text[match.end() :]
        if not rest or not (named or capitals):
            return blocks, dateline, None
        blocks = list(blocks)
        blocks[position] = Block(kind="paragraph", text=rest)
        source = match.group("source") or (lead.group("source") if lead else None)
        return blocks, dateline or place, source.strip() if source else None
    return blocks, dateline, None


def take_credits(blocks: list[Block]) -> tuple[list[Block], list[Byline]]:
    """Take a closing "(Reporting by …; Editing by …)" off the last paragraph; return blocks and who it credits."""
    if not blocks or blocks[-1].kind != "paragraph":
        return blocks, []
    match = _CREDIT_TAIL.search(blocks[-1].text[-400:])
    if match is None:
        return blocks, []
    credits = []
    for part in match.group("credits").split(";"):
        found = _CREDIT_PART.match(part.strip())
        if found is None:
            return blocks, []
        role = _ROLES[" ".join(found.group("role").lower().split())]
        for name in re.split(r"\s*,\s*|\s+and\s+", found.group("names")):
            name = _NAME_PLACE.sub("", name.strip())
            if name:
                credits.append(Byline(name=name, role=role))  # type: ignore[arg-type]
    rest = blocks[-1].text[: len(blocks[-1].text) - len(match.group(0))].rstrip()
    blocks = blocks[:-1] + ([Block(kind="paragraph", text=rest)] if rest else [])
    return blocks, credits


def _headline(headline: str, blocks: list[Block], slugline: str | None) -> str:
    """Return the headline, falling back to the slugline or the first paragraph; never over the length limit."""
    text = " ".join((headline or "").split()) or " ".join((slugline or "").split())
    if not text:
        text = next((block.text for block in blocks if block.text), "")
    if len(text) > HEADLINE_MAX_LENGTH:
        text = text[: HEADLINE_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def make_story(
    *,
    headline: str,
    dek: str | None,
    blocks: list[Block],
    pictures: list[Picture],
    dateline: str | None,
    source: str | None,
    bylines: list[str],
    slugline: str | None = None,
) -> WireArticle:
    """Return the `WireArticle` of a story's parts, with the people, places and organisations its text names."""
    blocks, dateline, lead_source = strip_dateline(blocks, " ".join((dateline or "").split()) or None)
    source = source or lead_source
    blocks, credits = take_credits(blocks)
    headline = _headline(headline, blocks, slugline)
    dek = " ".join((dek or "").split()) or None
    if dek and dek.casefold() == headline.casefold():
        dek = None
    first = next((picture for picture in pictures if picture.caption or picture.credit), None)
    lead_image = LeadImage(caption=first.caption, credit=first.credit) if first else None
    people, places, organisations = wire.extract_entities(
        headline=headline, dek=dek, caption=lead_image.caption if lead_image else None, blocks=blocks, source=source
    )
    seen: set[str] = set()
    unique = []
    for byline in [Byline(name=name, role="author") for name in bylines] + credits:
        if byline.name.casefold() not in seen:
            seen.add(byline.name.casefold())
            unique.append(byline)
    return WireArticle(
        headline=headline,
        dek=dek,
        lead_image=lead_image,
        dateline=dateline,
        source=source,
        blocks=tuple(blocks),
        related=(),
        people=people,
        places=places,
        organisations=organisations,
        bylines=tuple(unique),
    )


def unique_subjects(subjects: list[Subject]) -> tuple[Subject, ...]:
    """Return each subject once (by code, else by name), in order."""
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for subject in subjects:
        key = (subject.scheme, subject.code) if subject.code else (None, subject.name.casefold())
        if subject.name and key not in seen:
            seen.add(key)
            unique.append(subject)
    return tuple(unique)


def text_items(
    candidates: list[tuple[str, Callable[[], IncomingItem]]], *, what: str, empty: str, filename: str | None
) -> Iterator[IncomingItem]:
    """Yield the items of a document holding several; refuse the document, with every reason, when none is a story.

    Each candidate is a label ("item 2 (guid)") and a function that makes its item or raises `FormatError`.
    """
    refused = []
    count = 0
    for label, make in candidates:
        try:
            item = make()
        except FormatError as error:
            refused.append(f"{label}: {error.message}")
            continue
        count += 1
        yield item
    if not count:
        raise FormatError(f"{what} carries no text item: {'; '.join(refused) or empty}", filename=filename)


def children(element: Element | None, name: str) -> list[Element]:
    """Return the child elements of `element` with the local name `name`."""
    if element is None:
        return []
    return [item for item in element if isinstance(item.tag, str) and xml.local(item.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    """Return the first child element of `element` with the local name `name`."""
    found = children(element, name)
    return found[0] if found else None


def guarded(reader: Callable[..., Iterator[IncomingItem]]) -> Callable[..., Iterator[IncomingItem]]:
    """Wrap a reader so that nothing but a `FormatError` naming the file escapes it."""

    @wraps(reader)
    def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
        try:
            yield from reader(data, filename=filename)
        except FormatError as error:
            if error.filename is None:
                raise FormatError(error.message, line=error.line, filename=filename) from error
            raise
        except RecursionError as error:
            raise FormatError("the document is nested too deeply to read", filename=filename) from error
        except Exception as error:
            raise FormatError(
                f"cannot read the document ({type(error).__name__}: {error})", filename=filename
            ) from error

    return read
