"""Parse plain-text wire copy into frozen dataclasses (pure: no Django, no I/O)."""

from __future__ import annotations

import contextlib
import contextvars
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from articles.core.limits import HEADLINE_MAX_LENGTH

MAX_INPUT_BYTES = 2_000_000

__all__ = [
    "MAX_INPUT_BYTES",
    "Block",
    "LeadImage",
    "Person",
    "Related",
    "WireArticle",
    "WireError",
    "decode",
    "extract_entities",
    "find_names",
    "names_later",
    "parse",
    "parse_bytes",
]


class WireError(ValueError):
    """Report malformed wire copy with the file and line it concerns."""

    def __init__(self, message: str, *, line: int | None = None, filename: str | None = None) -> None:
        self.message = message
        self.line = line
        self.filename = filename
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = ":".join(str(part) for part in (self.filename, self.line) if part is not None)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass(frozen=True)
class Block:
    """One body block: a paragraph, a subheading or a list."""

    kind: Literal["paragraph", "subheading", "list"]
    text: str = ""
    items: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Related:
    """A related-story title and where it stood in the body."""

    title: str
    after_block: int
    label: str
    line: int = 0


@dataclass(frozen=True)
class LeadImage:
    """The lead image's caption and credit."""

    caption: str
    credit: str | None
    line: int = 0


@dataclass(frozen=True)
class Person:
    """A person named in the copy, with the title this article gives them."""

    name: str
    title: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Byline:
    """Someone credited with the story ("By …", "Reporting by …", "Editing by …") and their part in it."""

    name: str
    role: Literal["author", "additional", "editor", "photographer"]


@dataclass(frozen=True)
class WireArticle:
    """A parsed wire story."""

    headline: str
    dek: str | None
    lead_image: LeadImage | None
    dateline: str | None
    source: str | None
    blocks: tuple[Block, ...]
    related: tuple[Related, ...]
    people: tuple[Person, ...]
    places: tuple[str, ...]
    organisations: tuple[str, ...]
    bylines: tuple[Byline, ...] = ()


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def _line_of_offset(data: bytes, offset: int) -> int:
    """Return the 1-based line holding byte `offset`, counting CRLF, CR and LF as breaks."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _normalise_text(text: str) -> str:
    """Return text with LF line ends and NFC composition."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, *, filename: str | None = None) -> str:
    """Decode wire-copy bytes to normalised text, refusing empty, huge, binary or non-UTF-8 input."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise WireError("expected bytes", filename=filename)
    data = bytes(data)
    if not data:
        raise WireError("empty file", filename=filename)
    if len(data) > MAX_INPUT_BYTES:
        raise WireError(f"file is larger than {MAX_INPUT_BYTES} bytes", filename=filename)
    nul = data.find(b"\x00")
    if nul != -1:
        raise WireError("binary file (NUL byte)", line=_line_of_offset(data, nul), filename=filename)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Offsets are relative to the BOM-less bytes, which is where the lines are counted too.
        raise WireError("not valid UTF-8", line=_line_of_offset(data, exc.start), filename=filename) from None
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    if controls and controls * 10 > len(text):
        raise WireError("binary file (mostly control characters)", filename=filename)
    return _normalise_text(text)


def parse_bytes(data: bytes, *, filename: str | None = None) -> WireArticle:
    """Decode and parse wire-copy bytes."""
    return parse(decode(data, filename=filename), filename=filename)


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------

_SEPARATORS = frozenset({"-", "—", "–"})
_SPACE_RE = re.compile(r"\s+")
_BULLET_RE = re.compile(r"^(?:[•\-*–·▪●◦‣]|\d{1,3}[.)])\s+(\S.*)$")
_BULLET_ONLY = frozenset("•-*–—·▪●◦‣")
_SENTENCE_END = ".!?…:;,"
_CLOSERS = "\"'”’»)]"

# Lines that introduce related stories, alone or followed by ": title".
_RELATED_LABELS = frozenset(
    {
        "read more",
        "read also",
        "also read",
        "more",
        "see also",
        "related",
        "related stories",
        "related story",
        "related articles",
        "related article",
        "related content",
        "related coverage",
        "related news",
        "related links",
        "related reading",
        "more on this",
        "more on this story",
        "more stories",
        "recommended",
        "recommended stories",
        "further reading",
        "read next",
        "you may also like",
        "you might also like",
        "also on",
    }
)
# Lines that introduce a bullet list and carry no content of their own.
_LIST_LABELS = frozenset(
    {
        "key points",
        "key point",
        "highlights",
        "story highlights",
        "key takeaways",
        "takeaways",
        "at a glance",
        "in brief",
        "in short",
        "summary",
        "quick read",
        "key facts",
        "what we know",
        "what to know",
        "the facts",
    }
)
# Words that related-link labels are made of ("MORE ON THIS STORY", "You might also like", "Also read"),
# and the words one of which a label must hold, so that a crosshead such as "The news" stays one.
_LABEL_WORDS = frozenset(
    "read|more|also|see|related|recommended|recommend|further|reading|stories|story|articles|article|coverage|"
    "content|links|link|news|next|on|this|topic|topics|from|us|you|may|might|like|must|don't|miss|suggested|"
    "similar|in|depth|explore|latest|top|other|the|about|these|our|editor's|editors'|picks|pick|too|of|we|"
    "what|to|here|reads|background|previously|earlier|elsewhere".split("|")
)
_LABEL_ANCHORS = frozenset("read|related|recommended|see|more|further|suggested|similar|explore|miss|picks".split("|"))
_LABEL_MAX_WORDS = 6
# Words a label line may open with when its other words are the outlet's own ("Recommended for you").
_LABEL_OPENERS = frozenset("read|related|recommended|see|more|further|suggested|explore|also".split("|"))
_BLOCK_LABEL_MAX_WORDS = 5
_HANGING_WORDS = frozenset("in|on|about|from|with|at|for|to|also|like|this".split("|"))
_INLINE_SPLIT_RE = re.compile(r"^([^:|]{2,40}?)\s*[:|]\s*(\S.*)$")
_BRACKETS = {"[": "]", "(": ")", "{": "}"}

_CREDIT_WRAPPER_RE = re.compile(
    r"^(?:file\s+photo|file|photo|photos|photographer|photograph|photography|image|images|picture|pic|credit|source"
    r"|video|illustration|graphic)"
    r"(?:\s+credit)?(?:\s*[:\-–—]\s*|\s+by\s+)",
    re.IGNORECASE,
)
_CREDIT_WRAPPER_TAIL_RE = re.compile(
    r"(?:^|\s)(?:(?i:(?:photo|picture|image)\s+credit|file\s+photo|photo|photographer|photograph|image|picture|credit"
    r"|illustration|foto)\s*:\s*(?=\S)|(?i:fot)\.\s+(?=[A-Z])"
    r"|(?:Photo|Photograph|Picture|Pic|Image)s?\s+by\s+(?=[A-Z]))"
)
# "(PNA photo by Rico Santos)": a credit that names its agency before the photographer.
_INNER_WRAPPER_RE = re.compile(
    r"\b(?:photo|picture|image)s?\s+(?:by|credit)\b|^[\w.&'’ -]{1,40}\b(?:photo|photograph|picture)s?$", re.IGNORECASE
)
# Separators left between a caption and the credit it came with ("… in 2022 | Photo: Andina").
_CAPTION_TAIL = " |/·–—-"
# A national agency's initials in brackets ("(WAM)", "(SPA)") credit a picture as surely as a name does.
_AGENCY_INITIALS_RE = re.compile(r"^[A-Z]{2,6}$")
_KNOWN_CREDITS = (
    "ap",
    "afp",
    "reuters",
    "getty",
    "epa",
    "associated press",
    "bloomberg",
    "anadolu",
    "xinhua",
    "upi",
    "pa",
    "shutterstock",
    "aap",
    "dpa",
    "efe",
    "ansa",
    "kyodo",
    "yonhap",
    "sipa",
    "tass",
    "sputnik",
    "alamy",
    "nurphoto",
    "zuma",
    "wafa",
    "sana",
    "handout",
    "supplied",
    "courtesy",
)
_CREDIT_CONNECTORS = frozenset({"/", "|", "via", "for", "of", "and", "the", "de", "van", "von", "al", "el", "&", "-"})


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


def _clean(line: str) -> str:
    """Return a line with its whitespace runs collapsed."""
    return _SPACE_RE.sub(" ", line).strip()


def _ends_sentence(text: str) -> bool:
    """Tell whether text ends with sentence punctuation, looking through closing quotes."""
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_known_credit(text: str) -> bool:
    """Tell whether text names a known picture agency."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    lowered = text.lower()
    return any((c in words) if " " not in c else (c in lowered) for c in _KNOWN_CREDITS)


def _credit_shaped(text: str, *, max_words: int = 8) -> bool:
    """Tell whether text reads like a credit: a few capitalised words, slashes or pipes."""
    if not text or len(text) > 120 or text[-1] in ".!?,;:":
        return False
    words = text.replace("/", " / ").replace("|", " | ").split()
    if not words or len(words) > max_words + words.count("/") + words.count("|"):
        return False
    if not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    return all(w.lower() in _CREDIT_CONNECTORS or w[0].isupper() or w[0].isdigit() for w in words)


def _unwrap_credit(text: str) -> tuple[str, bool]:
    """Strip a wrapper word such as "Photo:" from a credit; say whether one was there."""
    stripped = _CREDIT_WRAPPER_RE.sub("", text, count=1).strip()
    return stripped, stripped != text.strip()


def _split_caption(text: str) -> tuple[str, str] | None:
    """Split a caption line into (caption, credit) when it ends in a credit."""
    # Bracketed credits: "(AP)", "[File: Reuters]", "(Photo: UN Photo / …)".
    if text[-1] in ")]":
        opener = "(" if text[-1] == ")" else "["
        start = text.rfind(opener)
        if start > 0:
            inner = text[start + 1 : -1].strip()
            caption = text[:start].strip()
            credit, wrapped = _unwrap_credit(inner)
            if caption and credit:
                plain_credit = _credit_shaped(credit) and (
                    _is_known_credit(credit)
                    or "/" in credit
                    or "|" in credit
                    or opener == "["
                    or _ends_sentence(caption)
                    or bool(_AGENCY_INITIALS_RE.match(credit))
                )
                if wrapped or plain_credit or _INNER_WRAPPER_RE.search(credit):
                    return caption, credit
        return None
    # "… Photo: Jane Doe/Reuters"
    matches = list(_CREDIT_WRAPPER_TAIL_RE.finditer(text))
    if matches:
        last = matches[-1]
        caption, credit = text[: last.start()].rstrip(_CAPTION_TAIL).strip(), text[last.end() :].strip()
        if caption and credit and len(credit) <= 120:
            return caption, credit
    # "… on Monday, Nov. 13, 2017. Natalie Naccache | Bloomberg | Getty Images"
    for match in reversed(list(re.finditer(r"[.!?][\"'”’]?\s+", text))):
        caption, credit = text[: match.end()].strip(), text[match.end() :].strip()
        if (
            caption
            and _credit_shaped(credit, max_words=10)
            and ("|" in credit or "/" in credit or _is_known_credit(credit))
        ):
            return caption, credit
        break
    # "Caption text / Reuters"
    if " / " in text:
        caption, credit = text.rsplit(" / ", 1)
        if caption.strip() and _credit_shaped(credit.strip(), max_words=5):
            return caption.strip(), credit.strip()
    return None


def _label_of(text: str, labels: frozenset[str]) -> str | None:
    """Return the label as written when the line is one of `labels` alone (optional colon)."""
    bare = text.rstrip(" :").strip()
    return bare if bare.lower() in labels else None


def _related_label(text: str) -> str | None:
    """Return the label as written when the line only introduces related stories ("See also:", "MORE ON THIS")."""
    bare = text.rstrip(" :|").strip()
    lowered = bare.lower()
    if lowered in _RELATED_LABELS:
        return bare
    words = lowered.replace("’", "'").split()
    if (
        0 < len(words) <= _LABEL_MAX_WORDS
        and all(word in _LABEL_WORDS for word in words)
        and _LABEL_ANCHORS.intersection(words)
    ):
        return bare
    return None


def _block_label(text: str, following: str) -> str | None:
    """Return the label of a line that opens with a label word and heads a list of titles.

    "Recommended for you" or "More on this subject:" above a story title: the label's own words vary
    by outlet, so the line is told by its first word, its brevity, and the title that follows it.
    """
    bare = text.rstrip(" :|")
    words = bare.lower().split()
    if ":" in bare or "|" in bare:
        # "Read more: Title" is a link of its own, not a label over the lines below it.
        return None
    if not words or len(words) > _BLOCK_LABEL_MAX_WORDS + 2:
        return None
    # "You might be interested in": a line left hanging on a preposition points at what follows it.
    hanging = words[-1] in _HANGING_WORDS
    if not hanging and (len(words) > _BLOCK_LABEL_MAX_WORDS or words[0] not in _LABEL_OPENERS):
        return None
    if not ((text.rstrip().endswith(":") and not hanging) or (following and _looks_like_title(following))):
        return None
    return bare.strip()


