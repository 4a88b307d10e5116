"""Three-way merges of a story's text, paragraph by paragraph, for two edits made from one version.

Pure: text in, text out (only the words of the marker lines go through gettext). The base is what an
editor opened, "mine" what she sent, "theirs" what someone else saved meanwhile. A paragraph (a block
element of the sanitized body; a line of plain text) changed by one side only takes that side's change;
one changed by both sides differently is a conflict, which the merged text carries between marker
paragraphs for the editor to settle.
"""

import difflib
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from articles.core.sanitize import clean_html
from articles.reader.rendering import split_blocks

# The marker paragraphs around a conflict. ArticleAdminForm refuses a text that still holds one, so a
# merge cannot be saved until the editor has chosen.
MARK = "▶▶"
END_MARK = "◀◀"
YOURS_MARK = format_lazy("{} {}", MARK, gettext_lazy("Both of you changed this. Your version:"))
THEIRS_MARK = format_lazy("{} {}", MARK, gettext_lazy("Their version:"))
CONFLICT_END_MARK = format_lazy(
    "{} {}", END_MARK, gettext_lazy("End of the conflict: keep what you want and delete the three marker lines.")
)

Blocks = tuple[str, ...]


@dataclass(frozen=True)
class Chunk:
    """A stretch of the merged text and where it came from."""

    kind: str  # "same", "mine", "theirs", "both" (the same change on both sides), "added" or "conflict"
    base: Blocks
    mine: Blocks
    theirs: Blocks

    @property
    def merged(self) -> Blocks:
        """Return the blocks this chunk contributes when it is not a conflict."""
        if self.kind in {"same", "theirs"}:
            return self.theirs
        if self.kind == "added":  # both added paragraphs at one place: keep both, hers first
            return self.mine + self.theirs
        return self.mine


@dataclass(frozen=True)
class Merge:
    chunks: tuple[Chunk, ...]
    html: bool

    @property
    def conflicts(self) -> int:
        return sum(1 for chunk in self.chunks if chunk.kind == "conflict")

    @property
    def both_added(self) -> int:
        return sum(1 for chunk in self.chunks if chunk.kind == "added")

    def text(self) -> str:
        """Return the merged text, each conflict between marker paragraphs holding both versions."""
        blocks: list[str] = []
        for chunk in self.chunks:
            if chunk.kind != "conflict":
                blocks.extend(chunk.merged)
                continue
            blocks.append(self._mark(YOURS_MARK))
            blocks.extend(chunk.mine)
            blocks.append(self._mark(THEIRS_MARK))
            blocks.extend(chunk.theirs)
            blocks.append(self._mark(CONFLICT_END_MARK))
        return "\n".join(blocks)

    def _mark(self, words: str) -> str:
        return f"<p>{words}</p>" if self.html else words


def is_html(text: str) -> bool:
    """Tell whether a text is markup (a body) rather than plain text (a standfirst, a caption)."""
    return text.lstrip().startswith("<")


def blocks_of(text: str, *, html: bool) -> Blocks:
    """Return a text's paragraphs: the block elements of sanitized HTML, or the non-empty lines of plain text."""
    text = (text or "").replace("\r\n", "\n")
    if html:
        return tuple(block.strip() for block in split_blocks(clean_html(text)) if block.strip())
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def merge_text(base: str, mine: str, theirs: str) -> Merge:
    """Merge two edits of one text paragraph by paragraph."""
    html = any(is_html(text or "") for text in (base, mine, theirs))
    return merge_blocks(blocks_of(base, html=html), blocks_of(mine, html=html), blocks_of(theirs, html=html), html)


def merge_value(base: str, mine: str, theirs: str) -> Merge:
    """Merge two edits of a one-line value (a headline): the whole value is the one paragraph."""
    return merge_blocks(*((value.strip(),) if value.strip() else () for value in (base, mine, theirs)), False)


def has_marks(text: str) -> bool:
    """Tell whether a text still holds conflict markers."""
    return MARK in (text or "") or END_MARK in (text or "")


def merge_blocks(base: Blocks, mine: Blocks, theirs: Blocks, html: bool = True) -> Merge:
    """Merge block sequences: each side's changes are placed on the base, and only overlapping ones meet.

    Unlike diff3, changes to neighbouring paragraphs do not conflict: one editor rewriting paragraph 2
    while the other rewrites paragraph 3 is the everyday case on a desk.
    """
    hunks = sorted(
        [(*hunk, "mine") for hunk in _hunks(base, mine)] + [(*hunk, "theirs") for hunk in _hunks(base, theirs)],
        key=lambda hunk: (hunk[0], hunk[1]),
    )
    groups: list[list[tuple]] = []
    for hunk in hunks:
        if groups and _overlap(groups[-1], hunk):
            groups[-1].append(hunk)
        else:
            groups.append([hunk])
    chunks: list[Chunk] = []
    at = 0
    for group in groups:
        low, high = min(h[0] for h in group), max(h[1] for h in group)
        if low > at:
            chunks.append(Chunk("same", base[at:low], base[at:low], base[at:low]))
        sides = {
            side: _apply(base, low, high, [h for h in group if h[4] == side], text)
            for side, text in (("mine", mine), ("theirs", theirs))
        }
        chunks.append(_resolve(base[low:high], sides["mine"], sides["theirs"]))
        at = high
    if at < len(base):
        chunks.append(Chunk("same", base[at:], base[at:], base[at:]))
    return Merge(tuple(chunks), html)


def _hunks(base: Blocks, other: Blocks) -> list[tuple[int, int, int, int]]:
    """Return where other differs from base: (base start, base end, other start, other end) for each change."""
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    return [(a1, a2, b1, b2) for tag, a1, a2, b1, b2 in matcher.get_opcodes() if tag != "equal"]


def _overlap(group: list[tuple], hunk: tuple) -> bool:
    """Tell whether a change touches the base blocks (or the insertion point) of a group of changes."""
    start, end = hunk[0], hunk[1]
    for other_start, other_end, *_ in group:
        if start == end and other_start == other_end:
            if start == other_start:
                return True
        elif start == end or other_start == other_end:
            point, low, high = (start, other_start, other_end) if start == end else (other_start, start, end)
            if low < point < high:
                return True
        elif start < other_end and other_start < end:
            return True
    return False


def _apply(base: Blocks, low: int, high: int, hunks: list[tuple], text: Blocks) -> Blocks:
    """Return base[low:high] with one side's changes within it applied."""
    result: list[str] = []
    at = low
    for start, end, other_start, other_end, _ in hunks:
        result.extend(base[at:start])
        result.extend(text[other_start:other_end])
        at = end
    result.extend(base[at:high])
    return tuple(result)


def _resolve(base: Blocks, mine: Blocks, theirs: Blocks) -> Chunk:
    if mine == base:
        kind = "theirs"
    elif theirs == base:
        kind = "mine"
    elif mine == theirs:
        kind = "both"
    elif not base:
        kind = "added"
    else:
        kind = "conflict"
    return Chunk(kind, base, mine, theirs)
