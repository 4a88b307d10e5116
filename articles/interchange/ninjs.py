"""IPTC ninjs 3.1: stories out as news items, and news items (ours or a partner's) in as stories.

Newsroom's own items declare `profile: newsroom-article`. What ninjs has no property for travels in
its provider-defined places: mention titles and corrections as `descriptions` with Newsroom roles,
read-more and related links as `associations`, the section as a `subjects` entry with rel "section".
Items from anyone else are read through the standard properties only.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from taggit.models import Tag

from articles.core import limits
from articles.core.limits import TimeOutOfRange, check_moment
from articles.core.sanitize import clean_html
from articles.core.text import ascii_slug, search_url, title_key
from articles.core.timefmt import iso_utc
from articles.core.weburl import UnsafeURL, checked_url, is_safe_url
from articles.interchange import provenance, reimport
from articles.models import (
    Article,
    Authorship,
    Correction,
    Image,
    Mention,
    Person,
    RelatedLink,
    Section,
    TaggedArticle,
)

NINJS_VERSION = "3.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
PROFILE = "newsroom-article"
MENTION_ROLE = "newsroom:mention:"  # + person slug; value: the title this story gives them
CORRECTION_ROLE = "newsroom:correction:"  # + kind; value: the text
ANCHOR_ROLE = "newsroom:anchor-block"


class NinjsError(ValueError):
    """A news item that cannot become a story; says which item and why."""


def to_ninjs(article, *, absolute):
    """Return a public story as a ninjs 3.1 item; `absolute` turns a site path into a full URL."""
    authorships = list(article.authorships.all())
    mentions = list(article.mentions.all())
    item = {
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "uri": article.guid,
        "type": "text",
        "profile": PROFILE,
        "representationType": "full",
        "version": str(article.version),
        "firstCreated": iso_utc(article.published_at),
        # The editorial version: when readers were last told the story changed.
        "versionCreated": iso_utc(article.updated_at or article.published_at),
        "contentCreated": iso_utc(article.published_at),
        "pubStatus": "usable" if article.status == Article.Status.PUBLISHED else "withheld",
        "language": "en",
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {"role": "main", "contentType": "text/html", "value": article.body, "wordCount": _words(article.body)}
        ],
        "subjects": [{"name": article.primary_section.name, "rel": "section", "literal": article.primary_section.path}]
        + [{"name": tag.name, "rel": "about", "literal": tag.slug} for tag in article.tags.all()],
        "people": [
            {
                "name": a.person.name,
                "rel": f"author:{a.role}",
                "literal": a.person.slug,
                "uri": absolute(a.person.get_absolute_url()),
            }
            for a in authorships
        ]
        + [
            {
                "name": m.person.name,
                "rel": "mentioned",
                "literal": m.person.slug,
                "uri": absolute(m.person.get_absolute_url()),
            }
            for m in mentions
        ],
        "descriptions": [],
        "renditions": [{"name": "web", "href": absolute(article.get_absolute_url()), "contentType": "text/html"}],
        "associations": [],
    }
    if article.embargo_until:
        item["embargoedUntil"] = iso_utc(article.embargo_until)
    if authorships:
        item["by"] = _join(
            [a.person.name for a in authorships if a.role == Authorship.Role.AUTHOR]
            or [a.person.name for a in authorships]
        )
    if article.dateline:
        item["located"] = article.dateline
    if article.source:
        item["infoSources"] = [{"name": article.source, "role": "distributor"}]
    if article.source_id:
        item["altIds"] = [{"role": "source-id", "value": article.source_id}]
    if article.dek:
        item["descriptions"].append({"role": "summary", "contentType": "text/plain", "value": article.dek})
    for mention in mentions:
        if mention.title:
            item["descriptions"].append(
                {"role": MENTION_ROLE + mention.person.slug, "contentType": "text/plain", "value": mention.title}
            )
    for correction in article.corrections.all():
        item["descriptions"].append(
            {
                "role": f"{CORRECTION_ROLE}{correction.kind}:{iso_utc(correction.published_at)}",
                "contentType": "text/html",
                "value": correction.text,
            }
        )
    image = article.lead_image
    if image is not None:
        picture = {
            "name": "featureimage",
            "rel": "lead-image",
            "uri": f"urn:newsroom:image:{image.key}",
            "type": "picture",
            "descriptions": [{"role": "caption", "contentType": "text/plain", "value": article.caption}],
        }
        if image.credit:
            picture["by"] = image.credit
        if image.alt_text:
            picture["descriptions"].append({"role": "alt", "contentType": "text/plain", "value": image.alt_text})
        if image.file:
            picture["renditions"] = [
                {"name": "original", "href": absolute(image.file.url), "width": image.width, "height": image.height}
            ]
        item["associations"].append(picture)
    for link in article.related_links.all():
        target = link.target_article
        address = target.guid if target else absolute(link.url) if link.url.startswith("/") else link.url
        if target is None and not is_safe_url(address):
            continue  # an older row may hold an address the desk would refuse today: it is not passed on
        association = {
            "name": f"{link.kind}-{link.position}",
            "rel": link.kind,
            "uri": address,
            "headlines": [{"value": link.title}],
        }
        if link.anchor_block is not None:
            association["descriptions"] = [{"role": ANCHOR_ROLE, "value": str(link.anchor_block)}]
        item["associations"].append(association)
    return {key: value for key, value in item.items() if value not in ([], None, "")}


def _words(html_text):
    return len(strip_tags(html_text).split())


def _join(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- import --------------------------------------------------------------------------------------
#
# Everything an item brings is checked with the desk's own rules (the model fields' validators,
# full_clean(), Section.clean(), the time bounds of articles/core/limits.py, articles/core/weburl.py for addresses)
# before anything is written, and every refusal names the item. An item may update only a story an
# earlier import of the same uri created, never one written here; what the desk changed on it since is
# kept (articles/interchange/reimport.py).

MAX_VERSION = 2_147_483_647  # the largest version every supported database stores


def items_of(document):
    """Return the news items in a ninjs document: one item, a list, or {"items": [...]}."""
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        document = document["items"]
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise NinjsError(f"item {index + 1} is not a JSON object")
        if not isinstance(item.get("uri"), str) or not item["uri"].strip():
            raise NinjsError(f"item {index + 1} has no uri (the one property ninjs requires)")
    return items


@dataclass
class Imported:
    """One item imported: its story, whether it is new, and what changed or was kept from the desk."""

    article: Article
    created: bool
    changed: list = field(default_factory=list)
    kept: list = field(default_factory=list)


@transaction.atomic
def import_items(items, *, default_section, now=None):
    """Create or update one story per news item, all or nothing; return what happened to each."""
    now = now or timezone.now()
    results = []
    for item in items_of(list(items)):
        uri = item["uri"]
        try:
            results.append(_import_item(item, default_section=default_section, now=now))
        except ValidationError as error:
            raise NinjsError(f"{uri}: {_messages(error)}") from None
        except (DatabaseError, TimeOutOfRange, UnsafeURL) as error:
            raise NinjsError(f"{uri}: {error}") from None
    return results


def _messages(error):
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(texts)}" for name, texts in error.message_dict.items())
    return " ".join(error.messages)


def _text(value, what, uri, *, limit=None):
    if not isinstance(value, str):
        raise NinjsError(f"{uri}: {what} must be text")
    if limit and len(value) > limit:
        raise NinjsError(f"{uri}: {what} is {len(value)} characters long; the limit is {limit}")
    return value


def _optional_text(value, what, uri, *, limit=None):
    return "" if value is None else _text(value, what, uri, limit=limit)


def _entries(container, key, uri):
    """Return container[key] as a list of objects ([] when absent); anything else is refused."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise NinjsError(f"{uri}: {key} must be a list of objects")
    return value


