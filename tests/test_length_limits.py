"""Each text field has one length, in articles/core/limits.py: its column's, and what every import accepts."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from taggit.models import Tag

from articles.core import limits
from articles.models import Article, Person, RelatedLink, Section
from tests.test_ninjs_import import item, run

pytestmark = pytest.mark.django_db

COLUMNS = {
    "articles.Section.name": "SECTION_NAME_MAX_LENGTH",
    "articles.Section.slug": "SECTION_SLUG_MAX_LENGTH",
    "articles.Section.path": "SECTION_PATH_MAX_LENGTH",
    "articles.Image.key": "IMAGE_KEY_MAX_LENGTH",
    "articles.Image.alt_text": "ALT_TEXT_MAX_LENGTH",
    "articles.Image.credit": "CREDIT_MAX_LENGTH",
    "articles.Person.name": "PERSON_NAME_MAX_LENGTH",
    "articles.Person.slug": "PERSON_SLUG_MAX_LENGTH",
    "articles.Person.job_title": "JOB_TITLE_MAX_LENGTH",
    "articles.Person.affiliation": "AFFILIATION_MAX_LENGTH",
    "articles.Article.guid": "GUID_MAX_LENGTH",
    "articles.Article.headline": "HEADLINE_MAX_LENGTH",
    "articles.Article.headline_key": "TITLE_KEY_MAX_LENGTH",
    "articles.Article.slug": "STORY_SLUG_MAX_LENGTH",
    "articles.Article.dateline": "DATELINE_MAX_LENGTH",
    "articles.Article.source": "SOURCE_MAX_LENGTH",
    "articles.Article.source_id": "SOURCE_ID_MAX_LENGTH",
    "articles.Article.seo_title": "SEO_TITLE_MAX_LENGTH",
    "articles.Article.seo_description": "SEO_DESCRIPTION_MAX_LENGTH",
    "articles.ArticleRedirect.old_path": "REDIRECT_PATH_MAX_LENGTH",
    "articles.Mention.title": "MENTION_TITLE_MAX_LENGTH",
    "articles.RelatedLink.title": "LINK_TITLE_MAX_LENGTH",
    "articles.RelatedLink.url": "LINK_URL_MAX_LENGTH",
    "articles.WireItem.source": "SOURCE_MAX_LENGTH",
    "articles.WireItem.format": "WIRE_FORMAT_MAX_LENGTH",
    "articles.WireItem.guid": "WIRE_GUID_MAX_LENGTH",
    "articles.WireItem.slugline": "SLUGLINE_MAX_LENGTH",
    "articles.WireItem.headline": "HEADLINE_MAX_LENGTH",
    "articles.WireItem.filename": "WIRE_FILENAME_MAX_LENGTH",
    "articles.Subscriber.name": "SUBSCRIBER_NAME_MAX_LENGTH",
    "articles.Subscriber.url": "SUBSCRIBER_URL_MAX_LENGTH",
    "articles.Subscriber.secret": "SUBSCRIBER_SECRET_MAX_LENGTH",
    "articles.Delivery.article_guid": "GUID_MAX_LENGTH",
    "articles.Delivery.payload_sha256": "DIGEST_MAX_LENGTH",
    "taggit.Tag.name": "TAG_MAX_LENGTH",
    "taggit.Tag.slug": "TAG_MAX_LENGTH",
}


def test_every_text_column_is_as_long_as_its_limit():
    columns = {}
    for model in [*apps.get_app_config("articles").get_models(), Tag]:
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField) and not field.choices:
                columns[f"{model._meta.label}.{field.name}"] = field.max_length
    # A new text column shows up here too, and needs its limit in articles/core/limits.py.
    assert columns == {column: getattr(limits, name) for column, name in COLUMNS.items()}


def _link(**association):
    return [{"name": "related-0", "rel": "related", "headlines": [{"value": "More"}], **association}]


# How to put a value of length n into a partner's item, which limit applies, and where the value lands.
NINJS_FIELDS = {
    "headline": (
        lambda n: {"headlines": [{"role": "main", "value": "H" * n}]},
        "HEADLINE_MAX_LENGTH",
        lambda: Article.objects.get().headline,
    ),
    "uri": (
        lambda n: {"uri": "urn:" + "u" * (n - 4)},
        "GUID_MAX_LENGTH",
        lambda: Article.objects.get().guid,
    ),
    "section name": (
        lambda n: {"subjects": [{"name": "S" * n, "rel": "section", "literal": "world"}]},
        "SECTION_NAME_MAX_LENGTH",
        lambda: Section.objects.get(path="world").name,
    ),
    "person name": (
        lambda n: {"people": [{"name": "P" * n, "rel": "author:author", "literal": "jane-roe"}]},
        "PERSON_NAME_MAX_LENGTH",
        lambda: Person.objects.get().name,
    ),
    "dateline": (lambda n: {"located": "D" * n}, "DATELINE_MAX_LENGTH", lambda: Article.objects.get().dateline),
    "source": (
        lambda n: {"infoSources": [{"name": "S" * n}]},
        "SOURCE_MAX_LENGTH",
        lambda: Article.objects.get().source,
    ),
    "link title": (
        lambda n: {"associations": _link(uri="https://partner.example/", headlines=[{"value": "T" * n}])},
        "LINK_TITLE_MAX_LENGTH",
        lambda: RelatedLink.objects.get().title,
    ),
    "link address": (
        lambda n: {"associations": _link(uri="https://partner.example/" + "u" * (n - 24))},
        "LINK_URL_MAX_LENGTH",
        lambda: RelatedLink.objects.get().url,
    ),
}


@pytest.mark.parametrize("field", sorted(NINJS_FIELDS))
def test_a_partners_value_as_long_as_its_limit_imports_whole(tmp_path, field):
    changes, limit_name, stored = NINJS_FIELDS[field]
    limit = getattr(limits, limit_name)
    run(tmp_path, item(**changes(limit)))
    assert len(stored()) == limit


@pytest.mark.parametrize("field", sorted(NINJS_FIELDS))
def test_a_partners_value_one_character_too_long_is_refused_naming_the_limit(tmp_path, field):
    changes, limit_name, _ = NINJS_FIELDS[field]
    limit = getattr(limits, limit_name)
    with pytest.raises(CommandError, match=rf"\b{limit}\b"):
        run(tmp_path, item(**changes(limit + 1)))
    assert not Article.objects.exists()


def build(tmp_path, wire_id):
    source = tmp_path / f"{wire_id}.txt"
    source.write_text("Harbour reopens after the storm\n-\nShips came back on Friday.\n", encoding="utf-8")
    output = tmp_path / "fixture.json"
    call_command("build_fixtures", str(source), "--output", str(output), stdout=io.StringIO())
    return output


def test_a_wire_id_as_long_as_its_limit_builds_and_loads(tmp_path):
    wire_id = "w" * limits.SOURCE_ID_MAX_LENGTH
    call_command("loaddata", str(build(tmp_path, wire_id)), verbosity=0)
    assert Article.objects.get().source_id == wire_id


def test_a_wire_file_named_beyond_the_wire_id_limit_is_refused_by_the_builder(tmp_path):
    wire_id = "w" * (limits.SOURCE_ID_MAX_LENGTH + 1)
    with pytest.raises(CommandError, match=rf"{wire_id}\.txt.*limit is {limits.SOURCE_ID_MAX_LENGTH}"):
        build(tmp_path, wire_id)
    assert not (tmp_path / "fixture.json").exists()