def _unbracket(text: str) -> str:
    """Return a line's text without the brackets that enclose all of it ("[Read more: …]")."""
    if len(text) > 2 and _BRACKETS.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def _inline_related(text: str) -> tuple[str, str] | None:
    """Return (label, title) for a line such as "Related: Title" or "(READ: Title)", or None."""
    match = _INLINE_SPLIT_RE.match(_unbracket(text))
    if match is None:
        return None
    label = _related_label(match.group(1))
    return (label, match.group(2).strip()) if label else None


def _looks_like_title(text: str) -> bool:
    """Tell whether a line reads as a story title rather than a body paragraph."""
    if len(text) > 250 or _BULLET_RE.match(text):
        return False
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] not in ".,;:…"


def _looks_like_subheading(text: str) -> bool:
    """Tell whether a line is a short crosshead rather than a paragraph."""
    words = text.split()
    if not words or len(words) > 12 or len(text) > 100:
        return False
    stripped = text.rstrip(_CLOSERS + " ")
    if not stripped:
        return False
    if stripped[-1] == "?":
        return len(words) <= 8 and text[0] not in "\"“‘'"
    if stripped[-1] in _SENTENCE_END:
        return False
    first = text.lstrip("\"'“‘")
    return bool(first) and (first[0].isupper() or first[0].isdigit())


_SIGNOFF_RE = re.compile(r"(?<=[.!?\"”’'])\s+(?:[-–—]\s*)?[A-Z]{2,4}(?:/[A-Z]{2,4})?$")


def _body_blocks(lines: list[_Line]) -> tuple[list[Block], list[Related]]:
    """Turn body lines into blocks and related links."""
    blocks: list[Block] = []
    related: list[Related] = []
    items: list[str] = []
    items_line = 0
    related_label: str | None = None

    def flush_items() -> None:
        nonlocal items, items_line
        if items:
            blocks.append(Block(kind="list", items=tuple(items), line=items_line))
            items = []

    for index, line in enumerate(lines):
        text = line.text
        if index == len(lines) - 1 and not _inline_related(text):
            # Agency initials after the last sentence ("… he said. DM") sign the copy off.
            text = _SIGNOFF_RE.sub("", text) or text
        if related_label is not None:
            # Titles under a label may be bulleted: "READ MORE:" then "* Storm season outlook".
            bulleted = _BULLET_RE.match(text)
            title = bulleted.group(1).strip() if bulleted else text
            if _related_label(title) is None and _looks_like_title(title):
                related.append(Related(title=title, after_block=len(blocks), label=related_label, line=line.number))
                continue
            related_label = None
        bullet = _BULLET_RE.match(text)
        if bullet:
            if not items:
                items_line = line.number
            items.append(bullet.group(1).strip())
            continue
        flush_items()
        if text in _BULLET_ONLY:
            continue
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        label = _related_label(_unbracket(text)) or _block_label(text, following)
        if label is not None:
            related_label = label
            continue
        inline = _inline_related(text)
        if inline:
            related.append(Related(title=inline[1], after_block=len(blocks), label=inline[0], line=line.number))
            continue
        if _label_of(text, _LIST_LABELS) is not None and _BULLET_RE.match(following):
            continue
        kind: Literal["paragraph", "subheading"] = "subheading" if _looks_like_subheading(text) else "paragraph"
        blocks.append(Block(kind=kind, text=text, line=line.number))
    flush_items()
    return blocks, related


_CREDIT_ROLES = (
    ("additional reporting", "additional"),
    ("reporting", "author"),
    ("writing", "author"),
    ("written", "author"),
    ("compiled", "author"),
    ("editing", "editor"),
    ("edited", "editor"),
    ("production", "editor"),
    ("photography", "photographer"),
    ("photographs", "photographer"),
    ("photos", "photographer"),
)
_CREDIT_PART_RE = re.compile(
    r"^(?P<role>" + "|".join(label for label, _ in _CREDIT_ROLES) + r")\s+by\s+(?P<names>.+)$", re.I
)
_BYLINE_RE = re.compile(r"^(?:By|BY)\s+(?P<names>[^.!?]{3,200})$")
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_NAME_PLACE_RE = re.compile(r"\s+in\s+[A-Z][\w'’.\- ]*$")
_NAME_WORD_RE = re.compile(r"^(?:[^\W\d_][\w'’.\-]*)$")


def _credit_names(text: str) -> list[str] | None:
    """Return the personal names in a credit such as "Jane Doe in Paris and John Roe", or None."""
    names = []
    for part in _NAME_SPLIT_RE.split(text.strip().rstrip(".")):
        part = _NAME_PLACE_RE.sub("", part.strip())
        if not part:
            continue
        words = part.split()
        if not 2 <= len(words) <= 5 or not all(_NAME_WORD_RE.match(word) for word in words):
            return None
        # "al-Sharif", "bin Salman": the last word may carry a lowercase particle before its capital.
        if not words[0][0].isupper() or not words[-1].rsplit("-", 1)[-1][:1].isupper():
            return None
        names.append(part)
    return names or None


def _credit_line(text: str) -> list[Byline] | None:
    """Read a credit line ("(Reporting by A; Editing by B)") into bylines, or return None."""
    inner = text.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1]
    bylines: list[Byline] = []
    for part in inner.split(";"):
        match = _CREDIT_PART_RE.match(part.strip())
        if not match:
            return None
        role = next(r for label, r in _CREDIT_ROLES if label == " ".join(match.group("role").lower().split()))
        names = _credit_names(match.group("names"))
        if names is None:
            return None
        bylines.extend(Byline(name=name, role=role) for name in names)  # type: ignore[arg-type]
    return bylines or None


def _byline_line(text: str) -> list[Byline] | None:
    """Read an opening "By Jane Doe and John Roe" line into bylines, or return None."""
    match = _BYLINE_RE.match(text.strip())
    if not match:
        return None
    names = _credit_names(match.group("names"))
    return [Byline(name=name, role="author") for name in names] if names else None


def _take_credits(blocks: list[Block]) -> list[Byline]:
    """Remove byline and credit lines from the start and end of the body and return who they credit."""
    bylines: list[Byline] = []
    if blocks and blocks[0].kind in ("paragraph", "subheading"):
        found = _byline_line(blocks[0].text)
        if found:
            bylines.extend(found)
            blocks.pop(0)
    tail: list[Byline] = []
    while blocks and blocks[-1].kind in ("paragraph", "subheading"):
        found = _credit_line(blocks[-1].text)
        if found is None:
            break
        tail[:0] = found
        blocks.pop()
    return bylines + tail


_MONTH_RE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý.'’\-]*(?: [A-ZÀ-Ý][A-ZÀ-Ý.'’\-]*){0,3}"
    r"(?:, (?!" + _MONTH_RE + r" \d)[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3})?)"
    r"(?:,? (?P<date>" + _MONTH_RE + r" \d{1,2}|\d{1,2} " + _MONTH_RE + r"))?"
    r"(?: ?\((?P<source>[^()]{1,40})\))?"
    r"(?: ?(?:—|–|--?)| ?:) "
)
_SOURCE_ONLY_RE = re.compile(r"^\((?P<source>[^()]{1,40})\) ?(?:—|–|--?) ")


def _split_dateline(text: str) -> tuple[str | None, str | None, str]:
    """Split "BEIRUT (Reuters) - text" into (dateline, source, text)."""
    # Datelines are short; matching a bounded prefix keeps the cost flat on huge lines.
    head = text[:200]
    match = _DATELINE_RE.match(head)
    if match:
        place = match.group("place")
        first = place.split(",")[0]
        letters = [ch for ch in first if ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters):
            rest = text[match.end() :].lstrip()
            if rest:
                source = match.group("source")
                return place, source.strip() if source else None, rest
    match = _SOURCE_ONLY_RE.match(head)
    if match and text[match.end() :].strip():
        return None, match.group("source").strip(), text[match.end() :].lstrip()
    return None, None, text


def parse(text: str, *, filename: str | None = None) -> WireArticle:
    """Parse wire copy text into a WireArticle."""
    if not isinstance(text, str):
        raise WireError("expected text", filename=filename)
    if len(text) > MAX_INPUT_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        raise WireError(f"text is larger than {MAX_INPUT_BYTES} bytes", filename=filename)
    try:
        return _parse(_normalise_text(text), filename)
    except WireError:
        raise
    except Exception as exc:
        # Callers handle exactly one error type; a parser bug must not surface as a crash.
        raise WireError(f"cannot parse wire copy ({type(exc).__name__}: {exc})", filename=filename) from exc


def _parse(text: str, filename: str | None) -> WireArticle:
    """Parse normalised text."""
    lines = [_Line(number, _clean(raw)) for number, raw in enumerate(text.split("\n"), start=1)]
    lines = [line for line in lines if line.text]
    if not lines:
        raise WireError("empty file: no headline", line=1, filename=filename)
    head = lines[0]
    if head.text in _SEPARATORS:
        raise WireError("missing headline before the '-' separator", line=head.number, filename=filename)
    if len(head.text) > HEADLINE_MAX_LENGTH:
        raise WireError(
            f"headline is longer than {HEADLINE_MAX_LENGTH} characters ({len(head.text)})",
            line=head.number,
            filename=filename,
        )
    if len(lines) > 1 and lines[1].text in _SEPARATORS:
        dek, separator = None, lines[1]
    elif len(lines) > 2 and lines[2].text in _SEPARATORS:
        dek, separator = lines[1].text, lines[2]
    else:
        where = lines[2].number if len(lines) > 2 else lines[-1].number
        raise WireError("no '-' separator line after the headline and optional dek", line=where, filename=filename)
    body = lines[lines.index(separator) + 1 :]
    if not body:
        raise WireError("no body after the '-' separator", line=separator.number, filename=filename)

    lead_image = None
    split = _split_caption(body[0].text) if len(body) > 1 else None
    if split:
        lead_image = LeadImage(caption=split[0], credit=split[1], line=body[0].number)
        body = body[1:]
    elif dek is not None and (split := _split_caption(dek)):
        # Copy without a standfirst sometimes puts the picture's caption above the separator; a
        # standfirst never ends in a picture credit, so the line is the caption.
        lead_image = LeadImage(caption=split[0], credit=split[1], line=lines[1].number)
        dek = None

    blocks, related = _body_blocks(body)
    bylines = _take_credits(blocks)
    if not blocks:
        raise WireError("the body holds only credit lines", line=body[0].number, filename=filename)
    dateline = source = None
    for position, block in enumerate(blocks):
        if block.kind == "paragraph":
            dateline, source, rest = _split_dateline(block.text)
            if rest != block.text:
                blocks[position] = Block(kind="paragraph", text=rest, line=block.line)
            break

    people, places, organisations = extract_entities(
        headline=head.text,
        dek=dek,
        caption=lead_image.caption if lead_image else None,
        blocks=blocks,
        source=source,
    )
    return WireArticle(
        headline=head.text,
        dek=dek,
        lead_image=lead_image,
        dateline=dateline,
        source=source,
        blocks=tuple(blocks),
        related=tuple(related),
        people=people,
        places=places,
        organisations=organisations,
        bylines=_unique_bylines(bylines),
    )


def _unique_bylines(bylines: list[Byline]) -> tuple[Byline, ...]:
    """Return each person once, with the first part the copy gives them."""
    seen: set[str] = set()
    unique = []
    for byline in bylines:
        key = byline.name.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(byline)
    return tuple(unique)


# ---------------------------------------------------------------------------
# Lexicon: small hand-written word lists (facts, not rules) the entity pass leans on.
# ---------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """Return the lower-cased, "|"-separated entries of a word list."""
    return frozenset(w.strip().lower() for w in text.split("|") if w.strip())