def _moment(value, what, uri):
    if value is None:
        return None
    if not isinstance(value, str) or not value.isascii():
        raise NinjsError(f"{uri}: {what} {value!r:.80} is not an ISO 8601 date-time")
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise NinjsError(f"{uri}: {what} {value!r:.80} is not an ISO 8601 date-time")
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return check_moment(moment)
    except TimeOutOfRange as error:
        raise NinjsError(f"{uri}: {what} {value!r:.80}: {error}") from None


def _number(value, what, uri, *, low, high):
    """Return a whole number given as a JSON number or ASCII digits, within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise NinjsError(f"{uri}: {what} must be a whole number")
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= 12):
            raise NinjsError(f"{uri}: {what} {value!r:.40} is not a whole number")
        value = int(value)
    if not low <= value <= high:
        raise NinjsError(f"{uri}: {what} must lie between {low} and {high}")
    return value


def _pick(entries, role, what, uri):
    for entry in entries:
        if entry.get("role") == role and entry.get("value") is not None:
            return _text(entry["value"], what, uri)
    return None


def _body_html(item, uri):
    bodies = _entries(item, "bodies", uri)
    for body in bodies:
        _text(body.get("value"), "a body", uri)
        if "html" in _optional_text(body.get("contentType"), "a body's contentType", uri):
            return clean_html(re.sub(r"^\s*<body>|</body>\s*$", "", body["value"].strip()))
    if bodies:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", bodies[0]["value"]) if p.strip()]
        return clean_html("\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs))
    raise NinjsError(f"{uri}: no body to import")


def _checked(instance, uri, *, exclude=()):
    """Run the desk's validation of a row about to be created; refusals name the item."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise NinjsError(f"{uri}: {type(instance)._meta.verbose_name} {instance}: {_messages(error)}") from None
    return instance


