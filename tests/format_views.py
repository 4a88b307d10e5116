"""What the format tests share: the shared sample files, reading a file as a format, and what an editor sees."""

from pathlib import Path

import pytest

from articles.interchange.formats import FormatError, detect, read

SHARED = Path(__file__).resolve().parents[2] / "shared"
WIRE_FORMATS = SHARED / "wire-formats"
needs_shared = pytest.mark.skipif(
    not WIRE_FORMATS.is_dir(), reason="the shared wire-formats folder is not beside the repo"
)


def shared_bytes(path):
    """Return a shared sample file's bytes, skipping the test where the shared folder is absent."""
    if not path.exists():
        pytest.skip(f"the shared wire-format files are not at {path}")
    return path.read_bytes()


def read_as(fmt, data, *, filename):
    """Return the items of `data`, after checking that its content is told to be `fmt`."""
    assert detect(data) == fmt
    return list(read(data, filename=filename))


def only(items):
    """Return the one item of a file that should hold exactly one."""
    items = list(items)
    assert len(items) == 1, [item.story.headline for item in items]
    return items[0]


def items_or_refusal(reader, data, *, filename):
    """Return what a reader yields, or None where it refuses the data with a reason naming the file, not a crash."""
    try:
        return list(reader.read(data, filename=filename))
    except FormatError as error:
        assert error.filename == filename
        assert error.message
        assert not error.message.startswith("cannot read"), error.message
        return None


def paragraphs(story):
    """Return the texts of a story's paragraphs."""
    return [block.text for block in story.blocks if block.kind == "paragraph"]


def story_view(item):
    """Return the headline, authors and dateline an editor reads at the top of an item's story."""
    story = item.story
    return story.headline, [byline.name for byline in story.bylines], story.dateline


def only_picture(item):
    """Return the address and alternative text of an item's one picture, after checking it is the lead image."""
    [picture] = item.pictures
    lead = item.story.lead_image
    assert (lead.caption, lead.credit) == (picture.caption, picture.credit)
    return picture.href, picture.alt


def editor_view(item):
    """Return the fields the incoming list and the taken draft show of an item."""
    story = item.story
    texts = paragraphs(story)
    return {
        "format": item.format,
        "headline": story.headline,
        "bylines": [byline.name for byline in story.bylines],
        "dateline": story.dateline,
        "source": story.source,
        "paragraphs": len(texts),
        "first": texts[0] if texts else None,
        "last": texts[-1] if texts else None,
        "caption": story.lead_image.caption if story.lead_image else None,
        "credit": story.lead_image.credit if story.lead_image else None,
        "tags": [subject.name for subject in item.subjects],
        "embargo": item.embargo,
        "pub_status": item.pub_status,
        "guid": item.guid,
        "version": item.version,
    }