_COUNTRIES = (
    "Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|"
    "Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Bosnia and Herzegovina|Botswana|Brazil|"
    "Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|Chad|Chile|"
    "China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|"
    "Dominican Republic|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Ethiopia|Fiji|Finland|"
    "France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|"
    "Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|"
    "Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|"
    "Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Moldova|Monaco|Mongolia|"
    "Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|"
    "North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|"
    "Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|"
    "Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|"
    "Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Tunisia|"
    "Turkey|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|Uruguay|"
    "Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Britain|Great Britain|England|Scotland|"
    "Wales|Northern Ireland|America|UK|U.K.|US|U.S.|USA|U.S.A.|UAE|DRC|Somaliland|Western Sahara|Greenland"
)
_PLACES_OTHER = (
    "Gaza|Gaza Strip|Gaza City|West Bank|East Jerusalem|Jerusalem|Tel Aviv|Haifa|Rafah|Khan Younis|Khan Yunis|"
    "Jabalia|Deir al-Balah|Jenin|Nablus|Ramallah|Hebron|Bethlehem|Golan Heights|Sinai|Beirut|Tripoli|Sidon|Tyre|"
    "Damascus|Aleppo|Homs|Idlib|Sweida|Daraa|Latakia|Raqqa|Deir ez-Zor|Cairo|Alexandria|Amman|Baghdad|Mosul|Basra|"
    "Erbil|Kirkuk|Tehran|Isfahan|Riyadh|Jeddah|Mecca|Medina|Doha|Dubai|Abu Dhabi|Sharjah|Muscat|Manama|"
    "Kuwait City|Sanaa|Aden|Hodeidah|Ankara|Istanbul|Kabul|Kandahar|Herat|Islamabad|Karachi|Lahore|Peshawar|"
    "New Delhi|Delhi|Mumbai|Kolkata|Dhaka|Colombo|Kathmandu|Beijing|Shanghai|Hong Kong|Taipei|Tokyo|Seoul|"
    "Pyongyang|Bangkok|Hanoi|Manila|Jakarta|Kuala Lumpur|Tashkent|Astana|Almaty|Baku|Tbilisi|Yerevan|Moscow|"
    "St Petersburg|Kyiv|Kiev|Kharkiv|Odesa|Odessa|Donetsk|Luhansk|Donbas|Crimea|Minsk|Warsaw|Prague|Budapest|"
    "Vienna|Berlin|Munich|Frankfurt|Hamburg|Paris|Marseille|Lyon|Brussels|Amsterdam|The Hague|Rotterdam|"
    "Luxembourg City|Geneva|Zurich|Bern|Rome|Milan|Naples|Madrid|Barcelona|Lisbon|London|Manchester|Edinburgh|"
    "Belfast|Dublin|Stockholm|Oslo|Copenhagen|Helsinki|Reykjavik|Athens|Nicosia|Valletta|Bucharest|Sofia|"
    "Belgrade|Zagreb|Sarajevo|Tirana|Skopje|Pristina|Vilnius|Riga|Tallinn|Washington|New York|New York City|"
    "Los Angeles|Chicago|San Francisco|Boston|Miami|Houston|Dallas|Seattle|Atlanta|Philadelphia|Detroit|"
    "California|Texas|Florida|Ottawa|Toronto|Montreal|Vancouver|Mexico City|Havana|Caracas|Bogota|Bogotá|Lima|"
    "Quito|Santiago|Buenos Aires|Brasilia|Brasília|Rio de Janeiro|Sao Paulo|São Paulo|Montevideo|La Paz|"
    "Sydney|Melbourne|Canberra|Brisbane|Perth|Auckland|Wellington|Nairobi|Mogadishu|Addis Ababa|Khartoum|"
    "Omdurman|Darfur|Juba|Kampala|Kigali|Kinshasa|Lagos|Abuja|Accra|Dakar|Bamako|Niamey|Tunis|Algiers|Rabat|"
    "Casablanca|Benghazi|Johannesburg|Cape Town|Pretoria|Durban|Harare|Lusaka|Maputo|Luanda|Windhoek|Gaborone|"
    "Middle East|Europe|Africa|Asia|North America|South America|Latin America|Gulf|Persian Gulf|Red Sea|"
    "Mediterranean|Black Sea|Arctic|Antarctica|Balkans|Caucasus|Kashmir|Kurdistan|Levant|Sahel|Horn of Africa|"
    "Strait of Hormuz|Suez Canal|Bab el-Mandeb|Scandinavia|Siberia|Tibet|Xinjiang|Gulf of Aden"
)
KNOWN_PLACES: dict[str, str] = {w.strip().lower(): w.strip() for w in (_COUNTRIES + "|" + _PLACES_OTHER).split("|")}

_ORGS = (
    "United Nations|UN|U.N.|UNRWA|UNICEF|UNESCO|UNHCR|World Health Organization|World Health Organisation|WHO|"
    "World Food Programme|WFP|NATO|European Union|EU|African Union|Arab League|Gulf Cooperation Council|GCC|"
    "International Monetary Fund|IMF|World Bank|International Criminal Court|ICC|International Court of Justice|"
    "ICJ|OPEC|Red Cross|International Committee of the Red Cross|ICRC|Red Crescent|Amnesty International|"
    "Human Rights Watch|Doctors Without Borders|MSF|Hamas|Hezbollah|Hizbollah|Taliban|Islamic State|ISIS|ISIL|"
    "al-Qaeda|Al-Qaeda|al-Shabab|al-Shabaab|Houthis|Fatah|PLO|Palestinian Authority|Muslim Brotherhood|"
    "Islamic Jihad|Wagner|Pentagon|Kremlin|White House|Congress|Senate|Knesset|Bundestag|Interpol|Europol|"
    "FBI|CIA|NSA|Mossad|Shin Bet|IDF|WikiLeaks|Boeing|Airbus|Apple|Google|Alphabet|Microsoft|Amazon|Meta|"
    "Facebook|Twitter|Instagram|WhatsApp|Telegram|TikTok|YouTube|Tesla|SpaceX|OpenAI|Nvidia|Samsung|Huawei|"
    "Toyota|Volkswagen|Aramco|Saudi Aramco|Gazprom|Shell|BP|ExxonMobil|Chevron|Qatar Airways|Etihad|Lufthansa|"
    "Reuters|AP|Associated Press|AFP|Agence France-Presse|Bloomberg|BBC|CNN|CNBC|CBC|NBC|ABC|CBS|NPR|PBS|"
    "Fox News|Sky News|Al Jazeera|Al-Jazeera|Al Arabiya|Al-Arabiya|Axios|Politico|The New York Times|"
    "New York Times|The Washington Post|Washington Post|The Guardian|Financial Times|The Wall Street Journal|"
    "Wall Street Journal|The Economist|Haaretz|Times of Israel|Anadolu|Xinhua|TASS|Interfax|i24News|Channel 12|"
    "Kan|Ynet|Al-Monitor|Middle East Eye|Dow Jones|Nasdaq"
)
KNOWN_ORGS: dict[str, str] = {w.strip().lower(): w.strip() for w in _ORGS.split("|")}

# Each group is (full form, other spellings…); the full form wins when the copy uses it.
_ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("United States", "US", "U.S.", "USA", "U.S.A.", "United States of America", "America"),
    ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    ("United Arab Emirates", "UAE", "U.A.E."),
    ("Gaza Strip", "Gaza"),
    ("Netherlands", "The Netherlands", "Holland"),
    ("United Nations", "UN", "U.N."),
    ("European Union", "EU"),
    ("Kyiv", "Kiev"),
    ("Türkiye", "Turkey"),
)
_ALIAS_KEY: dict[str, str] = {name.lower(): group[0] for group in _ALIAS_GROUPS for name in group}

