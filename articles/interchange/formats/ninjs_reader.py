"""IPTC ninjs 1.x, 2.x and 3.x news items in, whichever version a partner sends.

Pure: no Django (articles/interchange/ninjs.py is the desk's own 3.1 import and export, with the ORM).
The versions name the same things differently: 1.x `headline`, `byline`, `body_html`, `subject`, an
associations object; 2.x `headlines`, `by`, `bodies`, `subjects`, an associations list; 3.x the 2.x
names in camelCase (`versionCreated`, `embargoedUntil`). Property names are compared case-folded, so one
reading serves all three. A file holds one item, a list of items, or an object with an "items" list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from articles.interchange import wire
from articles.interchange.formats.html_blocks import html_blocks
from articles.interchange.formats.items import FormatError, IncomingItem, Picture, Subject
from articles.interchange.formats.story import (
    build_story,
    byline_names,
    guarded,
    lead_picture,
    lenient_moment,
    paragraph_blocks,
)

FORMAT = "ninjs"

# Properties that only a news item has, beside its uri or guid.
_ITEM_KEYS = frozenset(
    {"type", "version", "versioncreated", "headline", "headlines", "bodies", "body_text", "body_html", "pubstatus"}
)
_STATUSES = frozenset({"usable", "withheld", "canceled"})
_DEK_ROLES = frozenset({"", "summary", "abstract", "standfirst", "description", "lead", "teaser"})
_AUTHOR_RELS = ("author", "creator", "writer", "by")


def sniff(data: bytes, root: str | None) -> bool:
    """Claim JSON whose (first) object is a news item: a uri or guid and one of the item properties."""
    if root is not None or data.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        items = _items(_load(data))
    except (FormatError, ValueError):
        return False
    first = items[0] if items else None
    return isinstance(first, dict) and ("uri" in first or "guid" in first) and bool(_ITEM_KEYS & first.keys())


@guarded("ninjs")
def read(data: bytes, *, filename: str | None = None) -> Iterator[IncomingItem]:
    """Yield the items of a ninjs document."""
    items = _items(_load(data))
    if not items:
        raise FormatError("a ninjs document without items", filename=filename)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise FormatError(f"item {number} is not a JSON object", filename=filename)
        yield _item(item, number, filename)


def _load(data: bytes) -> Any:
    """Parse the JSON with its property names case-folded; refuse what is not JSON."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 JSON (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise FormatError(f"malformed JSON: {exc.msg}", line=exc.lineno) from exc
    except RecursionError as exc:
        raise FormatError("malformed JSON: nested too deeply") from exc
    return _fold(document)


def _fold(value: Any, depth: int = 0) -> Any:
    """Return the JSON value with every property name lower-cased (3.x camelCase reads as 2.x)."""
    if depth > 40:
        raise FormatError("JSON nested more than 40 levels deep")
    if isinstance(value, dict):
        return {str(key).lower(): _fold(inner, depth + 1) for key, inner in value.items()}
    if isinstance(value, list):
        return [_fold(inner, depth + 1) for inner in value]
    return value


def _items(document: Any) -> list:
    """Return the items of a document: one item, a list, or a wrapper holding "items" (or "item")."""
    if isinstance(document, dict):
        for key in ("items", "item"):
            if isinstance(document.get(key), list) and not ("uri" in document or "guid" in document):
                return document[key]
        return [document]
    if isinstance(document, list):
        return document
    raise FormatError("a ninjs document is a JSON object or a list of them")


def _text(value: Any) -> str:
    """Return a string property as collapsed text, anything else as ""."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _list(value: Any) -> list[dict]:
    """Return the objects of a list property (a 1.x object of named entries counts as its values)."""
    if isinstance(value, dict):
        value = [dict(inner, name=inner.get("name", key)) for key, inner in value.items() if isinstance(inner, dict)]
    return [inner for inner in value if isinstance(inner, dict)] if isinstance(value, list) else []


def _item(item: dict, number: int, filename: str | None) -> IncomingItem:
    """Read one news item."""
    guid = _text(item.get("uri")) or _text(item.get("guid"))
    if not guid:
        raise FormatError(f"item {number} has no uri or guid", filename=filename)
    headline = _headline(item) or _text(item.get("slugline"))
    if not headline:
        raise FormatError(f"item {number} ({guid}) has no headline", filename=filename)
    blocks, inline = _body(item)
    pictures = _pictures(item) + inline
    lead = lead_picture(pictures)
    located = _text(item.get("located")) or None
    story = build_story(
        headline=headline,
        dek=_dek(item),
        blocks=blocks,
        lead=lead,
        dateline=located,
        bylines=_bylines(item),
    )
    status = _text(item.get("pubstatus")).lower()
    return IncomingItem(
        format=FORMAT,
        story=story,
        guid=guid,
        version=_int(item.get("version")),
        pub_status=status if status in _STATUSES else "usable",  # type: ignore[arg-type]
        embargo=lenient_moment(item.get("embargoeduntil") or item.get("embargoed")),
        priority=_int(item.get("priority")),
        urgency=_int(item.get("urgency")),
        slugline=_text(item.get("slugline")) or None,
        credit=_text(item.get("copyrightholder")) or _text(item.get("source")) or story.source,
        provider=_text(item.get("source")) or None,
        language=_text(item.get("language")) or None,
        sent_at=lenient_moment(item.get("versioncreated") or item.get("firstcreated")),
        editorial_note=_text(item.get("ednote")) or None,
        subjects=_subjects(item),
        pictures=tuple(pictures),
        extra={"places": [p for p in (_text(place.get("name")) for place in _places(item)) if p]},
    )


def _int(value: Any) -> int | None:
    """Read a number sent as a number or a string of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = _text(value)
    return int(text) if text.isdigit() and len(text) < 12 else None


