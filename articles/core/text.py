"""Pure text helpers shared by the models and the fixture builder."""

import re
import unicodedata
from urllib.parse import urlencode

from django.utils.text import slugify

from articles.core.limits import TITLE_KEY_MAX_LENGTH

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    """Return a matching key for a headline: case, accents, quotes and punctuation folded away."""
    decomposed = unicodedata.normalize("NFKD", title or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()[:TITLE_KEY_MAX_LENGTH]


def ascii_slug(text: str, *, max_length: int = 80) -> str:
    """Return a lowercase ASCII slug cut at a word boundary; non-Latin text keeps its letters."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = slugify(folded) or slugify(text or "", allow_unicode=True)
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def search_url(query: str) -> str:
    """Return the site-search address for a query; where links point until their story arrives."""
    return f"/search/?{urlencode({'q': query})}"
