"""The words a reader's page adds around a story come from the translation catalogue of the site's language."""

import re
import struct
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Authorship, Correction, RelatedLink
from tests.factories import add_author, add_link, make_article, make_person, make_staff

pytestmark = pytest.mark.django_db

FRENCH = {
    "By": "Par",
    "and": "et",
    "Read more": "Lire aussi",
    "Read more:": "Lire aussi :",
    "Topics": "Sujets",
    "Home": "Accueil",
}


def plural(singular, plural_form):
    """Return the catalogue key of a message whose words a count chooses ({% blocktranslate count %})."""
    return f"{singular}\0{plural_form}"


def in_context(context, message):
    """Return the catalogue key of a message given a context ({% translate … context … %}, pgettext)."""
    return f"{context}\x04{message}"


def when(words):
    """Return a blocktranslate message whose words go before a <time> element."""
    return f'{words} <time datetime="%(machine)s">%(when)s</time>'


# The words around every reader page, in French: plural forms and contexts as the templates give them.
FRENCH_PAGES = {
    **FRENCH,
    "Skip to content": "Aller au contenu",
    "%(name)s (RSS)": "%(name)s (flux RSS)",
    "%(name)s (Atom)": "%(name)s (flux Atom)",
    "This story as IPTC ninjs": "Cet article en IPTC ninjs",
    when("Published"): when("Publié le"),
    when("Updated"): when("Mis à jour à"),
    when("Scheduled for"): when("Prévu pour le"),
    when("embargoed until"): when("sous embargo jusqu’au"),
    "Not yet published": "Pas encore publié",
    plural(
        "%(minutes)s min read", "%(minutes)s min read"
    ): "%(minutes)s minute de lecture\0%(minutes)s minutes de lecture",
    in_context("a story readers cannot see yet", "Preview"): "Aperçu",
    "readers cannot see this story yet.": "les lecteurs ne voient pas encore cet article.",
    in_context("story status", "Draft"): "Brouillon",
    "Corrections and updates": "Corrections et mises à jour",
    in_context("kind of correction", "Update"): "Mise à jour",
    in_context("in brackets after a name in a byline", "photographer"): "photographe",
    "Email": "Courriel",
    "Corrections": "Rectificatifs",
    in_context("the list of every month of stories", "Archive"): "Archives",
    "RSS": "Flux RSS",
    "Search": "Rechercher",
    in_context("the reader's search words in quotation marks", "“%(query)s”"): "« %(query)s »",
    "Results for “%(query)s”": "Résultats pour « %(query)s »",
    plural(
        "%(counter)s story found", "%(counter)s stories found"
    ): "%(counter)s article trouvé\0%(counter)s articles trouvés",
    "Page %(number)s of %(total)s": "Page %(number)s sur %(total)s",
    in_context("stories", "Older"): "Plus anciens",
    "Page not found": "Page introuvable",
    "We can’t find that page": "Cette page est introuvable",
}
ENGLISH_WORDS = [
    "Skip to content",
    "min read",
    "Published <time",
    ">Corrections<",
    ">Archive<",
    ">Email<",
    "(RSS)",
    "(Atom)",
]


