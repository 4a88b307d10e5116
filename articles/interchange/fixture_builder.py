"""Turn parsed wire copy into a deterministic `loaddata` fixture with natural keys throughout."""

from __future__ import annotations

import hashlib
import html
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from articles.core import limits
from articles.core.sanitize import clean_html
from articles.core.text import ascii_slug, search_url, title_key
from articles.core.timefmt import iso_utc
from articles.core.weburl import checked_url
from articles.interchange import provenance
from articles.interchange.formats.items import IncomingItem, Picture, SectionRef
from articles.interchange.wire import Block, WireArticle, WireError

GUID_NAMESPACE = uuid.UUID("6f1c1f0e-7f0a-5b1e-9d5c-4e65777372f0")


@dataclass(frozen=True)
class Source:
    """One wire file: its identifier (the file name without extension) and its parsed copy.

    What an agency sends around the copy, when the story comes from the incoming queue: topics that
    become tags beside the copy's places and organisations, the embargo, and the agency's credit.
    """

    source_id: str
    article: WireArticle
    filename: str
    topics: tuple[str, ...] = ()
    embargo: datetime | None = None
    credit: str | None = None
    # What another system (a WordPress export) files the story under, the pictures that come with it,
    # its old public address (kept as a redirect), and when and whether it was published there.
    sections: tuple[SectionRef, ...] = ()
    pictures: tuple[Picture, ...] = ()
    permalink: str | None = None
    published_at: datetime | None = None
    source_published: bool = False


@dataclass(frozen=True)
class BuildOptions:
    section_path: str = "news"
    section_names: tuple[tuple[str, str], ...] = ()
    published_at: datetime | None = None
    # Stories their source had published load published at the source's time (a WordPress move);
    # the others load as drafts. Without it every story loads as a draft (or at published_at).
    keep_source_status: bool = False
    # Slugs other stories hold already (the database's, when one story is made from the queue).
    taken_slugs: frozenset[str] = frozenset()


def source_of_item(item: IncomingItem, *, source_id: str, filename: str) -> Source:
    """Return the builder's source for an incoming item: its copy, and the topics, embargo and credit around it."""
    return Source(
        source_id=source_id,
        article=item.story,
        filename=filename,
        topics=tuple(subject.name for subject in item.subjects),
        embargo=aware(item.embargo),
        credit=item.provider or item.credit,
        sections=item.sections,
        pictures=item.pictures,
        permalink=item.permalink,
        published_at=aware(item.published_at),
        source_published=item.source_published,
    )


def aware(moment: datetime | None) -> datetime | None:
    """Return a time with a zone: a reader's time without one is read as UTC, as the formats' specs say."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def fallback_id(stem: str, number: int) -> str:
    """Return the wire id of the number-th item of a file whose items carry no guid: its name, then numbered."""
    return stem if number == 1 else f"{stem}-{number}"


def article_guid(source_id: str) -> str:
    """Return the permanent guid of the story a wire id carries."""
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, source_id)}"


def body_html(blocks: Sequence[Block]) -> str:
    """Return the sanitized HTML body for parsed blocks, one top-level element per block."""
    parts = []
    for block in blocks:
        if block.kind == "subheading":
            parts.append(f"<h2>{html.escape(block.text, quote=False)}</h2>")
        elif block.kind == "list":
            items = "".join(f"<li>{html.escape(item, quote=False)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{html.escape(block.text, quote=False)}</p>")
    return clean_html("\n".join(parts))


def _fail(source: Source, message: str, line: int | None = None) -> WireError:
    return WireError(message, line=line, filename=source.filename)


def _check_length(source: Source, what: str, value: str, limit: int, line: int | None = None) -> None:
    if len(value) > limit:
        raise _fail(source, f"{what} is {len(value)} characters long; the limit is {limit}", line)


def _person(
    people: dict[str, dict], source: Source, name: str, *, title: str | None = None, aliases: Sequence[str] = ()
) -> str:
    """Record a person once per slug across all sources and return the slug ("" for an unusable name)."""
    _check_length(source, f"the name {name[:40]!r}", name, limits.PERSON_NAME_MAX_LENGTH)
    slug = ascii_slug(name, max_length=limits.PERSON_SLUG_MAX_LENGTH)
    if not slug:
        return ""
    record = people.setdefault(slug, {"name": name, "slug": slug, "job_title": "", "aliases": set()})
    if not record["job_title"] and title:
        record["job_title"] = title[: limits.JOB_TITLE_MAX_LENGTH]
    record["aliases"].update(alias for alias in (name, *aliases) if alias != record["name"])
    return slug


def section_rows(options: BuildOptions, sources: Sequence[Source] = ()) -> list[dict]:
    """Return the section rows for the target path and the sources' own sections, parents first."""
    names = dict(options.section_names)
    for source in sources:
        for section in source.sections:
            names.setdefault(section.path, section.name)
    rows: dict[str, dict] = {}
    paths = [options.section_path, *(section.path for source in sources for section in source.sections)]
    for wanted in paths:
        segments = [s for s in wanted.strip("/").split("/") if s]
        for depth in range(len(segments)):
            path = "/".join(segments[: depth + 1])
            slug = segments[depth]
            fields = {
                "name": names.get(path) or slug.replace("-", " ").title(),
                "slug": slug,
                "path": path,
                "parent": ["/".join(segments[:depth])] if depth else None,
                "description": "",
                "position": 0,
            }
            rows.setdefault(path, {"model": "articles.section", "fields": fields})
    return list(rows.values())


