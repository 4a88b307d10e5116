"""What every format reader yields: one incoming item, its agency envelope and the parsed story.

Pure: no Django, no I/O. The story is the same `WireArticle` the plain-text parser makes; the envelope
carries what agencies send around the text (guid, version, status, embargo, priority, subjects, pictures)
and what a WordPress export adds (sections, permalink, publication state).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from articles.interchange.wire import WireArticle, WireError

# How large one incoming file may be before a reader refuses it unread.
MAX_FILE_BYTES = 20_000_000

PubStatus = Literal["usable", "withheld", "canceled"]


class FormatError(WireError):
    """An incoming file no reader can take: unknown format, malformed, too large, or hostile."""


@dataclass(frozen=True)
class Subject:
    """A subject code or keyword: an IPTC Media Topic, a category, a WordPress tag."""

    name: str
    code: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class Picture:
    """A picture that comes with the item: where it is, and its words."""

    href: str | None
    caption: str = ""
    credit: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class SectionRef:
    """A section the source files the story under (WordPress categories): slug path and name."""

    path: str
    name: str


@dataclass(frozen=True)
class IncomingItem:
    """One story as an agency or another system sent it."""

    format: str
    story: WireArticle
    guid: str | None = None
    version: int | None = None
    # The guid of the version this one replaces (NewsML-G2 link rel="…previousVersion").
    replaces: str | None = None
    pub_status: PubStatus = "usable"
    embargo: datetime | None = None
    priority: int | None = None
    urgency: int | None = None
    slugline: str | None = None
    credit: str | None = None
    provider: str | None = None
    language: str | None = None
    sent_at: datetime | None = None
    editorial_note: str | None = None
    subjects: tuple[Subject, ...] = ()
    pictures: tuple[Picture, ...] = ()
    sections: tuple[SectionRef, ...] = ()
    # WordPress: the old public address (kept as a redirect), and whether the post was published there.
    permalink: str | None = None
    published_at: datetime | None = None
    source_published: bool = False
    extra: dict = field(default_factory=dict, compare=False)
