import json

from django import template
from django.utils import dateformat
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

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


@register.simple_tag
def article_card(article, level=2, query=""):
    """Return a story's card for lists: section, headline, standfirst and time.

    Written in Python rather than as an included template: list pages show up to 60 cards, and the
    template engine spent more time on them than the page's queries took.
    """
    from articles.search import highlight as mark

    def text(value):
        return mark(value, query) if query else conditional_escape(value)

    section = article.primary_section
    published = localtime(article.published_at)
    level = int(level) if str(level) in ("2", "3", "4") else 2
    dek = format_html('\n  <p class="dek">{}</p>', text(article.dek)) if article.dek else ""
    return format_html(
        '<article class="card">\n'
        '  <p class="kicker"><a href="{}">{}</a></p>\n'
        '  <h{} class="card-headline"><a href="{}">{}</a></h{}>{}\n'
        '  <p class="meta"><time datetime="{}">{}</time></p>\n'
        "</article>",
        section.get_absolute_url(),
        section.name,
        level,
        article.get_absolute_url(),
        text(article.headline),
        level,
        dek,
        published.replace(microsecond=0).isoformat(),
        dateformat.format(published, "j F Y, H:i"),
    )
