import json
from html import escape

from django import template
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, localtime

register = template.Library()

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(value):
    """Return a JSON-LD data block; the JSON is escaped so no value can close the element."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False, default=str)
    return mark_safe(f'<script type="application/ld+json">{data.translate(_SCRIPT_ESCAPES)}</script>')  # noqa: S308


@register.filter
def highlight(text, query):
    """Return text escaped, with the words of the reader's search query marked."""
    from articles.search import highlight as mark

    return mark(text or "", query or "")


@register.filter
def srcset(image, format="jpeg"):
    """Return an Image's srcset for one format of its renditions."""
    return image.srcset(format) if image else ""


@register.filter
def machine_time(value):
    """Return a datetime for a datetime="" attribute: ISO 8601 in the site's zone, whole seconds (HTML
    allows at most three digits of a fraction, so microseconds would make the page invalid)."""
    if not value:
        return ""
    return localtime(value).replace(microsecond=0).isoformat()


@register.simple_tag
def current_time_zone():
    """Return the name of the time zone times on this page are shown in."""
    from django.utils.timezone import get_current_timezone_name

    return get_current_timezone_name()


def reader_date(value):
    """Return a local time as readers see it on cards ("5 March 2025, 14:05"), without the date filter's
    per-character formatter: list pages format dozens of these."""
    return f"{value.day} {MONTHS[value.month]} {value.year}, {value:%H:%M}"


def _card(article, level, text, zone):
    section = article.primary_section
    published = article.published_at.astimezone(zone)
    dek = f'\n  <p class="dek">{text(article.dek)}</p>' if article.dek else ""
    return (
        '<article class="card">\n'
        f'  <p class="kicker"><a href="{escape(section.get_absolute_url())}">{escape(section.name)}</a></p>\n'
        f'  <h{level} class="card-headline"><a href="{escape(article.get_absolute_url())}">'
        f"{text(article.headline)}</a></h{level}>{dek}\n"
        f'  <p class="meta"><time datetime="{published.replace(microsecond=0).isoformat()}">'
        f"{reader_date(published)}</time></p>\n"
        "</article>"
    )


@register.simple_tag
def article_cards(articles, level=2, query=""):
    """Return story cards for lists: section, headline, standfirst and time, one after another.

    Written in Python rather than as an included template: list pages show up to 60 cards, and the
    template engine spent more time on them than the page's queries took.
    """
    from articles.search import highlight as mark

    def text(value):
        return mark(value, query) if query else escape(value)

    level = int(level) if str(level) in ("2", "3", "4") else 2
    zone = get_current_timezone()
    return mark_safe("\n".join(_card(article, level, text, zone) for article in articles))  # noqa: S308 - escaped
