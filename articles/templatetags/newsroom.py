import json

from django import template
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from articles.core.timefmt import machine_time

register = template.Library()

# The characters that could end a <script> element or open a comment inside it. Three replace() calls,
# not str.translate(): translate with a mapping took 47 µs on a story's JSON-LD, replace 3 µs.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.filter
def jsonld(value):
    """Return a JSON-LD data block; the JSON is escaped so no value can close the element."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False, default=str)
    for character, escaped in _SCRIPT_ESCAPES:
        data = data.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{data}</script>')  # noqa: S308


@register.filter
def sanitized(html):
    """Return HTML an editor wrote (a bio, a correction) through the sanitizer, safe to show.

    It was sanitized on save too; a row that reached the database another way (a raw fixture load,
    an update() query) is made safe here all the same.
    """
    from articles.core.sanitize import clean_html

    return mark_safe(clean_html(html or ""))  # noqa: S308 - sanitized


@register.filter
def highlight(text, query):
    """Return text escaped, with the words of the reader's search query marked."""
    from articles.reader.search import highlight as mark

    return mark(text or "", query or "")


@register.filter
def srcset(image, format="jpeg"):
    """Return an Image's srcset for one format of its renditions."""
    return image.srcset(format) if image else ""


# Sitemaps and structured data write the same times, so the one function lives in core.
register.filter("machine_time", machine_time)


@register.filter
def reader_datetime(value):
    """Return a time as readers see it beside a story: "5 March 2025, 14:05 UTC", in the site's zone.

    The same text as the date filter's "j F Y, H:i e", without its per-character formatter.
    """
    if not value:
        return ""
    local = localtime(value)
    return f"{reader_date(local)} {local.tzname() or ''}".rstrip()


@register.filter
def reader_time(value):
    """Return the time of day as readers see it ("14:05"), in the site's zone: the date filter's "H:i"."""
    if not value:
        return ""
    local = localtime(value)
    return f"{local.hour:02d}:{local.minute:02d}"


@register.simple_tag
def current_time_zone():
    """Return the name of the time zone times on this page are shown in."""
    from django.utils.timezone import get_current_timezone_name

    return get_current_timezone_name()


def reader_date(value):
    """Return a local time as readers see it on cards ("5 March 2025, 14:05"), without the date filter's
    per-character formatter: list pages format dozens of these."""
    return f"{value.day} {MONTHS[value.month]} {value.year}, {value.hour:02d}:{value.minute:02d}"


@register.filter
def card_time(value):
    """Return a time as a story card shows it ("5 March 2025, 14:05"), in the site's zone."""
    return reader_date(localtime(value)) if value else ""


@register.simple_tag
def story_cards(articles, level=2, query=""):
    """Return the cards of a list of stories, each written by the card template (see reader.cards)."""
    from articles.reader.cards import story_cards as cards

    return cards(articles, level, query)
