"""The one allowlist through which every piece of editor-typed HTML passes."""

import nh3

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
    )
