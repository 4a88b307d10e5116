"""The wire desk's readers: bytes in, incoming items out, the format told from the content.

Pure: no Django. `read(data, filename=…)` recognises the format and yields `IncomingItem`s;
`detect(data)` names the format. Every failure is a `FormatError` naming the file and the reason.

One module a format, each with FORMAT, sniff() and read():
- nitf.py: NITF 3.x documents (and the NITF story a NewsML item carries);
- newsml_g2.py: NewsML-G2 news items and news messages;
- newsml1.py: NewsML 1.x documents;
- iptc7901.py, anpa.py: IPTC 7901 and ANPA-1312 teletype copy;
- ninjs_reader.py: ninjs 1.x, 2.x and 3.x JSON;
- wxr.py: WordPress eXtended RSS exports.

What the readers share, each in one place:
- items.py: what a reader yields (`IncomingItem`, `Picture`, `Subject`, `SectionRef`) and `FormatError`;
- story.py: ISO times, whole numbers, the `guarded` reader wrapper, bylines, datelines, closing credits,
  and building the `WireArticle` with its entities — for every format;
- xml.py: safe XML parsing and finding elements by local name;
- teletype.py: SOH/STX/ETX framing, takes, kill notices and joining takes, for IPTC 7901 and ANPA;
- body.py: XML bodies (XHTML, NITF body.content) and plain text into blocks and pictures;
- html_blocks.py: HTML text (ninjs bodies, WordPress posts) into blocks and pictures;
- block_rules.py: which elements are headings, lists, pictures and not text, for body.py and html_blocks.py.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from articles.interchange import wire
from articles.interchange.formats import xml
from articles.interchange.formats.items import (
    MAX_FILE_BYTES,
    FormatError,
    IncomingItem,
    Picture,
    SectionRef,
    Subject,
)

__all__ = [
    "MAX_FILE_BYTES",
    "FormatError",
    "IncomingItem",
    "Picture",
    "SectionRef",
    "Subject",
    "detect",
    "read",
]


# One module a format, each with FORMAT (its name), sniff(data, root) -> bool, where root is the local
# name of an XML document's first element or None, and read(data, *, filename) -> Iterator[IncomingItem].
# Asked in this order; plain-text wire copy is what is left.
READERS: tuple[str, ...] = ("nitf", "newsml_g2", "newsml1", "iptc7901", "anpa", "ninjs_reader", "wxr")


def _reader(name: str):
    return importlib.import_module(f"{__name__}.{name}")


def detect(data: bytes, *, filename: str | None = None) -> str:
    """Name the format of `data` from its content (never from the file name)."""
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(f"file is larger than {MAX_FILE_BYTES:,} bytes", filename=filename)
    root = xml.root_name(data) if data.lstrip()[:1] == b"<" else None
    for name in READERS:
        reader = _reader(name)
        if reader.sniff(data, root):
            return reader.FORMAT
    if root is not None:
        raise FormatError(f"unknown format: an XML document whose root element is <{root}>", filename=filename)
    return "text"


def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield the items in one incoming file, whatever its format."""
    fmt = detect(data, filename=filename)
    for name in READERS:
        reader = _reader(name)
        if reader.FORMAT == fmt:
            yield from reader.read(data, filename=filename)
            return
    if fmt == "text":
        try:
            story = wire.parse_bytes(data, filename=filename)
        except FormatError:
            raise
        except wire.WireError as exc:
            raise FormatError(exc.message, line=exc.line, filename=filename) from exc
        yield IncomingItem(format="text", story=story, credit=story.source)
        return
    raise FormatError(f"no reader for format {fmt!r}", filename=filename)