def _section_of(source: Source, default_path: str) -> str:
    """Return the path of the section a story goes in: its source's first, else the build's."""
    if not source.sections:
        return default_path
    path = "/".join(s for s in source.sections[0].path.strip("/").split("/") if s)
    for slug in path.split("/"):
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug) or len(slug) > limits.SECTION_SLUG_MAX_LENGTH:
            raise _fail(source, f"the section {source.sections[0].name!r} has no usable address ({path!r})")
    return path or default_path


def _old_address(source: Source) -> str | None:
    """Return the path of the story's old public address (a WordPress permalink), kept as a redirect."""
    if not source.permalink:
        return None
    path = urlsplit(source.permalink).path
    if not path or path == "/":
        return None
    _check_length(source, "the old address", path, limits.REDIRECT_PATH_MAX_LENGTH)
    return path


# The fields of each row whose values the import record digests (articles/interchange/reimport.py OWNED says why).
ARTICLE_OWNED = (
    "headline",
    "slug",
    "dek",
    "body",
    "primary_section",
    "lead_image",
    "lead_image_caption",
    "published_at",
    "updated_at",
    "embargo_until",
    "dateline",
    "source",
    "source_id",
    "seo_title",
    "seo_description",
)
PERSON_OWNED = ("name", "job_title", "affiliation", "bio", "photo", "aliases")
IMAGE_OWNED = ("file", "alt_text", "caption", "credit")
TIME_FIELDS = frozenset({"published_at", "updated_at", "embargo_until"})


def _record(fields: dict, owned: Sequence[str], **more: object) -> dict:
    """Return the import record of a fixture row: a digest of each owned value as the database will hold it."""
    values: dict[str, object] = {}
    for name in owned:
        value = fields[name]
        if name in TIME_FIELDS and value is not None:
            value = provenance.moment_text(datetime.fromisoformat(value))
        values[name] = value
    values.update(more)
    return provenance.record_of(values)


def _story_record(
    fields: dict, authorships: list[dict], mentions: list[dict], tagged: list[dict], links: list[dict]
) -> dict:
    """Return a story's import record: its own fields and its lists of bylines, mentions, tags and links."""
    lists = {
        "authorships": provenance.rows(
            (row["fields"]["person"][0], row["fields"]["role"], row["fields"]["position"]) for row in authorships
        ),
        "mentions": provenance.rows(
            (row["fields"]["person"][0], row["fields"]["title"], row["fields"]["position"]) for row in mentions
        ),
        "tags": sorted(row["fields"]["tag"][0] for row in tagged),
        "related_links": provenance.rows(
            (
                row["fields"]["position"],
                row["fields"]["kind"],
                row["fields"]["title"],
                row["fields"]["target_article"][0] if row["fields"]["target_article"] else None,
                row["fields"]["url"],
                row["fields"]["anchor_block"],
            )
            for row in links
        ),
    }
    return _record(fields, ARTICLE_OWNED, **lists)


