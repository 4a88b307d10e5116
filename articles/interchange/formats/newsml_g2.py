"""NewsML-G2 (IPTC): News Items, alone or in a newsMessage, with their text as XHTML, NITF or plain text.

Pure: no Django. Elements are matched by local name, so any namespace prefix (or none) reads the same.
Only News Items that carry story text become items; package, concept, knowledge, planning and catalog
items, and news items holding only a picture, video or data, are refused with the reason. A canceled or
withheld item is kept even without text, since it is a notice about an earlier version.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from functools import partial
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from articles.interchange.formats import story, xml
from articles.interchange.formats.body import Body, read_body, read_text
from articles.interchange.formats.items import FormatError, IncomingItem, Picture, Subject
from articles.interchange.formats.nitf import StoryParts, carried_bylines, story_parts
from articles.interchange.formats.xml import child, children

FORMAT = "newsml-g2"
NAMESPACE = "http://iptc.org/std/nar/2006-10-01/"

_NOT_STORIES = {
    "packageItem": "a package item: it lists other items and carries no story text of its own",
    "conceptItem": "a concept item: it describes a concept (a person, a subject, an event), not a story",
    "knowledgeItem": "a knowledge item: it carries a set of concepts, not a story",
    "planningItem": "a planning item: it announces coverage to come, not a story",
    "catalogItem": "a catalog item: it lists controlled vocabularies, not a story",
}
_ITEMS = frozenset({"newsItem", "newsMessage", *_NOT_STORIES})
# Parts of a NewsML-G2 document, as the guidelines print them on their own.
_FRAGMENTS = frozenset({"contentSet", "contentMeta", "itemMeta", "groupSet", "itemSet", "rightsInfo"})
_STATUSES = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}
_XHTML_ROOTS = frozenset({"html", "body", "div", "p", "section", "article", "h1", "h2", "h3", "ul", "ol"})
_TEXT_CLASSES = frozenset({"text", ""})


def sniff(data: bytes, root: str | None) -> bool:
    """Tell whether the document is NewsML-G2: a G2 item or message, or a part of one as the guidelines show."""
    return root in _ITEMS or root in _FRAGMENTS


def _code(qcode: str | None) -> str:
    """Return the code of a QCode ("stat:usable" → "usable") or the last part of a URI."""
    value = (qcode or "").strip()
    return value.rsplit("/", 1)[-1].rsplit(":", 1)[-1] if value else ""


def _attribute(element: Element | None, name: str) -> str:
    """Return the code of an element's QCode attribute `name`, or "" where there is none."""
    return _code(element.get(name)) if element is not None else ""


def _label(element: Element | None, *, language: str | None = None) -> str:
    """Return what a G2 property is called: its `name` child (in the item's language if given), literal or code."""
    if element is None:
        return ""
    names = children(element, "name")
    preferred = [
        name
        for name in names
        if language and (name.get("{http://www.w3.org/XML/1998/namespace}lang") or "").startswith(language[:2])
    ]
    for name in preferred + names:
        text = xml.text_of(name)
        if text:
            return text
    return (element.get("literal") or "").strip()


def _party(element: Element | None) -> str | None:
    """Return the name of a provider, copyright holder or source: name, literal, code or web host."""
    if element is None:
        return None
    label = _label(element)
    if label:
        return label
    if element.get("qcode"):
        return _code(element.get("qcode"))
    uri = element.get("uri") or ""
    return urlsplit(uri).hostname or uri.strip() or None


def _subjects(content_meta: Element | None, language: str | None) -> list[Subject]:
    """Return the subjects of an item: Media Topics with their names, other codes as given."""
    subjects = []
    for subject in children(content_meta, "subject"):
        concept = child(subject, "mainConcept")
        source = concept if concept is not None else subject
        qcode = (source.get("qcode") or "").strip()
        uri = (source.get("uri") or "").strip()
        scheme, _, code = qcode.partition(":") if qcode else ("", "", "")
        if not qcode and "/newscodes/mediatopic/" in uri:
            scheme, code = "medtop", uri.rsplit("/", 1)[-1]
        name = _label(source, language=language) or _label(subject, language=language) or qcode or code
        if name:
            subjects.append(Subject(name=name, code=code or None, scheme=scheme or None))
    return subjects


def _headlines(content_meta: Element | None) -> tuple[str, str | None]:
    """Return the headline and the sub-headline (a headline whose role says it is one)."""
    main = sub = ""
    for headline in children(content_meta, "headline"):
        role = (headline.get("role") or "").lower()
        text = xml.text_of(headline)
        if "sub" in role:
            sub = sub or text
        elif not main:
            main = text
    return main, sub or None