def _section(item, default_section, uri):
    for subject in _entries(item, "subjects", uri):
        if subject.get("rel") == "section":
            literal = _text(subject.get("literal"), "the section's literal", uri, limit=limits.SECTION_PATH_MAX_LENGTH)
            name = _optional_text(subject.get("name"), "the section's name", uri, limit=limits.SECTION_NAME_MAX_LENGTH)
            return import_section(literal, name, uri=uri)
    return default_section


def import_section(path, name="", *, uri="--section"):
    """Return the section at path, creating it and missing parents after the desk's own checks."""
    segments = path.strip("/").split("/")
    section = None
    for depth, slug in enumerate(segments, start=1):
        sub_path = "/".join(segments[:depth])
        found = Section.objects.filter(path=sub_path).first()
        if found is None:
            found = Section(
                name=name if depth == len(segments) and name else slug.replace("-", " ").title(),
                slug=slug,
                parent=section,
                path=sub_path,
            )
            _checked(found, uri)
            found.save()
        section = found
    return section


def _person(name, literal, uri):
    """Return the person a name (and, in our own items, a slug) stands for, found or created unsaved."""
    name = _text(name, "a person's name", uri, limit=limits.PERSON_NAME_MAX_LENGTH).strip()
    if literal:
        slug = _text(literal, "a person's literal", uri, limit=limits.PERSON_SLUG_MAX_LENGTH)
    else:
        slug = ascii_slug(name, max_length=limits.PERSON_SLUG_MAX_LENGTH)
    if not name or not slug:
        raise NinjsError(f"{uri}: a person's name {name!r:.60} gives no usable address")
    found = Person.objects.filter(slug=slug).first()
    return found or _checked(Person(name=name, slug=slug), uri)


def _tag(name, uri):
    """Return the tag a name stands for (an existing one of the same address first), or None for a bare symbol."""
    name = _text(name, "a subject's name", uri).strip()[: limits.TAG_MAX_LENGTH]
    slug = ascii_slug(name, max_length=limits.TAG_MAX_LENGTH)
    if not name or not slug:
        return None
    return Tag.objects.filter(name=name).first() or Tag.objects.filter(slug=slug).first() or Tag(name=name, slug=slug)


@dataclass
class _Parts:
    """A story's lists as an item gives them, checked and not yet written."""

    authors: list = field(default_factory=list)  # (person, role)
    mentions: list = field(default_factory=list)  # (person, title)
    tags: list = field(default_factory=list)
    links: list = field(default_factory=list)  # RelatedLink, unsaved, without its story
    corrections: list = field(default_factory=list)  # Correction, unsaved, without its story

    def canonical(self):
        return {
            "authorships": provenance.rows((p.slug, role, n) for n, (p, role) in enumerate(self.authors)),
            "mentions": provenance.rows((p.slug, title, n) for n, (p, title) in enumerate(self.mentions)),
            "tags": sorted(tag.name for tag in self.tags),
            "related_links": provenance.rows(
                (
                    link.position,
                    link.kind,
                    link.title,
                    link.target_article.guid if link.target_article else None,
                    link.url,
                    link.anchor_block,
                )
                for link in self.links
            ),
            "corrections": provenance.rows(
                (c.kind, c.text, provenance.moment_text(c.published_at)) for c in self.corrections
            ),
        }