_DEMONYM_BASE = (
    "Afghan|African|Albanian|Algerian|American|Arab|Arabian|Argentine|Argentinian|Armenian|Asian|Australian|"
    "Austrian|Azerbaijani|Bahraini|Bangladeshi|Belarusian|Belgian|Bolivian|Bosnian|Brazilian|British|Bulgarian|"
    "Burmese|Cambodian|Canadian|Chilean|Chinese|Colombian|Congolese|Croatian|Cuban|Cypriot|Czech|Danish|Dutch|"
    "Ecuadorean|Ecuadorian|Egyptian|Emirati|English|Eritrean|Estonian|Ethiopian|European|Filipino|Finnish|French|"
    "Georgian|German|Ghanaian|Greek|Gulf|Haitian|Hungarian|Icelandic|Indian|Indonesian|Iranian|Iraqi|Irish|"
    "Israeli|Italian|Jamaican|Japanese|Jordanian|Kazakh|Kenyan|Korean|Kurdish|Kuwaiti|Latvian|Lebanese|Libyan|"
    "Lithuanian|Malaysian|Malian|Mexican|Moldovan|Mongolian|Moroccan|Nepali|Nepalese|Nigerian|Nigerien|Norwegian|"
    "Omani|Pakistani|Palestinian|Persian|Peruvian|Polish|Portuguese|Qatari|Romanian|Russian|Rwandan|Saudi|"
    "Scottish|Senegalese|Serbian|Slovak|Slovenian|Somali|Spanish|Sudanese|Swedish|Swiss|Syrian|Taiwanese|Thai|"
    "Tunisian|Turkish|Ugandan|Ukrainian|Uruguayan|Uzbek|Venezuelan|Vietnamese|Welsh|Yemeni|Zambian|Zimbabwean|"
    "Western|Eastern|Northern|Southern|Middle Eastern|Sunni|Shia|Shiite|Shi'ite|Muslim|Christian|Jewish|Jew|"
    "Druze|Alawite|Kurd|Hindu|Sikh|Buddhist|Catholic|Orthodox|Coptic|Bedouin|Yazidi|Islamist|Zionist|Israelite|"
    "Republican|Democrat|Democratic|Conservative|Labour|Liberal|Communist|Socialist"
)
DEMONYMS = frozenset(
    {w.lower() for w in _DEMONYM_BASE.split("|")}
    | {w.lower() + "s" for w in _DEMONYM_BASE.split("|")}
    | {w.lower() + "es" for w in _DEMONYM_BASE.split("|")}
)
_MONTHS_DAYS = _words(
    "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|"
    "Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Christmas|Easter|"
    "Ramadan|Eid|Hanukkah|Passover|Yom Kippur"
)
_LANGUAGES = _words(
    "English|Arabic|Hebrew|Farsi|Persian|Turkish|Kurdish|French|German|Spanish|Russian|Chinese|Mandarin|Urdu|"
    "Hindi|Pashto|Dari|Portuguese|Italian|Japanese|Korean|Swahili|Amharic|Somali|Latin|Greek"
)
# Capitalised words that begin sentences or headlines but name nothing.
COMMON_CAPITALISED = frozenset(
    w
    for w in "The|A|An|In|On|At|By|For|From|To|Of|With|Without|Into|Over|Under|After|Before|During|Since|Until|While|"
    "When|Where|Why|How|What|Who|Whom|Whose|Which|That|This|These|Those|There|Here|It|Its|He|His|Him|She|Her|"
    "They|Their|Them|We|Our|Us|You|Your|I|My|Me|But|And|Or|Nor|So|Yet|If|As|Also|However|Meanwhile|Moreover|"
    "Furthermore|Still|Then|Now|Today|Tonight|Yesterday|Tomorrow|Even|Only|Just|Some|Many|Most|More|Much|Few|"
    "Several|All|Both|Each|Every|Other|Another|Such|Last|Next|First|Second|Third|Final|According|Following|"
    "Despite|Although|Though|Because|Unlike|Like|Among|Between|Against|Amid|About|Above|Below|Around|Across|"
    "Along|Toward|Towards|Through|Throughout|Within|Beyond|Earlier|Later|Recently|Previously|Instead|Indeed|"
    "Nevertheless|Nonetheless|Otherwise|Thus|Hence|Therefore|No|Not|Never|One|Two|Three|Four|Five|Six|Seven|"
    "Eight|Nine|Ten|Hundreds|Thousands|Millions|Dozens|Senior|Former|New|Local|Top|Key|Some|Any|Please|Yes|"
    "Mr|Mrs|Ms|Dr|Speaking|Asked|Read|Watch|Listen|Photo|File|Image|Video|Breaking|Update|Updated|Editor|Note|"
    "Officials|Residents|Witnesses|Analysts|Experts|Critics|Sources|Reporters|Police|Authorities|Lawmakers|"
    "Leaders|Protesters|Troops|Soldiers|Militants|Rebels|Forces|Government|Ministry|State|City|Court|Army|"
    "President|Minister|Prime|King|Queen|Prince|Sheikh|General|Colonel|Captain|Let|Let's|Did|Do|Does|Is|Are|"
    "Was|Were|Will|Would|Can|Could|Should|May|Might|Must|Has|Have|Had|Be|Been|Being|Sign|See|Get|Go|Look|Keep".split(
        "|"
    )
)
NON_ENTITIES = (
    _MONTHS_DAYS
    | _LANGUAGES
    | _words(
        "God|Allah|Covid|Covid-19|COVID|COVID-19|Internet|TV|CEO|CFO|GMT|UTC|EST|ID|OK|PM|AM|NGO|NGOs|MP|MPs|GDP|"
        "AI|IT|PR|HQ|VIP|DNA|HIV|AIDS|Mujahideen|Jihad|Intifada|Nakba|Holocaust|Bible|Koran|Quran|Torah|Oscar|"
        "Oscars|Olympics|Dreamliner|Max|Ms|Mrs|Mr|Dr|St|Jr|Sr|II|III|IV|Inc|Ltd|Co|Corp|Plc|LLC|DM|BREAKING"
    )
)
# Words that head a person's title ("Foreign Minister", "spokesman", "co-founder").
TITLE_NOUNS = _words(
    "president|vice-president|president-elect|premier|minister|ministers|secretary|secretary-general|"
    "undersecretary|under-secretary|envoy|ambassador|consul|spokesman|spokeswoman|spokesperson|chairman|"
    "chairwoman|chairperson|chair|chief|director|director-general|head|leader|commander|founder|co-founder|"
    "governor|mayor|senator|congressman|congresswoman|lawmaker|legislator|representative|adviser|advisor|"
    "official|officer|chancellor|king|queen|prince|princess|emir|sultan|monarch|pope|judge|prosecutor|attorney|"
    "lawyer|counsel|analyst|expert|fellow|professor|researcher|scientist|economist|editor|correspondent|"
    "reporter|journalist|videographer|photographer|producer|columnist|ceo|cfo|coo|cto|executive|manager|"
    "coordinator|commissioner|rapporteur|negotiator|mediator|delegate|dean|rector|lead|member|activist|"
    "campaigner|owner|strategist|consultant|diplomat|commentator|inspector|investigator|treasurer|speaker|"
    "mufti|cleric|imam|rabbi|bishop|archbishop|patriarch|cardinal|ayatollah|deputy|aide|administrator|"
    "superintendent|sheriff|statesman|politician|researcher|historian|author|writer|novelist|director-general|"
    "vice|partner|founder-director|physician|doctor|surgeon|nurse|teacher|engineer|architect|pilot|"
    "economist|planner|specialist|scholar|academic|lecturer|curator|organiser|organizer|founder|spokesperson"
)
# Lower-case words that qualify a title ("interim President", "former leader").
TITLE_MODIFIERS = _words(
    "former|interim|transitional|acting|deputy|chief|senior|junior|military|freelance|foreign|special|then|late|"
    "outgoing|incoming|newly|elected|vice|assistant|associate|political|spiritual|supreme|prime|defence|defense|"
    "finance|state|regional|national|international|local|veteran|longtime|long-time|top|executive|general|"
    "managing|founding|permanent|caretaker|de|facto|chief|principal|lead|legal|economic|security|health|"
    "education|interior|justice|trade|energy|oil|environment|culture|information|intelligence|police|army|"
    "navy|air|force|commanding|presidential|parliamentary|opposition|ruling|exiled|self-declared|self-styled|"
    "current|previous|veteran|independent|visiting|adjunct|emeritus|crown|grand|high|first|second|third|"
    "communications|media|press|public|affairs|policy|programme|program|research|strategic|humanitarian|"
    "unnamed|anonymous|staff|cluster|team|project|country|field|desk|news|bureau|sports|video|photo|"
    "co-|joint|technical|operations|operational|medical|religious|tribal|community|party|group|union|"
    "business|investment|development|aviation|airline|industry|sector|private|government|city|municipal|"
    "provincial|federal|district|county"
)
# Honorifics and ranks: not part of a name and not a title by themselves.
HONORIFICS = _words(
    "Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Sheikh|Sheikha|Shaikh|Sheik|Imam|Rabbi|Rev|"
    "Reverend|Father|Sister|Brother|Pastor|Hajj|Haji|Mullah|Maulana|Ayatollah|Gen|General|Lieutenant|Lt|"
    "Colonel|Col|Major|Maj|Captain|Capt|Admiral|Adm|Rear|Vice|Brigadier|Brig|Sergeant|Sgt|Corporal|Cpl|Private|"
    "Pte|Commander|Cmdr|Cdr|Marshal|Field|Commodore|Lt-Gen|Lt-Col|Maj-Gen|Brig-Gen|Staff|Honourable|Hon|"
    "Excellency|His|Her|Majesty|Highness|Saint|St"
)
# Words that mark an organisation wherever they stand in a capitalised name.
ORG_CUES = _words(
    "Ministry|Department|University|Institute|Institution|Agency|Council|Court|Committee|Commission|Union|"
    "Assembly|Party|Airlines|Airline|Airways|Group|Company|Corporation|Corp|Inc|Ltd|Plc|LLC|Association|"
    "Organisation|Organization|Foundation|Authority|Centre|Center|Bureau|Office|Service|Services|Forces|Army|"
    "Navy|Police|Bank|Fund|Federation|League|Alliance|Movement|Front|Brigades|Brigade|Network|News|Times|"
    "Post|Press|Television|Radio|House|Parliament|Congress|Senate|Cabinet|Tribunal|Secretariat|Holdings|"
    "Industries|Club|Society|Trust|School|College|Academy|Board|Programme|Program|Initiative|Coalition|"
    "Guard|Corps|Command|Consortium|Exchange|Museum|Observatory|Watch|Partners|Capital|Bancorp|Motors|"
    "Systems|Technologies|Labs|Laboratories|Reserve|Treasury|Directorate|Church|Caliphate|Regiment|Battalion|"
    "Administration|Division|Taskforce|Secretariat|Chamber|Senate|Presidency|Monitor|Gazette|Herald|Tribune|Journal|"
    "Telegraph|Observer|Agency|Bloc|Council|Congress|Conference|Forum|Convention|Cooperative"
)
# Words that end a place name ("Gaza Strip", "Peace Palace", "Ecuadorean Embassy").
PLACE_CUES = _words(
    "Strip|Island|Islands|Peninsula|Heights|Valley|River|Sea|Gulf|Bay|Mountains|Mountain|Desert|Province|"
    "Region|District|Governorate|County|City|Airport|Palace|Embassy|Consulate|Square|Street|Avenue|Road|Camp|"
    "Port|Harbour|Harbor|Canal|Lake|Ocean|Coast|Crossing|Park|Bridge|Mosque|Cathedral|Temple|Stadium|Prison|"
    "Hospital|Base|Plain|Plateau|Basin|Delta|Oasis|Falls|Hills|Highlands|Corridor|Quarter|Village|Town|"
    "Neighbourhood|Neighborhood|Compound|Complex|Tower|Towers|Building|Hall|Mount|Cape|Straits|Strait|"
    "Capitol|Kremlin|Citadel|Refugee|Terminal|Checkpoint|Crossing|Border|Territories|Territory"
)
# Place cues that open a place name rather than end it.
_PLACE_OPENERS = _words("mount|lake|cape|port|fort|bay|island|isle")
# Lower-case nouns after a place name that belong to it ("Logar province").
_PLACE_SUFFIXES = _words("province|governorate|district|county|prefecture|oblast|municipality|state|region")
_PLACE_AFTER = _words("area|city|town|village|region|camp|neighbourhood|neighborhood|district|suburb|refugee")
_PLACE_BEFORE = _words("in|at|near|from|outside|inside|into|across|towards|toward|around|via|throughout")
_PLACE_OF = _words("city|town|village|area|province|region|capital|district|governorate|outskirts|suburb|port")
_ORG_BEFORE = _words(
    "carrier|airline|broadcaster|newspaper|daily|outlet|agency|firm|company|group|think-tank|network|channel|"
    "website|platform|app|lender|insurer|manufacturer|plane-maker|maker|startup|giant|conglomerate|operator|"
    "militia|faction|movement|party|organisation|organization|charity|watchdog|tabloid|magazine|portal|"
    "broadcaster's|publication|retailer|brand|bank|regulator|club"
)
_ORG_AFTER = _words(
    "channel|television|tv|newspaper|network|website|app|platform|agency|report|reports|broadcaster|daily|"
    "radio|magazine|reported|spokesman|spokeswoman|spokesperson|statement|officials|official|fighters|"
    "militants|members|leadership|executives|shares|stock|airline|carrier"
)
_SPEECH_VERBS = _words(
    "said|says|told|tells|added|adds|argued|argues|noted|notes|stressed|stresses|explained|explains|wrote|writes|"
    "tweeted|posted|warned|warns|insisted|insists|confirmed|confirms|denied|denies|announced|announces|agreed|"
    "agrees|asked|asks|replied|replies|concluded|suggested|suggests|claimed|claims|acknowledged|urged|urges|"
    "testified|recalled|recalls|lamented|laments|admitted|admits|remarked|observed|continued|countered|"
    "responded|responds|declared|declares|described|describes|welcomed|condemned|called|calls|met|meets"
)
# A modest list of common given names, used only when nothing else marks a name as a person.
GIVEN_NAMES = _words(
    "Mohammed|Mohammad|Muhammad|Mohamed|Mohamad|Ahmed|Ahmad|Ali|Hassan|Hussein|Hussain|Omar|Umar|Abdullah|"
    "Abdallah|Khaled|Khalid|Mahmoud|Mahmud|Mustafa|Mostafa|Youssef|Yousef|Yusuf|Ibrahim|Ismail|Ismael|Salem|"
    "Saleh|Salah|Samir|Tariq|Tarek|Walid|Yasser|Yasir|Ziad|Nabil|Fadi|Rami|Sami|Karim|Kareem|Hamza|Bilal|"
    "Jamal|Jamil|Nasser|Faisal|Fahad|Fahd|Sultan|Saeed|Said|Osama|Usama|Anas|Amr|Amir|Majid|Marwan|Mazen|Hani|"
    "Haytham|Haitham|Hisham|Adel|Adil|Imad|Emad|Iyad|Ayman|Ayham|Moussa|Musa|Issa|Eissa|Yahya|Zakaria|Suleiman|"
    "Sulaiman|Fatima|Fatma|Aisha|Mariam|Maryam|Layla|Leila|Noura|Nour|Sara|Sarah|Rania|Lina|Dina|Hala|Huda|"
    "Reem|Rima|Salma|Yasmin|Yasmine|Zainab|Zeinab|Amina|Asma|Hanan|Samira|Mona|Nadia|Rana|Hiba|Heba|Amal|"
    "John|James|Robert|Michael|William|David|Richard|Joseph|Thomas|Charles|Christopher|Daniel|Matthew|Anthony|"
    "Mark|Donald|Steven|Paul|Andrew|Joshua|Kenneth|Kevin|Brian|George|Timothy|Ronald|Edward|Jason|Jeffrey|"
    "Ryan|Jacob|Gary|Nicholas|Eric|Jonathan|Stephen|Larry|Justin|Scott|Brandon|Benjamin|Samuel|Gregory|"
    "Alexander|Frank|Patrick|Raymond|Jack|Dennis|Jerry|Tyler|Aaron|Jose|Adam|Nathan|Henry|Douglas|Zachary|Peter|"
    "Kyle|Noah|Ethan|Jeremy|Walter|Christian|Keith|Roger|Terry|Austin|Sean|Gerald|Carl|Harold|Dylan|Arthur|"
    "Lawrence|Jordan|Jesse|Bryan|Billy|Bruce|Gabriel|Joe|Logan|Alan|Juan|Albert|Willie|Elijah|Wayne|Randy|"
    "Vincent|Mary|Patricia|Jennifer|Linda|Elizabeth|Barbara|Susan|Jessica|Karen|Nancy|Lisa|Betty|Margaret|"
    "Sandra|Ashley|Kimberly|Emily|Donna|Michelle|Carol|Amanda|Melissa|Deborah|Stephanie|Rebecca|Sharon|Laura|"
    "Cynthia|Kathleen|Amy|Angela|Shirley|Anna|Brenda|Pamela|Emma|Nicole|Helen|Samantha|Katherine|Christine|"
    "Debra|Rachel|Carolyn|Janet|Catherine|Maria|Heather|Diane|Ruth|Julie|Olivia|Joyce|Virginia|Victoria|Kelly|"
    "Lauren|Christina|Joan|Evelyn|Judith|Megan|Andrea|Cheryl|Hannah|Jacqueline|Martha|Gloria|Teresa|Ann|"
    "Madison|Frances|Kathryn|Janice|Jean|Abigail|Alice|Judy|Sophia|Grace|Denise|Amber|Doris|Marilyn|Danielle|"
    "Beverly|Isabella|Theresa|Diana|Natalie|Brittany|Charlotte|Marie|Kayla|Alexis|Lori|Tom|Tim|Jim|Bob|Bill|"
    "Mike|Dave|Steve|Chris|Nick|Matt|Ben|Sam|Dan|Tony|Rob|Ron|Ken|Jeff|Greg|Pete|Andy|Kate|Jane|Liz|Sue|Meg|"
    "Vladimir|Sergei|Sergey|Dmitry|Dmitri|Alexei|Alexey|Volodymyr|Viktor|Yuri|Igor|Oleg|Olga|Natalia|Tatiana|"
    "Recep|Mehmet|Ahmet|Mustafa|Emre|Hakan|Benjamin|Yair|Yoav|Avi|Moshe|Itamar|Bezalel|Gideon|Naftali|Benny|"
    "Xi|Li|Wang|Zhang|Narendra|Rahul|Imran|Shehbaz|Nawaz|Asif|Emmanuel|Olaf|Angela|Friedrich|Keir|Rishi|Boris|"
    "Giorgia|Pedro|Luiz|Javier|Gustavo|Nicolas|Nicolás|Joe|Kamala|Marco|Antonio|António|Luis|Carlos|Miguel|"
    "Francisco|Manuel|Jorge|Cyril|Jacob|Thabo|Nelson|Julian|Elon|Jeff|Sundar|Satya|Mark|Tim"
)


