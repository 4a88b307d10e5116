"""The words a reader's page adds around a story come from the translation catalogue of the site's language."""

import struct

import pytest

from articles.models import RelatedLink
from tests.factories import add_author, add_link, make_article, make_person

pytestmark = pytest.mark.django_db

FRENCH = {
    "By": "Par",
    "and": "et",
    "Read more": "Lire aussi",
    "Read more:": "Lire aussi :",
    "Topics": "Sujets",
    "Home": "Accueil",
}


def write_catalogue(path, messages):
    """Write a gettext .mo file of messages, the format Django reads from LOCALE_PATHS."""
    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    ids = [key.encode() for key, _ in entries]
    strs = [value.encode() for _, value in entries]
    start = 7 * 4 + 2 * len(entries) * 8
    table, data = [], b""
    for text in ids + strs:
        table.append((len(text), start + len(data)))
        data += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(entries), 28, 28 + len(entries) * 8, 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(header + b"".join(struct.pack("<2I", *row) for row in table) + data)


def test_a_story_page_reads_in_the_sites_language(client, settings, tmp_path):
    write_catalogue(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.mo", FRENCH)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.LANGUAGE_CODE = "fr"
    story = make_article(body="<p>One.</p><p>Two.</p>")
    story.tags.add("Storms")
    add_author(story, make_person(name="Rae Writer"))
    add_author(story, make_person(name="Sam Lens"))
    add_link(story, title="Earlier storms", kind=RelatedLink.Kind.READ_MORE, anchor_block=1)

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<p class="byline">Par <a href="' in html and "</a> et <a href=" in html
    assert '<aside class="read-more" aria-label="Lire aussi">' in html
    assert '<span class="read-more-label">Lire aussi :</span>' in html
    assert ">Sujets</h2>" in html and ">Accueil</a>" in html


def test_story_parts_kept_in_the_cache_follow_the_readers_language(client, settings, tmp_path):
    write_catalogue(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.mo", FRENCH)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    story = make_article(body="<p>One.</p>")
    story.tags.add("Storms")
    add_author(story, make_person(name="Rae Writer"))

    english = client.get(story.get_absolute_url()).content.decode()
    settings.LANGUAGE_CODE = "fr"
    french = client.get(story.get_absolute_url()).content.decode()

    assert '<p class="byline">By <a href="' in english and ">Topics</h2>" in english
    assert '<p class="byline">Par <a href="' in french and ">Sujets</h2>" in french
