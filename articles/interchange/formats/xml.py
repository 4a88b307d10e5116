"""Safe XML for the readers, and finding elements by local name whatever their namespace.

Pure: no Django. defusedxml refuses external entities and entity expansion (XXE, billion laughs); an
agency document that names its DTD rather than carrying it has the DTD's HTML entities read as characters.
"""

from __future__ import annotations

import re
from html.entities import name2codepoint
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from articles.interchange.formats.items import MAX_FILE_BYTES, FormatError

__all__ = ["child", "children", "document", "local", "parse", "root_name", "text_of"]

_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_DOCTYPE_WITH_DTD = re.compile(rb"<!DOCTYPE\s+[^\s>\[]+\s+(?:SYSTEM|PUBLIC)\b")


def _numeric_entity(match: re.Match[bytes]) -> bytes:
    """Return an HTML named entity as a numeric character reference; leave XML's own and unknown names."""
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    code = name2codepoint.get(name.decode("ascii"))
    return b"&#%d;" % code if code is not None else match.group(0)


def parse(data: bytes, *, filename: str | None = None) -> Element:
    """Parse `data` as XML safely; HTML entities a named DTD would define (&mdash;) are read as characters.

    NITF and NewsML 1 files name their DTD rather than carry it, and the DTD is never fetched; without it
    "&mdash;" is undefined. Such names are rewritten as numeric references and the document read again.
    """
    try:
        return _parse(data, filename=filename)
    except FormatError as error:
        if "undefined entity" not in error.message or not _DOCTYPE_WITH_DTD.search(data[:4096]):
            raise
    return _parse(_NAMED_ENTITY.sub(_numeric_entity, data), filename=filename)


def document(data: bytes, *, root: str, what: str, filename: str | None) -> Element:
    """Parse a document whose first element must be <`root`>; refuse any other, saying it is not `what`."""
    element = parse(data, filename=filename)
    if local(element.tag) != root:
        raise FormatError(f"not {what}: the root element is <{local(element.tag)}>", filename=filename)
    return element


def _parse(data: bytes, *, filename: str | None) -> Element:
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


def children(element: Element | None, name: str) -> list[Element]:
    """Return the child elements of `element` with the local name `name`."""
    if element is None:
        return []
    return [item for item in element if isinstance(item.tag, str) and local(item.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    """Return the first child element of `element` with the local name `name`."""
    found = children(element, name)
    return found[0] if found else None