def _alias_canonical(names: list[str]) -> dict[str, str]:
    """Map each written name to the spelling a tag should use."""
    counts = Counter(names)
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(_ALIAS_KEY.get(name.lower(), _merge_key(name)), []).append(name)
    result: dict[str, str] = {}
    for key, members in groups.items():
        full = next((m for m in members if m.lower() == key.lower()), None)
        if full is None:
            # Most used spelling wins; ties go to the first one written.
            order = {m: i for i, m in reversed(list(enumerate(members)))}
            full = max(set(members), key=lambda m: (counts[m], -order[m]))
        for member in members:
            result[member] = full
    return result


def _merge_key(name: str) -> str:
    """Return a key that treats "Emirates Airline" and "Emirates Airlines" as one name."""
    return " ".join(word.rstrip("s") for word in name.casefold().replace("-", " ").split())


# ---------------------------------------------------------------------------
# Entity extraction
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[^\W_]|[’'\-‐](?=[^\W_]))*|\d(?:\w|[.,:\-](?=\d))*|\S")
_PARTICLE_HYPHEN_RE = re.compile(r"^(?:al|el|ad|as|ash|at|az|an|ar|ul|ud|bin|ibn|abu|abd|bel|ben)-[^\W\d_]")
_NAME_PARTICLES = _words(
    "al|el|bin|bint|ibn|van|von|de|da|der|den|du|la|le|di|dos|das|del|ter|abu|abd|ben|bou|ould|della|delle|degli|"
    "dei|dal|dalla|do|zu|af|ten|op|los|las"
)
_RUN_CONNECTORS = _NAME_PARTICLES | {"of", "for", "and", "the", "&"}
_BOUNDARY = frozenset(',.;:!?()[]{}"“”‘’—–«»')
_ABBREVIATIONS = _words(
    "Mr|Mrs|Ms|Dr|St|Co|Inc|Ltd|Jr|Sr|Gen|Lt|Col|Capt|Sgt|Prof|Rev|No|Mt|vs|Jan|Feb|Aug|Sept|Oct|Nov|Dec|"
    "Adm|Maj|Brig|Cmdr|Cdr|Cpl|Pte|Sen|Rep|Gov|Hon|Supt|Insp|Det|Amb|Atty|Gen"
)
_ZONE_RANK = {"head": 1, "caption": 1, "body": 0}


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    kind: str  # "w" word, "n" number, "p" punctuation
    poss: bool = False
    sent_start: bool = False
    lower: str = ""
    cap: bool = False

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the derived fields after the text changes."""
        self.lower = self.text.lower()
        self.cap = self.kind == "w" and (self.text[0].isupper() or bool(_PARTICLE_HYPHEN_RE.match(self.text)))


def _tokenise(text: str) -> list[_Tok]:
    """Split text into word, number and punctuation tokens, marking possessives and sentence starts."""
    tokens: list[_Tok] = []
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        kind = "w" if word[0].isalpha() else "n" if word[0].isdigit() else "p"
        token = _Tok(word, match.start(), match.end(), kind)
        if kind == "w" and len(word) > 2 and word[-2] in "’'" and word[-1] == "s":
            token.text, token.end, token.poss = word[:-2], match.end() - 2, True
            token.refresh()
        tokens.append(token)
    for index, token in enumerate(tokens):
        if token.kind == "p" and token.text in "’'" and index and tokens[index - 1].text.endswith("s"):
            if tokens[index - 1].end == token.start:
                tokens[index - 1].poss = True
    previous: _Tok | None = None
    abbreviated = False
    for index, token in enumerate(tokens):
        if token.kind == "p" and token.text in "\"“‘'(«[":
            previous = token
            continue
        if previous is None or previous.text in '"“‘(«[':
            token.sent_start = True
        elif previous.text in ".!?:" and not (previous.text == "." and abbreviated):
            token.sent_start = True
        if token.kind != "p" or token.text not in '”’")»]':
            previous = token
        if token.text == "." and index:
            # "Dr. Smith" or "U. Nations": a full stop after an abbreviation does not end the sentence.
            word = tokens[index - 1]
            abbreviated = word.end == token.start and (
                word.text.lower() in _ABBREVIATIONS or (len(word.text) == 1 and word.text.isupper())
            )
    return tokens


def _runs(tokens: list[_Tok]) -> list[tuple[int, int]]:
    """Return [start, end) spans of capitalised word runs, joined by name particles and "of"."""
    spans: list[tuple[int, int]] = []
    index = 0
    count = len(tokens)
    while index < count:
        if not tokens[index].cap:
            index += 1
            continue
        start = index
        end = index + 1
        while end < count and not tokens[end - 1].poss:
            token = tokens[end]
            if end - start >= 12:
                # Real names are short; a cap keeps every later look-back over a run cheap.
                break
            if token.cap and not token.sent_start:
                end += 1
                continue
            if _initial_stop(tokens, end):
                # "K. K. Ramachandran": an initial's full stop stays inside the name.
                end += 2 if tokens[end + 1].cap else 1
                continue
            # Connectors join only when a capitalised word follows: "Department of Justice", "bin Rashid".
            if token.lower in _RUN_CONNECTORS and token.kind == "w" and not token.text[0].isupper():
                if token.lower in ("and", "&") and not _and_joins(tokens, start, end):
                    break
                look = end + 1
                if token.lower in ("of", "for") and look < count and tokens[look].lower == "the":
                    look += 1
                # Particles stack ("van der Berg"); an elided one keeps its apostrophe ("de' Bardi").
                while look < count and look - end < 3 and tokens[look].lower in _NAME_PARTICLES:
                    look += 1
                if _elided(tokens, look):
                    look += 1
                if look < count and tokens[look].cap and tokens[look].kind == "w":
                    end = look + 1
                    continue
            break
        spans.append((start, end))
        index = end
    return spans


def _initial_stop(tokens: list[_Tok], index: int) -> bool:
    """Tell whether tokens[index] is the full stop after an initial, with a capitalised word next."""
    if index + 1 >= len(tokens) or tokens[index].text != ".":
        return False
    initial = tokens[index - 1]
    following = tokens[index + 1]
    return (
        len(initial.text) == 1
        and initial.text.isupper()
        and initial.end == tokens[index].start
        and following.kind == "w"
        and following.text[0].isupper()
    )


def _elided(tokens: list[_Tok], index: int) -> bool:
    """Tell whether tokens[index] is the apostrophe of an elided particle written against it ("de'")."""
    if not 0 < index < len(tokens) or tokens[index].text not in "'’":
        return False
    particle = tokens[index - 1]
    return particle.lower in _NAME_PARTICLES and particle.end == tokens[index].start


def _and_joins(tokens: list[_Tok], start: int, index: int) -> bool:
    """Tell whether "and" at `index` sits inside one name ("Relief and Works Agency") rather than a list."""
    if _is_title_word(tokens[index - 1]) and index + 1 < len(tokens) and _is_title_word(tokens[index + 1]):
        return True
    if tokens[index - 1].lower in ORG_CUES:
        # "… Administration and Nordic Airlines": one complete name, then another.
        return False
    if any(t.lower in ORG_CUES or t.lower in ("of", "for") for t in tokens[start:index]):
        return True
    look = index + 1
    while look < len(tokens) and look - index < 6 and tokens[look].cap:
        if tokens[look].lower in ORG_CUES:
            return True
        look += 1
    return False


# Endings of lower-case words that name an occupation ("hydrologist", "statistician", "choreographer").
_OCCUPATION_ENDINGS = ("ologist", "onomist", "ist", "ician", "ographer")
_NOT_OCCUPATIONS = _words("list|mist|fist|wrist|twist|gist|exist|insist|resist|assist|persist|consist|desist|amidst")


def _is_title_word(token: _Tok) -> bool:
    """Tell whether a word heads a title: a listed title noun, or a lower-case occupation word."""
    if token.lower in TITLE_NOUNS:
        return token.lower not in ("chief", "general", "lead", "member", "vice")
    return (
        token.kind == "w"
        and token.text.islower()
        and len(token.text) > 5
        and token.lower.endswith(_OCCUPATION_ENDINGS)
        and token.lower not in _NOT_OCCUPATIONS
    )


def _is_honorific(token: _Tok) -> bool:
    return token.text.rstrip(".").lower() in HONORIFICS


class _Collector:
    """Accumulate mentions across the zones of one article."""

    def __init__(self, acronyms: dict[str, str]) -> None:
        self.acronyms = acronyms
        self.people: list[dict] = []  # {"names": [(name, zone)], "titles": [(zone_rank, order, title)]}
        self.by_name: dict[str, dict] = {}
        self.by_suffix: dict[tuple[str, ...], dict] = {}
        self.places: list[tuple[str, str]] = []
        self.orgs: list[tuple[str, str]] = []
        self.order = 0

    # -- people ------------------------------------------------------------
    def find_person(self, name: str) -> dict | None:
        """Return the person already seen under this exact spelling (case aside)."""
        return self.by_name.get(name.casefold())

    def find_by_surname(self, words: list[str]) -> dict | None:
        """Return the first person whose fuller name ends with these words ("al-Sharaa", "Abu Amer")."""
        return self.by_suffix.get(tuple(w.casefold() for w in words))

    def add_person(self, name: str, zone: str) -> dict:
        """Record a full-name mention, creating the person on first sight."""
        person = self.find_person(name)
        if person is None:
            person = {"names": [], "titles": []}
            self.people.append(person)
        self.note_name(person, name, zone)
        return person

    def note_name(self, person: dict, name: str, zone: str) -> None:
        """Record one more spelling of a person and index its surname forms."""
        person["names"].append((name, zone))
        self.by_name.setdefault(name.casefold(), person)
        parts = tuple(name.casefold().split())
        for size in range(1, min(len(parts), 4)):
            self.by_suffix.setdefault(parts[-size:], person)

    def add_title(self, person: dict, title: str, zone: str) -> None:
        title = title.strip(" ,")
        if title:
            self.order += 1
            person["titles"].append((_ZONE_RANK[zone], self.order, title))

    # -- tags --------------------------------------------------------------
    def add_tag(self, kind: str, name: str, zone: str) -> None:
        (self.places if kind == "place" else self.orgs).append((name, zone))


def _find_acronyms(text: str, tokens: list[_Tok], runs: list[tuple[int, int]]) -> dict[str, str]:
    """Return acronyms the copy defines, e.g. "International Court of Justice (ICJ)"."""
    found: dict[str, str] = {}
    for start, end in runs:
        while start < end and tokens[start].text in COMMON_CAPITALISED:
            start += 1
        if end - start < 2:
            continue
        look = end
        if look < len(tokens) and tokens[look].text in "’'":
            look += 1
        if look + 2 < len(tokens) and tokens[look].text == "(" and tokens[look + 2].text == ")":
            acronym = tokens[look + 1].text
            words = [t for t in tokens[start:end] if t.text[0].isupper()]
            if (
                tokens[look + 1].kind == "w"
                and 2 <= len(acronym) <= 8
                and sum(ch.isupper() for ch in acronym) >= 1
                and acronym[0].isupper()
                and words
                and acronym[0] == words[0].text[0]
                and len(acronym) <= len(words) + 2
            ):
                found.setdefault(acronym, text[tokens[start].start : tokens[end - 1].end])
    return found


def _title_case(text: str) -> bool:
    """Tell whether a line is written in headline Title Case, where capitals mean nothing."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in ("a", "an", "the", "of", "and")]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _extract_entities(
    *, headline: str, dek: str | None, caption: str | None, blocks: list[Block], source: str | None
) -> tuple[tuple[Person, ...], tuple[str, ...], tuple[str, ...]]:
    """Find people, places and organisations named in the copy."""
    zones: list[tuple[str, str]] = []
    if not _title_case(headline):
        zones.append((headline, "head"))
    if dek:
        zones.append((dek, "head"))
    if caption:
        zones.append((caption, "caption"))
    for block in blocks:
        texts = list(block.items) if block.kind == "list" else [block.text]
        for text in texts:
            if block.kind == "subheading" and _title_case(text):
                continue
            zones.append((text, "body"))
    scanned = []
    acronyms: dict[str, str] = {}
    for text, zone in zones:
        tokens = _tokenise(text)
        runs = _runs(tokens)
        scanned.append((text, zone, tokens, runs))
        for acronym, expansion in _find_acronyms(text, tokens, runs).items():
            acronyms.setdefault(acronym, expansion)
    collector = _Collector(acronyms)
    if source:
        collector.add_tag("org", KNOWN_ORGS.get(source.lower(), source), "body")
    # People first, over the whole copy, so that later surname-only mentions resolve in every zone.
    for text, zone, tokens, runs in scanned:
        for start, end in runs:
            _scan_person(text, tokens, start, end, zone, collector)
    for text, zone, tokens, runs in scanned:
        for start, end in runs:
            _scan_tags(text, tokens, start, end, zone, collector)
    return _finish(collector)


