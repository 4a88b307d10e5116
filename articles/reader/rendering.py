"""Turn a stored article body into the blocks and inline links a reader's page shows."""

import re
from dataclasses import dataclass, field

from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.core.sanitize import clean_html

VOID_TAGS = {"br", "hr", "img", "wbr"}


# A start or end tag. Quoted attribute values may hold ">", but nothing in a tag may hold "<" (the
# sanitizer escapes it), so a match never runs past the next "<" and a scan of the body stays linear.
_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/<>]*)(?:"[^"<]*"|'[^'<]*'|[^'"<>])*>""")


def split_blocks(html, limit=None):
    """Return the body's top-level elements (and any loose text between them) as separate HTML strings.

    A tag scanner rather than html.parser, which cost a tenth of the article page. It expects what
    the sanitizer writes; text that is not HTML still splits in linear time, only less neatly. With a
    limit, the scan stops once that many blocks are found and the rest comes back as one last block.
    """
    html = (html or "").strip()
    if not html:
        return []
    depth = 0
    cuts = [0]
    position = html.find("<")
    while position >= 0:
        if limit is not None and len(cuts) > limit + 1:
            break  # the first `limit` blocks have ended where the next one starts
        if html.startswith("<!--", position):
            end = html.find("-->", position + 4)
            if end < 0:
                break  # a comment left open runs to the end
            position = html.find("<", end + 3)
            continue
        match = _TAG.match(html, position)
        if match is None:
            position = html.find("<", position + 1)
            continue
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            if name not in VOID_TAGS and depth > 0:
                depth -= 1
        else:
            if depth == 0:
                cuts.append(position)
            if name not in VOID_TAGS and not match.group(0).endswith("/>"):
                depth += 1
        position = html.find("<", match.end())
    cuts.append(len(html))
    blocks = (html[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False))
    return [block for block in blocks if block]


@dataclass
class Segment:
    """A run of body blocks, with the read-more links that follow it."""

    html: str
    links: list = field(default_factory=list)


def with_dateline(html, dateline):
    """Return html with the dateline ("GAZA CITY —") opening its first paragraph, escaped."""
    if dateline and html.startswith("<p>"):
        return format_html('<p><span class="dateline">{} —</span> ', dateline) + html[3:]
    return html


def body_segments(body, read_more_links, *, dateline=""):
    """Return the body as runs of blocks, each run followed by the read-more links anchored after it.

    A story without read-more links is one segment: the template loops once, not once a paragraph.
    """
    if not read_more_links:
        # Nothing to place between blocks: the body whole, without splitting it into blocks first.
        html = clean_html(body).strip()
        return [Segment(html=mark_safe(with_dateline(html, dateline)))] if html else []  # noqa: S308 - sanitized
    # Blocks are only told apart up to the last anchor; what follows it stays one run.
    last = max((link.anchor_block or 0 for link in read_more_links), default=0)
    blocks = split_blocks(clean_html(body), limit=last)
    if blocks:
        blocks[0] = with_dateline(blocks[0], dateline)
    leading, anchored = [], {}
    for link in read_more_links:
        anchor = link.anchor_block or 0
        if anchor <= 0 or not blocks:
            leading.append(link)
        else:
            anchored.setdefault(min(anchor, len(blocks)), []).append(link)
    segments = [Segment(html="", links=leading)] if leading else []
    start = 0
    for end in sorted({*anchored, len(blocks)}):
        if end > start:
            # Sanitized above; the dateline is escaped.
            segments.append(Segment(html=mark_safe("\n".join(blocks[start:end])), links=anchored.get(end, [])))  # noqa: S308
        start = end
    return segments


def story_body(body, read_more_links, *, dateline=""):
    """Return the story's body as readers get it: sanitized, the dateline first, read-more links in place.

    Each read-more link is an aside after the block it is anchored to (body_segments places them),
    written by the template articles/includes/read_more.html. The result is kept with the story's
    page in the cache (reading.py), so the template runs once a story, not once a request.
    """
    aside = get_template("articles/includes/read_more.html")
    parts = []
    for segment in body_segments(body, read_more_links, dateline=dateline):
        if segment.html:
            parts.append(segment.html)
        parts.extend(aside.render({"url": link.get_absolute_url(), "title": link.title}) for link in segment.links)
    return mark_safe("\n".join(parts))  # noqa: S308 - sanitized blocks, escaped links
