"""NITF 3.x (IPTC News Industry Text Format): one story a document, with or without the NITF namespace.

Pure: no Django. `head/docdata` gives the envelope (doc-id, dates, urgency, editorial message, keywords,
copyright); `body.head` the headline, standfirst, bylines, distributor and dateline; `body.content` the text.
NewsML readers reuse `story_parts` and `carried_bylines` for NITF carried inside their items.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from articles.interchange.formats import story, xml
from articles.interchange.formats.body import read_body
from articles.interchange.formats.items import FormatError, IncomingItem, Picture, Subject
from articles.interchange.formats.xml import child, children
from articles.interchange.wire import Block

FORMAT = "nitf"

_STATUSES = {"usable": "usable", "embargoed": "usable", "withheld": "withheld", "canceled": "canceled"}


@dataclass
class StoryParts:
    """What an NITF body says of its story, before it becomes a `WireArticle`."""

    headline: str = ""
    dek: str | None = None
    bylines: list[str] = field(default_factory=list)
    byline_titles: list[str] = field(default_factory=list)
    dateline: str | None = None
    distributor: str | None = None
    blocks: list[Block] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)


def sniff(data: bytes, root: str | None) -> bool:
    """Tell whether the document is NITF: its first element is <nitf>."""
    return root == "nitf"


def _byline(element: Element) -> tuple[list[str], str | None]:
    """Return the names in a `byline` and the title its `byttl` (or its own text after the names) gives."""
    titles = [xml.text_of(title) for title in children(element, "byttl")]
    own = [element.text or ""]
    for inner in element:
        if isinstance(inner.tag, str) and xml.local(inner.tag) != "byttl":
            own.append(xml.text_of(inner))
        own.append(inner.tail or "")
    names, title = story.split_byline(" ".join("".join(own).split()))
    return names, ", ".join(t for t in titles if t) or title


def carried_bylines(bylines: list[Element], parts: StoryParts | None) -> tuple[list[str], list[str]]:
    """Return the names and titles an envelope's byline elements give, else those of the NITF story it carries."""
    names: list[str] = []
    titles: list[str] = []
    for byline in bylines:
        found, title = story.split_byline(xml.text_of(byline))
        names.extend(found)
        titles.extend([title] if title else [])
    if not names and parts is not None:
        return parts.bylines, parts.byline_titles
    return names, titles


def story_parts(nitf: Element) -> StoryParts:
    """Return the headline, standfirst, bylines, dateline and body of an NITF document."""
    parts = StoryParts()
    body = child(nitf, "body")
    head = child(body, "body.head")
    hedline = child(head, "hedline")
    parts.headline = xml.text_of(child(hedline, "hl1"))
    parts.dek = xml.text_of(child(hedline, "hl2")) or xml.text_of(child(head, "abstract")) or None
    for byline in children(head, "byline"):
        names, title = _byline(byline)
        parts.bylines.extend(names)
        if title:
            parts.byline_titles.append(title)
    dateline = child(head, "dateline")
    if dateline is not None:
        parts.dateline = xml.text_of(child(dateline, "location")) or xml.text_of(dateline) or None
    parts.distributor = xml.text_of(child(head, "distributor")) or None
    content = child(body, "body.content")
    if content is not None:
        read = read_body(content)
        parts.blocks, parts.pictures = read.blocks, read.pictures
    if not parts.headline:
        parts.headline = xml.text_of(child(child(nitf, "head"), "title"))
    return parts


def _subjects(docdata: Element | None, head: Element | None) -> list[Subject]:
    """Return the keywords of `key-list` and the subject codes of `tobject.subject`."""
    subjects = [
        Subject(name=keyword.get("key", "").strip() or xml.text_of(keyword))
        for keyword in children(child(docdata, "key-list"), "keyword")
    ]
    for subject in children(child(head, "tobject"), "tobject.subject"):
        name = (
            subject.get("tobject.subject.detail")
            or subject.get("tobject.subject.matter")
            or subject.get("tobject.subject.type")
            or ""
        )
        code = subject.get("tobject.subject.refnum") or None
        subjects.append(Subject(name=name.strip() or (code or ""), code=code, scheme="subj" if code else None))
    return subjects


def _attribute(element: Element | None, name: str) -> str | None:
    """Return an attribute's value, stripped, or None where the element or the value is missing."""
    value = (element.get(name) or "").strip() if element is not None else ""
    return value or None


def item_of(nitf: Element, *, filename: str | None) -> IncomingItem:
    """Return the incoming item of one NITF document."""
    parts = story_parts(nitf)
    head = child(nitf, "head")
    docdata = child(head, "docdata")
    status = _STATUSES.get((_attribute(docdata, "management-status") or "usable").lower(), "usable")
    # A withheld or canceled document is a notice about an earlier one: kept even without text.
    if not parts.blocks and status == "usable":
        raise FormatError("the NITF document has no text in body.content", filename=filename)
    doc_id = child(docdata, "doc-id")
    copyright_ = child(docdata, "doc.copyright")
    holder = _attribute(copyright_, "holder")
    credit = holder or parts.distributor or _attribute(child(head, "pubdata"), "name")
    article = story.build_story(
        headline=parts.headline,
        dek=parts.dek,
        blocks=parts.blocks,
        lead=story.lead_picture(parts.pictures),
        dateline=parts.dateline,
        source=credit,
        bylines=parts.bylines,
    )
    release = child(docdata, "date.release")
    issue = child(docdata, "date.issue")
    ed_msg = child(docdata, "ed-msg")
    urgency = child(docdata, "urgency")
    du_key = child(docdata, "du-key")
    return IncomingItem(
        format=FORMAT,
        story=article,
        guid=_attribute(doc_id, "id-string"),
        version=story.whole_number(_attribute(du_key, "version")),
        pub_status=status,  # type: ignore[arg-type]
        embargo=story.moment(_attribute(release, "norm"), what="date.release", filename=filename),
        urgency=story.whole_number(_attribute(urgency, "ed-urg"), most=9),
        credit=credit,
        provider=parts.distributor or holder,
        sent_at=story.lenient_moment(_attribute(issue, "norm")),
        editorial_note=_editorial_note(ed_msg),
        subjects=story.unique_subjects(_subjects(docdata, head)),
        pictures=tuple(parts.pictures),
        extra={"byline_titles": parts.byline_titles} if parts.byline_titles else {},
    )


def _editorial_note(ed_msg: Element | None) -> str | None:
    """Return the editorial message (its `info` attribute, or its text)."""
    if ed_msg is None:
        return None
    return _attribute(ed_msg, "info") or xml.text_of(ed_msg) or None


@story.guarded("the document")
def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield the one story of an NITF document."""
    yield item_of(xml.document(data, root="nitf", what="NITF", filename=filename), filename=filename)
