"""The operator's path: wire copy → build_fixtures → loaddata → dumpdata, and back."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from taggit.models import Tag

from articles.models import Article, Image, Mention, Person, RelatedLink, Section, TaggedArticle
from articles.reader.rendering import split_blocks
from tests.conftest import REPO, SEED_FIXTURE

SEED_SOURCE = REPO / "fixtures" / "wire" / "000_ff7aa41f6574f300.txt"
SEED_OPTIONS = ["--section", "news/middle-east", "--published-at", "2025-07-25T10:00:00Z"]


def build(*sources, output, extra=()):
    out = io.StringIO()
    call_command("build_fixtures", *map(str, sources), "--output", str(output), *SEED_OPTIONS, *extra, stdout=out)
    return out.getvalue()


def full_dump():
    """Return every content row the operator would move, natural keys only, as text."""
    out = io.StringIO()
    call_command("dumpdata", "articles", "taggit", natural_foreign=True, natural_primary=True, indent=1, stdout=out)
    return out.getvalue()


# --- loaddata of the committed seed -------------------------------------------------------------


def test_seed_loads_one_published_article_with_everything_the_copy_carries(seed):
    source_lines = [line.strip() for line in SEED_SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    article = seed
    assert Article.objects.published().get() == article
    assert article.headline == "Syrian, Israeli officials hold 'significant' meeting in Paris"
    assert article.dek.startswith("Syrian and Israeli officials hold a US-brokered meeting in Paris")
    assert article.primary_section.path == "news/middle-east"
    assert article.primary_section.parent.path == "news"

    blocks = split_blocks(article.body)
    paragraphs = [b for b in blocks if b.startswith("<p>")]
    assert [b for b in blocks if b.startswith("<h2>")] == [
        "<h2>Tel Aviv seeks southern Syria 'understanding'</h2>",
        "<h2>Past meetings, present calculations</h2>",
    ]
    assert len(paragraphs) == 8
    # Every body line of the copy is in the body, word for word.
    for line in source_lines[4:]:
        if not line.startswith("Read more:"):
            escaped = line.replace("&", "&amp;")
            assert escaped in article.body, line

    image = article.lead_image
    assert image.credit == "AP"
    assert image.caption.startswith("Syria's interim President Ahmad Al-Sharaa, center, signs")
    assert "(AP)" not in image.caption

    links = list(article.related_links.order_by("position"))
    assert [(link.kind, link.title) for link in links] == [
        ("read_more", "Erdogan slams Israeli strikes on Syria, says will not accept division"),
        ("read_more", "Barrack backs Damascus, suggests 'Israel' prefers a divided Syria: AP"),
    ]
    # The first read-more stood after the seventh block (paragraphs and a subheading); the second closed the copy.
    assert blocks[links[0].anchor_block - 1].startswith("<p>Meanwhile, Axios confirmed")
    assert links[1].anchor_block == len(blocks)
    assert all(link.url.startswith("/search/?q=") for link in links)

    titles = {m.person.name: m.title for m in Mention.objects.filter(article=article).select_related("person")}
    assert titles["Asaad al-Shaibani"] == "Syrian Foreign Minister"
    assert titles["Ron Dermer"] == "Israeli Minister of Strategic Affairs"
    assert titles["Benjamin Netanyahu"] == "Israeli Prime Minister"
    assert titles["Tom Barrack"] == "US Special Envoy and Ambassador"
    assert "President" in titles["Ahmad al-Sharaa"]
    assert len(titles) >= 5
    # One record per real person, whatever the spelling in the copy.
    assert Person.objects.filter(slug="ahmad-al-sharaa").count() == 1
    assert "Ahmad Al-Sharaa" in Person.objects.get(slug="ahmad-al-sharaa").aliases
    tags = set(article.tags.names())
    assert {"Damascus", "Paris"} <= tags


def test_loading_the_seed_twice_changes_nothing(seed):
    before = full_dump()
    models = (Article, Person, Mention, RelatedLink, Tag, TaggedArticle, Section, Image)
    counts = [model.objects.count() for model in models]
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    assert [model.objects.count() for model in models] == counts
    assert full_dump() == before


def test_a_load_fetches_each_story_it_refers_to_once(db):
    """Bylines, mentions, tags and links name their story by guid; the load looks it up once, not per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))
    guid = next(row["fields"]["guid"] for row in rows if row["model"] == "articles.article")
    children = [row for row in rows if row["model"] != "articles.article" and guid in json.dumps(row["fields"])]
    assert len(children) >= 10  # the seed's bylines, mentions, tags and links
    with CaptureQueriesContext(connection) as queries:
        call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    # The story itself, looked up by guid (each byline's own existence check joins it instead).
    story_lookups = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "articles_article"."id"') and "JOIN" not in q["sql"]
    ]
    assert len(story_lookups) == 1, story_lookups
    # And the rows are all there, as a load without the memo gives them.
    assert Article.objects.get().mentions.count() == sum(row["model"] == "articles.mention" for row in rows)


