"""IPTC ninjs 3.1: stories out as news items, and news items (ours or a partner's) in as stories.

Newsroom's own items declare `profile: newsroom-article`. What ninjs has no property for travels in
its provider-defined places: mention titles and corrections as `descriptions` with Newsroom roles,
read-more and related links as `associations`, the section as a `subjects` entry with rel "section".
Items from anyone else are read through the standard properties only.
"""

import html
import re
from datetime import UTC

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

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
from articles.text import ascii_slug, search_url

NINJS_VERSION = "3.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
PROFILE = "newsroom-article"
MENTION_ROLE = "newsroom:mention:"  # + person slug; value: the title this story gives them
CORRECTION_ROLE = "newsroom:correction:"  # + kind; value: the text
ANCHOR_ROLE = "newsroom:anchor-block"


class NinjsError(ValueError):
    """A news item that cannot become a story; says which item and why."""


def _iso(moment):
    if moment is None:
        return None
    text = moment.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


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
        "firstCreated": _iso(article.published_at),
        # The editorial version: when readers were last told the story changed.
        "versionCreated": _iso(article.updated_at or article.published_at),
        "contentCreated": _iso(article.published_at),
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
        item["embargoedUntil"] = _iso(article.embargo_until)
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
                "role": f"{CORRECTION_ROLE}{correction.kind}:{_iso(correction.published_at)}",
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
        association = {
            "name": f"{link.kind}-{link.position}",
            "rel": link.kind,
            "uri": target.guid if target else absolute(link.url) if link.url.startswith("/") else link.url,
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


def _text(value, what, uri, *, limit=None):
    if not isinstance(value, str):
        raise NinjsError(f"{uri}: {what} must be text")
    if limit and len(value) > limit:
        raise NinjsError(f"{uri}: {what} is {len(value)} characters long; the limit is {limit}")
    return value


def _moment(value, what, uri):
    if value is None:
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise NinjsError(f"{uri}: {what} {value!r} is not an ISO 8601 date-time")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _pick(entries, role):
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("role") == role and isinstance(entry.get("value"), str):
            return entry["value"]
    return None


def _body_html(item, uri):
    bodies = [b for b in item.get("bodies") or [] if isinstance(b, dict) and isinstance(b.get("value"), str)]
    for body in bodies:
        if "html" in (body.get("contentType") or ""):
            return re.sub(r"^\s*<body>|</body>\s*$", "", body["value"].strip())
    if bodies:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", bodies[0]["value"]) if p.strip()]
        return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    raise NinjsError(f"{uri}: no body to import")


@transaction.atomic
def import_items(items, *, default_section, now=None):
    """Create or update one story per news item, all or nothing; return the stories."""
    now = now or timezone.now()
    return [_import_item(item, default_section=default_section, now=now) for item in items]


def _section(item, default_section):
    for subject in item.get("subjects") or []:
        if isinstance(subject, dict) and subject.get("rel") == "section" and isinstance(subject.get("literal"), str):
            return Section.objects.ensure(subject["literal"], subject.get("name"))
    return default_section


def _person(name, slug, uri):
    name = _text(name, "a person's name", uri, limit=200)
    slug = slug if isinstance(slug, str) and slug else ascii_slug(name, max_length=200)
    person, _ = Person.objects.get_or_create(slug=slug, defaults={"name": name})
    return person


def _import_item(item, *, default_section, now):
    uri = _text(item["uri"], "uri", "item", limit=100)
    ours = item.get("profile") == PROFILE
    headline = _pick(item.get("headlines"), "main") or next(
        (h.get("value") for h in item.get("headlines") or [] if isinstance(h, dict) and h.get("value")), None
    )
    if not headline:
        raise NinjsError(f"{uri}: no headline")
    headline = _text(headline, "the headline", uri, limit=255)
    published_at = _moment(item.get("firstCreated") or item.get("versionCreated"), "firstCreated", uri)
    pub_status = item.get("pubStatus", "usable")
    status = {"usable": Article.Status.PUBLISHED, "canceled": Article.Status.WITHDRAWN}.get(
        pub_status, Article.Status.DRAFT
    )
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = now

    article = Article.objects.filter(guid=uri).first() or Article(guid=uri)
    slug = item.get("slugline") if ours and isinstance(item.get("slugline"), str) else None
    if not slug:
        slug = article.slug or ascii_slug(headline) or "story"
        if Article.objects.filter(slug=slug).exclude(guid=uri).exists():
            slug = f"{slug}-{ascii_slug(uri)[-8:]}"
    article.headline = headline
    article.slug = slug
    article.dek = _pick(item.get("descriptions"), "summary") or ""
    article.body = _body_html(item, uri)
    article.primary_section = _section(item, default_section)
    article.status = status
    article.published_at = published_at
    article.embargo_until = _moment(item.get("embargoedUntil"), "embargoedUntil", uri)
    article.dateline = _text(item.get("located") or "", "located", uri, limit=120)
    sources = [s for s in item.get("infoSources") or [] if isinstance(s, dict) and s.get("name")]
    article.source = _text(sources[0]["name"], "the source", uri, limit=120) if sources else ""
    article.source_id = _pick(item.get("altIds"), "source-id") or ""
    if ours:
        article.updated_at = _moment(item.get("versionCreated"), "versionCreated", uri)
        if article.updated_at and published_at and article.updated_at <= published_at:
            article.updated_at = published_at
    try:
        article.version = max(int(item.get("version", article.version or 1)), 1)
    except (TypeError, ValueError):
        article.version = article.version or 1
    article.save()

    article.authorships.all().delete()
    article.mentions.all().delete()
    article.related_links.all().delete()
    article.corrections.all().delete()
    TaggedArticle.objects.filter(content_object=article).delete()

    titles = {}
    for entry in item.get("descriptions") or []:
        role = entry.get("role") if isinstance(entry, dict) else None
        if isinstance(role, str) and role.startswith(MENTION_ROLE):
            titles[role[len(MENTION_ROLE) :]] = entry.get("value") or ""
        elif isinstance(role, str) and role.startswith(CORRECTION_ROLE):
            kind, _, moment = role[len(CORRECTION_ROLE) :].partition(":")
            Correction.objects.create(
                article=article,
                kind=kind if kind in Correction.Kind.values else Correction.Kind.CORRECTION,
                text=_text(entry.get("value"), "a correction", uri),
                published_at=_moment(moment, "a correction's time", uri) or now,
            )

    author_position = mention_position = 0
    for entry in item.get("people") or []:
        if not isinstance(entry, dict) or not entry.get("name"):
            continue
        person = _person(entry["name"], entry.get("literal") if ours else None, uri)
        rel = entry.get("rel") or "mentioned"
        if rel.startswith("author"):
            role = rel.partition(":")[2] or Authorship.Role.AUTHOR
            Authorship.objects.get_or_create(
                article=article,
                person=person,
                defaults={
                    "role": role if role in Authorship.Role.values else Authorship.Role.AUTHOR,
                    "position": author_position,
                },
            )
            author_position += 1
        else:
            Mention.objects.get_or_create(
                article=article,
                person=person,
                defaults={"title": (titles.get(person.slug) or "")[:300], "position": mention_position},
            )
            mention_position += 1
    if not author_position and isinstance(item.get("by"), str) and not ours:
        for position, name in enumerate(n for n in re.split(r",\s*|\s+and\s+", item["by"]) if n.strip()):
            Authorship.objects.get_or_create(
                article=article, person=_person(name.strip(), None, uri), defaults={"position": position}
            )

    tag_names = (
        [s.get("name") for s in item.get("subjects") or [] if isinstance(s, dict) and s.get("rel") != "section"]
        + [p.get("name") for p in item.get("places") or [] if isinstance(p, dict)]
        + [o.get("name") for o in item.get("organisations") or [] if isinstance(o, dict)]
    )
    article.tags.add(*[name[:100] for name in tag_names if isinstance(name, str) and name.strip()])

    link_position = 0
    for association in item.get("associations") or []:
        if not isinstance(association, dict):
            continue
        if association.get("type") == "picture" or association.get("rel") == "lead-image":
            _import_picture(article, association, uri)
            continue
        rel = association.get("rel")
        if rel not in RelatedLink.Kind.values:
            continue
        title = _pick(association.get("headlines"), None) or next(
            (h.get("value") for h in association.get("headlines") or [] if isinstance(h, dict)),
            association.get("name"),
        )
        target_uri = association.get("uri") or ""
        target = Article.objects.filter(guid=target_uri).first()
        anchor = _pick(association.get("descriptions"), ANCHOR_ROLE)
        url = "" if target else _local(target_uri) or search_url(title)
        RelatedLink.objects.create(
            article=article,
            position=link_position,
            kind=rel,
            title=_text(title, "a link title", uri, limit=300),
            target_article=target,
            url=url,
            anchor_block=int(anchor) if anchor and anchor.isdigit() else None,
        )
        link_position += 1
    return article


def _local(uri):
    """Keep a link's address: a URL as it is, our own search links as site paths."""
    if not isinstance(uri, str) or not uri.startswith(("http://", "https://")):
        return ""
    match = re.match(r"^https?://[^/]+(/search/\?.*)$", uri)
    return match.group(1) if match else uri


def _import_picture(article, association, uri):
    key = association.get("uri", "")
    key = key.removeprefix("urn:newsroom:image:") if isinstance(key, str) else ""
    key = key[:64] or ascii_slug(f"{article.guid}-lead", max_length=64)
    caption = _pick(association.get("descriptions"), "caption") or ""
    image, _ = Image.objects.update_or_create(
        key=key,
        defaults={
            "caption": caption,
            "credit": (association.get("by") or "")[:200] if isinstance(association.get("by"), str) else "",
            "alt_text": (_pick(association.get("descriptions"), "alt") or "")[:300],
        },
    )
    article.lead_image = image
    article.lead_image_caption = ""
    article.save(update_fields=["lead_image", "lead_image_caption", "last_modified"])
