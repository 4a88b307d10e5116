"""Stored links only ever send readers to web pages or e-mail: refused on the way in, never linked on the way out."""

import io
import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.core.sanitize import clean_html
from articles.core.weburl import is_safe_url
from articles.interchange.fixture_builder import BuildOptions, Source, build
from articles.interchange.wire import parse
from articles.models import RelatedLink
from tests.conftest import REPO, SEED_FIXTURE
from tests.factories import add_link, make_article, make_section, make_staff

# What a browser reads as a script address although a naive prefix check does not.
BROWSER_SCRIPT_ADDRESSES = [
    "\x01javascript:alert(document.domain)",
    "java\tscript:alert(1)",
    "JAVA\nSCRIPT:alert(1)",
    "\x00javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]
IDS = ["c0-control", "tab", "newline", "nul", "data", "vbscript"]


class _Hrefs(HTMLParser):
    """Collect every href on a page, decoded as a browser decodes it, with the text of its link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "cite") and value is not None:
                self.hrefs.append(value)


def hrefs(html):
    reader = _Hrefs()
    reader.feed(html)
    return reader.hrefs


# --- the desk ---------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_staff())
    return client


def story_form(section, url):
    data = {
        "headline": "A story with a link",
        "slug": "a-story-with-a-link",
        "dek": "",
        "primary_section": section.pk,
        "body": "<p>One.</p>",
        "lead_image_caption": "",
        "status": "draft",
        "dateline": "",
        "related_links-0-position": 0,
        "related_links-0-kind": "related",
        "related_links-0-title": "Elsewhere",
        "related_links-0-url": url,
        "related_links-0-anchor_block": "",
    }
    for name in ("authorships", "mentions", "tagged_items", "related_links", "corrections"):
        data[f"{name}-TOTAL_FORMS"] = 1 if name == "related_links" else 0
        data[f"{name}-INITIAL_FORMS"] = 0
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("url", BROWSER_SCRIPT_ADDRESSES[:3] + BROWSER_SCRIPT_ADDRESSES[4:], ids=IDS[:3] + IDS[4:])
def test_the_desk_refuses_a_script_address_under_the_link_field(editor_client, url):
    response = editor_client.post(reverse("admin:articles_article_add"), story_form(make_section(), url))
    assert response.status_code == 200
    (links,) = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "related_links"]
    errors = links.formset.forms[0].errors
    assert "Only web addresses may be linked" in " ".join(errors.get("url", [])), errors
    assert 'class="errorlist' in response.content.decode()
    assert not RelatedLink.objects.exists()


@pytest.mark.django_db
def test_the_link_admin_refuses_a_script_address_under_the_field(editor_client):
    article = make_article()
    data = {"article": article.pk, "position": 0, "kind": "related", "title": "x", "url": "java\tscript:alert(1)"}
    response = editor_client.post(reverse("admin:articles_relatedlink_add"), data)
    assert response.status_code == 200
    assert "Only web addresses may be linked" in " ".join(response.context["adminform"].form.errors["url"])
    assert not RelatedLink.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["https://example.org/a", "mailto:desk@example.org", "/search/?q=x", "#more"])
def test_the_desk_keeps_web_mail_and_site_addresses(editor_client, url):
    response = editor_client.post(reverse("admin:articles_article_add"), story_form(make_section(), url))
    assert response.status_code == 302
    assert RelatedLink.objects.get().url == url


@pytest.mark.django_db
@pytest.mark.parametrize("url", BROWSER_SCRIPT_ADDRESSES, ids=IDS)
def test_code_that_saves_a_link_cannot_store_a_script_address(url):
    with pytest.raises(ValueError, match="may not|control characters"):
        add_link(make_article(), url=url)
    assert not RelatedLink.objects.exists()


# --- fixtures ---------------------------------------------------------------------------------------


def seed_with_link_address(url):
    objects = json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))
    link = next(o for o in objects if o["model"] == "articles.relatedlink")
    link["fields"]["url"] = url
    link["fields"]["target_article"] = None
    return objects, link


def full_dump():
    out = io.StringIO()
    call_command("dumpdata", "articles", natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", BROWSER_SCRIPT_ADDRESSES[:3], ids=IDS[:3])
def test_a_fixture_with_a_script_address_loads_nothing_and_names_the_row(tmp_path, url):
    objects, link = seed_with_link_address(url)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    before = full_dump()
    with pytest.raises(CommandError) as caught:
        call_command("loaddata", str(path), verbosity=0)
    message = str(caught.value)
    assert str(path) in message
    assert link["fields"]["article"][0] in message and f"position {link['fields']['position']}" in message
    assert full_dump() == before


def test_an_operator_loading_a_bad_fixture_sees_the_file_and_the_row(tmp_path):
    objects, link = seed_with_link_address("java\tscript:alert(1)")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    database = tmp_path / "operator.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "REDIS_URL": ""}

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True)

    assert manage("migrate", "-v0").returncode == 0
    result = manage("loaddata", str(path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("CommandError: "), result.stderr
    assert f"Problem installing fixture '{path}'" in last_line, result.stderr
    assert f"position 0 of story {link['fields']['article'][0]}" in last_line, result.stderr
    assert json.loads(manage("dumpdata", "articles").stdout) == []


@pytest.mark.django_db(transaction=True)
def test_the_seed_fixture_still_loads():
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    assert all(is_safe_url(link.url) for link in RelatedLink.objects.all())


def test_the_fixture_builder_writes_only_site_addresses():
    copy = (
        "Harbour reopens after strike\n-\n"
        "BEIRUT — The port reopened on Monday.\n"
        "Read more: \x01javascript:alert(1)\n"
        "Read more: java\tscript:alert(document.domain)\n"
    )
    rows = build([Source("w1", parse(copy), "w1.txt")], BuildOptions(section_path="news"))
    urls = [row["fields"]["url"] for row in rows if row["model"] == "articles.relatedlink"]
    assert urls and all(url.startswith("/search/?q=") and is_safe_url(url) for url in urls)


# --- what readers get -------------------------------------------------------------------------------


def story_with_stored_script_links(url):
    """Return a public story whose links were stored before addresses were checked (no save() ran)."""
    from django.db import connection

    if "\x00" in url and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store a NUL character in text, so no such row can exist there")
    article = make_article(body="<p>One.</p><p>Two.</p>")
    add_link(article, title="Related elsewhere", url="https://example.org/", kind=RelatedLink.Kind.RELATED)
    add_link(article, title="Read this", url="https://example.org/", kind="read_more", anchor_block=1)
    RelatedLink.objects.filter(article=article).update(url=url)
    return article


@pytest.mark.django_db
@pytest.mark.parametrize("url", BROWSER_SCRIPT_ADDRESSES, ids=IDS)
def test_a_story_page_shows_a_stored_script_link_as_plain_text(client, url):
    article = story_with_stored_script_links(url)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Related elsewhere" in html and "Read this" in html
    unsafe = [href for href in hrefs(html) if not is_safe_url(href)]
    assert unsafe == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/feeds/rss.xml", "/feeds/atom.xml", "/sitemap.xml", "/sitemaps/articles.xml", "/sitemap-news.xml"]
)
def test_feeds_and_sitemaps_never_carry_a_stored_script_link(client, path):
    story_with_stored_script_links("\x01javascript:alert(document.domain)")
    body = client.get(path).content.decode()
    assert "javascript" not in body.lower()


# --- bodies -----------------------------------------------------------------------------------------

BODY_TRICKS = [
    '<a href="\x01javascript:alert(document.domain)">a</a>',
    '<a href="&#1;javascript:alert(1)">a</a>',
    '<a href="java\tscript:alert(1)">a</a>',
    '<a href="java&#9;script:alert(1)">a</a>',
    '<a href="java&#x0A;script:alert(1)">a</a>',
    '<a href=" javascript:alert(1)">a</a>',
    '<a href="JaVaScRiPt:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<a href="javascript&colon;alert(1)">a</a>',
    '<blockquote cite="java\tscript:alert(1)">q</blockquote>',
    '<q cite="\x01javascript:alert(1)">q</q>',
]


@pytest.mark.parametrize("html", BODY_TRICKS)
def test_the_sanitizer_drops_script_addresses_browsers_would_follow(html):
    cleaned = clean_html(html)
    assert [href for href in hrefs(cleaned) if not is_safe_url(href)] == []
    assert "script:" not in cleaned.lower().replace("\t", "").replace("\n", "")