def test_a_load_bumps_the_content_version_once_after_loading(db, monkeypatch):
    from articles.platform import cache as page_cache

    before = page_cache.content_version()
    seen = []
    real_bump = page_cache.bump_content_version

    def bump(**kwargs):
        seen.append(page_cache.content_version())  # what readers' pages were keyed by until now
        real_bump(**kwargs)

    monkeypatch.setattr(page_cache, "bump_content_version", bump)
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    # One bump for the whole load, and no row's save had bumped the version before it.
    assert seen == [before]
    assert page_cache.content_version() != before


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_dumpdata_flush_loaddata_round_trip_loses_nothing(seed, tmp_path):
    seed.tags.add("Hand-added tag")
    before = full_dump()
    dump = tmp_path / "dump.json"
    dump.write_text(before, encoding="utf-8")
    assert '"pk"' not in before  # natural keys only: the dump loads into any database
    call_command("flush", "--noinput", verbosity=0)
    assert Article.objects.count() == 0
    call_command("loaddata", str(dump), verbosity=0)
    assert full_dump() == before


def _edit_article(edit):
    """Return a fixture text whose article row has been changed by edit(fields)."""

    def breakage(text):
        objects = json.loads(text)
        edit(next(o for o in objects if o["model"] == "articles.article")["fields"])
        return json.dumps(objects)

    return breakage


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated-json"),
        pytest.param(_edit_article(lambda f: f.update(primary_section=["no/such/section"])), id="missing-ref"),
        pytest.param(_edit_article(lambda f: f.update(published_at=None)), id="published-without-time"),
    ],
)
def test_a_broken_fixture_fails_and_leaves_the_database_as_it_was(db, tmp_path, breakage):
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    Article.objects.update(headline="Edited by the desk")
    before = full_dump()
    broken = tmp_path / "broken.json"
    broken.write_text(breakage(SEED_FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - loaddata raises several types; the point is the state after
        call_command("loaddata", str(broken), verbosity=0)
    assert full_dump() == before


# --- build_fixtures --------------------------------------------------------------------------------


def test_committed_seed_fixture_is_current(tmp_path):
    out = tmp_path / "seed.json"
    build(SEED_SOURCE, output=out)
    assert out.read_text(encoding="utf-8") == SEED_FIXTURE.read_text(encoding="utf-8")
    assert "up to date" in build(SEED_SOURCE, output=SEED_FIXTURE, extra=["--check"])


def test_output_is_byte_identical_across_runs(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    build(SEED_SOURCE, output=first)
    build(SEED_SOURCE, output=second)
    assert first.read_bytes() == second.read_bytes()
    objects = json.loads(first.read_text(encoding="utf-8"))
    assert all("pk" not in obj for obj in objects)


def test_check_fails_on_a_stale_fixture(tmp_path):
    out = tmp_path / "seed.json"
    build(SEED_SOURCE, output=out)
    out.write_text(out.read_text(encoding="utf-8").replace("Paris", "Lyon"), encoding="utf-8")
    with pytest.raises(CommandError, match="stale"):
        build(SEED_SOURCE, output=out, extra=["--check"])


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


BAD_INPUTS = {
    "empty": (b"", r"empty\.txt.*empty"),
    "no-separator": (b"Headline\nDek\nParagraph one.\n", r"no-separator\.txt.*separator"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), r"binary\.txt.*binary"),
    "latin-1": ("Headline\n-\nCaf\u00e9 society returns.\n".encode("latin-1"), r"latin-1\.txt:3:.*UTF-8"),
    "huge": (b"Headline\n-\n" + b"word " * 500_000, r"huge\.txt.*large"),
    "long-headline": (("H" * 300 + "\n-\nA paragraph.\n").encode(), r"long-headline\.txt:1:.*headline"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_clear_error_and_no_output_file(tmp_path, name):
    data, message = BAD_INPUTS[name]
    source = _write(tmp_path, f"{name}.txt", data)
    out = tmp_path / "out" / "fixture.json"
    with pytest.raises(CommandError, match=message):
        build(source, output=out)
    assert not out.exists()
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True


def test_a_bad_file_among_good_ones_writes_nothing_and_keeps_the_old_fixture(tmp_path):
    out = tmp_path / "fixture.json"
    out.write_text("[]\n", encoding="utf-8")
    bad = _write(tmp_path, "bad.txt", b"")
    with pytest.raises(CommandError):
        build(SEED_SOURCE, bad, output=out)
    assert out.read_text(encoding="utf-8") == "[]\n"


def test_a_folder_of_wire_files_becomes_one_fixture_that_links_stories(tmp_path, db):
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Minister visits the port\n-\nThe minister visited the port on Monday.\n"
        "Read more: Port strike ends after a week\nShe met workers.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Port strike ends after a week\n-\nDockers returned to work on Friday.\n", encoding="utf-8"
    )
    out = tmp_path / "two.json"
    assert "2 article(s)" in build(folder, output=out)
    call_command("loaddata", str(out), verbosity=0)
    link = RelatedLink.objects.get()
    assert link.target_article.headline == "Port strike ends after a week"
    assert link.kind == "read_more" and link.anchor_block == 1


def test_loading_a_fixture_writes_no_unsanitized_html(seed):
    from articles.core.sanitize import clean_html

    assert clean_html(seed.body) == seed.body


def test_seed_article_page_serves_after_loaddata(seed, client):
    response = client.get(seed.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Syrian, Israeli officials hold &#x27;significant&#x27; meeting in Paris" in html
    # The seed's wire picture came as a caption without its file: readers get no empty figure for it.
    assert seed.lead_image is not None and not seed.lead_image.file
    assert 'class="lead-figure"' not in html and '<span class="credit">AP</span>' not in html
    assert html.count('class="read-more"') == 2
    # The closing read-more follows the last paragraph, inside the story body.
    assert html.index("wider regional alignment") < html.index("Barrack backs Damascus") < html.index("</article>")
    assert '<a href="/people/asaad-al-shaibani/">Asaad al-Shaibani</a>' in html
    home = client.get("/").content.decode()
    assert f'href="{seed.get_absolute_url()}"' in home


def test_source_files_are_never_changed_by_a_build(tmp_path):
    before = Path(SEED_SOURCE).read_bytes()
    build(SEED_SOURCE, output=tmp_path / "x.json")
    assert Path(SEED_SOURCE).read_bytes() == before


def test_credit_lines_become_ordered_bylines_on_the_page(tmp_path, db, client):
    source = tmp_path / "credits.txt"
    source.write_text(
        "Port reopens after the storm\n-\nBEIRUT (Reuters) - The port reopened on Friday.\n"
        "Workers cleared the quays overnight.\n"
        "(Reporting by Laila Bassam and Maya Gebeily; Editing by Andrew Heavens)\n",
        encoding="utf-8",
    )
    out = tmp_path / "credits.json"
    build(source, output=out)
    call_command("loaddata", str(out), verbosity=0)
    article = Article.objects.get()
    assert [(a.person.name, a.role) for a in article.authorships.select_related("person")] == [
        ("Laila Bassam", "author"),
        ("Maya Gebeily", "author"),
        ("Andrew Heavens", "editor"),
    ]
    assert (article.dateline, article.source) == ("BEIRUT", "Reuters")
    assert "Reporting by" not in article.body
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/people/laila-bassam/">Laila Bassam</a>' in html
    assert "Andrew Heavens</a> (editor)" in html


def test_a_full_disk_while_writing_leaves_the_old_fixture_and_no_temporary_file(tmp_path, monkeypatch):
    import errno
    import os

    out = tmp_path / "fixture.json"
    out.write_text("[]\n", encoding="utf-8")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(
        CommandError, match="cannot be written .No space left on device.; any earlier file is unchanged"
    ):
        build(SEED_SOURCE, output=out)
    assert out.read_text(encoding="utf-8") == "[]\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fixture.json"]


def test_load_seed_fills_a_new_database_and_never_overwrites_edits(db):
    out = io.StringIO()
    call_command("load_seed", stdout=out, verbosity=0)
    article = Article.objects.get()
    article.headline = "Edited by the desk"
    article.save()
    call_command("load_seed", stdout=out)
    assert "already holds 1 story;" in out.getvalue()
    assert Article.objects.get().headline == "Edited by the desk"
    # Forced, it loads again, and what the desk changed still stands (articles/interchange/reimport.py).
    call_command("load_seed", "--force", stdout=out)
    assert Article.objects.get().headline == "Edited by the desk"
    assert "Kept the desk's headline on story “Edited by the desk”" in out.getvalue()
