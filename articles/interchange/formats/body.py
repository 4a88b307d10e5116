"""Story bodies in agency markup (XHTML, NITF `body.content`, plain text) turned into the wire module's blocks.

Pure: no Django. Paragraphs, subheadings (h1–h6, NITF hl2) and lists (ul, ol) become `Block`s; embedded
media (NITF `media`, XHTML `img`/`figure`) become `Picture`s with their captions and credits, not text.
Which elements are headings, lists and pictures is `block_rules.py`'s to say; `html_blocks.py` reads HTML text.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from articles.interchange.formats.block_rules import CAPTION, HEADINGS, LISTS, NOT_TEXT, PICTURES
from articles.interchange.formats.items import Picture
from articles.interchange.formats.xml import local, text_of
from articles.interchange.wire import Block

__all__ = ["Body", "read_body", "read_text"]

# NITF adds its own headline elements to the subheadings and reads a definition list as a list.
_HEADINGS = HEADINGS | {"hl1", "hl2"}
_LISTS = LISTS | {"dl"}
# The NITF parts read elsewhere (headline, byline, dateline) or not story text.
_SKIPPED = NOT_TEXT | {"body.head", "body.end", "hedline", "byline", "dateline"}
# Elements that sit inside a line of text rather than making a block of their own (XHTML and NITF).
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var "
    "chron classifier copyrite event frac function lang location money num object.title org person pronounce "
    "virtloc alt-code".split()
)
_PICTURE_MEDIA = frozenset({"image", "photo", "graphic", "picture", ""})
_BREAKS = frozenset({"br", "hr"})
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_PARAGRAPH_TAG = re.compile(r"</?(?:p|div|br|h[1-6]|li)\b[^<>]{0,500}>", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_INDENTED = re.compile(r"\n(?=[ \t]{2,}\S)")


@dataclass
class Body:
    """What a body holds: its blocks in order, and the pictures set inside it."""

    blocks: list[Block] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        """Append a paragraph or subheading, whitespace collapsed; empty text adds nothing."""
        self.flush()
        text = " ".join(text.split())
        if text:
            self.blocks.append(Block(kind=kind, text=text))  # type: ignore[arg-type]

    def add_list(self, items: list[str]) -> None:
        """Append a list of its non-empty items."""
        self.flush()
        items = [" ".join(item.split()) for item in items]
        items = [item for item in items if item]
        if items:
            self.blocks.append(Block(kind="list", items=tuple(items)))

    def loose(self, text: str | None) -> None:
        """Keep text that stands in a container outside any paragraph, to become paragraphs at the next block."""
        if text and text.strip():
            self._pending.append(text)

    def flush(self) -> None:
        """Turn loose text into paragraphs."""
        if self._pending:
            text = "".join(self._pending)
            self._pending = []
            self.blocks.extend(read_text(text).blocks)


def read_body(element: Element) -> Body:
    """Return the blocks and pictures of an XHTML or NITF body (or any container of them)."""
    body = Body()
    _walk(element, body)
    body.flush()
    return body


def read_text(text: str) -> Body:
    """Return the paragraphs of plain text: blank lines or an indented line start a paragraph.

    Text that says it is plain but carries paragraph tags (some agencies wrap teletype copy in `<p>`) has
    its tags read as paragraph breaks and dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text):
        text = html.unescape(_TAG.sub("", _PARAGRAPH_TAG.sub("\n\n", text)))
    # Text indented as a whole (pretty-printed inside XML) is not a run of indented paragraphs.
    text = textwrap.dedent(text)
    body = Body()
    for chunk in _BLANK_LINE.split(text):
        for paragraph in _INDENTED.split(chunk):
            text_only = " ".join(paragraph.split())
            if text_only:
                body.blocks.append(Block(kind="paragraph", text=text_only))
    return body


def _walk(element: Element, body: Body) -> None:
    """Add the blocks and pictures inside `element`, in document order."""
    body.loose(element.text)
    for child in element:
        if isinstance(child.tag, str):
            _element(child, body)
        body.loose(child.tail)


def _element(child: Element, body: Body) -> None:
    """Add what one child element of a container stands for."""
    name = local(child.tag).lower()
    if name in _SKIPPED:
        return
    if name == "p":
        _paragraph(child, body)
    elif name in _HEADINGS:
        body.add("subheading", text_of(child))
    elif name in _LISTS:
        body.add_list([text_of(item) for item in child if isinstance(item.tag, str)])
    elif name == "media":
        if is_picture(child):
            body.pictures.append(nitf_picture(child))
    elif name in PICTURES:
        picture = _xhtml_picture(child)
        if picture is not None:
            body.pictures.append(picture)
    elif name == "table":
        body.add_list([" — ".join(text_of(cell) for cell in row) for row in child.iter() if local(row.tag) == "tr"])
    elif name in _BREAKS:
        body.flush()
    elif name in _INLINE:
        body.loose(text_of(child))
    else:
        # Containers (div, block, section, blockquote, body.content …) and elements no list names.
        body.flush()
        _walk(child, body)
        body.flush()


def _paragraph(element: Element, body: Body) -> None:
    """Add a paragraph, taking out any picture set inside it."""
    for inner in element.iter():
        name = local(inner.tag).lower() if isinstance(inner.tag, str) else ""
        if name == "media" and is_picture(inner):
            body.pictures.append(nitf_picture(inner))
        elif name == "img":
            picture = _xhtml_picture(inner)
            if picture is not None:
                body.pictures.append(picture)
    body.add("paragraph", text_of(element))


def _first(element: Element, name: str) -> Element | None:
    """Return the first descendant of `element` with the local name `name`."""
    for inner in element.iter():
        if isinstance(inner.tag, str) and local(inner.tag) == name:
            return inner
    return None


def is_picture(media: Element) -> bool:
    """Tell whether an NITF `media` element is a still image (not audio, video or data)."""
    return (media.get("media-type") or "image").strip().lower() in _PICTURE_MEDIA


def nitf_picture(media: Element) -> Picture:
    """Return the picture an NITF `media` element describes: source, alt text, caption and producer."""
    reference = _first(media, "media-reference")
    href = alt = None
    if reference is not None:
        href = reference.get("source") or reference.get("data-location") or None
        alt = reference.get("alternate-text") or reference.get("alt") or None
    producer = text_of(_first(media, "media-producer")) or None
    return Picture(href=href, caption=text_of(_first(media, "media-caption")), credit=producer, alt=alt)


def _xhtml_picture(element: Element) -> Picture | None:
    """Return the picture of an XHTML `img`, or of a `figure` with its `figcaption`."""
    image = element if local(element.tag).lower() == "img" else _first(element, "img")
    caption = text_of(_first(element, CAPTION))
    if image is None and not caption:
        return None
    href = image.get("src") if image is not None else None
    alt = image.get("alt") if image is not None else None
    return Picture(href=href or None, caption=caption, alt=alt or None)
