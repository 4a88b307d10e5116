"""Story HTML (a ninjs body, a WordPress post) into wire blocks and the pictures it shows.

Pure: the standard library's html.parser, which never fails on broken markup. WordPress stores posts
as "autop" text: a blank line ends a paragraph and a single line break is a <br>, so with `autop` a line
break in running text ends the paragraph as well.
Which elements are headings, lists and captions is `block_rules.py`'s to say; `body.py` reads XML elements.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from articles.interchange.formats.block_rules import CAPTION, HEADINGS, LISTS, NOT_TEXT
from articles.interchange.formats.items import Picture
from articles.interchange.wire import Block

__all__ = ["html_blocks"]

_BREAKS = frozenset({"p", "div", "blockquote", "pre", "section", "article", "header", "footer", "tr", "dd", "dt"})
# A complete tag: quoted attribute values may hold ">", nothing in it may hold "<".
_TAG_RE = re.compile(r"""<[^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*>""")
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "param"})


class _BlockParser(HTMLParser):
    """Collect paragraphs, subheadings and lists in document order, and the pictures."""

    def __init__(self, *, autop: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.autop = autop
        self.blocks: list[Block] = []
        self.pictures: list[Picture] = []
        self.text: list[str] = []
        self.items: list[str] | None = None
        self.in_item = False
        self.heading = 0
        self.skipping: list[str] = []
        self.figure: list[Picture] | None = None
        self.caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag in NOT_TEXT:
            self.skipping.append(tag)
        elif tag == "br" or tag == "hr" or tag in _BREAKS:
            self.flush()
        elif tag in HEADINGS:
            self.flush()
            self.heading += 1
        elif tag in LISTS:
            self.flush()
            self.items = self.items if self.items is not None else []
        elif tag == "li":
            self.end_item()
            self.in_item = True
        elif tag == "img":
            self.picture(dict(attrs))
        elif tag == "figure":
            self.flush()
            self.figure = []
        elif tag == CAPTION:
            self.caption = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
            return
        if tag in HEADINGS:
            self.flush()
            self.heading = max(0, self.heading - 1)
        elif tag in _BREAKS:
            self.flush()
        elif tag == "li":
            self.end_item()
        elif tag in LISTS:
            self.end_list()
        elif tag == CAPTION and self.caption is not None:
            self.end_caption()
        elif tag == "figure":
            self.figure = None

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.caption is not None:
            self.caption.append(data)
            return
        if self.autop and not self.in_item and not self.heading and "\n" in data:
            lines = data.split("\n")
            for line in lines[:-1]:
                self.text.append(line)
                self.flush()
            self.text.append(lines[-1])
            return
        self.text.append(data)

    def picture(self, attrs: dict[str, str | None]) -> None:
        """Note an <img>; a picture inside a <figure> waits for its <figcaption>."""
        src = (attrs.get("src") or "").strip()
        if not src:
            return
        picture = Picture(href=src, alt=(attrs.get("alt") or "").strip() or None)
        self.pictures.append(picture)
        if self.figure is not None:
            self.figure.append(picture)

    def end_caption(self) -> None:
        """Give the figure's pictures the caption's words."""
        caption = " ".join("".join(self.caption or []).split())
        self.caption = None
        for picture in self.figure or []:
            index = self.pictures.index(picture)
            self.pictures[index] = Picture(href=picture.href, caption=caption, credit=picture.credit, alt=picture.alt)

    def end_item(self) -> None:
        """Close a list item: its words join the open list (or stand as a paragraph outside one)."""
        if not self.in_item:
            return
        self.in_item = False
        text = " ".join("".join(self.text).split())
        self.text = []
        if not text:
            return
        if self.items is None:
            self.blocks.append(Block(kind="paragraph", text=text))
        else:
            self.items.append(text)

    def end_list(self) -> None:
        """Close a list and keep it as one list block."""
        self.end_item()
        if self.items:
            self.blocks.append(Block(kind="list", items=tuple(self.items)))
        self.items = None

    def flush(self) -> None:
        """End the running text as a paragraph or subheading."""
        if self.in_item:
            return
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            self.blocks.append(Block(kind="subheading" if self.heading else "paragraph", text=text))

    def finish(self) -> None:
        """Close whatever the markup left open."""
        self.close()
        self.end_list()
        self.flush()


def _tidy(markup: str) -> str:
    """Return markup whose every "<" opens a complete tag, drops comments, and writes stray "<" as text.

    html.parser looks ahead to the end of the input for each unclosed tag, comment or attribute quote,
    so hostile input full of them costs time growing with the square of its length; this pass is linear.
    """
    out: list[str] = []
    position = 0
    close_comment = markup.find("-->")
    while (start := markup.find("<", position)) >= 0:
        out.append(markup[position:start])
        if markup.startswith("<!--", start):
            if close_comment >= 0 and close_comment < start + 4:
                close_comment = markup.find("-->", start + 4)
            position = close_comment + 3 if close_comment >= 0 else len(markup)
            continue
        # A tag holds no "<", so each attempt stops at the next one and the whole pass stays linear.
        tag = _TAG_RE.match(markup, start)
        if tag is None:
            out.append("&lt;")
            position = start + 1
            continue
        out.append(tag.group(0))
        position = tag.end()
    out.append(markup[position:])
    return "".join(out)


def html_blocks(markup: str, *, autop: bool = False) -> tuple[list[Block], list[Picture]]:
    """Return the body blocks and the pictures (in order) of a piece of story HTML."""
    parser = _BlockParser(autop=autop)
    parser.feed(_tidy(markup))
    parser.finish()
    return parser.blocks, parser.pictures