def build(sources: Iterable[Source], options: BuildOptions) -> list[dict]:
    """Return fixture objects for the sources; the same input always gives the same list."""
    sources = sorted(sources, key=lambda s: s.source_id)
    if not sources:
        raise WireError("no wire copy was given")
    seen_ids: dict[str, str] = {}
    for source in sources:
        if source.source_id in seen_ids:
            raise _fail(source, f"the wire id {source.source_id!r} is also used by {seen_ids[source.source_id]}")
        seen_ids[source.source_id] = source.filename

    section_path = "/".join(s for s in options.section_path.strip("/").split("/") if s)
    guids = {s.source_id: article_guid(s.source_id) for s in sources}
    by_headline = {title_key(s.article.headline): guids[s.source_id] for s in sources}

    people: dict[str, dict] = {}
    tags: dict[str, str] = {}  # slug -> name; the first spelling of a tag wins
    tag_names_by_slug: dict[str, str] = {}
    images, articles, authorships, mentions, tagged, links, redirects = [], [], [], [], [], [], []
    used_slugs: set[str] = set(options.taken_slugs)

    for source in sources:
        wire = source.article
        guid = guids[source.source_id]
        _check_length(
            source,
            "the wire id (the file's name, or the agency's guid)",
            source.source_id,
            limits.SOURCE_ID_MAX_LENGTH,
        )
        _check_length(source, "the dateline", wire.dateline or "", limits.DATELINE_MAX_LENGTH)
        credit = source.credit or wire.source or ""
        _check_length(source, "the source credit", credit, limits.SOURCE_MAX_LENGTH)

        slug = ascii_slug(wire.headline) or "story"
        if slug in used_slugs:
            slug = f"{slug}-{hashlib.sha256(guid.encode()).hexdigest()[:6]}"
        used_slugs.add(slug)

        lead_key = None
        if wire.lead_image is not None:
            lead_key = "wire-" + hashlib.sha256(f"{guid}#lead".encode()).hexdigest()[:24]
            _check_length(
                source,
                "the picture credit",
                wire.lead_image.credit or "",
                limits.CREDIT_MAX_LENGTH,
                wire.lead_image.line,
            )
            images.append(
                {
                    "model": "articles.image",
                    "fields": {
                        "key": lead_key,
                        "file": "",
                        "alt_text": "",
                        "caption": wire.lead_image.caption,
                        "credit": wire.lead_image.credit or "",
                        "created_at": iso_utc(options.published_at) or "2000-01-01T00:00:00Z",
                    },
                }
            )
            images[-1]["fields"]["import_record"] = _record(images[-1]["fields"], IMAGE_OWNED, renditions=[])

        for picture in source.pictures:
            # Pictures beyond the lead (WordPress attachments) go to the library with their words;
            # where each one lives is kept in the import record.
            if wire.lead_image is not None and picture.caption == wire.lead_image.caption:
                continue
            key = "wire-" + hashlib.sha256(f"{guid}#{picture.href or picture.caption}".encode()).hexdigest()[:24]
            _check_length(source, "a picture credit", picture.credit or "", limits.CREDIT_MAX_LENGTH)
            fields = {
                "key": key,
                "file": "",
                "alt_text": (picture.alt or "")[: limits.ALT_TEXT_MAX_LENGTH],
                "caption": picture.caption,
                "credit": picture.credit or "",
                "created_at": iso_utc(options.published_at) or "2000-01-01T00:00:00Z",
            }
            fields["import_record"] = _record(fields, IMAGE_OWNED, renditions=[], location=picture.href or "")
            images.append({"model": "articles.image", "fields": fields})

        published = options.published_at
        if published is None and options.keep_source_status and source.source_published:
            published = source.published_at
        old_address = _old_address(source)
        if old_address:
            redirects.append(
                {
                    "model": "articles.articleredirect",
                    "fields": {
                        "old_path": old_address,
                        "article": [guid],
                        "created_at": iso_utc(published) or "2000-01-01T00:00:00Z",
                    },
                }
            )
        story = {
            "model": "articles.article",
            "fields": {
                "guid": guid,
                "headline": wire.headline,
                "headline_key": title_key(wire.headline),
                "slug": slug,
                "dek": wire.dek or "",
                "body": body_html(wire.blocks),
                "primary_section": [_section_of(source, section_path)],
                "lead_image": [lead_key] if lead_key else None,
                "lead_image_caption": "",
                "status": "published" if published else "draft",
                "published_at": iso_utc(published),
                "updated_at": iso_utc(published),
                "embargo_until": iso_utc(source.embargo),
                "dateline": wire.dateline or "",
                "source": credit,
                "source_id": source.source_id,
                "seo_title": "",
                "seo_description": "",
                "version": 1,
                "last_modified": iso_utc(published) or "2000-01-01T00:00:00Z",
            },
        }
        articles.append(story)
        first_child = (len(authorships), len(mentions), len(tagged), len(links))

        for position, byline in enumerate(wire.bylines):
            person_slug = _person(people, source, byline.name)
            if person_slug:
                authorships.append(
                    {
                        "model": "articles.authorship",
                        "fields": {
                            "article": [guid],
                            "person": [person_slug],
                            "role": byline.role,
                            "position": position,
                        },
                    }
                )

        for position, person in enumerate(wire.people):
            person_slug = _person(people, source, person.name, title=person.title, aliases=person.aliases)
            if not person_slug:
                continue
            mentions.append(
                {
                    "model": "articles.mention",
                    "fields": {
                        "article": [guid],
                        "person": [person_slug],
                        "title": (person.title or "")[: limits.MENTION_TITLE_MAX_LENGTH],
                        "position": position,
                    },
                }
            )

        article_tags: list[str] = []
        for name in (*wire.places, *wire.organisations, *source.topics):
            name = name.strip()
            tag_slug = ascii_slug(name, max_length=limits.TAG_MAX_LENGTH)
            if not name or not tag_slug or len(name) > limits.TAG_MAX_LENGTH:
                continue
            if tag_slug not in tag_names_by_slug:
                tag_names_by_slug[tag_slug] = name
                tags[tag_slug] = name
            canonical = tag_names_by_slug[tag_slug]
            if canonical not in article_tags:
                article_tags.append(canonical)
        for name in article_tags:
            tagged.append({"model": "articles.taggedarticle", "fields": {"content_object": [guid], "tag": [name]}})

        block_count = len(wire.blocks)
        for position, related in enumerate(wire.related):
            title = related.title.strip()
            _check_length(source, "a related title", title, limits.LINK_TITLE_MAX_LENGTH, related.line)
            target = by_headline.get(title_key(title))
            # "Read more" lines stay where the copy put them, even after the last paragraph; a labelled
            # list of titles closing the copy ("Related Stories") is listed under the story instead.
            inline = related.after_block < block_count or related.label.casefold().startswith("read more")
            # Through the check loaddata applies, so a built fixture is never refused for its links.
            url = "" if target and target != guid else checked_url(search_url(title))
            links.append(
                {
                    "model": "articles.relatedlink",
                    "fields": {
                        "article": [guid],
                        "position": position,
                        "kind": "read_more" if inline else "related",
                        "title": title,
                        "target_article": [target] if target and target != guid else None,
                        "url": url,
                        "anchor_block": related.after_block if inline else None,
                    },
                }
            )

        story["fields"]["import_record"] = _story_record(
            story["fields"],
            authorships[first_child[0] :],
            mentions[first_child[1] :],
            tagged[first_child[2] :],
            links[first_child[3] :],
        )

    person_rows = []
    for slug, record in sorted(people.items()):
        fields = {
            "name": record["name"],
            "slug": slug,
            "job_title": record["job_title"],
            "affiliation": "",
            "bio": "",
            "photo": None,
            "aliases": sorted(record["aliases"]),
        }
        fields["import_record"] = _record(fields, PERSON_OWNED)
        person_rows.append({"model": "articles.person", "fields": fields})
    tag_rows = [{"model": "taggit.tag", "fields": {"name": name, "slug": slug}} for slug, name in sorted(tags.items())]
    return [
        *section_rows(options, sources),
        *images,
        *person_rows,
        *tag_rows,
        *articles,
        *authorships,
        *mentions,
        *tagged,
        *links,
        *redirects,
    ]


def render(objects: list[dict]) -> str:
    """Return the fixture text: sorted keys, stable indentation, UTF-8 kept readable."""
    return json.dumps(objects, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
