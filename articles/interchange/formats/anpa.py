"""ANPA-1312 teletype copy (AP and others): the selector and keyword headings, then "^"-led heading lines
and tab-led paragraphs between STX and ETX.

Pure: no Django. The first heading line is the service level and message number, a unit separator and
the selector codes; the second is priority, category, keyword (slug), version (the take: "2ndLd-Writethru",
"1st Add"), reference, filing date and word count. In the text a line ending in "<" is a heading line,
one ending in "=" a byline line; "_" stands for a dash and ``…'' for curly quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from articles.interchange import wire
from articles.interchange.formats import teletype
from articles.interchange.formats.items import IncomingItem, Subject
from articles.interchange.formats.story import guarded, take_byline

FORMAT = "anpa"

_PRIORITIES = {"f": 1, "b": 2, "u": 3, "r": 4, "d": 5}
_CATEGORIES = {
    "a": "Domestic",
    "e": "Entertainment",
    "f": "Financial",
    "i": "International",
    "s": "Sports",
    "v": "Advisories",
    "w": "Washington",
}
_KEYWORD_RE = re.compile(
    r"^(?P<priority>[a-z])\s+(?P<category>[a-z]{1,2})[\x11-\x14]*\s+(?P<slug>\S+)(?P<rest>.*?)"
    r"(?:\s+(?P<date>\d\d-\d\d))?(?:\s+(?P<words>\d{1,5}))?\s*$"
)
# The keyword line repeated at the top of the text: "BC-BKN--Heat-Hawks, 1st Ld-Writethru,416<".
_REPEAT_RE = re.compile(r"^\^?(?P<slug>[\w\-]+-[\w\-]+),(?P<tag>[^,]*),?\s*\d{0,5}\s*<?$")
_NOTE_RE = re.compile(r"^(?:Eds?\b|Editors?\b|EDITORS?\b|EDS\b|With AP Photos?|AP Photos?\b|AP Video\b)")
# "AP-WF-02-20-16 0337GMT": the filing date (month-day-year) and time.
_SENT_RE = re.compile(r"(?P<month>\d\d)-(?P<day>\d\d)-(?P<year>\d\d)\s+(?P<hour>\d\d)(?P<minute>\d\d)\s*GMT")


def sniff(data: bytes, root: str | None) -> bool:
    """Claim teletype framing with ANPA's headings (a unit separator after the message number, or the keyword line)."""
    heading = teletype.framed(data)
    if heading is None:
        return False
    lines = [line.strip(" \r") for line in heading.replace("\r", "\n").split("\n") if line.strip()]
    return "\x1f" in heading or any(_KEYWORD_RE.match(line[:300]) for line in lines)


@guarded("ANPA copy")
def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield one item a story, its takes joined in order; a kill notice cancels the story."""
    yield from teletype.read_messages(data, _part, fmt=FORMAT, filename=filename)


def _part(message: teletype.Message) -> teletype.Part:
    """Read one message's headings and text."""
    lines = [line.strip() for line in message.heading.split("\n") if line.strip()]
    selector = lines[0].split("\x1f", 1)[0].strip() if lines and "\x1f" in lines[0] else None
    # Heading lines are short; matching a bounded prefix keeps hostile ones cheap.
    match = next((m for m in (_KEYWORD_RE.match(line[:300]) for line in lines) if m), None)
    text_lines = [_typeset(line) for line in message.text.split("\n")]
    slug = match.group("slug") if match else ""
    tag = match.group("rest").strip() if match else ""
    if text_lines and (repeat := _REPEAT_RE.match(text_lines[0].strip()[:300])):
        slug, tag = slug or repeat.group("slug"), tag or repeat.group("tag").strip()
        text_lines = text_lines[1:]
    slug = slug or selector or f"message-{message.number}"
    part = teletype.Part(
        key=slug,
        slugline=slug,
        take=teletype.read_take(tag) or teletype.Take("first"),
        kill=teletype.is_kill(f"{slug} {tag}", [line.lstrip("^") for line in text_lines if line.strip()]),
        priority=_PRIORITIES.get(match.group("priority")) if match else None,
        category=_category(match.group("category")) if match else None,
        sent_at=_sent_at(message.trailer),
    )
    _text(part, text_lines)
    return part


def _category(code: str) -> Subject:
    """Return the ANPA category as a subject."""
    return Subject(name=_CATEGORIES.get(code, code), code=code, scheme="anpa:category")


def _typeset(line: str) -> str:
    """Turn teletype typing into type: ``…'' quotes and "_" dashes."""
    line = line.replace("``", "“").replace("''", "”")
    return re.sub(r"(?<=\s)_(?=\s)", "—", line)


def _text(part: teletype.Part, lines: list[str]) -> None:
    """Sort the text's lines into heading lines, bylines, notes and paragraphs."""
    paragraphs: list[str] = []
    after_byline = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        # A paragraph opens with a tab (or, on some circuits, spaces); heading lines are "^"-led or end in < or =.
        indented = raw[:1] in ("\t", " ")
        heading_line = line.startswith("^") or line.endswith(("<", "="))
        if indented or not heading_line or (paragraphs and not line.startswith("^")):
            if indented or not paragraphs:
                paragraphs.append(line)
            else:
                paragraphs[-1] += " " + line
            continue
        heading = line.lstrip("^").rstrip("<= ").strip()
        byline = line.rstrip().endswith("=")
        if not heading:
            continue
        if byline and (names := take_byline(heading)):
            part.bylines.extend(names)
            after_byline = True
        elif byline and after_byline:
            after_byline = False  # the writer's title ("AP Sports Writer") under the byline
        elif _NOTE_RE.match(heading) or byline:
            part.notes.append(heading)
        elif part.headline is None:
            part.headline = heading
        elif part.dek is None:
            part.dek = heading
        else:
            part.notes.append(heading)
    part.blocks = [_block(text) for text in paragraphs if any(ch.isalnum() for ch in text)]


def _block(text: str) -> wire.Block:
    """A short line in capitals ("UP NEXT") is a subheading; anything else a paragraph."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters) and len(text.split()) <= 6 and text[-1:] not in ".:!?":
        return wire.Block(kind="subheading", text=text)
    return wire.Block(kind="paragraph", text=text)


def _sent_at(trailer: str) -> datetime | None:
    """Read the filing time after ETX, or None."""
    match = _SENT_RE.search(trailer)
    if not match:
        return None
    return teletype.filing_time(match, month=int(match.group("month")))
