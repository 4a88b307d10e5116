"""The share card: a branded 1200 × 630 PNG with a story's section and headline, for Open Graph.

Used as the story's share image when it has no picture of its own (the seed's AP photo is not ours to
ship). Drawn with Pillow's built-in scalable font, so no font file has to be installed.
"""

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
PAPER = "#f5f3ef"
INK = "#1a1a1a"
ACCENT = "#a4161a"
MAX_HEADLINE_LINES = 4


def wrap(draw, text, font, width):
    """Return the text broken into lines no wider than width; a single over-long word is cut to fit."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while draw.textlength(word, font=font) > width and len(word) > 1:
            word = word[:-2] + "…"
        line = word
    if line:
        lines.append(line)
    return lines


def fit_headline(draw, headline, width):
    """Return (font, lines) for the largest size at which the headline fits in the allowed lines."""
    for size in (72, 64, 56, 50, 44):
        font = ImageFont.load_default(size)
        lines = wrap(draw, headline, font, width)
        if len(lines) <= MAX_HEADLINE_LINES:
            return font, lines
    lines = wrap(draw, headline, font, width)
    kept = lines[:MAX_HEADLINE_LINES]
    kept[-1] = kept[-1].rstrip(".,;:") + "…"
    return font, kept


def render(headline, section, site_name):
    """Return the PNG bytes of the share card."""
    card = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(card)
    draw.rectangle([0, 0, WIDTH, 16], fill=ACCENT)
    text_width = WIDTH - 2 * MARGIN

    kicker = ImageFont.load_default(34)
    draw.text((MARGIN, 72), section.upper(), font=kicker, fill=ACCENT)

    font, lines = fit_headline(draw, " ".join(headline.split()), text_width)
    line_height = round(font.size * 1.18)
    y = 140
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += line_height

    draw.line([MARGIN, HEIGHT - 110, WIDTH - MARGIN, HEIGHT - 110], fill="#cccccc", width=2)
    draw.text((MARGIN, HEIGHT - 88), site_name, font=ImageFont.load_default(40), fill=INK)
    out = io.BytesIO()
    card.save(out, "PNG", optimize=True)
    return out.getvalue()