def extract_entities(
    *, headline: str, dek: str | None, caption: str | None, blocks: list[Block] | tuple[Block, ...], source: str | None
) -> tuple[tuple[Person, ...], tuple[str, ...], tuple[str, ...]]:
    """Find the people (with their titles), places and organisations named in a story's text.

    The format readers (NITF, NewsML, teletype, ninjs, WXR) run the same pass the plain-text parser runs.
    Inside names_later() it finds nothing.
    """
    if not _names_wanted.get():
        return (), (), ()
    return _extract_entities(headline=headline, dek=dek, caption=caption, blocks=list(blocks), source=source)


# Whether parsing finds the names in a story now (the default) or leaves them for find_names().
_names_wanted = contextvars.ContextVar("wire_names_wanted", default=True)


@contextlib.contextmanager
def names_later():
    """Parse inside the block without finding people, places and organisations.

    Finding them is most of a parse's work, and the incoming queue shows none of them: it reads an
    agency's items this way and finds the names when an editor takes one (find_names).
    """
    token = _names_wanted.set(False)
    try:
        yield
    finally:
        _names_wanted.reset(token)


def find_names(article: WireArticle) -> WireArticle:
    """Return the story with the people (and their titles), places and organisations its text names."""
    people, places, organisations = _extract_entities(
        headline=article.headline,
        dek=article.dek,
        caption=article.lead_image.caption if article.lead_image else None,
        blocks=list(article.blocks),
        source=article.source,
    )
    return replace(article, people=people, places=places, organisations=organisations)


def _clause_back(tokens: list[_Tok], end: int, limit: int = 24) -> int:
    """Return the start of the clause that ends just before token `end`."""
    index = end - 1
    while index >= 0 and end - index <= limit:
        token = tokens[index]
        if token.kind == "p" and token.text in _BOUNDARY and token.text not in "()":
            return index + 1
        if token.text in _SPEECH_VERBS:
            # Lower case only: "Met" in "the Met Office" is a name, not the verb.
            return index + 1
        index -= 1
    return index + 1 if index < 0 else -1


def _clause_forward(tokens: list[_Tok], start: int, limit: int = 24) -> int:
    """Return the end of the clause starting at token `start` (exclusive)."""
    index = start
    depth = 0
    while index < len(tokens) and index - start <= limit:
        token = tokens[index]
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            if depth == 0:
                return index
            depth -= 1
        elif token.kind == "p" and token.text in _BOUNDARY and depth == 0:
            return index
        elif token.text in _SPEECH_VERBS or token.lower in ("who", "which", "whose", "where", "when"):
            return index
        index += 1
    return index if index >= len(tokens) else -1


_DETERMINERS = _words("the|a|an|its|his|her|their|our")


def _strip_article(tokens: list[_Tok], start: int, end: int) -> int:
    """Skip the determiners that open a title: "the", "its", and a common noun's "the agency's".

    A named owner stays ("Sweden's deputy director"), since it says whose title it is; "the
    country's" or "the festival's" only points back to something the copy named elsewhere.
    """
    while start < end and tokens[start].lower in _DETERMINERS:
        start += 1
        token = tokens[start] if start < end else None
        if token is not None and token.poss and token.kind == "w" and token.text[0].islower() and start + 1 < end:
            start += 1
    return start


_NOT_TITLE_START = _words(
    "in|on|at|by|for|from|to|with|without|after|before|during|since|as|while|when|if|but|and|or|so|he|she|they|it|"
    "we|you|i|who|which|that|this|these|those|his|her|their|its|our|my|your|according|despite|under|over|about|"
    "into|onto|through|than|then|there|here|where|whose|whom|not|no|also|still|just|even|only|is|was|were|are|"
    "be|been|has|have|had|will|would|could|should|may|might|must|can|did|does|do|once|now|again|later|earlier"
)


def _title_phrase_ok(tokens: list[_Tok], start: int, end: int) -> bool:
    """Tell whether tokens[start:end] read as a job title."""
    if start >= end or end - start > 22:
        return False
    first = tokens[start]
    second = tokens[start + 1] if start + 1 < end else None
    # "mining analyst": a word in -ing before a title noun qualifies it rather than opening a clause.
    gerund = first.lower.endswith("ing") and not (second is not None and _is_title_word(second))
    if first.kind != "w" or gerund or first.lower in _SPEECH_VERBS:
        return False
    # "New Zealand's foreign minister": a capitalised owner may open with a common word.
    owner = any(t.poss and t.cap for t in tokens[start : min(end, start + 4)])
    if (
        first.text in COMMON_CAPITALISED
        and first.lower not in TITLE_NOUNS
        and first.lower not in TITLE_MODIFIERS
        and not owner
    ):
        return False
    if first.text[0].islower() and (first.lower in _NOT_TITLE_START or first.lower.endswith("ed")):
        # Lower-case openers such as "at the time" or "in Gaza" begin adjuncts, not titles.
        return False
    return any(_is_title_word(t) or t.lower in ("lead", "chief", "member") for t in tokens[start:end])


def _title_before(tokens: list[_Tok], start: int, *, after_title: bool = False) -> int | None:
    """Return where a title written straight before a name begins ("Syrian Foreign Minister …")."""
    index = start - 1
    seen_noun = after_title
    first = None
    while index >= 0 and start - index <= 12:
        token = tokens[index]
        if token.kind != "w":
            break
        if _is_title_word(token):
            seen_noun = True
        elif token.lower in TITLE_MODIFIERS and not token.text[0].isupper():
            pass
        elif token.cap and token.text not in COMMON_CAPITALISED and not _is_honorific(token):
            if not seen_noun:
                # Capitalised words between a title noun and the name form an "of" complement only.
                prev = tokens[index - 1] if index else None
                if not (prev and (prev.cap or prev.lower in ("of", "for", "the"))):
                    break
        elif (
            token.lower in ("of", "for", "the", "and")
            and index
            and (_is_title_word(tokens[index - 1]) or tokens[index - 1].lower in ("of", "for"))
        ):
            pass
        elif token.cap and token.text in COMMON_CAPITALISED and token.lower in TITLE_NOUNS | TITLE_MODIFIERS:
            if token.lower in TITLE_NOUNS:
                seen_noun = True
        else:
            break
        first = index
        index -= 1
    if first is None or not seen_noun:
        return None
    while first < start and tokens[first].lower in ("of", "for", "the", "and"):
        first += 1
    if after_title:
        return first
    adjacent = tokens[start - 1]
    if not (_is_title_word(adjacent) or adjacent.cap or adjacent.lower in TITLE_NOUNS):
        return None
    if adjacent.cap and not _is_title_word(adjacent):
        # "Minister of Strategic Affairs Ron Dermer": the capitalised tail must hang off "of/for".
        if not any(tokens[i].lower in ("of", "for") for i in range(first, start)):
            return None
    return first


def _name_ok(words: list[_Tok]) -> bool:
    """Tell whether tokens look like a personal name."""
    if not 2 <= sum(word.kind == "w" for word in words) <= _NAME_MAX_WORDS or not words[0].cap or not words[-1].cap:
        return False
    text = " ".join(w.text for w in words)
    if text.lower() in KNOWN_PLACES or text.lower() in KNOWN_ORGS:
        return False
    for index, word in enumerate(words):
        low = word.lower
        if word.text in "'’" and index and words[index - 1].lower in _NAME_PARTICLES:
            # The elided particle of "Lorenzo de' Medici".
            continue
        if word.text == "." and index and len(words[index - 1].text) == 1:
            # An initial's full stop: "S. Balachandran".
            continue
        # A place cue ends or opens a place name ("Gaza Strip", "Mount Kenya", "Queen Street West"); only a
        # surname written before a romanised, hyphenated given name ("Park Ji-won") shares its spelling.
        surname_first = index == 0 and len(words) == 2 and "-" in words[1].text and low not in _PLACE_OPENERS
        place_cue = low in PLACE_CUES and not surname_first
        if word.kind != "w" or low in ORG_CUES or place_cue or low in _MONTHS_DAYS:
            return False
        if low in DEMONYMS or _is_title_word(word) or low in ("of", "for", "and", "the", "&"):
            return False
        if word.text in COMMON_CAPITALISED and low not in _NAME_PARTICLES and not _balinese_first(words, index):
            return False
        if len(word.text) > 1 and word.text.isupper() and not word.text.startswith("AL"):
            return False
    return True


def _capitalised_role(token: _Tok) -> bool:
    """Tell whether a capitalised word is a role by its ending alone ("Councillor", "Columnist").

    Only endings that given names rarely have count: "Pieter", "Walter" and "Christian" end in -er or -ian.
    """
    low = token.lower
    if _is_honorific(token) or low in GIVEN_NAMES or low in _NOT_AGENTS or len(low) < 6:
        return False
    return low.endswith(_CAPITALISED_ROLE_ENDINGS)


def _balinese_first(words: list[_Tok], index: int) -> bool:
    """Tell whether "I" opens a name of three words or more ("I Wayan Koster") rather than a clause."""
    return index == 0 and words[0].text == "I" and len(words) >= 3


def _split_title(tokens: list[_Tok], start: int, end: int) -> tuple[int, int]:
    """Return (name_start, title_start) inside a run; title_start == name_start when no title is inside."""
    last = None
    for index in range(start, end):
        if _is_title_word(tokens[index]):
            last = index
    if last is None and end - start >= 3 and _capitalised_role(tokens[start]):
        # "Councillor Filipa Roseta": a capitalised role the lexicon lacks, before a name of two words or more.
        last = start
    if last is None or last == end - 1:
        return (start, start) if last is None else (end, start)
    name_start = last + 1
    if tokens[name_start].lower in ("of", "for", "to"):
        # "Minister of Strategic Affairs Ron Dermer": the last two words are the name.
        name_start = max(name_start + 2, end - 2)
        while name_start > last + 2 and tokens[name_start - 1].lower in _NAME_PARTICLES:
            name_start -= 2 if name_start - 2 > last + 2 else 1
    return name_start, start


def _scan_person(text: str, tokens: list[_Tok], start: int, end: int, zone: str, collector: _Collector) -> None:
    """Record a person mention, with any title, when the run names one."""
    name_start, title_start = _split_title(tokens, start, end)
    has_inner_title = title_start < name_start
    title_end = name_start
    while name_start < end and (_is_honorific(tokens[name_start]) or tokens[name_start].text in COMMON_CAPITALISED):
        if tokens[name_start].text == "I" and title_end > start and end - name_start >= 3:
            # "Governor I Wayan Koster": after a title, "I" opens a Balinese name, not a clause.
            break
        name_start += 1
    words = tokens[name_start:end]
    if not words:
        return
    name = text[words[0].start : _name_end(tokens, end)]
    title: str | None = None
    person: dict | None = None
    is_name = _name_ok(words)
    if is_name and collector.find_person(name) is None and len(words) <= 3:
        person = collector.find_by_surname([w.text for w in words])
    if not is_name:
        if len(words) <= 3 and all(w.cap for w in words):
            person = collector.find_by_surname([w.text for w in words])
            if person is None and len(words) >= 2:
                person = collector.find_person(name)
        if person is None:
            return
    # A title inside the run, or straight before it.
    if has_inner_title:
        begin = _title_before(tokens, title_start, after_title=True)
        begin = title_start if begin is None else begin
        title = text[tokens[begin].start : tokens[title_end - 1].end]
    elif title_end == start:
        # Honorifics between a title and a name ("Rear Admiral") do not stop a preceding title.
        begin = _title_before(tokens, start)
        if begin is not None:
            title = text[tokens[begin].start : tokens[start - 1].end]
    signal = title is not None
    # "the UN undersecretary general for legal affairs, Elinor Hammarskjöld, told"
    if title is None and not has_inner_title:
        title = _title_in_aside_before(text, tokens, start, end)
        signal = signal or title is not None
    # "Matthew Levitt, senior fellow at the Washington Institute …," and "Jamil Al Saadouni, 58,"
    aside_title, aside_signal = _title_in_aside_after(text, tokens, end)
    signal = signal or aside_signal
    title = title or aside_title
    # "Jane Doe, who heads the agency's Gaza office," and "Doe, who is the agency's director,"
    if title is None:
        title = _relative_role(text, tokens, end)
        signal = signal or title is not None
    after = tokens[end] if end < len(tokens) else None
    before = tokens[name_start - 1] if name_start > 0 else None
    if after is not None and after.lower in _SPEECH_VERBS or (is_name and _speaks_after_aside(tokens, end)):
        signal = True
    if before is not None and before.lower in ("said", "says", "according", "by"):
        signal = signal or before.lower in ("said", "says")
    ranked = _has_rank(tokens, start, name_start)
    # "near Castronovo di Sicilia": after a preposition of place a particle joins a place's name.
    placed = before is not None and before.text in _PLACE_BEFORE
    if words[0].lower in GIVEN_NAMES or (is_name and ((_has_name_particle(words) and not placed) or ranked)):
        signal = True
    # "from defender Tom Reilly", "the Nobel laureate Gabriel García Márquez": a role the lexicon does not list.
    if title is None and not has_inner_title and title_end == start:
        title = _role_words_before(text, tokens, start)
        signal = signal or (is_name and title is not None)
    # "Abu Amer is the head of …", "Sinwar was named the new leader of …"
    role = _role_after(text, tokens, end)
    if role:
        signal = True
    if person is None:
        person = collector.find_person(name)
        if person is None and not signal:
            return
        if person is None:
            person = collector.add_person(name, zone)
        else:
            collector.note_name(person, name, zone)
    for found in (title, role):
        if found:
            collector.add_title(person, found, zone)