def _parts(item, *, ours, uri, now):
    parts = _Parts()
    titles = {}
    for entry in _entries(item, "descriptions", uri):
        role = entry.get("role")
        if not isinstance(role, str):
            continue
        if role.startswith(MENTION_ROLE):
            titles[role[len(MENTION_ROLE) :]] = _optional_text(
                entry.get("value"), "a mention's title", uri, limit=limits.MENTION_TITLE_MAX_LENGTH
            )
        elif role.startswith(CORRECTION_ROLE):
            kind, _, moment = role[len(CORRECTION_ROLE) :].partition(":")
            correction = Correction(
                kind=kind if kind in Correction.Kind.values else Correction.Kind.CORRECTION,
                text=clean_html(_text(entry.get("value"), "a correction", uri)),
                published_at=_moment(moment or None, "a correction's time", uri) or now,
            )
            if any(c.published_at == correction.published_at for c in parts.corrections):
                raise NinjsError(f"{uri}: two corrections carry the same time, {moment}")
            parts.corrections.append(_checked(correction, uri, exclude=["article"]))

    for entry in _entries(item, "people", uri):
        if entry.get("name") is None:
            continue
        person = _person(entry["name"], entry.get("literal") if ours else None, uri)
        rel = _optional_text(entry.get("rel"), "a person's rel", uri) or "mentioned"
        if rel.startswith("author"):
            role = rel.partition(":")[2]
            if all(p.slug != person.slug for p, _role in parts.authors):
                parts.authors.append((person, role if role in Authorship.Role.values else Authorship.Role.AUTHOR))
        elif all(p.slug != person.slug for p, _title in parts.mentions):
            parts.mentions.append((person, titles.get(person.slug, "")))
    if not parts.authors and not ours and item.get("by") is not None:
        for name in re.split(r",\s*|\s+and\s+", _text(item["by"], "by", uri)):
            if name.strip():
                person = _person(name, None, uri)
                if all(p.slug != person.slug for p, _role in parts.authors):
                    parts.authors.append((person, Authorship.Role.AUTHOR))

    names = [s.get("name") for s in _entries(item, "subjects", uri) if s.get("rel") != "section"]
    names += [p.get("name") for p in _entries(item, "places", uri)]
    names += [o.get("name") for o in _entries(item, "organisations", uri)]
    for name in names:
        tag = _tag(name, uri) if name is not None else None
        if tag is not None and all(t.name != tag.name for t in parts.tags):
            parts.tags.append(tag)

    picture = None
    for association in _entries(item, "associations", uri):
        if association.get("type") == "picture" or association.get("rel") == "lead-image":
            picture = picture or association
            continue
        rel = association.get("rel")
        if rel not in RelatedLink.Kind.values:
            continue
        headlines = _entries(association, "headlines", uri)
        title = next((h.get("value") for h in headlines if h.get("value") is not None), association.get("name"))
        title = _text(title, "a link's title", uri, limit=limits.LINK_TITLE_MAX_LENGTH)
        target_uri = _optional_text(association.get("uri"), "a link's uri", uri, limit=limits.LINK_URL_MAX_LENGTH)
        target = Article.objects.filter(guid=target_uri).first() if target_uri else None
        anchor = _pick(_entries(association, "descriptions", uri), ANCHOR_ROLE, "a link's anchor", uri)
        try:
            url = "" if target else checked_url(_local(target_uri)) or search_url(title)
        except UnsafeURL as error:
            raise NinjsError(f"{uri}: the link {target_uri!r:.120}: {error}") from None
        link = RelatedLink(
            position=len(parts.links),
            kind=rel,
            title=title,
            target_article=target,
            url=url,
            anchor_block=_number(anchor, "a link's anchor", uri, low=0, high=10_000) if anchor else None,
        )
        parts.links.append(_checked(link, uri, exclude=["article"]))
    return parts, picture