def _headline(item: dict) -> str:
    """Return the main headline: 2.x/3.x `headlines` (role main first), else 1.x `headline`."""
    headlines = [entry for entry in _list(item.get("headlines")) if _text(entry.get("value"))]
    main = [entry for entry in headlines if _text(entry.get("role")).lower() in ("", "main")]
    chosen = (main or headlines)[:1]
    return _text(chosen[0].get("value")) if chosen else _text(item.get("headline"))


def _dek(item: dict) -> str | None:
    """Return the standfirst: a summary-like description, or 1.x description_text / description_html."""
    for entry in _list(item.get("descriptions")):
        if _text(entry.get("role")).lower() in _DEK_ROLES and _text(entry.get("value")):
            return _plain(entry.get("value"), entry.get("contenttype"))
    if _text(item.get("description_text")):
        return _text(item.get("description_text"))
    if _text(item.get("description_html")):
        return _plain(item["description_html"], "text/html")
    # A sub headline stands in for a missing standfirst.
    sub = [entry for entry in _list(item.get("headlines")) if _text(entry.get("role")).lower() == "sub"]
    return _text(sub[0].get("value")) or None if sub else None


def _plain(value: Any, content_type: Any) -> str:
    """Return the words of a value that may be HTML."""
    if "html" in _text(content_type).lower() or "<" in _text(value):
        blocks, _ = html_blocks(_text(value))
        return " ".join(block.text or " ".join(block.items) for block in blocks)
    return _text(value)


def _body(item: dict) -> tuple[list[wire.Block], list[Picture]]:
    """Return the body blocks: HTML (bodies, body_html, body_xhtml) before plain text."""
    bodies = [entry for entry in _list(item.get("bodies")) if isinstance(entry.get("value"), str)]
    for entry in bodies:
        kind = (_text(entry.get("contenttype")) + _text(entry.get("role"))).lower()
        if "html" in kind:
            return html_blocks(entry["value"])
    for key in ("body_html", "body_xhtml"):
        if isinstance(item.get(key), str) and item[key].strip():
            return html_blocks(item[key])
    text = bodies[0]["value"] if bodies else item.get("body_text")
    if isinstance(text, str):
        return _text_blocks(text), []
    return [], []


def _text_blocks(text: str) -> list[wire.Block]:
    """Split plain body text into paragraphs: at blank lines, or at line breaks when there are none."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = text.split("\n\n") if "\n\n" in text else text.split("\n")
    return paragraph_blocks(chunks)


def _bylines(item: dict) -> list[str]:
    """Return the authors: people with an author relation, else the by/byline statement, else Superdesk's authors."""
    people = [
        _text(person.get("name"))
        for person in _list(item.get("people")) + _list(item.get("person"))
        if _text(person.get("rel")).lower().startswith(_AUTHOR_RELS) and _text(person.get("name"))
    ]
    if people:
        return people
    statement = _text(item.get("by")) or _text(item.get("byline"))
    if statement:
        return byline_names(statement.removeprefix("By ").removeprefix("BY "))
    return [_text(author.get("name")) for author in _list(item.get("authors")) if _text(author.get("name"))]


def _subjects(item: dict) -> tuple[Subject, ...]:
    """Return the subjects (1.x `subject`, 2.x/3.x `subjects`) with their codes and schemes."""
    found = []
    for entry in _list(item.get("subjects")) + _list(item.get("subject")):
        name = _text(entry.get("name"))
        code = _text(entry.get("code")) or _text(entry.get("literal")) or _text(entry.get("uri")) or None
        if name or code:
            found.append(Subject(name=name or code or "", code=code, scheme=_text(entry.get("scheme")) or None))
    return tuple(dict.fromkeys(found))


def _places(item: dict) -> list[dict]:
    """Return the place objects (1.x `place`, 2.x/3.x `places`)."""
    return _list(item.get("places")) + _list(item.get("place"))


def _pictures(item: dict) -> list[Picture]:
    """Return the associated pictures, the feature picture first."""
    pictures = []
    for association in _list(item.get("associations")):
        kind = _text(association.get("type")).lower()
        if kind not in ("picture", "image", "graphic"):
            continue
        picture = Picture(
            href=_rendition(association) or _text(association.get("uri")) or None,
            caption=_described(association, ("caption",)) or _dek(association) or _headline(association),
            credit=_text(association.get("by"))
            or _text(association.get("byline"))
            or _text(association.get("copyrightholder"))
            or None,
            alt=_described(association, ("alt", "alternative", "alttext")) or None,
        )
        feature = _text(association.get("name")).lower() in ("featureimage", "featuremedia", "main", "lead")
        pictures.insert(0, picture) if feature else pictures.append(picture)
    return pictures


def _rendition(association: dict) -> str | None:
    """Return the href of the largest rendition (an "original" or "baseimage" one when named)."""
    renditions = [entry for entry in _list(association.get("renditions")) if _text(entry.get("href"))]
    if not renditions:
        return None
    named = [entry for entry in renditions if _text(entry.get("name")).lower() in ("original", "baseimage")]
    best = max(named or renditions, key=lambda entry: _int(entry.get("width")) or 0)
    return _text(best.get("href"))


def _described(association: dict, roles: tuple[str, ...]) -> str:
    """Return the text of the first description with one of `roles` ("caption", "alt"), or ""."""
    for entry in _list(association.get("descriptions")):
        if _text(entry.get("role")).lower() in roles:
            return _plain(entry.get("value"), entry.get("contenttype"))
    return ""
