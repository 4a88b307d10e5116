"""Fixtures at scale: thousands of wire files in, ten thousand stories out and back without loss."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Mention, Person, Section, TaggedArticle

WIRE = (
    "Story number {n} from the wire\nA standfirst for story {n}.\n-\n"
    "CAIRO — Officials met on day {n}.\nThey said little.\n"
)


def test_a_folder_of_thousands_of_wire_files_builds_with_a_progress_bar(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    for n in range(2000):
        (folder / f"w{n:05d}.txt").write_text(WIRE.format(n=n), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "build_fixtures", str(folder), "--output", str(tmp_path / "big.json"), "--progress", stdout=out, stderr=err
    )
    assert "Wrote" in out.getvalue() and "2000 article(s) from 2000 file(s)" in out.getvalue()
    assert "] 2000/2000 files" in err.getvalue().split("\r")[-1]
    objects = json.loads((tmp_path / "big.json").read_text(encoding="utf-8"))
    assert sum(1 for o in objects if o["model"] == "articles.article") == 2000
    assert len({o["fields"]["slug"] for o in objects if o["model"] == "articles.article"}) == 2000


def _dump():
    out = io.StringIO()
    call_command("dumpdata", "articles", "taggit", natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_ten_thousand_stories_round_trip_through_dumpdata_and_loaddata(tmp_path):
    section = Section.objects.create(name="World", slug="world")
    now = timezone.now().replace(microsecond=0)  # as stored times are: a dump keeps milliseconds
    Article.objects.bulk_create(
        Article(
            guid=f"urn:newsroom:scale:{n}",
            headline=f"Scale story {n}",
            headline_key=f"scale story {n}",
            slug=f"scale-story-{n}",
            dek=f"Standfirst {n}.",
            body=f"<p>Paragraph one of {n}.</p><p>Paragraph two.</p>",
            primary_section=section,
            status="published",
            published_at=now - timedelta(minutes=n),
        )
        for n in range(10_000)
    )
    people = Person.objects.bulk_create(Person(name=f"Person {n}", slug=f"person-{n}") for n in range(200))
    tags = Tag.objects.bulk_create(Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(50))
    articles = list(Article.objects.order_by("pk").only("pk"))
    Mention.objects.bulk_create(
        Mention(article=a, person=people[i % 200], title="Minister") for i, a in enumerate(articles[:2000])
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=a, tag=tags[i % 50]) for i, a in enumerate(articles)
    )
    before = _dump()
    path = tmp_path / "ten-thousand.json"
    path.write_text(before, encoding="utf-8")
    call_command("flush", "--noinput", verbosity=0)
    assert Article.objects.count() == 0
    call_command("loaddata", str(path), verbosity=0)
    assert Article.objects.count() == 10_000 and TaggedArticle.objects.count() == 10_000
    assert _dump() == before
