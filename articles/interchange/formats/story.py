"""What every format reader shares: reading times and numbers, guarding a reader, bylines, datelines and the story.

Pure: no Django. Each reader finds the parts of a story in its own markup and hands them here, so every
format ends in the same `WireArticle` the plain-text parser makes, with the same entity pass, and every
failure leaves a reader as one `FormatError` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import wraps

from articles.core.limits import HEADLINE_MAX_LENGTH, TimeOutOfRange, check_moment
from articles.interchange import wire
from articles.interchange.formats.items import MAX_FILE_BYTES, FormatError, IncomingItem, Picture, Subject
from articles.interchange.wire import Block, Byline, LeadImage, WireArticle

__all__ = [
    "build_story",
    "byline_names",
    "guarded",
    "lead_picture",
    "lenient_moment",
    "moment",
    "name_case",
    "paragraph_blocks",
    "split_byline",
    "take_byline",
    "take_credits",
    "take_dateline",
    "text_items",
    "unique_subjects",
    "whole_number",
]

Reader = Callable[..., Iterator[IncomingItem]]

# ISO 8601 in its basic (20260412T0915Z) or extended (2026-04-12T09:15:00+02:00) form; a space may stand for "T".
_ISO = re.compile(
    r"^(?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_PLACE_WORD = r"[A-ZÀ-Ý][\w.'’\-]*"
# "ATLANTA (AP) _", "Berlin (dpa) -", "GROSSETO, Italy (AP) --", "Harare, July 19 (The Paper) -": a place,
# an optional date, the source in brackets, then a dash (teletype writes "_" or "--" for it).
_WIRE_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}}(?:, (?!{_MONTH} \d){_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})?)"
    rf"(?:,? (?:{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH}))?"
    r"(?: ?\((?P<source>[^()]{1,40})\))? ?(?:—|–|--?|_) "
)
_DASH = r"\s*(?:—|–|--?)\s+"
# "(ANSA) - Rome, October 11 - …": the source before the place.
_SOURCE_LEAD = re.compile(r"^\((?P<source>[^()]{1,40})\)" + _DASH)
_MARKED_DATELINE = re.compile(r"^(?P<place>[^\W\d_][^()—–]{0,80}?)\s*(?:\((?P<source>[^()]{1,40})\))?" + _DASH)
_BY_LINE = re.compile(r"^(?:By|BY|by)\s+(?P<names>\S.{1,200})$")
_BY = re.compile(r"^\s*by[:\s]+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bAND\b)\s*")
_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "der", "di", "du", "el", "la", "le", "van", "von", "y"})
# Words that make a byline segment a job title rather than a name ("Associated Press Writer").
_TITLE_WORDS = frozenset(
    "writer writers correspondent correspondents reporter reporters editor editors press staff news service "
    "bureau chief associated agency columnist contributor analyst network international wire photographer "
    "special senior".split()
)
# "Jane Doe in Paris": the place is not part of the name.
_NAME_PLACE = re.compile(r"\s+in\s+[A-Z][\w'’. -]*$")
# "(Reporting by A in Paris; Editing by B)" closing the copy.
_CREDIT_TAIL = re.compile(
    r"\s*\((?P<credits>(?:additional reporting|reporting|writing|editing)\s+by\s[^()]{2,300})\)\s*$", re.I
)
_CREDIT_PART = re.compile(r"^(?P<role>additional reporting|reporting|writing|editing)\s+by\s+(?P<names>.+)$", re.I)
_ROLES = {"additional reporting": "additional", "reporting": "author", "writing": "author", "editing": "editor"}


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


def lenient_moment(value: object) -> datetime | None:
    """Return the time like `moment`, or None where the value is not one (for times only shown, never acted on)."""
    if not isinstance(value, str):
        return None
    try:
        return moment(value, what="time", filename=None)
    except FormatError:
        return None


def whole_number(value: str | None, *, most: int = 2**63 - 1) -> int | None:
    """Return a whole number written in decimal digits, or None where it is none or larger than `most`."""
    value = (value or "").strip()
    if not value.isdecimal() or len(value) > len(str(most)):
        return None
    number = int(value)
    return number if number <= most else None


def guarded(what: str) -> Callable[[Reader], Reader]:
    """Wrap a reader of `what` so that only a `FormatError` naming the file leaves it; too large input is refused."""

    def wrap(reader: Reader) -> Reader:
        @wraps(reader)
        def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
            if not isinstance(data, bytes | bytearray | memoryview):
                raise FormatError("expected bytes", filename=filename)
            if len(data) > MAX_FILE_BYTES:
                raise FormatError(f"file is larger than {MAX_FILE_BYTES:,} bytes", filename=filename)
            try:
                yield from reader(bytes(data), filename=filename)
            except FormatError as error:
                if error.filename is None:
                    raise FormatError(error.message, line=error.line, filename=filename) from error
                raise
            except wire.WireError as error:
                raise FormatError(error.message, line=error.line, filename=filename) from error
            except RecursionError as error:
                raise FormatError("the document is nested too deeply to read", filename=filename) from error
            except Exception as error:
                # Callers handle one error type; a reader bug must not surface as a crash.
                raise FormatError(
                    f"cannot read {what} ({type(error).__name__}: {error})", filename=filename
                ) from error

        return read

    return wrap


def name_case(name: str) -> str:
    """Title-case a name sent in capitals ("CHARLES O'DUM" → "Charles O'Dum"); leave mixed case alone."""
    if any(ch.islower() for ch in name):
        return name
    words = []
    for position, word in enumerate(name.split()):
        if position and word.lower() in _PARTICLES:
            words.append(word.lower())
            continue
        words.append(re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word))
    return " ".join(words)


def _has_title_word(segment: str) -> bool:
    """Tell whether a byline segment holds a word of a job title ("Writer", "Correspondent", "Press")."""
    return any(word.lower().strip(".") in _TITLE_WORDS for word in segment.replace("/", " ").split())


def _is_title(segment: str) -> bool:
    """Tell whether a later byline segment reads as a job title rather than a person's name."""
    words = segment.split()
    return not words or len(words) > 6 or any(word[0].islower() and word not in _PARTICLES for word in words)


