"""Which addresses a story may link to, read the way a browser reads them.

A browser strips leading and trailing C0 control characters and spaces from an address, drops every
tab and newline inside it, and only then reads the scheme. A check that looks at the raw text is fooled
by "\\x01javascript:…" or "java\\tscript:…"; this module reads the scheme as the browser will.
"""

import re

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafeURL(ValueError):
    """An address a reader's browser would open as something other than a web page or an e-mail."""


def scheme_of(value: str) -> str | None:
    """Return the lowercased scheme a browser reads in value, or None for a relative address."""
    cleaned = _TAB_OR_NEWLINE.sub("", value.strip(_C0_OR_SPACE))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def checked_url(value: str) -> str:
    """Return value unchanged if it is a relative, http(s) or mailto address; raise UnsafeURL otherwise.

    The stored text must also be what a browser reads: an address with control characters, or with
    spaces, tabs or newlines around it, is refused rather than cleaned, so no two readers of it differ.
    """
    if not isinstance(value, str):
        raise UnsafeURL("an address must be text")
    if _CONTROL.search(value) or value != value.strip():
        raise UnsafeURL("an address may not contain control characters or start or end with spaces")
    scheme = scheme_of(value)
    if scheme is None:
        # A relative address has no scheme of its own: the page's, always http(s), applies.
        return value
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"“{scheme}:” addresses may not be linked; use an http, https or mailto address")
    return value


def is_safe_url(value: str) -> bool:
    """Tell whether value passes checked_url()."""
    try:
        checked_url(value)
    except UnsafeURL:
        return False
    return True
