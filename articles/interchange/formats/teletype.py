"""What IPTC 7901 and ANPA-1312 share: SOH/STX/ETX/EOT framing, take numbers, kill notices, joining takes.

Pure: no Django. A teletype file holds one or more messages, each `SOH heading STX text ETX trailer EOT`.
The two formats differ in their heading and text conventions, which `iptc7901.py` and `anpa.py` read
into `Part`s; this module frames the messages (`read_messages` runs a format's part reader over them),
builds the filing time a trailer gives, and joins the parts of one story into one item.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from articles.interchange import wire
from articles.interchange.formats.items import FormatError, IncomingItem, Subject
from articles.interchange.formats.story import build_story

__all__ = [
    "Message",
    "Part",
    "Take",
    "filing_time",
    "framed",
    "is_kill",
    "join_parts",
    "messages",
    "read_messages",
    "read_take",
]

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"
# Line and transmission fill a teletype circuit may carry around and inside messages: SYN, DEL, NUL,
# the device controls DC1–DC4 (format identifiers in ANPA headings), unit separator, form feed.
_FILL = "\x00\x11\x12\x13\x14\x16\x1f\x7f\x0c"
_FILL_RE = re.compile(f"[{re.escape(_FILL)}]")
_ALLOWED = frozenset(_FILL + "\t\n\r" + SOH + STX + ETX + EOT)
_FORBIDDEN = "".join(chr(code) for code in range(32) if chr(code) not in _ALLOWED)
_FORBIDDEN_RE = re.compile(f"[{re.escape(_FORBIDDEN)}]")
_TAKE_RE = re.compile(
    r"(?:(?P<n1>\d{1,3})(?:st|nd|rd|th)?[ \-]*(?P<k1>add|take|ld|lead)\b"
    r"|\b(?P<k2>add|take|ld|lead)[ \-]*(?P<n2>\d{1,3})\b"
    r"|\b(?P<k3>writethru|write-thru|add|take|lead)\b)",
    re.IGNORECASE,
)
_KILL_WORDS = r"KILL|KILLED|ELIMINATION|ELIMINATE|WITHDRAWN|WITHDRAWAL|WITHDRAW"
_KILL_TAG_RE = re.compile(rf"(?:^|[\s\-/,])(?:{_KILL_WORDS})(?:$|[\s\-/,])", re.IGNORECASE)
_KILL_TEXT_RE = re.compile(rf"^\W*(?:(?:MANDATORY|URGENT|ADVISORY|EDITORS?|EDS)\W+)*(?:{_KILL_WORDS})\b")


@dataclass(frozen=True)
class Message:
    """One framed message: its number in the file, heading (before STX), text and trailer (after ETX)."""

    number: int
    heading: str
    text: str
    trailer: str


@dataclass(frozen=True)
class Take:
    """Where a message stands in its story: the first take, a new lead (a write-through) or an add."""

    kind: str  # "first", "lead" or "add"
    number: int = 0


@dataclass
class Part:
    """One message read: the story it belongs to and what it adds."""

    key: str
    slugline: str
    take: Take
    kill: bool = False
    headline: str | None = None
    dek: str | None = None
    bylines: list[str] = field(default_factory=list)
    blocks: list[wire.Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    priority: int | None = None
    category: Subject | None = None
    sent_at: datetime | None = None


def framed(data: bytes) -> str | None:
    """Return the heading of the first message when `data` opens with SOH (plain text never does), else None."""
    head = data[:2048].decode("latin-1")
    start = len(head) - len(head.lstrip(_FILL + " \t\r\n"))
    if head[start : start + 1] != SOH:
        return None
    end = min(
        (found for found in (head.find(mark, start) for mark in (STX, ETX, EOT)) if found > 0), default=len(head)
    )
    return head[start + 1 : end]


def filing_time(match: re.Match[str], *, month: int) -> datetime | None:
    """Return the UTC filing time a trailer gives (its two-digit year, day, hour and minute groups), or None."""
    try:
        return datetime(
            2000 + int(match.group("year")),
            month,
            int(match.group("day")),
            int(match.group("hour")),
            int(match.group("minute")),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _decode(data: bytes) -> str:
    """Decode teletype bytes: UTF-8 when it is valid, otherwise ISO 8859-1 (the 8-bit teletype sets)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _check_controls(text: str, filename: str | None) -> None:
    """Refuse control characters a teletype message never carries."""
    found = _FORBIDDEN_RE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        message = f"control character 0x{ord(found.group(0)):02X} where only text may stand"
        raise FormatError(message, line=line, filename=filename)


def messages(data: bytes, *, filename: str | None) -> list[Message]:
    """Split a teletype file into its messages, refusing broken framing with the reason."""
    text = _decode(data)
    _check_controls(text, filename)
    starts = [index for index, char in enumerate(text) if char == SOH]
    if not starts:
        raise FormatError("broken teletype framing: no SOH (start of heading)", filename=filename)
    if text[: starts[0]].strip(_FILL + " \t\r\n"):
        raise FormatError("broken teletype framing: text before the first SOH", filename=filename)
    found = []
    for number, start in enumerate(starts, start=1):
        end = starts[number] if number < len(starts) else len(text)
        found.append(_message(text[start + 1 : end], number, filename))
    return found


