"""What the teletype, ninjs and WXR readers share: dates, datelines, bylines and the story they build.

Pure: no Django. Each reader finds the parts of a story in its own way and hands them here, so every
format ends in the same `WireArticle` the plain-text parser makes, with the same entity pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from articles.interchange import wire
from articles.interchange.formats.items import MAX_FILE_BYTES, FormatError, IncomingItem, Picture

__all__ = [
    "build_story",
    "byline_names",
    "guarded",
    "name_case",
    "paragraph_blocks",
    "parse_datetime",
    "split_dateline",
    "take_byline",
]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_PLACE_WORD = r"[A-ZÀ-Ý][\w.'’\-]*"
# "ATLANTA (AP) _", "Berlin (dpa) -", "GROSSETO, Italy (AP) --", "Harare, July 19 (The Paper) -": a place,
# an optional date, the source in brackets, then a dash (teletype writes "_" or "--" for it).
_DATELINE_RE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}}(?:, (?!{_MONTH} \d){_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})?)"
    rf"(?:,? (?:{_MONTH} \d{{1,2}}|\d{{1,2}} {_MONTH}))?"
    r"(?: ?\((?P<source>[^()]{1,40})\))? ?(?:—|–|--?|_) "
)
_BY_RE = re.compile(r"^(?:By|BY|by)\s+(?P<names>\S.{1,200})$")
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|\bAND\b)\s*")
_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "der", "di", "du", "el", "la", "le", "van", "von", "y"})


def parse_datetime(value: object) -> datetime | None:
    """Read an ISO 8601 moment ("Z", "+00:00" or "+0000"); a moment without a zone is UTC; junk is None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", value.strip()) else value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def split_dateline(text: str) -> tuple[str | None, str | None, str]:
    """Split "BERLIN (dpa) - text" into (dateline, source, text); (None, None, text) when there is none."""
    match = _DATELINE_RE.match(text[:200])
    if not match or not text[match.end() :].strip():
        return None, None, text
    source = match.group("source")
    # Without a source in brackets only a place in capitals ("PORTSMOUTH -") is taken for a dateline.
    letters = [ch for ch in match.group("place").split(",")[0] if ch.isalpha()]
    if source is None and not (len(letters) >= 2 and all(ch.isupper() for ch in letters)):
        return None, None, text
    return match.group("place"), source.strip() if source else None, text[match.end() :].lstrip()


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


def byline_names(text: str) -> list[str]:
    """Return the names in a credit such as "Jane Doe and JOHN ROE" (", " / "and" / "&" separate them)."""
    names = []
    for part in _NAME_SPLIT_RE.split(text.strip().rstrip(".=<")):
        part = " ".join(part.split())
        if part and len(part) <= 80:
            names.append(name_case(part))
    return names


def take_byline(text: str) -> list[str] | None:
    """Read a "By NAME" line into names, or return None when the line is not a byline."""
    match = _BY_RE.match(text.strip())
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


def paragraph_blocks(texts: Iterable[str]) -> list[wire.Block]:
    """Turn paragraph texts into paragraph blocks, whitespace collapsed and empty ones left out."""
    blocks = []
    for text in texts:
        clean = " ".join(text.split())
        if clean:
            blocks.append(wire.Block(kind="paragraph", text=clean))
    return blocks


def build_story(
    *,
    headline: str,
    blocks: list[wire.Block],
    dek: str | None = None,
    lead: Picture | None = None,
    dateline: str | None = None,
    source: str | None = None,
    bylines: Iterable[str] = (),
) -> wire.WireArticle:
    """Assemble a `WireArticle`: a "By" line and a "CITY (AP) —" dateline at the top of the body are read, not kept."""
    blocks = list(blocks)
    names = list(bylines)
    if blocks and blocks[0].kind == "paragraph":
        found = take_byline(blocks[0].text)
        if found:
            names.extend(found)
            blocks.pop(0)
    for position, block in enumerate(blocks):
        if block.kind == "paragraph":
            place, agency, rest = split_dateline(block.text)
            if rest != block.text:
                blocks[position] = wire.Block(kind="paragraph", text=rest, line=block.line)
                dateline, source = dateline or place, source or agency
            break
    headline = " ".join(headline.split())
    dek = " ".join(dek.split()) if dek else None
    lead_image = wire.LeadImage(caption=lead.caption, credit=lead.credit) if lead else None
    people, places, organisations = wire.extract_entities(
        headline=headline, dek=dek, caption=lead.caption if lead else None, blocks=blocks, source=source
    )
    seen: set[str] = set()
    credits = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            credits.append(wire.Byline(name=name, role="author"))
    return wire.WireArticle(
        headline=headline,
        dek=dek or None,
        lead_image=lead_image,
        dateline=dateline,
        source=source,
        blocks=tuple(blocks),
        related=(),
        people=people,
        places=places,
        organisations=organisations,
        bylines=tuple(credits),
    )


def guarded(
    read: Callable[[bytes, str | None], Iterable[IncomingItem]], data: bytes, filename: str | None, what: str
) -> Iterator[IncomingItem]:
    """Run a reader so that only a `FormatError` naming the file can leave it, and refuse oversized input first."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FormatError("expected bytes", filename=filename)
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(f"file is larger than {MAX_FILE_BYTES:,} bytes", filename=filename)
    try:
        yield from read(bytes(data), filename)
    except FormatError as exc:
        if exc.filename is None:
            raise FormatError(exc.message, line=exc.line, filename=filename) from exc
        raise
    except wire.WireError as exc:
        raise FormatError(exc.message, line=exc.line, filename=filename) from exc
    except Exception as exc:
        # Callers handle one error type; a reader bug must not surface as a crash.
        raise FormatError(f"cannot read {what} ({type(exc).__name__}: {exc})", filename=filename) from exc
