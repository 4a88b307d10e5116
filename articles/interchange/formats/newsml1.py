"""NewsML 1.x (IPTC, as AFP sends it): NewsItems in a NewsML envelope, text as NITF, XHTML or plain text.

Pure: no Django. `Identification/NewsIdentifier` gives the guid and revision, `NewsManagement` the status,
urgency and times, `NewsComponent/NewsLines` the headline, byline, dateline and credit, and
`DescriptiveMetadata` the subjects. Components holding photos become pictures with their captions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from xml.etree.ElementTree import Element

from articles.interchange.formats import story, xml
from articles.interchange.formats.body import Body, read_body, read_text
from articles.interchange.formats.items import FormatError, IncomingItem, Picture, Subject
from articles.interchange.formats.nitf import StoryParts, carried_bylines, story_parts
from articles.interchange.formats.xml import child, children

FORMAT = "newsml1"

_STATUSES = {"usable": "usable", "embargoed": "usable", "withheld": "withheld", "canceled": "canceled"}
_PICTURE_KINDS = frozenset({"photo", "graphic", "image", "picture"})
_PICTURE_ROLES = frozenset({"photo", "picture", "image", "graphic", "illustration"})
# A PublicIdentifier ends in the revision number and update flag: urn:newsml:provider:date:item:2N
_REVISION_SUFFIX = re.compile(r":\d+[A-Z]?$")


def sniff(data: bytes, root: str | None) -> bool:
    """Tell whether the document is NewsML 1: its first element is <NewsML>."""
    return root == "NewsML"


def _formal(element: Element | None) -> str:
    """Return an element's FormalName attribute (NewsML 1 puts most values there)."""
    return (element.get("FormalName") or "").strip() if element is not None else ""


def _components(component: Element) -> Iterator[Element]:
    """Yield `component` and every NewsComponent inside it, in document order."""
    for inner in component.iter():
        if isinstance(inner.tag, str) and xml.local(inner.tag) == "NewsComponent":
            yield inner


def _kind(content_item: Element) -> str:
    """Return what a ContentItem holds ("text", "photo", …) from its MediaType, else its MIME type."""
    media = _formal(child(content_item, "MediaType")).lower()
    if media:
        return media
    mime = _formal(child(content_item, "MimeType")).lower()
    return mime.split("/", 1)[0] if mime else "text"


def _role(component: Element) -> str:
    """Return the role a component plays (Main, Caption, Photo …), lower-cased."""
    return _formal(child(component, "Role")).lower()


def _text_of_item(content_item: Element) -> tuple[Body, StoryParts | None]:
    """Return the body a text ContentItem's DataContent holds (NITF, XHTML or plain text)."""
    data = child(content_item, "DataContent")
    if data is None:
        return Body(), None
    nitf = next((e for e in data.iter() if isinstance(e.tag, str) and xml.local(e.tag) == "nitf"), None)
    if nitf is not None:
        parts = story_parts(nitf)
        return Body(blocks=parts.blocks, pictures=parts.pictures), parts
    if len(data):
        return read_body(data), None
    return read_text(data.text or ""), None


def _media_items(component: Element) -> list[tuple[str, Element]]:
    """Return the role and ContentItem of every rendition inside a component, leaving out caption components."""
    skipped: set[int] = set()
    items = []
    for inner in _components(component):
        if id(inner) in skipped:
            continue
        if _role(inner) == "caption":
            skipped.update(id(nested) for nested in _components(inner))
            continue
        items.extend((_role(inner), item) for item in children(inner, "ContentItem"))
    return items


def _picture(component: Element) -> Picture | None:
    """Return the picture a photo component carries (any renditions inside), with the caption and credit beside it."""
    items = _media_items(component)
    kinds = [_kind(item) for _, item in items]
    is_photo = bool(kinds) and "text" not in kinds and any(kind in _PICTURE_KINDS for kind in kinds)
    if not is_photo and _role(component) not in _PICTURE_ROLES:
        return None
    # The high-resolution rendition when there are several, else the first with an address.
    ranked = sorted((role.find("high") < 0, position, item) for position, (role, item) in enumerate(items))
    href = next((item.get("Href") for _, _, item in ranked if item.get("Href")), None)
    caption = ""
    for inner in _components(component):
        if _role(inner) == "caption":
            caption = " ".join(xml.text_of(child(item, "DataContent")) for item in children(inner, "ContentItem"))
            break
    lines = [child(inner, "NewsLines") for inner in _components(component)]
    caption = caption.strip() or next((xml.text_of(child(line, "HeadLine")) for line in lines if line is not None), "")
    credit = next(
        (xml.text_of(child(line, "CreditLine")) for line in lines if xml.text_of(child(line, "CreditLine"))), None
    )
    return Picture(href=href, caption=caption, credit=credit)


def _content(top: Element) -> tuple[Body, StoryParts | None, list[Picture]]:
    """Return the story text of a NewsComponent tree, the NITF parts if any, and its pictures."""
    body, parts, pictures = Body(), None, []
    inside_pictures: set[int] = set()
    for component in _components(top):
        if id(component) in inside_pictures:
            continue
        picture = _picture(component) if component is not top else None
        if picture is not None:
            pictures.append(picture)
            inside_pictures.update(id(inner) for inner in _components(component))
            continue
        if body.blocks or _role(component) == "caption":
            continue
        for item in children(component, "ContentItem"):
            if _kind(item) == "text":
                body, parts = _text_of_item(item)
                if body.blocks:
                    break
    return body, parts, pictures + body.pictures