def _speaks_after_aside(tokens: list[_Tok], end: int) -> bool:
    """Tell whether a name is the subject of a speech verb after an aside: "NAME, whose son was hurt, said"."""
    if end >= len(tokens) or tokens[end].text != ",":
        return False
    for index in range(end + 1, min(len(tokens) - 1, end + 25)):
        token = tokens[index]
        if token.kind == "p" and token.text in ".;:!?()":
            return False
        if token.text == ",":
            return tokens[index + 1].lower in _SPEECH_VERBS
    return False


def _title_in_aside_after(text: str, tokens: list[_Tok], end: int) -> tuple[str | None, bool]:
    """Return (title, whether the aside marks a person) for "NAME, [AGE,] a mining analyst at the firm,"."""
    if end >= len(tokens) or tokens[end].text != ",":
        return None, False
    begin = end + 1
    stop = _clause_forward(tokens, begin)
    if stop <= begin:
        return None, False
    if stop - begin == 1 and tokens[begin].kind == "n":
        # An age is a sign of a person, and a description may follow it: "Chinedu Okafor, 41, a taxi driver".
        title, _ = _title_in_aside_after(text, tokens, stop)
        return title, True
    title_start = _aside_title_start(tokens, begin, stop)
    if title_start is None:
        return None, False
    return text[tokens[title_start].start : tokens[stop - 1].end], True


def _aside_title_start(tokens: list[_Tok], begin: int, stop: int) -> int | None:
    """Return where the title in an aside tokens[begin:stop] starts, or None when it holds none."""
    phrase = _strip_article(tokens, begin, stop)
    if _title_phrase_ok(tokens, phrase, stop):
        return phrase
    if _agent_noun(tokens[stop - 1]) and tokens[stop - 1].text.islower() and _description_ok(tokens, phrase, stop):
        # "the harbour master": a phrase that ends in a word for what someone does.
        return phrase
    described = _described_from(tokens, begin, stop)
    if described is not None and _description_ok(tokens, described, stop):
        # A named owner stays in the title ("Harbour Town's goalkeeper"); an article does not.
        return begin if tokens[begin].cap else described
    return None


def _described_from(tokens: list[_Tok], begin: int, stop: int) -> int | None:
    """Return where the noun phrase of a description starts: "a …", "the agency's …", "Harbour Town's …"."""
    first = tokens[begin]
    if first.lower in ("a", "an"):
        return begin + 1
    if first.lower == "the" and begin + 1 < stop and tokens[begin + 1].poss:
        return begin + 2
    for index in range(begin, min(stop, begin + 4)):
        if not tokens[index].cap or tokens[index].sent_start and index > begin:
            return None
        if tokens[index].poss:
            return index + 1
    return None


def _description_ok(tokens: list[_Tok], start: int, end: int) -> bool:
    """Tell whether a short noun phrase after "a" or "the agency's" can stand as a title ("taxi driver")."""
    if not 0 < end - start <= _DESCRIPTION_MAX_TOKENS:
        return False
    first = tokens[start]
    return (
        first.kind == "w"
        and first.text.islower()
        and first.lower not in _NOT_TITLE_START
        and not first.lower.endswith("ed")
        and not any(t.text in _SPEECH_VERBS or t.lower in _FINITE_VERBS for t in tokens[start:end])
    )


def _role_words_before(text: str, tokens: list[_Tok], start: int) -> str | None:
    """Return the role written in lower case straight before a name ("head coach Maria Lopez").

    Only a person's run reaches here, so a common noun before it names what they are. The words
    must be singular nouns in form: no function word, verb form (-ed, -ing), adverb or plural.
    """
    index = _rank_start(tokens, start) - 1
    first = None
    while index >= 0 and start - index <= _ROLE_WORDS_MAX:
        token = tokens[index]
        if token.kind == "w" and token.text.islower() and _role_word(token):
            if first is None and not _agent_noun(token):
                # The word next to the name must name a role ("defender"), not describe a thing ("nearby").
                return None
            first = index
        elif first is not None and token.cap and _qualifier(token):
            # "Nobel laureate", "Senate candidate": a capitalised qualifier before the role word.
            first = index
        else:
            break
        index -= 1
    if first is None or not _noun_slot(tokens, first):
        return None
    while not tokens[first].text.islower() and not tokens[first + 1].text.islower():
        first += 1
    return text[tokens[first].start : tokens[_rank_start(tokens, start) - 1].end]


def _qualifier(token: _Tok) -> bool:
    """Tell whether a capitalised word before a role qualifies it ("Nobel laureate", "Opposition councillor")."""
    if token.sent_start:
        # A sentence's first word is capitalised anyway: only a word that qualifies titles counts.
        return token.lower in TITLE_MODIFIERS or token.lower in DEMONYMS
    return token.text not in COMMON_CAPITALISED


def _noun_slot(tokens: list[_Tok], index: int) -> bool:
    """Tell whether tokens[index] opens a noun phrase: after an article, a preposition, a speech verb or a pause.

    "will face Jane Doe" or "to replace Jane Doe" put a verb, not a role, before the name.
    """
    if index == 0 or tokens[index].sent_start:
        return True
    before = tokens[index - 1]
    if before.kind == "p":
        return before.text in ',;:"“‘(—–'
    return before.poss or before.lower in _ROLE_SLOT_OPENERS or before.text in _SPEECH_VERBS


def _agent_noun(token: _Tok) -> bool:
    """Tell whether a lower-case word names someone by what they do: a title noun or an agent-noun ending."""
    low = token.lower
    if _is_title_word(token) or low in _ROLE_NOUNS:
        return True
    return len(low) >= 5 and low.endswith(_AGENT_ENDINGS) and low not in _NOT_AGENTS


def _role_word(token: _Tok) -> bool:
    """Tell whether a lower-case word may be part of a role: a singular noun or a title modifier."""
    low = token.lower
    if low in _NOT_TITLE_START or low in _DETERMINERS or low in _SPEECH_VERBS or low in _FINITE_VERBS:
        return False
    if low in _PLACE_BEFORE or low in _CONJUNCTIONS or low in _FUNCTION_WORDS or len(low) < 3:
        return False
    if low in _PLACE_OF or low in _PLACE_AFTER or low in _ORG_BEFORE:
        # "the port city Bergen", "the carrier Nordic Air": what comes next is a place or a body.
        return False
    if low.endswith(("ed", "ing", "ly")) and not _is_title_word(token) and low not in TITLE_MODIFIERS:
        return False
    return not (low.endswith("s") and not low.endswith("ss")) or _is_title_word(token)


def _rank_start(tokens: list[_Tok], start: int) -> int:
    """Return where the ranks written straight before a name begin ("Vice Adm. Luisa de Souza")."""
    while start > 0:
        if _is_honorific(tokens[start - 1]):
            start -= 1
        elif start > 1 and tokens[start - 1].text == "." and _is_honorific(tokens[start - 2]):
            start -= 2
        else:
            break
    return start


def _title_in_aside_before(text: str, tokens: list[_Tok], start: int, end: int) -> str | None:
    """Return the title in "the UN undersecretary general for legal affairs, Elinor Hammarskjöld, told"."""
    lead = _rank_start(tokens, start)
    if lead == 0 or tokens[lead - 1].text != ",":
        return None
    clause = _clause_back(tokens, lead - 1)
    if clause < 0:
        return None
    # "…, NAME, said" or, after a speech verb, the sentence's end: "said the curator, NAME."
    closes = end < len(tokens) and (tokens[end].text == "," or tokens[end].lower in _SPEECH_VERBS)
    closes = closes or (
        (end == len(tokens) or tokens[end].text in ".;") and clause > 0 and tokens[clause - 1].lower in _SPEECH_VERBS
    )
    while clause < lead - 1 and tokens[clause].lower in _CONJUNCTIONS:
        clause += 1
    title_start = _aside_title_start(tokens, clause, lead - 1) if closes else None
    if title_start is None:
        return None
    return text[tokens[title_start].start : tokens[lead - 2].end]


# Verbs that state a post in a relative clause, with the title each makes ("who heads X": "head of X").
_ROLE_VERBS = {
    "heads": "head",
    "runs": "head",
    "leads": "leader",
    "chairs": "chair",
    "directs": "director",
    "manages": "manager",
    "coordinates": "coordinator",
    "commands": "commander",
}
# The same in the past tense make a former post ("who chaired the board": "former chair of the board").
_PAST_ROLE_VERBS = {
    "headed": "head",
    "led": "leader",
    "chaired": "chair",
    "directed": "director",
    "managed": "manager",
    "commanded": "commander",
}
# Words that end the object of a role verb: what follows says when, not what.
_ROLE_OBJECT_STOP = _words("during|since|until|till|after|before|while|when|from|between|throughout|for")
# Verbs that make a phrase a clause ("a deal was still possible"), never a description of someone.
_FINITE_VERBS = _words("is|was|were|are|be|been|has|have|had|will|would|could|should|may|might|must|can|did|does|do")
_CONJUNCTIONS = _words("and|but|while|whereas|as")


def _relative_role(text: str, tokens: list[_Tok], end: int) -> str | None:
    """Return the title a relative clause after a name gives: "NAME, who heads the agency" → "head of the agency"."""
    if end + 2 >= len(tokens) or tokens[end].text != "," or tokens[end + 1].lower != "who":
        return None
    verb = tokens[end + 2].lower
    if verb in _ROLE_VERBS:
        noun = _ROLE_VERBS[verb]
    elif verb in _PAST_ROLE_VERBS:
        noun = "former " + _PAST_ROLE_VERBS[verb]
    else:
        return _role_after(text, tokens, end + 2)
    start = end + 3
    stop = _clause_forward(tokens, start)
    if stop <= start or tokens[start].kind != "w" or tokens[start].lower in _NOT_TITLE_START - _DETERMINERS:
        return None
    stop = next((i for i in range(start + 1, stop) if tokens[i].text in _ROLE_OBJECT_STOP), stop)
    return f"{noun} of {text[tokens[start].start : tokens[stop - 1].end]}"