def _summary(content_meta: Element | None) -> str | None:
    """Return a description whose role marks it as the summary or abstract."""
    for description in children(content_meta, "description"):
        role = (description.get("role") or "").lower()
        if "summary" in role or "abstract" in role:
            return xml.text_of(description) or None
    return None


def _content(content_set: Element | None) -> tuple[Body, StoryParts | None, str]:
    """Return the body of the first text in a contentSet, any NITF story parts, and what the set held instead."""
    held = []
    for content in content_set if content_set is not None else ():
        if not isinstance(content.tag, str):
            continue
        kind = xml.local(content.tag)
        contenttype = (content.get("contenttype") or "").lower()
        held.append(f"{kind} {contenttype}".strip())
        if kind == "inlineData" and (contenttype.startswith("text/") or not contenttype):
            body = read_text(_inline_data(content))
        elif kind == "inlineXML":
            nitf = next((e for e in content.iter() if isinstance(e.tag, str) and xml.local(e.tag) == "nitf"), None)
            if nitf is not None:
                parts = story_parts(nitf)
                if parts.blocks:
                    return Body(blocks=parts.blocks, pictures=parts.pictures), parts, ""
                continue
            if not _holds_xhtml(content, contenttype):
                continue
            body = read_body(content)
        else:
            continue
        if body.blocks:
            return body, None, ""
    return Body(), None, ", ".join(held) or "no content"


