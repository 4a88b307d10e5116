"""The one allowlist through which every piece of editor-typed HTML passes."""

import nh3

from articles.core.weburl import is_safe_url

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "cite",
    "em",
    "h2",
    "h3",
    "i",
    "li",
    "ol",
    "p",
    "q",
    "s",
    "strong",
    "sub",
    "sup",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "q": {"cite"}, "blockquote": {"cite"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Attributes holding an address that nh3 does not check against url_schemes (it checks href).
UNCHECKED_URL_ATTRIBUTES = frozenset({"cite"})


def _drop_unsafe_addresses(tag, attribute, value):
    """Return an attribute's value, or None to drop it when it is an address a browser would not open as a page."""
    if attribute in UNCHECKED_URL_ATTRIBUTES and not is_safe_url(value):
        return None
    return value


def clean_html(html):
    """Return the HTML with everything outside the allowlist removed; plain text is escaped."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
        attribute_filter=_drop_unsafe_addresses,
    )
