"""Differences between two versions of a story's text, block by block, for people to read."""

import difflib
from dataclasses import dataclass

from articles.reader.rendering import split_blocks


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed" or "added"
    text: str

    @property
    def sign(self) -> str:
        return {"same": " ", "removed": "−", "added": "+"}[self.kind]


def text_diff(old: str, new: str) -> list[DiffLine]:
    """Return the lines of old and new, marking those only in old as removed and only in new as added."""
    old_lines, new_lines = _lines(old), _lines(new)
    diff = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            diff.extend(DiffLine("same", line) for line in old_lines[a_start:a_end])
            continue
        diff.extend(DiffLine("removed", line) for line in old_lines[a_start:a_end])
        diff.extend(DiffLine("added", line) for line in new_lines[b_start:b_end])
    return diff


def _lines(text: str) -> list[str]:
    """Split body HTML into its paragraphs and headings; plain text into its lines."""
    text = text or ""
    blocks = split_blocks(text) if text.lstrip().startswith("<") else text.splitlines()
    return [line for block in blocks for line in block.splitlines() if line.strip()]
