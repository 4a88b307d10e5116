"""Safe XML for the readers: defusedxml refuses external entities and entity expansion (XXE, billion laughs)."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from articles.interchange.formats.items import MAX_FILE_BYTES, FormatError

__all__ = ["local", "parse", "root_name", "text_of"]

_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")


def parse(data: bytes, *, filename: str | None = None) -> Element:
    """Parse `data` as XML, refusing what is hostile or malformed with a `FormatError`."""
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(f"file is larger than {MAX_FILE_BYTES:,} bytes", filename=filename)
    try:
        return fromstring(data)
    except DefusedXmlException as exc:
        raise FormatError(
            f"refused XML: {type(exc).__name__} (entities and external references are not read)", filename=filename
        ) from exc
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise FormatError(f"malformed XML: {exc}", line=line, filename=filename) from exc


def root_name(data: bytes) -> str | None:
    """Return the local name of the document's first element, without parsing the document."""
    head = data[:4096]
    position = 0
    while True:
        start = head.find(b"<", position)
        if start < 0:
            return None
        following = head[start + 1 : start + 2]
        if following in (b"?", b"!"):
            end = head.find(b">", start)
            if end < 0:
                return None
            position = end + 1
            continue
        match = _ROOT.match(head, start)
        return match.group(2).decode("ascii") if match else None


def local(tag: str) -> str:
    """Return an element tag without its {namespace}."""
    return tag.rsplit("}", 1)[-1]


def text_of(element: Element | None) -> str:
    """Return all the text inside `element`, whitespace collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
