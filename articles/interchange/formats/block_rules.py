"""The block rules both body readers follow: which elements are subheadings, lists, pictures and not text.

Pure: no Django. `body.py` walks XML elements (XHTML, NITF) and `html_blocks.py` parses HTML text; both ask
these sets, so a heading, a list or a picture's caption is the same thing whatever the markup came in.
"""

from __future__ import annotations

__all__ = ["CAPTION", "HEADINGS", "LISTS", "NOT_TEXT", "PICTURES"]

# Elements whose text is a subheading.
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose items make one list block.
LISTS = frozenset({"ul", "ol"})
# Elements that show a picture, and the one inside a figure that captions it.
PICTURES = frozenset({"img", "figure"})
CAPTION = "figcaption"
# Elements whose content is not story text: scripts, styles, embedded frames and objects, the page head.
NOT_TEXT = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head", "title"})
