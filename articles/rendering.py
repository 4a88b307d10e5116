"""Turn a stored article body into the blocks and inline links a reader's page shows."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.sanitize import clean_html

VOID_TAGS = {"br", "hr", "img", "wbr"}


class _TopLevelSplitter(HTMLParser):
    """Record where each top-level element or run of loose text starts and ends."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.starts = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.starts.append(self.getpos())
        if tag not in VOID_TAGS:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.depth > 0:
            self.depth -= 1


def split_blocks(html):
    """Return the body's top-level elements as separate HTML strings."""
    html = (html or "").strip()
    if not html:
        return []
    splitter = _TopLevelSplitter()
    splitter.feed(html)
    splitter.close()
    lines = html.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    cuts = sorted({offsets[line - 1] + col for line, col in splitter.starts} | {0})
    cuts.append(len(html))
    return [html[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False) if html[a:b].strip()]


@dataclass
class Segment:
    """A body block, with the read-more links that follow it."""

    html: str
    links: list = field(default_factory=list)


def body_segments(body, read_more_links, *, dateline=""):
    """Return the body as blocks, each followed by the read-more links anchored after it."""
    blocks = split_blocks(clean_html(body))
    if dateline and blocks and blocks[0].startswith("<p>"):
        blocks[0] = format_html('<p><span class="dateline">{} —</span> ', dateline) + blocks[0][3:]
    blocks = [mark_safe(block) for block in blocks]  # sanitized above; the dateline is escaped
    segments = [Segment(html=block) for block in blocks]
    leading = []
    for link in read_more_links:
        anchor = link.anchor_block or 0
        if anchor <= 0 or not segments:
            leading.append(link)
        else:
            segments[min(anchor, len(segments)) - 1].links.append(link)
    if leading:
        segments.insert(0, Segment(html="", links=leading))
    return segments
