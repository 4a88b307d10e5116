"""WordPress eXtended RSS (WXR) exports in: each post a story, its attachments its pictures.

Pure: no Django. WXR is RSS 2.0 with WordPress's namespaces: `wp:` (ids, dates, status, authors,
categories, postmeta), `content:encoded` (the post), `excerpt:encoded` (the standfirst; an attachment's
caption) and `dc:creator` (the author's login). The post is "autop" HTML, not XML; shortcodes such as
[caption]…[/caption] are taken out, and a caption shortcode's words caption its picture.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from articles.interchange.formats import xml
from articles.interchange.formats.html_blocks import html_blocks
from articles.interchange.formats.items import FormatError, IncomingItem, Picture, SectionRef, Subject
from articles.interchange.formats.story import build_story, guarded, lenient_moment

FORMAT = "wxr"

_WP = "wordpress.org/export/"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
# WordPress's own shortcodes; any other one is known by its closing tag or its attributes.
_CORE_SHORTCODES = frozenset({"caption", "wp_caption", "gallery", "audio", "video", "playlist", "embed"})
_CAPTIONS = frozenset({"caption", "wp_caption"})
# A shortcode tag holds no bracket, so each match stops at the next one and a scan stays linear.
_SHORTCODE_RE = re.compile(r"\[(?P<close>/)?(?P<name>[A-Za-z_][\w\-]*)(?P<attrs>[^\[\]]*)\]")
# Posts WordPress itself no longer shows anywhere: binned ones and unsaved editor sessions.
_DISCARDED = frozenset({"trash", "auto-draft"})
_CAPTION_ATTR_RE = re.compile(r"""caption=(?:"([^"]*)"|'([^']*)')""")


def sniff(data: bytes, root: str | None) -> bool:
    """Claim an RSS document that declares WordPress's export namespace."""
    return root == "rss" and _WP.encode() in data[:8192]


@guarded("WordPress export")
def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield one item a post, in the order of the export."""
    root = xml.parse(data, filename=filename)
    if xml.local(root.tag) != "rss":
        raise FormatError(f"a WordPress export is an RSS document, not <{xml.local(root.tag)}>", filename=filename)
    channel = next((child for child in root if xml.local(child.tag) == "channel"), None)
    if channel is None:
        raise FormatError("an RSS document without a <channel>", filename=filename)
    site = _text(channel, "", "link") or _text(channel, _WP, "base_site_url")
    authors = _authors(channel)
    categories = _categories(channel)
    entries = [child for child in channel if xml.local(child.tag) == "item"]
    attachments = {_text(entry, _WP, "post_id"): entry for entry in entries if _type(entry) == "attachment"}
    for entry in entries:
        if _type(entry) == "post" and _text(entry, _WP, "status") not in _DISCARDED:
            yield _post(entry, site=site, authors=authors, categories=categories, attachments=attachments)


def _namespace(tag: str) -> str:
    """Return the namespace of a {namespace}local tag ("" without one)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _children(element: Element, namespace: str, name: str) -> list[Element]:
    """Return the children called `name` whose namespace contains `namespace` (any wp: export version)."""
    found = []
    for child in element:
        space = _namespace(child.tag)
        if xml.local(child.tag) == name and (namespace in space if namespace else not space):
            if namespace == _WP and "excerpt" in space:
                continue
            found.append(child)
    return found


def _text(element: Element, namespace: str, name: str) -> str:
    """Return the collapsed text of the first such child, or ""."""
    children = _children(element, namespace, name)
    return xml.text_of(children[0]) if children else ""


def _raw(element: Element, namespace: str, name: str) -> str:
    """Return the text of the first such child as it stands (post content keeps its line breaks)."""
    children = _children(element, namespace, name)
    return "".join(children[0].itertext()) if children else ""


def _type(entry: Element) -> str:
    return _text(entry, _WP, "post_type")


def _authors(channel: Element) -> dict[str, str]:
    """Map each author's login to the name readers see (the display name, else first and last name)."""
    names = {}
    for author in _children(channel, _WP, "author"):
        login = _text(author, _WP, "author_login")
        full = " ".join(
            filter(None, (_text(author, _WP, "author_first_name"), _text(author, _WP, "author_last_name")))
        )
        names[login] = _text(author, _WP, "author_display_name") or full or login
    return names


def _categories(channel: Element) -> dict[str, tuple[str, str]]:
    """Map each category's slug to its parent's slug and its name."""
    found = {}
    for category in _children(channel, _WP, "category"):
        slug = _text(category, _WP, "category_nicename")
        if slug:
            found[slug] = (_text(category, _WP, "category_parent"), _text(category, _WP, "cat_name") or slug)
    return found


def _section_path(slug: str, categories: dict[str, tuple[str, str]]) -> str:
    """Return "parent/child" for a category slug, following the parents the export lists."""
    path = [slug]
    while (parent := categories.get(path[-1], ("", ""))[0]) and parent not in path and len(path) < 10:
        path.append(parent)
    return "/".join(reversed(path))


def _meta(entry: Element) -> dict[str, str]:
    """Return an item's postmeta as key → value."""
    return {
        _text(meta, _WP, "meta_key"): _raw(meta, _WP, "meta_value").strip()
        for meta in _children(entry, _WP, "postmeta")
    }