def _import_item(item, *, default_section, now):
    uri = _text(item["uri"], "uri", repr(item["uri"][:60]), limit=limits.GUID_MAX_LENGTH)
    if not uri.isprintable() or any(c.isspace() for c in uri):
        raise NinjsError(f"{uri!r:.120}: a uri may not hold spaces or control characters")
    ours = item.get("profile") == PROFILE
    headlines = _entries(item, "headlines", uri)
    headline = _pick(headlines, "main", "the headline", uri) or next(
        (h.get("value") for h in headlines if h.get("value")), None
    )
    if not headline:
        raise NinjsError(f"{uri}: no headline")
    headline = _text(headline, "the headline", uri, limit=limits.HEADLINE_MAX_LENGTH)
    published_at = _moment(item.get("firstCreated") or item.get("versionCreated"), "firstCreated", uri)
    pub_status = _optional_text(item.get("pubStatus"), "pubStatus", uri) or "usable"
    status = {"usable": Article.Status.PUBLISHED, "canceled": Article.Status.WITHDRAWN}.get(
        pub_status, Article.Status.DRAFT
    )
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = now

    stored = Article.objects.select_for_update().filter(guid=uri).first()
    if stored is not None and (stored.import_record or {}).get("origin") != _origin(uri):
        raise NinjsError(
            f"{uri}: a story with this uri was written on this site or came from elsewhere; "
            "an import updates only the stories it created"
        )
    # The item's values go onto a copy of the stored story (or a new one); merge() then keeps the desk's.
    incoming = Article.objects.get(pk=stored.pk) if stored else Article(guid=uri, status=status)
    incoming.status = status  # merge() puts a stored story's own status back
    incoming.headline = headline
    incoming.headline_key = title_key(headline)
    incoming.published_at = published_at
    given = {"headline", "dek", "body", "primary_section", "published_at", "embargo_until", "dateline", "source"}
    given |= {"source_id"}
    slug = _text(item["slugline"], "the slugline", uri) if ours and item.get("slugline") else None
    if slug or stored is None:
        given.add("slug")
    if not slug:
        slug = stored.slug if stored else ascii_slug(headline) or "story"
        if Article.objects.filter(slug=slug).exclude(guid=uri).exists():
            slug = f"{slug}-{ascii_slug(uri)[-8:]}"
    incoming.slug = slug
    descriptions = _entries(item, "descriptions", uri)
    incoming.dek = _pick(descriptions, "summary", "the summary", uri) or ""
    incoming.body = _body_html(item, uri)
    incoming.primary_section = _section(item, default_section, uri)
    incoming.embargo_until = _moment(item.get("embargoedUntil"), "embargoedUntil", uri)
    incoming.dateline = _optional_text(item.get("located"), "located", uri)
    sources = [s for s in _entries(item, "infoSources", uri) if s.get("name")]
    incoming.source = _text(sources[0]["name"], "the source", uri) if sources else ""
    incoming.source_id = _pick(_entries(item, "altIds", uri), "source-id", "the source id", uri) or ""
    if ours:
        given.add("updated_at")
        incoming.updated_at = _moment(item.get("versionCreated"), "versionCreated", uri)
        if incoming.updated_at and published_at and incoming.updated_at <= published_at:
            incoming.updated_at = published_at
    version = item.get("version")
    incoming.version = _number(version, "version", uri, low=1, high=MAX_VERSION) if version is not None else 1

    parts, picture = _parts(item, ours=ours, uri=uri, now=now)
    if picture is not None:
        given.add("lead_image")
        incoming.lead_image = _picture(picture, uri, guid=uri)
    lists = parts.canonical()
    # The record covers what the item says, so a field it is silent on stays the desk's to set.
    incoming.import_record = {
        "origin": _origin(uri),
        **provenance.record_of({**{name: reimport.canonical(incoming, name) for name in sorted(given)}, **lists}),
    }

    if stored is None:
        _checked(incoming, uri, exclude=["lead_image_caption"])
        incoming.save()
        _write_lists(incoming, parts, set(lists))
        return Imported(incoming, created=True)

    incoming_record = incoming.import_record
    outcome = reimport.merge(stored, incoming)
    open_lists, changing = reimport.plan_lists(stored, incoming_record, reimport.story_lists(stored.pk))
    incoming.import_record = reimport.record_lists(incoming.import_record, open_lists, incoming_record)
    _checked(incoming, uri, exclude=["lead_image_caption"])
    changed = [*outcome.changed, *sorted(changing)]
    kept = [
        *outcome.kept,
        *sorted(name for name in lists if name not in open_lists and name in _differing(stored, lists)),
    ]
    if not changed:
        # Nothing for readers: the story is not saved, so its times and version stand as they are.
        if incoming.import_record != stored.import_record:
            Article.objects.filter(pk=stored.pk).update(import_record=incoming.import_record)
        return Imported(stored, created=False, kept=kept)
    incoming.version = stored.version + 1
    incoming.save()
    _write_lists(incoming, parts, changing)
    reimport.save_revision(incoming, [reimport.label(Article, name) for name in changed], source="ninjs")
    return Imported(incoming, created=False, changed=changed, kept=kept)