def byline_names(text: str) -> list[str]:
    """Return the names in a credit such as "Jane Doe and JOHN ROE" (", " / "and" / "&" separate them)."""
    names = []
    for part in _NAME_SPLIT.split(text.strip().rstrip(".=<")):
        part = _NAME_PLACE.sub("", " ".join(part.split()))
        if part and len(part) <= 80:
            names.append(name_case(part))
    return names


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
        names.extend(byline_names(segment))
    return names, None


def take_byline(text: str) -> list[str] | None:
    """Read a "By NAME" line into names, or return None when the line is not a byline."""
    match = _BY_LINE.match(text.strip())
    if not match:
        return None
    names = byline_names(match.group("names"))
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 5:
            return None
        if not all(word[:1].isupper() or word.lower() in _PARTICLES for word in words):
            return None
    return names or None


def _marked_dateline(text: str, named: str | None) -> tuple[str | None, str | None, str] | None:
    """Read "NEW YORK (AP) — ", "(ANSA) - Rome - " or the dateline the markup names; None when there is none."""
    lead = _SOURCE_LEAD.match(text[:160])
    if lead is not None:
        text = text[lead.end() :]
    match = _MARKED_DATELINE.match(text[:160])
    if match is None or (lead is not None and not (named and text.casefold().startswith(named.casefold()))):
        if lead is None or not text:
            return None
        return None, lead.group("source").strip(), text
    place = match.group("place").strip(" ,")
    letters = [ch for ch in place.split(",")[0] if ch.isalpha()]
    is_named = named and place.casefold().startswith(named.casefold())
    capitals = len(letters) >= 2 and all(ch.isupper() for ch in letters)
    rest = text[match.end() :]
    if not rest or not (is_named or capitals):
        return None
    source = match.group("source") or (lead.group("source") if lead else None)
    return place, source.strip() if source else None, rest