def _attachment_picture(entry: Element) -> Picture:
    """An attachment: its file, its caption (the excerpt), its alternative text."""
    meta = _meta(entry)
    return Picture(
        href=_text(entry, _WP, "attachment_url") or _text(entry, "", "guid") or None,
        caption=_text(entry, "excerpt", "encoded"),
        alt=meta.get("_wp_attachment_image_alt") or None,
    )


def _post(
    entry: Element,
    *,
    site: str,
    authors: dict[str, str],
    categories: dict[str, tuple[str, str]],
    attachments: dict[str, Element],
) -> IncomingItem:
    """Read one post into an item."""
    post_id = _text(entry, _WP, "post_id")
    blocks, shown, captioned = _content(_raw(entry, _CONTENT, "encoded"))
    thumbnail = attachments.get(_meta(entry).get("_thumbnail_id", ""))
    attached = [
        _attachment_picture(attachment)
        for attachment in attachments.values()
        if _text(attachment, _WP, "post_parent") == post_id and attachment is not thumbnail
    ]
    lead = _attachment_picture(thumbnail) if thumbnail is not None else (captioned[0] if captioned else None)
    pictures = list(dict.fromkeys(([lead] if lead else []) + captioned + attached + shown))
    creator = _text(entry, _DC, "creator")
    story = build_story(
        headline=_text(entry, "", "title") or _text(entry, _WP, "post_name") or f"Post {post_id}",
        dek=_excerpt(entry),
        blocks=blocks,
        lead=lead,
        bylines=[authors.get(creator, creator)] if creator else [],
    )
    return IncomingItem(
        format=FORMAT,
        story=story,
        guid=_text(entry, "", "guid") or f"wxr:{site}:{post_id}",
        slugline=_text(entry, _WP, "post_name") or None,
        credit=story.source,
        subjects=tuple(
            dict.fromkeys(
                Subject(name=xml.text_of(tag), code=tag.get("nicename"), scheme="wordpress:post_tag")
                for tag in _children(entry, "", "category")
                if tag.get("domain") == "post_tag" and xml.text_of(tag)
            )
        ),
        pictures=tuple(pictures),
        sections=tuple(
            dict.fromkeys(
                SectionRef(path=_section_path(category.get("nicename") or "", categories), name=xml.text_of(category))
                for category in _children(entry, "", "category")
                if category.get("domain") == "category" and category.get("nicename")
            )
        ),
        permalink=_text(entry, "", "link") or None,
        published_at=lenient_moment(_text(entry, _WP, "post_date_gmt")),
        source_published=_text(entry, _WP, "status") == "publish",
        extra={"wordpress_id": post_id, "status": _text(entry, _WP, "status")},
    )


def _excerpt(entry: Element) -> str | None:
    """Return the post's excerpt as plain words (it may hold HTML)."""
    blocks, _ = html_blocks(_raw(entry, "excerpt", "encoded"))
    return " ".join(block.text for block in blocks) or None


def _content(content: str) -> tuple[list, list[Picture], list[Picture]]:
    """Return the post's blocks, the pictures its HTML shows and those its caption shortcodes caption."""
    text, captions = _strip_shortcodes(content)
    captioned = []
    for attrs, inner in captions:
        blocks, pictures = html_blocks(inner)
        words = " ".join(block.text for block in blocks)
        attribute = _CAPTION_ATTR_RE.search(attrs)
        words = words or (attribute.group(1) or attribute.group(2) if attribute else "")
        captioned.extend(Picture(href=p.href, caption=" ".join(words.split()), alt=p.alt) for p in pictures)
    blocks, shown = html_blocks(text, autop=True)
    return blocks, shown, captioned


def _strip_shortcodes(content: str) -> tuple[str, list[tuple[str, str]]]:
    """Take the shortcodes out of a post; return its text and each caption shortcode's attributes and content.

    An [embed]'s address goes with it; other paired shortcodes leave their content; a bracketed word that
    is no shortcode ("[sic]") stays.
    """
    tokens = list(_SHORTCODE_RE.finditer(content))
    closes: dict[str, list[int]] = {}
    opens: set[str] = set()
    for index, token in enumerate(tokens):
        if token.group("close"):
            closes.setdefault(token.group("name").lower(), []).append(index)
        else:
            opens.add(token.group("name").lower())
    out: list[str] = []
    captions: list[tuple[str, str]] = []
    position = index = 0
    while index < len(tokens):
        token = tokens[index]
        name = token.group("name").lower()
        out.append(content[position : token.start()])
        position = token.end()
        index += 1
        if token.group("close"):
            if name not in _CORE_SHORTCODES and name not in opens:
                out.append(token.group(0))
            continue
        later = closes.get(name, [])
        pair = later[bisect_right(later, index - 1)] if later and later[-1] >= index else None
        if pair is not None and (name in _CAPTIONS or name == "embed"):
            if name in _CAPTIONS:
                captions.append((token.group("attrs"), content[token.end() : tokens[pair].start()]))
            out.append("\n\n")
            position, index = tokens[pair].end(), pair + 1
        elif name not in _CORE_SHORTCODES and pair is None and "=" not in token.group("attrs"):
            out.append(token.group(0))
    out.append(content[position:])
    return "".join(out), captions
