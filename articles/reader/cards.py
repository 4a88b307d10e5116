"""Story cards for lists, rendered from the card template and kept in the cache between requests."""

import hashlib

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from articles.platform import invalidation
from articles.platform.cache import content_version, versioned

CARD_TEMPLATE = "articles/includes/card.html"


def fingerprint(article) -> str:
    """Return a digest of everything a card can show of a story, so an update() that sends no signal
    (and so leaves the content version as it was) still gets a card of its own."""
    section = article.primary_section
    # A Card's picture row, without the renditions (made once with the file, whose name they follow).
    picture = getattr(article, "picture", None)
    shown = (
        f"{article.pk}\0{article.headline}\0{article.dek}\0{article.slug}\0{article.status}\0"
        f"{article.published_at}\0{article.embargo_until}\0{section.pk}\0{section.name}\0{section.path}\0"
        f"{picture[:4] if picture else ''}"
    )
    return hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()


def story_cards(articles, level=2, query=""):
    """Return the cards of a list of stories, each written by articles/includes/card.html.

    A card changes only when something it shows is written, which moves the content version on, so
    cards are kept under that version (and the time zone and language they are written in): a list
    page renders only the cards it has not shown since. Search results mark the reader's words and
    are written afresh.
    """
    template = get_template(CARD_TEMPLATE)
    articles = list(articles)
    invalidation.page_shows(*(invalidation.story_key(article.pk) for article in articles))
    if query:
        return mark_safe("".join(template.render({"article": a, "level": level, "query": query}) for a in articles))  # noqa: S308 - escaped by the template
    prefix = f"newsroom:card:{content_version()}:{get_current_timezone_name()}:{get_language()}:{level}:"
    keys = [prefix + fingerprint(article) for article in articles]
    # The whole list is kept too, so a page of 60 cards seen before is one read, not 60.
    whole = prefix + "list:" + hashlib.blake2b("".join(keys).encode(), digest_size=16).hexdigest()
    shown = versioned.get(whole)
    if shown is not None:
        return shown
    kept = versioned.get_many(keys)
    missing = {}
    html = []
    for key, article in zip(keys, articles, strict=True):
        card = kept.get(key)
        if card is None:
            card = missing[key] = template.render({"article": article, "level": level, "query": ""})
        html.append(card)
    seconds = settings.NEWSROOM.get("PAGE_CACHE_SECONDS", 600)
    if missing:
        versioned.set_many(missing, seconds)
    shown = mark_safe("".join(html))  # noqa: S308 - escaped by the template
    versioned.set(whole, shown, seconds)
    return shown
