"""Machine-readable descriptions of a story: schema.org JSON-LD, the figures Open Graph needs, and the
addresses that share it."""

from urllib.parse import quote

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext, gettext_lazy

from articles.core.timefmt import iso_utc, machine_time
from articles.core.urlcache import fast_reverse, site_urls
from articles.reader import share_card

HEADLINE_LIMIT = 110  # what search engines show of a NewsArticle headline
LOGO_SIZE = (600, 60)  # of urlcache.ASSETS["logo"]


def absolute(request, path):
    """Return request.build_absolute_uri(path), quicker for the site's own paths ("/news/…").

    Those are URI-encoded already (reverse() and storage URLs encode), so they only need the scheme
    and host in front; build_absolute_uri parses and re-encodes each one (2.5 µs, a dozen a story).
    Anything else, such as a storage's absolute URL, goes through build_absolute_uri.
    """
    if path.startswith("/") and not path.startswith("//") and path.isascii():
        origin = getattr(request, "_newsroom_origin", None)
        if origin is None:
            origin = request._newsroom_origin = request.build_absolute_uri("/")[:-1]
        return origin + path
    return request.build_absolute_uri(path)


def lead_picture(article, request):
    """Return (absolute URL, width, height) of the picture that stands for the story."""
    image = article.lead_image
    if image and image.file:
        return absolute(request, image.file.url), image.width, image.height
    # No picture of our own: the generated share card (headline and section on the house colours).
    # The version in the address makes sharing sites fetch the card again after the headline changes.
    card = f"{fast_reverse('articles:article-share-image', slug=article.slug)}?v={article.version}"
    return absolute(request, card), share_card.WIDTH, share_card.HEIGHT


def breadcrumbs(trail, request):
    """Return a schema.org BreadcrumbList for the home page and the trail's (address, name) pairs, the page last."""
    items = [(gettext("Home"), site_urls()["home"])] + [(name, url) for url, name in trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(request, url)}
            for i, (name, url) in enumerate(items, start=1)
        ],
    }


# Where readers can share a story: the service's name and its share address for {url} and {title}.
SHARE_SERVICES = (
    (gettext_lazy("Email"), "mailto:?subject={title}&body={url}"),
    ("Bluesky", "https://bsky.app/intent/compose?text={title}%20{url}"),
    ("X", "https://x.com/intent/post?text={title}&url={url}"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    ("WhatsApp", "https://wa.me/?text={title}%20{url}"),
)


def share_links(url, title):
    """Return (address, service) for each place a reader can share the story at url, headed title.

    Plain links: no service's script or frame is loaded until the reader follows one.
    """
    url, title = quote(url, safe=""), quote(title, safe="")
    return [(address.format(url=url, title=title), str(service)) for service, address in SHARE_SERVICES]


def social_meta(article, *, title, description, social_description, url, picture, tags):
    """Return the Open Graph and Twitter card properties of a story page as (attribute, name, content) rows.

    Sharing sites read these to draw a story's card; picture is lead_picture()'s answer and tags are
    (address, name) pairs. The template articles/includes/meta_tags.html writes them out.
    """
    site = settings.NEWSROOM["SITE_NAME"]
    image, width, height = picture
    image_alt = (article.lead_image.alt_text if article.lead_image else "") or article.headline
    rows = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:image", image),
        ("property", "og:image:width", width),
        ("property", "og:image:height", height),
        ("property", "og:image:alt", image_alt),
    ]
    if article.published_at:
        rows.append(("property", "article:published_time", machine_time(article.published_at)))
    if article.updated_at:
        rows.append(("property", "article:modified_time", machine_time(article.updated_at)))
    rows.append(("property", "article:section", article.primary_section.name))
    rows += [("property", "article:tag", name) for _url, name in tags]
    rows += [
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", social_description),
        ("name", "twitter:image", image),
    ]
    return rows


def news_article(article, request, *, authorships, mentions, tags, corrections, picture=None, url=None):
    """Return the schema.org NewsArticle for a public story.

    authorships are (address, name, role), mentions (address, name, title) and tags (address, name), as
    reading.story_parts gives them; picture (lead_picture()'s answer) and url (the story's absolute
    address) save working them out again when the caller has them.
    """
    site = settings.NEWSROOM["SITE_NAME"]
    url = url or absolute(request, article.get_absolute_url())
    picture, width, height = picture or lead_picture(article, request)
    logo_width, logo_height = LOGO_SIZE
    authors = [
        {"@type": "Person", "name": name, "url": absolute(request, url)} for url, name, _role in authorships
    ] or [{"@type": "Organization", "name": article.source or site, "url": absolute(request, "/")}]
    modified = max(filter(None, (article.updated_at, article.published_at)), default=None)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.headline[:HEADLINE_LIMIT],
        "description": article.seo_description or article.dek,
        "image": [{"@type": "ImageObject", "url": picture, "width": width, "height": height}],
        "datePublished": iso_utc(article.published_at),
        "dateModified": iso_utc(modified),
        "author": authors,
        "publisher": {
            "@type": "Organization",
            "name": site,
            "url": absolute(request, "/"),
            "logo": {
                "@type": "ImageObject",
                "url": absolute(request, site_urls()["logo"]),
                "width": logo_width,
                "height": logo_height,
            },
        },
        "articleSection": article.primary_section.name,
        "keywords": [name for _url, name in tags],
        "inLanguage": settings.NEWSROOM["SITE_LANGUAGE"],
        "isAccessibleForFree": True,
    }
    if article.dateline:
        data["dateline"] = article.dateline
    if article.source:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
    if mentions:
        data["mentions"] = [
            {
                "@type": "Person",
                "name": name,
                "url": absolute(request, url),
                **({"jobTitle": title} if title else {}),
            }
            for url, name, title in mentions
        ]
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": strip_tags(c.text), "datePublished": iso_utc(c.published_at)}
            for c in corrections
        ]
    return data
