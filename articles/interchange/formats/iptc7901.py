"""IPTC 7901 teletype copy: a heading line of selectors, a keyword line, then the text between STX and ETX.

Pure: no Django. The heading line carries the source and message number, the priority (1 flash … 6),
the category, the word count and optional information; the keyword line names the story and may carry a
take marker after a "/" ("Storm-Warning/2nd Ld"). In the text the headline comes first (dpa and others
end it with "="), and an indented line starts a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from articles.interchange import wire
from articles.interchange.formats import anpa, teletype
from articles.interchange.formats.items import IncomingItem, Subject
from articles.interchange.formats.story import guarded

FORMAT = "iptc7901"

_HEADING_RE = re.compile(
    r"^(?P<service>\S+)\s+(?P<priority>[1-6])\s+(?P<category>[A-Za-z]{1,3})\s+(?P<words>\d{1,5})(?:\s+(?P<rest>.*))?$"
)
# The trailer after ETX: "131137 GMT Nov 13" (day, hour, minute, zone, month, year).
_SENT_RE = re.compile(
    r"^(?P<day>\d\d)(?P<hour>\d\d)(?P<minute>\d\d)\s+GMT\s+(?P<month>[A-Z][a-z]{2})\s+(?P<year>\d\d)"
)
_MONTHS = {name: number for number, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_NOT_FOR_PUBLICATION = re.compile(r"not for publication", re.IGNORECASE)
_SIGN_OFF_RE = re.compile(r"^[a-z]{2,5}(?: [a-z]{2,5})+$")


def sniff(data: bytes, root: str | None) -> bool:
    """Claim teletype framing (data that opens with SOH) unless its headings are ANPA's.

    Broken framing is claimed too, so that the reader names what is wrong with it.
    """
    return teletype.framed(data) is not None and not anpa.sniff(data, root)


@guarded("IPTC 7901 copy")
def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield one item a story, its takes joined in order."""
    yield from teletype.read_messages(data, _part, fmt=FORMAT, filename=filename)


def _part(message: teletype.Message) -> teletype.Part:
    """Read one message's heading, keyword line and text."""
    lines = [line.strip() for line in message.heading.splitlines() if line.strip()]
    match = _HEADING_RE.match(lines[0][:300]) if lines else None
    keyword_line = " ".join(lines[1:]) if match else " ".join(lines)
    keyword, _, tag = keyword_line.strip().rstrip("/").partition("/")
    keyword = keyword.strip() or (match.group("service") if match else f"message-{message.number}")
    take = teletype.read_take(tag) or teletype.Take("first")
    text_lines = message.text.split("\n")
    headline, body_lines = _headline(text_lines)
    blocks, notes = _body(body_lines)
    return teletype.Part(
        key=keyword,
        slugline=keyword,
        take=take,
        kill=teletype.is_kill(tag, text_lines),
        headline=headline,
        blocks=blocks,
        notes=notes,
        priority=int(match.group("priority")) if match else None,
        category=Subject(name=match.group("category"), code=match.group("category"), scheme="iptc7901:category")
        if match
        else None,
        sent_at=_sent_at(message.trailer),
    )


def _headline(lines: list[str]) -> tuple[str | None, list[str]]:
    """Take the headline: the unindented lines before the first blank line or the line ending in "="."""
    position = 0
    while position < len(lines) and not lines[position].strip():
        position += 1
    if position == len(lines) or lines[position][:1].isspace():
        return None, lines[position:]
    words = []
    while position < len(lines) and lines[position].strip() and not lines[position][:1].isspace():
        line = lines[position].strip()
        position += 1
        words.append(line.rstrip("=").strip())
        if line.endswith("="):
            break
    return " ".join(words) or None, lines[position:]


def _body(lines: list[str]) -> tuple[list[wire.Block], list[str]]:
    """Read paragraphs (an indented line or a blank line starts one) and split off the notes to editors."""
    paragraphs: list[list[str]] = []
    fresh = True
    for line in lines:
        if not line.strip():
            fresh = True
            continue
        if fresh or line[:1].isspace():
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
        fresh = False
    texts = [" ".join(words) for words in paragraphs]
    notes: list[str] = []
    for index, text in enumerate(texts):
        if _NOT_FOR_PUBLICATION.search(text):
            start = index
            # A separator or a notebook heading just before the notice belongs to it.
            while start and (not any(ch.isalnum() for ch in texts[start - 1]) or texts[start - 1].startswith("#")):
                start -= 1
            notes, texts = texts[start:], texts[:start]
            break
    while texts and (_SIGN_OFF_RE.match(texts[-1]) or not any(ch.isalnum() for ch in texts[-1])):
        texts.pop()
    return [wire.Block(kind="paragraph", text=text) for text in texts], notes


def _sent_at(trailer: str) -> datetime | None:
    """Read the filing time after ETX, or None."""
    match = _SENT_RE.match(trailer.strip())
    if not match or match.group("month") not in _MONTHS:
        return None
    return teletype.filing_time(match, month=_MONTHS[match.group("month")])