def _message(segment: str, number: int, filename: str | None) -> Message:
    """Frame one message (the text from after its SOH to the next SOH)."""
    where = f"broken teletype framing in message {number}"
    eot = segment.find(EOT)
    if eot >= 0:
        if segment[eot + 1 :].strip(_FILL + EOT + " \t\r\n"):
            raise FormatError(f"{where}: text after EOT (end of transmission)", filename=filename)
        segment = segment[:eot]
    stx, etx = segment.find(STX), segment.find(ETX)
    if stx < 0:
        raise FormatError(f"{where}: SOH without STX (start of text)", filename=filename)
    if etx < 0:
        raise FormatError(f"{where}: SOH without ETX (end of text)", filename=filename)
    if etx < stx:
        raise FormatError(f"{where}: ETX before STX", filename=filename)
    if segment.count(STX) > 1:
        raise FormatError(f"{where}: a second STX inside the text", filename=filename)
    if segment.count(ETX) > 1:
        raise FormatError(f"{where}: a second ETX after the text", filename=filename)
    return Message(
        number=number,
        heading=_clean(segment[:stx], keep="\x1f"),
        text=_clean(segment[stx + 1 : etx]),
        trailer=_clean(segment[etx + 1 :]),
    )


def _clean(text: str, keep: str = "") -> str:
    """Return text with LF line ends and the fill characters removed (except those in `keep`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _FILL_RE.sub(lambda m: m.group(0) if m.group(0) in keep else "", text)


def read_take(tag: str) -> Take | None:
    """Read a take marker ("2nd Ld", "1stLd-Writethru", "Take 2", "3rd Add", "Add 1") or None."""
    match = _TAKE_RE.search(tag[:200])
    if not match:
        return None
    kind = (match.group("k1") or match.group("k2") or match.group("k3")).lower()
    number = int(match.group("n1") or match.group("n2") or 1)
    if kind in ("ld", "lead", "writethru", "write-thru"):
        return Take(kind="lead", number=number)
    # A story's first take is take 1; "Take 2" and "1st Add" both follow it.
    if kind == "take":
        return Take(kind="add", number=number - 1) if number > 1 else Take(kind="first")
    return Take(kind="add", number=number)


def is_kill(tag: str, lines: list[str]) -> bool:
    """Tell a kill or withdrawal notice by its take tag or its first lines of text."""
    if _KILL_TAG_RE.search(tag[:200]):
        return True
    return any(_KILL_TEXT_RE.match(line.strip()[:200]) for line in lines[:3] if line.strip())


def read_messages(
    data: bytes, part: Callable[[Message], Part], *, fmt: str, filename: str | None
) -> Iterator[IncomingItem]:
    """Yield the stories of a teletype file, each message read into a `Part` by the format's `part`."""
    yield from join_parts([part(message) for message in messages(data, filename=filename)], fmt=fmt, filename=filename)


def join_parts(parts: list[Part], *, fmt: str, filename: str | None) -> Iterator[IncomingItem]:
    """Yield one item a story: the latest lead, then the adds in take order; a kill cancels the story."""
    stories: dict[str, list[Part]] = {}
    for part in parts:
        stories.setdefault(part.key.casefold(), []).append(part)
    for group in stories.values():
        yield _item(group, fmt=fmt, filename=filename)


def _item(group: list[Part], *, fmt: str, filename: str | None) -> IncomingItem:
    """Join the parts of one story."""
    content = [part for part in group if not part.kill] or group
    leads = [part for part in content if part.take.kind in ("first", "lead")]
    # A write-through repeats the whole story: the newest one stands, earlier leads are dropped.
    base = max(leads, key=lambda part: (part.take.kind == "lead", part.take.number)) if leads else None
    # A write-through also carries the adds sent before it; only later adds follow it.
    after = content.index(base) if base and base.take.kind == "lead" else -1
    adds = sorted(
        (part for position, part in enumerate(content) if part.take.kind == "add" and position > after),
        key=lambda part: part.take.number,
    )
    ordered = ([base] if base else []) + adds
    first = next((part for part in ordered if part.headline), ordered[0])
    headline = first.headline or first.slugline
    if not headline:
        raise FormatError("a teletype story without a headline or keyword", filename=filename)
    blocks = [block for part in ordered for block in part.blocks]
    story = build_story(
        headline=headline, dek=first.dek, blocks=blocks, bylines=[name for part in ordered for name in part.bylines]
    )
    notes = [note for part in group for note in part.notes]
    sent = [part.sent_at for part in group if part.sent_at]
    priorities = [part.priority for part in group if part.priority is not None]
    return IncomingItem(
        format=fmt,
        story=story,
        guid=f"{fmt}:{group[0].key}",
        version=base.take.number + 1 if base and base.take.kind == "lead" else None,
        pub_status="canceled" if any(part.kill for part in group) else "usable",
        priority=min(priorities) if priorities else None,
        slugline=group[0].slugline or None,
        credit=story.source,
        provider=story.source,
        sent_at=max(sent) if sent else None,
        editorial_note="\n".join(notes) or None,
        subjects=tuple(dict.fromkeys(part.category for part in group if part.category)),
        extra={"takes": len(group)},
    )
