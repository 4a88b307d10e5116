"""What an editor sees of an incoming item, as one dict the format tests compare whole."""


def paragraphs(story):
    """Return the texts of a story's paragraphs."""
    return [block.text for block in story.blocks if block.kind == "paragraph"]


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