def _origin(uri):
    return f"ninjs:{uri}"


def _differing(stored, lists):
    current = reimport.story_lists(stored.pk)
    return {name for name, value in lists.items() if current[name] != value}


def _saved(row):
    if row.pk is None:
        row.save()
    return row


def _write_lists(article, parts, names):
    """Replace the story's lists named in names by the item's."""
    if "authorships" in names:
        article.authorships.all().delete()
        Authorship.objects.bulk_create(
            Authorship(article=article, person=_saved(person), role=role, position=n)
            for n, (person, role) in enumerate(parts.authors)
        )
    if "mentions" in names:
        article.mentions.all().delete()
        Mention.objects.bulk_create(
            Mention(article=article, person=_saved(person), title=title, position=n)
            for n, (person, title) in enumerate(parts.mentions)
        )
    if "tags" in names:
        TaggedArticle.objects.filter(content_object=article).delete()
        TaggedArticle.objects.bulk_create(TaggedArticle(content_object=article, tag=_saved(tag)) for tag in parts.tags)
    if "related_links" in names:
        article.related_links.all().delete()
        for link in parts.links:
            link.article = article
            link.save()
    if "corrections" in names:
        article.corrections.all().delete()
        for correction in parts.corrections:
            correction.article = article
            correction.save()


def _local(uri):
    """Keep a link's address: a URL as it is, our own search links as site paths; "" for anything else."""
    if not uri.startswith(("http://", "https://")):
        return ""
    match = re.match(r"^https?://[^/]+(/search/\?.*)$", uri)
    return match.group(1) if match else uri


def _picture(association, uri, *, guid):
    """Return the lead picture an association describes: a new one, or a stored one updated by the import rule."""
    key = _optional_text(association.get("uri"), "the picture's uri", uri)
    key = key.removeprefix("urn:newsroom:image:")[: limits.IMAGE_KEY_MAX_LENGTH] or ascii_slug(
        f"{guid}-lead", max_length=limits.IMAGE_KEY_MAX_LENGTH
    )
    descriptions = _entries(association, "descriptions", uri)
    incoming = Image(
        key=key,
        caption=_pick(descriptions, "caption", "the picture's caption", uri) or "",
        credit=_optional_text(association.get("by"), "the picture's credit", uri, limit=limits.CREDIT_MAX_LENGTH),
        alt_text=_pick(descriptions, "alt", "the picture's alt text", uri) or "",
    )
    stored = Image.objects.filter(key=key).first()
    if stored is not None:
        # The item's values go onto a copy of the stored picture; merge() then keeps the desk's.
        values, incoming = incoming, Image.objects.get(pk=stored.pk)
        for name in ("caption", "credit", "alt_text"):
            setattr(incoming, name, getattr(values, name))
    incoming.import_record = provenance.record_of(
        {name: reimport.canonical(incoming, name) for name in ("alt_text", "caption", "credit")}
    )
    if stored is None:
        _checked(incoming, uri, exclude=["file"])
        incoming.save()
        return incoming
    reimport.merge(stored, incoming)
    _checked(incoming, uri, exclude=["file", "key"])
    incoming.save()
    return incoming