def _wire_dateline(text: str) -> tuple[str | None, str | None, str] | None:
    """Read "Berlin (dpa) - " or "ATLANTA (AP) _ ": a place with its source, or a place in capitals."""
    match = _WIRE_DATELINE.match(text[:200])
    if not match or not text[match.end() :].strip():
        return None
    source = match.group("source")
    # Without a source in brackets only a place in capitals ("PORTSMOUTH -") is taken for a dateline.
    letters = [ch for ch in match.group("place").split(",")[0] if ch.isalpha()]
    if source is None and not (len(letters) >= 2 and all(ch.isupper() for ch in letters)):
        return None
    return match.group("place"), source.strip() if source else None, text[match.end() :].lstrip()


def take_dateline(blocks: list[Block], named: str | None) -> tuple[list[Block], str | None, str | None]:
    """Take a dateline ("NEW YORK (AP) — ") off the first paragraph; return blocks, dateline and source.

    The reader pages print the story's dateline before the first paragraph, so it must not stay in the text.
    The dateline the markup names (`named`) wins over the place the text gives.
    """
    for position, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        found = _marked_dateline(block.text, named) or _wire_dateline(block.text)
        if found is None:
            return blocks, named, None
        place, source, rest = found
        blocks = list(blocks)
        blocks[position] = Block(kind="paragraph", text=rest, line=block.line)
        return blocks, named or place, source
    return blocks, named, None


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


def paragraph_blocks(texts: Iterable[str]) -> list[Block]:
    """Turn paragraph texts into paragraph blocks, whitespace collapsed and empty ones left out."""
    blocks = []
    for text in texts:
        clean = " ".join(text.split())
        if clean:
            blocks.append(Block(kind="paragraph", text=clean))
    return blocks


def lead_picture(pictures: Iterable[Picture]) -> Picture | None:
    """Return the picture that leads the story: the first with a caption or a credit."""
    return next((picture for picture in pictures if picture.caption or picture.credit), None)


def _headline(headline: str, blocks: list[Block], slugline: str | None) -> str:
    """Return the headline, falling back to the slugline or the first paragraph; never over the length limit."""
    text = " ".join((headline or "").split()) or " ".join((slugline or "").split())
    if not text:
        text = next((block.text for block in blocks if block.text), "")
    if len(text) > HEADLINE_MAX_LENGTH:
        text = text[: HEADLINE_MAX_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def build_story(
    *,
    headline: str,
    blocks: list[Block],
    dek: str | None = None,
    lead: Picture | None = None,
    dateline: str | None = None,
    source: str | None = None,
    bylines: Iterable[str] = (),
    slugline: str | None = None,
) -> WireArticle:
    """Return the `WireArticle` of a story's parts, with the people, places and organisations its text names.

    A "By" line and a "CITY (AP) —" dateline opening the body, and a "(Reporting by …)" closing it, are
    read into the story's fields rather than kept as text.
    """
    blocks = list(blocks)
    names = list(bylines)
    if blocks and blocks[0].kind == "paragraph" and (found := take_byline(blocks[0].text)):
        names.extend(found)
        blocks.pop(0)
    blocks, dateline, lead_source = take_dateline(blocks, " ".join((dateline or "").split()) or None)
    source = source or lead_source
    blocks, credits = take_credits(blocks)
    headline = _headline(headline, blocks, slugline)
    dek = " ".join((dek or "").split()) or None
    if dek and dek.casefold() == headline.casefold():
        dek = None
    lead_image = LeadImage(caption=lead.caption, credit=lead.credit) if lead else None
    people, places, organisations = wire.extract_entities(
        headline=headline, dek=dek, caption=lead.caption if lead else None, blocks=blocks, source=source
    )
    seen: set[str] = set()
    unique = []
    for byline in [Byline(name=name, role="author") for name in names] + credits:
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


def unique_subjects(subjects: Iterable[Subject]) -> tuple[Subject, ...]:
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