@pytest.fixture
def french(settings, tmp_path):
    """Readers' pages in French, from a catalogue of the project's own messages."""
    write_catalogue(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.mo", FRENCH_PAGES)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.LANGUAGE_CODE = "fr"


def test_the_seed_story_reads_in_french_with_no_english_word_left(client, french, seed):
    html = client.get(seed.get_absolute_url()).content.decode()

    assert '<a class="skip-link" href="#main">Aller au contenu</a>' in html
    assert "<p>Publié le <time datetime=" in html and re.search(r"</time> · \d+ minutes? de lecture</p>", html)
    assert f'title="{seed.primary_section.name} (flux RSS)"' in html and 'title="Cet article en IPTC ninjs"' in html
    assert ">Rectificatifs</a>" in html and ">Archives</a>" in html and ">Flux RSS</a>" in html
    assert ">Courriel</a>" in html and '"name":"Accueil"' in html
    assert [word for word in ENGLISH_WORDS if word in html] == []


def test_corrections_roles_and_minutes_read_in_french(client, french):
    story = make_article(body="<p>One.</p>", published_at=timezone.now() - timedelta(hours=2))
    add_author(story, make_person(name="Pat Lens"), role=Authorship.Role.PHOTOGRAPHER)
    Correction.objects.create(
        article=story,
        kind=Correction.Kind.UPDATE,
        text="<p>New figures.</p>",
        published_at=timezone.now() - timedelta(hours=1),
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert "Pat Lens</a> (photographe)</p>" in html
    assert ">Corrections et mises à jour</h2>" in html and "<li><strong>Mise à jour</strong>, <time" in html
    assert " · Mis à jour à <time datetime=" in html and "</time> · 1 minute de lecture</p>" in html


def test_a_preview_reads_in_french(client, french):
    client.force_login(make_staff())
    later = timezone.now() + timedelta(days=2)
    scheduled = make_article(published_at=later, embargo_until=later + timedelta(days=1))
    draft = make_article(status="draft", published_at=None)

    scheduled_html = client.get(f"/preview/{scheduled.guid}/").content.decode()
    draft_html = client.get(f"/preview/{draft.guid}/").content.decode()

    assert "<strong>Aperçu</strong> · Prévu pour le <time datetime=" in scheduled_html
    assert "</time>, sous embargo jusqu’au <time datetime=" in scheduled_html
    assert "</time> — les lecteurs ne voient pas encore cet article.</p>" in scheduled_html
    assert "<strong>Aperçu</strong> · Brouillon — les lecteurs" in draft_html
    assert "<p>Pas encore publié · 1 minute de lecture</p>" in draft_html


def test_search_counts_stories_in_the_plural_the_language_needs(client, french):
    make_article(headline="Harbour reopens")
    one = client.get("/search/", {"q": "harbour"}).content.decode()
    for n in range(20):
        make_article(headline=f"Harbour story {n}")
    many = client.get("/search/", {"q": "harbour"}).content.decode()

    assert "<title>« harbour » – Rechercher – " in one and "<h1>Résultats pour « harbour »</h1>" in one
    assert '<p class="meta">1 article trouvé</p>' in one
    assert '<p class="meta">21 articles trouvés</p>' in many
    assert "<span>Page 1 sur 2</span>" in many and ">Plus anciens</a>" in many


def test_search_counts_stories_in_english_by_default(client):
    assert '<p class="meta">0 stories found</p>' in client.get("/search/", {"q": "harbour"}).content.decode()
    make_article(headline="Harbour reopens")
    assert '<p class="meta">1 story found</p>' in client.get("/search/", {"q": "harbour"}).content.decode()


def test_the_not_found_page_reads_in_french(client, french):
    html = client.get("/no-such-page/").content.decode()

    assert "<title>Page introuvable – " in html and "<h1>Cette page est introuvable</h1>" in html


def write_catalogue(path, messages):
    """Write a gettext .mo file of messages, the format Django reads from LOCALE_PATHS."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n > 1);\n"
    entries = sorted({"": header, **messages}.items())
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


# --- Every reader template: no word outside the translation tags. ---

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Folders of templates readers never see as words: the admin's, and the sitemaps' XML.
NOT_FOR_READERS = {"admin", "sitemaps"}
# Attributes whose value a reader hears or sees: screen readers, tooltips, search boxes, pictures.
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
# The product's name, which the error pages drawn without the site's settings (500, 503) write as it is.
NAMES = ("Newsroom",)
TRANSLATED = re.compile(
    r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{%\s*trans(?:late)?\s.*?%\}"
    r"|\{#.*?#\}"
    r"|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
    re.DOTALL,
)
DJANGO_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# A string in a tag or filter argument (not wrapped in _()) that reads as words: capitalised, two words,
# or the words pluralize and yesno choose between.
WORDY_LITERAL = re.compile(
    r"(?<!_\()(?P<quote>[\"'])(?P<text>(?:(?!(?P=quote)).)*)(?P=quote)",
)
WORDS = re.compile(r"[^\W\d_]{2,}")


def wordy(literal, before):
    """Say whether a string written in a template tag is words a reader would see."""
    if before.endswith(("pluralize:", "yesno:")):
        return bool(WORDS.search(literal))
    return bool(re.search(r"\b[A-Z][a-z]{2,}|\b[A-Za-z]{2,} [A-Za-z]{2,}\b", literal))


class TextNodes(HTMLParser):
    """Collect the text and the read attributes of a template with its Django tags taken out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and values.get("name") == "description":
            self.note(values.get("content"))
        for name in READ_ATTRIBUTES & values.keys():
            self.note(values[name])

    def handle_data(self, data):
        self.note(data)

    def note(self, text):
        for name in NAMES:
            text = (text or "").replace(name, "")
        if WORDS.search(text):
            self.words.append(text.strip())


def bare_words(source):
    """Return the words of a template that do not go through {% translate %} or {% blocktranslate %}."""
    source = TRANSLATED.sub("", source)
    found = []
    for tag in DJANGO_TAG.finditer(source):
        for literal in WORDY_LITERAL.finditer(tag.group()):
            if wordy(literal["text"], tag.group()[: literal.start()]):
                found.append(literal["text"])
    # A variable stands for a value, never an English word: "0" keeps <h{{ level }}> a tag.
    parser = TextNodes()
    parser.feed(DJANGO_TAG.sub(lambda tag: "0" if tag.group().startswith("{{") else "", source))
    parser.close()
    return found + parser.words


def reader_templates():
    return sorted(
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if not NOT_FOR_READERS & set(path.relative_to(TEMPLATES).parts)
    )


def test_the_bare_word_finder_sees_words_outside_translation_tags():
    assert bare_words('<p title="Latest">{% translate "Hello" %} {{ name }}</p>') == ["Latest"]
    assert bare_words('{% include "x.html" with empty="No stories yet." n=_("Pages") %}') == ["No stories yet."]
    assert bare_words('{{ n|pluralize:"story,stories" }} {{ n|date:"j F Y" }}') == ["story,stories"]
    assert bare_words("{% blocktranslate count n=c %}{{ n }} min{% plural %}{{ n }} mins{% endblocktranslate %}") == []


@pytest.mark.parametrize("name", reader_templates())
def test_a_reader_template_has_no_word_outside_translation_tags(name):
    assert bare_words((TEMPLATES / name).read_text()) == []