def _inline_data(content: Element) -> str:
    """Return the text of an inlineData element, decoding it where it says it is base64."""
    text = content.text or ""
    if (content.get("encoding") or "").strip().lower() != "base64":
        return text
    try:
        return base64.b64decode("".join(text.split()), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as error:
        raise FormatError(f"the inlineData says base64 but does not decode to UTF-8 text ({error})") from error


def _holds_xhtml(content: Element, contenttype: str) -> bool:
    """Tell whether an inlineXML holds XHTML (or bare paragraphs), not another XML vocabulary such as SportsML."""
    if "html" in contenttype:
        return True
    first = next((e for e in content if isinstance(e.tag, str)), None)
    return not contenttype and first is not None and xml.local(first.tag).lower() in _XHTML_ROOTS


def _remote_pictures(content_set: Element | None) -> list[Picture]:
    """Return the pictures a contentSet points to (remoteContent of an image type), by address only."""
    return [
        Picture(href=remote.get("href") or remote.get("residref"))
        for remote in children(content_set, "remoteContent")
        if (remote.get("contenttype") or "").lower().startswith("image/")
        and (remote.get("href") or remote.get("residref"))
    ]


def _bylines(content_meta: Element | None, parts: StoryParts | None) -> tuple[list[str], list[str]]:
    """Return the names credited (from `by`, else the NITF byline, else person creators) and their titles."""
    names, titles = carried_bylines(children(content_meta, "by"), parts)
    if not names:
        for creator in children(content_meta, "creator"):
            if _code(creator.get("type")) == "person" or "/staff/" in (creator.get("uri") or ""):
                names.extend([_label(creator)] if _label(creator) else [])
    return names, titles


def _located(content_meta: Element | None) -> str | None:
    """Return the dateline: the `dateline` element, else the name of the place `located` names."""
    dateline = xml.text_of(child(content_meta, "dateline"))
    if dateline:
        return dateline
    located = child(content_meta, "located")
    return _label(located) or _attribute(located, "qcode") or None


def item_of(news_item: Element, *, filename: str | None, header: dict | None = None) -> IncomingItem:
    """Return the incoming item of one News Item, or refuse it with the reason."""
    header = header or {}
    item_meta = child(news_item, "itemMeta")
    content_meta = child(news_item, "contentMeta")
    item_class = _attribute(child(item_meta, "itemClass"), "qcode")
    status = _STATUSES.get(_attribute(child(item_meta, "pubStatus"), "qcode").lower(), "usable")
    content_set = child(news_item, "contentSet")
    body, parts, held = _content(content_set)
    notice = status != "usable"
    if item_class not in _TEXT_CLASSES and not notice:
        raise FormatError(f"a {item_class} news item carries no story text", filename=filename)
    if not body.blocks and not notice:
        raise FormatError(f"the news item carries no story text (it holds {held})", filename=filename)
    language_element = child(content_meta, "language")
    language = (language_element.get("tag") if language_element is not None else None) or news_item.get(
        "{http://www.w3.org/XML/1998/namespace}lang"
    )
    headline, sub = _headlines(content_meta)
    names, titles = _bylines(content_meta, parts)
    rights = child(news_item, "rightsInfo")
    provider = _party(child(item_meta, "provider")) or header.get("sender")
    credit = (
        xml.text_of(child(content_meta, "creditline"))
        or _party(child(content_meta, "infoSource"))
        or _party(child(rights, "copyrightHolder"))
        or provider
    )
    slugline = xml.text_of(child(content_meta, "slugline")) or None
    article = story.build_story(
        headline=headline or (parts.headline if parts else ""),
        dek=sub or _summary(content_meta) or (parts.dek if parts else None),
        blocks=body.blocks,
        lead=story.lead_picture(body.pictures),
        dateline=_located(content_meta) or (parts.dateline if parts else None),
        source=credit,
        bylines=names,
        slugline=slugline,
    )
    version = (news_item.get("version") or "").strip()
    urgency = xml.text_of(child(content_meta, "urgency"))
    replaces = next(
        (
            link.get("residref") or link.get("href")
            for link in children(item_meta, "link")
            if (link.get("rel") or "").endswith("previousVersion")
        ),
        None,
    )
    embargoed = child(item_meta, "embargoed")
    if embargoed is not None and not xml.text_of(embargoed) and status == "usable":
        status = "withheld"  # embargoed with no time given: held until a time is sent
    extra = {
        "item_class": item_class,
        "signals": [_code(signal.get("qcode")) for signal in children(item_meta, "signal") if signal.get("qcode")],
        "version_created": story.lenient_moment(xml.text_of(child(item_meta, "versionCreated"))),
        "first_created": story.lenient_moment(xml.text_of(child(item_meta, "firstCreated"))),
    }
    if titles:
        extra["byline_titles"] = titles
    return IncomingItem(
        format=FORMAT,
        story=article,
        guid=(news_item.get("guid") or "").strip() or None,
        version=story.whole_number(version),
        replaces=replaces,
        pub_status=status,  # type: ignore[arg-type]
        embargo=story.moment(xml.text_of(embargoed), what="embargoed", filename=filename),
        priority=header.get("priority"),
        urgency=story.whole_number(urgency, most=9),
        slugline=slugline,
        credit=credit,
        provider=provider,
        language=language,
        sent_at=header.get("sent") or extra["version_created"],
        editorial_note=xml.text_of(child(item_meta, "edNote")) or None,
        subjects=story.unique_subjects(_subjects(content_meta, language)),
        pictures=tuple(body.pictures + _remote_pictures(content_set)),
        extra=extra,
    )


def _header(message: Element, filename: str | None) -> dict:
    """Return what a newsMessage header says of all its items: when sent, by whom, at what priority."""
    header = child(message, "header")
    priority = xml.text_of(child(header, "priority"))
    return {
        "sent": story.lenient_moment(xml.text_of(child(header, "sent"))),
        "sender": xml.text_of(child(header, "sender")) or None,
        "priority": story.whole_number(priority, most=9),
    }


def _refusal(kind: str) -> FormatError:
    """Return the refusal of an element in an itemSet that is not a News Item."""
    return FormatError(_NOT_STORIES.get(kind, f"a <{kind}>, not a news item"))


def _candidate(element: Element, header: dict, filename: str | None):
    """Return a function making the item of one itemSet element, or raising why it is not a story."""
    kind = xml.local(element.tag)
    if kind != "newsItem":

        def refuse() -> IncomingItem:
            raise _refusal(kind)

        return refuse
    return partial(item_of, element, filename=filename, header=header)


def _message(message: Element, filename: str | None) -> Iterator[IncomingItem]:
    """Yield the text items of a newsMessage; refuse the message when it holds none, saying why."""
    header = _header(message, filename)
    elements = [e for item_set in children(message, "itemSet") for e in item_set if isinstance(e.tag, str)]
    yield from story.text_items(
        [
            (
                f"item {position} ({element.get('guid') or xml.local(element.tag)})",
                _candidate(element, header, filename),
            )
            for position, element in enumerate(elements, start=1)
        ],
        what="the news message",
        empty="its itemSet is empty",
        filename=filename,
    )


@story.guarded("the document")
def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield the story items of a NewsML-G2 document."""
    root = xml.parse(data, filename=filename)
    kind = xml.local(root.tag)
    if kind == "newsMessage":
        yield from _message(root, filename)
    elif kind == "newsItem":
        yield item_of(root, filename=filename)
    elif kind in _NOT_STORIES:
        raise FormatError(f"not a story: this NewsML-G2 document is {_NOT_STORIES[kind]}", filename=filename)
    elif kind == "contentSet":
        # The guidelines show a contentSet alone; its text is a story without an envelope.
        yield item_of(root_as_item(root), filename=filename)
    else:
        raise FormatError(f"a part of a NewsML-G2 document (<{kind}>), not a whole news item", filename=filename)


def root_as_item(content_set: Element) -> Element:
    """Return a bare News Item holding `content_set`, so a lone contentSet reads like an item without metadata."""
    item = Element("newsItem")
    item.append(content_set)
    return item
