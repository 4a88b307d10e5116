"""Differences between two versions of a story's text, block by block and word by word, for people to read."""

import difflib
import html
from dataclasses import dataclass

from django.utils.html import strip_tags

from articles.desk import merging
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


@dataclass(frozen=True)
class Words:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class ChangedParagraph:
    """A paragraph one side changed, added or removed, with its words marked; number counts from 1 in new."""

    number: int
    kind: str  # "changed", "added" or "removed"
    words: tuple[Words, ...]


def paragraph_text(block: str) -> str:
    """Return what a reader sees of a block: its words without tags, entities decoded, spaces folded."""
    return " ".join(html.unescape(strip_tags(block)).split())


def word_diff(old: str, new: str) -> list[ChangedParagraph]:
    """Return the paragraphs that differ between old and new text, each with its words marked added or removed.

    The text, not the markup: a link or bold added around the same words shows no change of words.
    """
    as_html = merging.is_html(old or "") or merging.is_html(new or "")
    old_paragraphs = [paragraph_text(b) for b in merging.blocks_of(old, html=as_html)]
    new_paragraphs = [paragraph_text(b) for b in merging.blocks_of(new, html=as_html)]
    changed = []
    matcher = difflib.SequenceMatcher(a=old_paragraphs, b=new_paragraphs, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old_paragraphs[a_start:a_end], new_paragraphs[b_start:b_end]
        paired = min(len(olds), len(news))
        for offset in range(paired):
            changed.append(ChangedParagraph(b_start + offset + 1, "changed", _words(olds[offset], news[offset])))
        for offset, text in enumerate(news[paired:], start=paired):
            changed.append(ChangedParagraph(b_start + offset + 1, "added", (Words("added", text),)))
        for text in olds[paired:]:
            changed.append(ChangedParagraph(b_start + len(news) + 1, "removed", (Words("removed", text),)))
    return changed


def _words(old: str, new: str) -> tuple[Words, ...]:
    old_words, new_words = old.split(), new.split()
    marked = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            marked.append(Words("same", " ".join(old_words[a_start:a_end])))
            continue
        if a_end > a_start:
            marked.append(Words("removed", " ".join(old_words[a_start:a_end])))
        if b_end > b_start:
            marked.append(Words("added", " ".join(new_words[b_start:b_end])))
    return tuple(marked)
