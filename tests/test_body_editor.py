"""The story body in the desk: what is stored from the editor, from plain typing, and from an untouched form;
and the link search the editor's link box asks."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.desk.editor import paragraphs_from_text
from articles.models import Article
from tests.factories import make_article, make_section, make_staff
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db

LINK_SEARCH = "admin:articles_article_link_search"

# Bodies as the desk has stored them so far: blocks a line, lists, quotes, links, line breaks, entities.
EXISTING_BODIES = [
    "<p>One paragraph.</p>",
    '<p>First, with a <a href="https://example.org/a?b=1&amp;c=2" rel="noopener">link</a>.</p>\n'
    "<h2>A subheading</h2>\n<p>Line one<br>line two &amp; more.</p>",
    "<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n<blockquote><p>Said.</p></blockquote>\n"
    "<ol><li><em>first</em></li></ol>",
    "<p>Ünïcödé “quotes” — and 5 &lt; 6.</p>",
]


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff())
    return client


def save_through_form(client, article, **changes):
    """Open the story's change form and save it as a browser would (a textarea's line breaks come as CRLF)."""
    data = form_data(client.get(change_url(article)), **changes)
    data["body"] = data["body"].replace("\n", "\r\n")
    data["_save"] = "Save"
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    article.refresh_from_db()
    return article


def test_the_seed_story_saves_byte_for_byte_unchanged(editor_client, seed):
    before = seed.body
    assert "\n" in before  # blocks a line: the line breaks are what a browser would turn into CRLF
    assert save_through_form(editor_client, seed, headline="A new headline").body == before


@pytest.mark.parametrize("body", EXISTING_BODIES)
def test_an_existing_html_body_saves_unchanged(editor_client, body):
    article = make_article(body=body)
    assert article.body == body  # stored as it was (the factory saves through the sanitizer)
    assert save_through_form(editor_client, article, dek="Changed elsewhere").body == body


POSTED_AND_STORED = {
    "plain text becomes paragraphs, a single line break a <br>": (
        "Ships waited offshore for days\nwhile the storm passed.\n\n"
        "Three bulk carriers came in on Friday.\n  \n\n"
        "Subheads typed as text stay text.",
        "<p>Ships waited offshore for days<br>\nwhile the storm passed.</p>\n"
        "<p>Three bulk carriers came in on Friday.</p>\n"
        "<p>Subheads typed as text stay text.</p>",
    ),
    "plain text keeps inline tags, and is still sanitized": (
        'A <em>very</em> wet week.\n\nClick <a href="javascript:alert(1)" onclick="x()">here</a> <font>now</font>.',
        '<p>A <em>very</em> wet week.</p>\n<p>Click <a rel="noopener">here</a> now.</p>',
    ),
    # What the editor sends is cleaned again on the server, whatever a browser or a script posts.
    "office HTML is cut to the allowlist": (
        '<p class="MsoNormal" style="mso-margin-top-alt:auto"><span style="font-family:Calibri">Harbour'
        "</span><o:p></o:p></p>\n<h1>Big</h1>\n<table><tr><td>cell</td></tr></table>\n"
        '<h2 style="color:red" id="x">Sub</h2><script>alert(1)</script>',
        "<p>Harbour</p>\nBig\ncell\n<h2>Sub</h2>",
    ),
}


@pytest.mark.parametrize(("posted", "stored"), POSTED_AND_STORED.values(), ids=POSTED_AND_STORED)
def test_what_is_posted_is_stored_as_paragraphs_within_the_allowlist(editor_client, posted, stored):
    article = make_article(body="<p>Old.</p>")
    assert save_through_form(editor_client, article, body=posted).body == stored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", "   "),
        ("<p>Already</p>\n<p>HTML</p>", "<p>Already</p>\n<p>HTML</p>"),
        ("<h3>Heading only</h3>", "<h3>Heading only</h3>"),
        ("one\r\n\r\ntwo", "<p>one</p>\n<p>two</p>"),
        ("a\rb", "<p>a<br>\nb</p>"),
        ("<strong>bold</strong> start", "<p><strong>bold</strong> start</p>"),
    ],
)
def test_paragraphs_from_text(text, expected):
    assert paragraphs_from_text(text) == expected


def test_the_change_form_carries_the_editor_and_its_label(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'data-body-editor data-link-search-url="' + reverse(LINK_SEARCH) + '"' in html
    assert re.search(r'<script src="/static/js/desk-editor[.\w]*js" type="module"></script>', html)
    assert 'role="toolbar"' in html and '<label for="id_body"' in html
    assert "<script>" not in html and 'type="importmap"' not in html  # nothing the CSP would refuse


# --- the link search -------------------------------------------------------------------------------


def test_link_search_finds_stories_by_headline_with_their_public_address(editor_client):
    world = make_section(name="World", slug="world")
    published = make_article(
        headline="Harbour reopens after storms",
        slug="harbour-reopens",
        primary_section=world,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(days=1),
    )
    draft = make_article(headline="Harbour repairs to take a month", slug="harbour-repairs", status="draft")
    make_article(headline="Council budget", slug="council-budget")

    response = editor_client.get(reverse(LINK_SEARCH), {"q": "harbour"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert {r["headline"]: r["url"] for r in results} == {
        "Harbour reopens after storms": published.get_absolute_url(),
        "Harbour repairs to take a month": draft.get_absolute_url(),
    }
    assert published.get_absolute_url().startswith("/world/")
    both_words = editor_client.get(reverse(LINK_SEARCH), {"q": "harbour storms"}).json()["results"]
    assert [r["headline"] for r in both_words] == ["Harbour reopens after storms"]
    public_only = editor_client.get(reverse(LINK_SEARCH), {"q": "harbour", "published": "1"}).json()["results"]
    assert [r["headline"] for r in public_only] == ["Harbour reopens after storms"]
    assert editor_client.get(reverse(LINK_SEARCH), {"q": " "}).json() == {"results": []}


def test_link_search_is_for_staff_only(client):
    make_article(headline="Harbour reopens")
    url = reverse(LINK_SEARCH)
    anonymous = client.get(url, {"q": "harbour"})
    assert anonymous.status_code == 302 and reverse("admin:login") in anonymous["Location"]

    reader = get_user_model().objects.create_user("reader", password="x" * 20)
    client.force_login(reader)
    not_staff = client.get(url, {"q": "harbour"})
    assert not_staff.status_code == 302 and reverse("admin:login") in not_staff["Location"]

    # Staff without any permission on stories is refused outright.
    client.force_login(get_user_model().objects.create_user("clerk", password="x" * 20, is_staff=True))
    assert client.get(url, {"q": "harbour"}).status_code == 403
