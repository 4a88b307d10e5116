"""Every kind of broken fixture fails with a clear message and leaves the database exactly as it was."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SEED_FIXTURE

pytestmark = pytest.mark.django_db(transaction=True)


def full_dump():
    out = io.StringIO()
    call_command("dumpdata", natural_foreign=True, natural_primary=True, indent=1, stdout=out)
    return out.getvalue()


def seed_objects():
    return json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))


def first(objects, model):
    return next(o for o in objects if o["model"] == model)


def edited(edit):
    objects = seed_objects()
    edit(objects)
    return json.dumps(objects).encode("utf-8")


BROKEN = {
    "bad-json": (b'[{"model": "articles.section", "fields": {]', r"(?i)json|expecting|deserializ"),
    "truncated": (SEED_FIXTURE.read_bytes()[:2000], r"(?i)json|unterminated|expecting|deserializ"),
    "not-a-list": (json.dumps({"model": "articles.section"}).encode(), r"(?i)deserializ|string indices|list"),
    "unknown-model": (edited(lambda o: o.append({"model": "articles.nosuch", "fields": {}})), r"nosuch"),
    "unknown-field": (
        edited(lambda o: first(o, "articles.article")["fields"].update(colour="red")),
        r"colour",
    ),
    "missing-reference": (
        edited(lambda o: first(o, "articles.article")["fields"].update(primary_section=["no/such"])),
        r"primary_section refers to \['no/such'\], which is neither in the database nor earlier",
    ),
    "wrong-type-date": (
        edited(lambda o: first(o, "articles.article")["fields"].update(published_at="yesterday")),
        r"(?i)yesterday|format",
    ),
    "wrong-type-int": (
        edited(lambda o: first(o, "articles.relatedlink")["fields"].update(position="first")),
        r"(?i)first|integer",
    ),
    "null-headline": (
        edited(lambda o: first(o, "articles.article")["fields"].update(headline=None)),
        r"(?i)not null|null value|headline",
    ),
    "published-without-time": (
        edited(lambda o: first(o, "articles.article")["fields"].update(published_at=None)),
        r"(?i)article_published_has_time|check constraint",
    ),
    "duplicate-natural-key": (
        edited(lambda o: o.append(json.loads(json.dumps(first(o, "articles.article"))))),
        r"(?i)twice|duplicate",
    ),
    "duplicate-slug": (
        edited(
            lambda o: o.append(
                {
                    **json.loads(json.dumps(first(o, "articles.article"))),
                    "fields": {**first(o, "articles.article")["fields"], "guid": "urn:uuid:other", "source_id": "x"},
                }
            )
        ),
        r"(?i)unique|slug",
    ),
    "wrong-encoding": (SEED_FIXTURE.read_text(encoding="utf-8").encode("utf-16"), r"(?i)utf-8|decode|json"),
    "too-long-headline": (
        edited(lambda o: first(o, "articles.article")["fields"].update(headline="H" * 300)),
        r"(?i)headline|too long|255",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_fixture_fails_clearly_and_changes_nothing(tmp_path, kind):
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    before = full_dump()
    data, message = BROKEN[kind]
    path = tmp_path / f"{kind}.json"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("loaddata", str(path), verbosity=0)
    assert str(path) in str(caught.value) or path.name in str(caught.value), str(caught.value)
    assert full_dump() == before


def test_an_empty_fixture_file_is_an_error_not_a_silent_success(tmp_path):
    path = tmp_path / "blank.json"
    path.write_bytes(b"")
    before = full_dump()
    with pytest.raises(CommandError, match="empty"):
        call_command("loaddata", str(path), verbosity=0)
    assert full_dump() == before


def test_fixtures_sharing_people_and_sections_load_together(tmp_path):
    objects = seed_objects()
    article = first(objects, "articles.article")["fields"]
    article.update(guid="urn:uuid:second", slug="second-story", source_id="second", headline="Second story")
    for obj in objects:
        for name in ("article", "content_object"):
            if obj["fields"].get(name) == [first(seed_objects(), "articles.article")["fields"]["guid"]]:
                obj["fields"][name] = ["urn:uuid:second"]
    second = tmp_path / "second.json"
    second.write_text(json.dumps(objects), encoding="utf-8")
    call_command("loaddata", str(SEED_FIXTURE), str(second), verbosity=0)
    from articles.models import Article, Person

    assert Article.objects.count() == 2
    assert Person.objects.filter(slug="ahmad-al-sharaa").count() == 1