_NAME_SUFFIXES = _words("jr|sr")
_NAME_MAX_WORDS = 6
_DESCRIPTION_MAX_TOKENS = 10
_ROLE_WORDS_MAX = 4
# Endings of nouns that name someone by what they do ("defender", "laureate", "resident"), and common words
# with those endings that name things or qualities instead.
_AGENT_ENDINGS = ("er", "or", "ant", "ent", "ate", "ist", "ian")
_CAPITALISED_ROLE_ENDINGS = ("llor", "ator", "ist")
_NOT_AGENTS = _words(
    "water|summer|winter|border|number|river|tower|corner|center|centre|power|paper|quarter|shelter|order|other|"
    "under|over|after|never|ever|later|sooner|rather|whether|together|former|latter|upper|lower|inner|outer|"
    "silver|timber|theater|theatre|chapter|cancer|murder|disaster|monster|computer|letter|matter|manner|weather|"
    "danger|dinner|finger|hunger|powder|wonder|thunder|character|door|floor|corridor|error|mirror|terror|horror|"
    "motor|sector|factor|tractor|harbor|labor|color|honor|favor|major|minor|interior|exterior|senior|junior|"
    "superior|inferior|prior|giant|plant|restaurant|event|accident|incident|continent|talent|content|comment|"
    "current|recent|different|present|percent|moment|government|parliament|department|movement|statement|"
    "state|date|rate|late|private|climate|estate|debate|senate|ultimate|separate|immediate|accurate|corporate|"
    "desperate|moderate|update|plate|gate|template|mandate|christian|median|guardian|asian|indian|italian"
)
# Roles the title lexicon leaves out because they rarely head a title before a capitalised name.
_ROLE_NOUNS = _words("coach|chef|nurse|poet|guide|host|pilot|judge|aide|chief|boss|star|hero|priest|monk|nun")
# Words after which a noun phrase, and so a role, may start.
_ROLE_SLOT_OPENERS = _words("the|a|an|his|her|their|its|our|from|by|with|of|for|and|or|as|including|like|between")
# Prepositions, pronouns and the like that may stand before a name but never in a role.
_FUNCTION_WORDS = _words(
    "beside|besides|behind|beyond|near|alongside|amid|amidst|among|amongst|upon|unlike|like|versus|via|per|within|"
    "against|toward|towards|across|along|around|inside|outside|past|despite|except|opposite|underneath|beneath|"
    "above|below|between|him|them|whom|whose|what|whatever|whoever|why|how|yet|nor|either|neither|both|each|every|"
    "all|any|some|many|much|more|most|few|other|another|such|same|own|very|too|not|never|ever|well|even|ago|"
    "sir|madam|dear|hello|thanks|thank|welcome|meet|see|let|tell|ask|call|named|dubbed|known|alias|because|although|"
    "though|unless|whether|whilst|today|yesterday|tonight|tomorrow|already|soon|meanwhile|however|instead"
)
# Honorifics that also open ordinary phrases ("Her office", "Staff Sergeant", "Private Eye").
_WEAK_HONORIFICS = _words("his|her|majesty|highness|excellency|staff|private|field|major|general|st|saint")
_LEADING_PARTICLES = _words("ibn|bin|bint")


def _name_end(tokens: list[_Tok], end: int) -> int:
    """Return where a name's text ends, keeping the full stop of a suffix such as "Jr."."""
    last = tokens[end - 1]
    stop = tokens[end] if end < len(tokens) else None
    if last.lower in _NAME_SUFFIXES and stop is not None and stop.text == "." and stop.start == last.end:
        return stop.end
    return last.end


def _has_rank(tokens: list[_Tok], start: int, name_start: int) -> bool:
    """Tell whether a rank or courtesy title stands before a name ("Father Giacomo", "Vice Adm. Luisa")."""
    lead = _rank_start(tokens, start)
    return any(
        _is_honorific(token) and token.text.rstrip(".").lower() not in _WEAK_HONORIFICS
        for token in tokens[lead:name_start]
    )


def _has_name_particle(words: list[_Tok]) -> bool:
    """Tell whether a name is joined by a particle, which places and bodies rarely are.

    "Ludwig van Beethoven", "Ibn Khaldun": the run must start mid-sentence (a headline's or a
    sentence's first capital may be an ordinary word) unless the particle leads the name.
    """
    if words[0].lower in _LEADING_PARTICLES:
        return True
    inner = any(w.lower in _NAME_PARTICLES and w.text[0].islower() for w in words[1:-1])
    return inner and not words[0].sent_start


_ROLE_STOP = _words(
    "on|in|since|after|before|who|which|that|when|until|while|during|following|last|this|earlier|later|and|but|as"
)


def _role_after(text: str, tokens: list[_Tok], end: int) -> str | None:
    """Return the role in "NAME is the head of …" / "NAME was named the new leader of …"."""
    index = end
    if index < len(tokens) and tokens[index].lower in ("is", "was", "became", "becomes"):
        index += 1
    elif index + 1 < len(tokens) and tokens[index].lower in ("has", "had") and tokens[index + 1].lower == "been":
        index += 2
    else:
        return None
    if index < len(tokens) and tokens[index].lower in ("named", "appointed", "elected", "made", "chosen"):
        index += 1
        if index < len(tokens) and tokens[index].lower == "as":
            index += 1
    if index >= len(tokens) or tokens[index].lower not in ("the", "a", "an"):
        return None
    index += 1
    if index < len(tokens) and tokens[index].lower in ("new", "current"):
        index += 1
    begin = index
    while index < len(tokens) and index - begin < 16:
        token = tokens[index]
        if token.kind == "p" and token.text != "-":
            break
        if token.lower in _ROLE_STOP and token.lower != "in":
            break
        if (
            token.lower == "in"
            and index + 1 < len(tokens)
            and (tokens[index + 1].kind == "n" or tokens[index + 1].lower in _MONTHS_DAYS)
        ):
            break
        if token.lower == "on" or token.kind == "n":
            break
        index += 1
    if index == begin or not _title_phrase_ok(tokens, begin, index):
        return None
    # The head noun must come first, optionally after modifiers: "head of …", "senior fellow at …".
    head = begin
    while head < index and tokens[head].lower in TITLE_MODIFIERS and not _is_title_word(tokens[head]):
        head += 1
    if head >= index or not _is_title_word(tokens[head]):
        return None
    return text[tokens[begin].start : tokens[index - 1].end]


def _scan_tags(text: str, tokens: list[_Tok], start: int, end: int, zone: str, collector: _Collector) -> None:
    """Record place and organisation mentions in a run that is not a person."""
    # Split the run at title words and honorifics: "US Special Envoy and Ambassador Tom Barrack".
    pieces: list[tuple[int, int]] = []
    piece = start
    for index in range(start, end + 1):
        if index == end or _is_title_word(tokens[index]) or _is_honorific(tokens[index]):
            if piece < index:
                pieces.append((piece, index))
            piece = index + 1
    whole_known = text[tokens[start].start : tokens[end - 1].end].lower()
    if whole_known in KNOWN_PLACES or whole_known in KNOWN_ORGS or any(t.lower in ORG_CUES for t in tokens[start:end]):
        pieces = [(start, end)]
    for first, last in pieces:
        while first < last and tokens[first].lower in _RUN_CONNECTORS and tokens[first].text[0].islower():
            first += 1
        while last > first and tokens[last - 1].lower in _RUN_CONNECTORS:
            last -= 1
        if first >= last:
            continue
        words = [t.text for t in tokens[first:last]]
        # A person's name or surname is never a place or an organisation.
        if collector.find_person(text[tokens[first].start : tokens[last - 1].end]) or collector.find_by_surname(
            words[-2:] if len(words) >= 2 else words
        ):
            if len(words) <= 3:
                continue
        if _name_ok(tokens[first:last]) and collector.find_person(text[tokens[first].start : tokens[last - 1].end]):
            continue
        kind_name = _classify(text, tokens, first, last, collector)
        if kind_name:
            collector.add_tag(kind_name[0], kind_name[1], zone)


def _classify(text: str, tokens: list[_Tok], first: int, last: int, collector: _Collector) -> tuple[str, str] | None:
    """Return ("place"|"org", name) for a capitalised span, or None when unsure."""
    # Title Case or sentence-initial openers ("The", "However") are not part of names.
    while first < last:
        span = text[tokens[first].start : tokens[last - 1].end]
        low = span.lower()
        if low in KNOWN_PLACES or low in KNOWN_ORGS:
            break
        if tokens[first].text in COMMON_CAPITALISED or tokens[first].lower in _RUN_CONNECTORS:
            first += 1
            continue
        break
    if first >= last:
        return None
    span_tokens = tokens[first:last]
    span = text[span_tokens[0].start : span_tokens[-1].end]
    low = span.lower()
    if re.search(r"-[a-z]+$", span):
        # "Turkish-based", "Hamas-led": the capitalised stem is a modifier, tagged only if known.
        known = _classify_name(span.rsplit("-", 1)[0])
        return known
    if span in collector.acronyms:
        expansion = collector.acronyms[span]
        return _classify_name(expansion) or ("org", expansion)
    known = _classify_name(span)
    if known:
        return known
    if low in NON_ENTITIES or all(t.lower in DEMONYMS or t.lower in NON_ENTITIES for t in span_tokens):
        return None
    before = tokens[first - 1] if first > 0 else None
    after = tokens[last] if last < len(tokens) else None
    before2 = tokens[first - 2] if first > 1 else None
    if any(t.lower in ORG_CUES for t in span_tokens):
        while len(span_tokens) > 1 and span_tokens[-1].lower in ("co", "inc", "ltd", "corp", "plc", "llc"):
            span_tokens = span_tokens[:-1]
        return "org", text[span_tokens[0].start : span_tokens[-1].end]
    if span_tokens[-1].lower in PLACE_CUES and len(span_tokens) > 1:
        return "place", span
    if after is not None and after.lower in _PLACE_SUFFIXES and after.text[0].islower():
        return "place", text[span_tokens[0].start : after.end]
    if span_tokens[0].text == "Air" and len(span_tokens) > 1:
        return "org", span
    single = len(span_tokens) == 1
    word = span_tokens[0].text
    if single and word.isalpha() and word.isupper() and 2 <= len(word) <= 6:
        return "org", word
    if single and re.search(r"[a-z][A-Z]", word) and not re.match(r"(?:Mc|Mac|O'|De|Di|La|Le)[A-Z]", word):
        return "org", word
    if any(t.lower in DEMONYMS or t.lower in NON_ENTITIES or t.lower in _MONTHS_DAYS for t in span_tokens):
        return None
    if len(span_tokens) > 4:
        return None
    if after is not None and after.lower in _ORG_AFTER and after.text[0].islower():
        return "org", span
    if before is not None and before.lower in _ORG_BEFORE:
        if single and after is not None and after.kind == "n" and len(after.text) <= 3:
            return "org", text[span_tokens[0].start : after.end]
        return "org", span
    if before is not None and before.lower in _PLACE_BEFORE and not span_tokens[0].sent_start:
        return "place", span
    if after is not None and after.lower in _PLACE_AFTER and after.text[0].islower():
        return "place", span
    if before is not None and before.lower == "of" and before2 is not None and before2.lower in _PLACE_OF:
        return "place", span
    if (
        after is not None
        and after.text == ","
        and last + 1 < len(tokens)
        and tokens[last + 1].cap
        and tokens[last + 1].lower in KNOWN_PLACES
        and before is not None
        and before.kind == "w"
        and before.text[0].islower()
    ):
        return "place", span
    if (
        before is not None
        and before.lower == "told"
        or (before is not None and before.lower == "the" and before2 is not None and before2.lower == "told")
    ):
        if after is None or after.kind == "p":
            return "org", span
    return None


def _classify_name(span: str) -> tuple[str, str] | None:
    """Return the kind and spelling of a name the lexicon knows."""
    low = span.lower()
    if low in KNOWN_PLACES:
        return "place", span if span[0].isupper() else KNOWN_PLACES[low]
    if low in KNOWN_ORGS:
        return "org", span if span[0].isupper() else KNOWN_ORGS[low]
    if low.startswith("the ") and low[4:] in KNOWN_ORGS:
        return "org", span[4:]
    return None


def _finish(collector: _Collector) -> tuple[tuple[Person, ...], tuple[str, ...], tuple[str, ...]]:
    """Choose canonical spellings and titles, and return the entities in order."""
    people: list[Person] = []
    person_words = set()
    for person in collector.people:
        names = person["names"]
        body = [n for n, zone in names if zone == "body"]
        pool = body or [n for n, _ in names]
        counts = Counter(pool)
        first_seen = {n: i for i, n in reversed(list(enumerate(pool)))}
        canonical = max(first_seen, key=lambda n: (counts[n], -first_seen[n]))
        aliases = tuple(dict.fromkeys(n for n, _ in names if n != canonical and len(n.split()) > 1))
        people.append(Person(name=canonical, title=_choose_title(person["titles"]), aliases=aliases))
        person_words.update(n.casefold() for n, _ in names)
    tags = []
    for items in (collector.places, collector.orgs):
        names = [n for n, _ in items if n.casefold() not in person_words]
        canonical = _alias_canonical(names)
        tags.append(tuple(dict.fromkeys(canonical[n] for n in names)))
    places, orgs = tags
    # A name tagged both ways keeps its first kind.
    orgs = tuple(o for o in orgs if o not in places)
    return tuple(people), places, orgs


def _choose_title(titles: list[tuple[int, int, str]]) -> str | None:
    """Return the body's first title, replaced by a later one that is more specific."""
    if not titles:
        return None
    best_rank = min(rank for rank, _, _ in titles)
    ordered = [t for rank, _, t in sorted(titles) if rank == best_rank]
    chosen = ordered[0]
    for later in ordered[1:]:
        if chosen.lower() in later.lower() and len(later) > len(chosen):
            chosen = later
    return chosen