def _subjects(top: Element) -> list[Subject]:
    """Return the subject codes and keywords of every DescriptiveMetadata in the item."""
    subjects = []
    for meta in (e for e in top.iter() if isinstance(e.tag, str) and xml.local(e.tag) == "DescriptiveMetadata"):
        for code in children(meta, "SubjectCode"):
            for subject in code:
                value = _formal(subject)
                if isinstance(subject.tag, str) and value:
                    subjects.append(Subject(name=value, code=value, scheme=subject.get("Scheme") or "subj"))
        for prop in children(meta, "Property"):
            if _formal(prop).lower() == "keyword" and (prop.get("Value") or "").strip():
                subjects.append(Subject(name=prop.get("Value", "").strip()))
    return subjects


def _guid(identifier: Element | None) -> tuple[str | None, int | None]:
    """Return the guid shared by every revision (the PublicIdentifier less its revision) and the revision."""
    revision = xml.text_of(child(identifier, "RevisionId"))
    public = xml.text_of(child(identifier, "PublicIdentifier"))
    if not public and identifier is not None:
        parts = [xml.text_of(child(identifier, name)) for name in ("ProviderId", "DateId", "NewsItemId")]
        public = "urn:newsml:" + ":".join(parts) if all(parts) else ""
    guid = _REVISION_SUFFIX.sub("", public) if revision else public
    return guid or None, story.whole_number(revision)


def item_of(news_item: Element, *, filename: str | None, envelope: dict) -> IncomingItem:
    """Return the incoming item of one NewsItem, or refuse it with the reason."""
    management = child(news_item, "NewsManagement")
    status_name = _formal(child(management, "Status")).lower()
    status = _STATUSES.get(status_name, "usable")
    component = child(news_item, "NewsComponent")
    if component is None:
        component = Element("NewsComponent")
    body, parts, pictures = _content(component)
    if not body.blocks and status == "usable":
        raise FormatError("the NewsML item carries no text (no ContentItem with text)", filename=filename)
    lines = child(component, "NewsLines")
    names, titles = carried_bylines(children(lines, "ByLine"), parts)
    admin = child(component, "AdministrativeMetadata")
    identifier = child(child(news_item, "Identification"), "NewsIdentifier")
    provider = _formal(child(child(admin, "Provider"), "Party")) or xml.text_of(child(identifier, "ProviderId"))
    credit = xml.text_of(child(lines, "CreditLine")) or provider or None
    slugline = xml.text_of(child(lines, "SlugLine")) or None
    article = story.build_story(
        headline=xml.text_of(child(lines, "HeadLine")) or (parts.headline if parts else ""),
        dek=xml.text_of(child(lines, "SubHeadLine")) or (parts.dek if parts else None),
        blocks=body.blocks,
        lead=story.lead_picture(pictures),
        dateline=xml.text_of(child(lines, "DateLine")) or (parts.dateline if parts else None),
        source=credit,
        bylines=names,
        slugline=slugline,
    )
    guid, version = _guid(identifier)
    embargo = None
    will_change = child(management, "StatusWillChange")
    if will_change is not None:
        embargo = story.moment(
            xml.text_of(child(will_change, "DateAndTime")), what="StatusWillChange", filename=filename
        )
    if status_name == "embargoed" and embargo is None:
        status = "withheld"  # embargoed with no time given: held until a time is sent
    urgency = _formal(child(management, "Urgency"))
    language = _formal(next((e for e in component.iter() if xml.local(str(e.tag)) == "Language"), None))
    extra: dict = {"first_created": story.lenient_moment(xml.text_of(child(management, "FirstCreated")))}
    if titles:
        extra["byline_titles"] = titles
    return IncomingItem(
        format=FORMAT,
        story=article,
        guid=guid,
        version=version,
        pub_status=status,  # type: ignore[arg-type]
        embargo=embargo,
        priority=envelope.get("priority"),
        urgency=story.whole_number(urgency, most=9),
        slugline=slugline,
        credit=credit,
        provider=provider or None,
        language=language or news_item.get("{http://www.w3.org/XML/1998/namespace}lang"),
        sent_at=story.lenient_moment(xml.text_of(child(management, "ThisRevisionCreated"))) or envelope.get("sent"),
        subjects=story.unique_subjects(_subjects(component)),
        pictures=tuple(pictures),
        extra=extra,
    )


@story.guarded("the document")
def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield the story items of a NewsML 1 document; refuse it, saying why, when none carries text."""
    root = xml.document(data, root="NewsML", what="NewsML 1", filename=filename)
    envelope_element = child(root, "NewsEnvelope")
    priority = _formal(child(envelope_element, "Priority"))
    envelope = {
        "sent": story.lenient_moment(xml.text_of(child(envelope_element, "DateAndTime"))),
        "priority": story.whole_number(priority, most=9),
    }
    yield from story.text_items(
        [
            (f"item {position}", partial(item_of, news_item, filename=filename, envelope=envelope))
            for position, news_item in enumerate(children(root, "NewsItem"), start=1)
        ],
        what="the NewsML document",
        empty="it holds no NewsItem",
        filename=filename,
    )
