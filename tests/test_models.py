from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Correction, Person, RelatedLink, Section
from tests.factories import add_link, make_article, make_person, make_section

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_scheduled_embargoed_and_withdrawn():
    now = timezone.now()
    public = make_article()
    make_article(status=Article.Status.DRAFT, published_at=None)
    make_article(status=Article.Status.REVIEW, published_at=None)
    make_article(status=Article.Status.WITHDRAWN)
    scheduled = make_article(published_at=now + timedelta(hours=2))
    make_article(embargo_until=now + timedelta(minutes=5))
    make_article(embargo_until=now - timedelta(minutes=5), headline="Embargo lifted", slug="embargo-lifted")

    visible = set(Article.objects.published().values_list("headline", flat=True))
    assert visible == {public.headline, "Embargo lifted"}
    # Scheduling needs no cron: the same row is public once the clock passes its time.
    later = set(Article.objects.published(now=now + timedelta(hours=3)).values_list("pk", flat=True))
    assert scheduled.pk in later


def test_a_published_article_must_have_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status=Article.Status.PUBLISHED, published_at=None)


def test_article_slugs_are_unique():
    make_article(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(slug="same")


def test_wire_ids_are_unique_per_source_but_blank_ids_repeat():
    make_article(source="Reuters", source_id="abc")
    make_article(source="Reuters", source_id="")
    make_article(source="Reuters", source_id="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(source="Reuters", source_id="abc")


def test_related_link_needs_a_target_or_url():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, position=0, title="Nowhere")


def test_related_link_with_only_a_title_falls_back_to_search_on_clean():
    article = make_article()
    link = RelatedLink(article=article, position=0, title="A story still to come")
    link.full_clean()
    assert link.url == "/search/?q=A+story+still+to+come"


def test_related_link_refuses_script_urls():
    link = RelatedLink(article=make_article(), position=0, title="x", url="javascript:alert(1)")
    with pytest.raises(Exception, match="Only web addresses"):
        link.full_clean()


def test_section_path_follows_parent_and_moves_with_it():
    news = make_section(name="News", slug="news")
    world = make_section(name="World", slug="world", parent=news)
    africa = make_section(name="Africa", slug="africa", parent=world)
    assert africa.path == "news/world/africa"
    news.slug = "latest"
    news.save()
    africa.refresh_from_db()
    assert africa.path == "latest/world/africa"
    assert Section.objects.get_by_natural_key("latest/world") == world


def test_section_may_not_take_a_site_address():
    section = Section(name="Admin", slug="admin")
    with pytest.raises(Exception, match="used by the site"):
        section.full_clean()


def test_body_and_bio_are_sanitized_on_save():
    article = make_article(body='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:y">y</a></p>')
    assert "script" not in article.body and "onclick" not in article.body and "javascript" not in article.body
    person = make_person(bio="<p>Bio<img src=x onerror=alert(1)></p>")
    assert person.bio == "<p>Bio</p>"


def test_headline_key_is_derived_for_matching_read_more_titles():
    article = make_article(headline="Barrack backs Damascus, suggests ‘Israel’ prefers a divided Syria")
    assert article.headline_key == "barrack backs damascus suggests israel prefers a divided syria"


def test_natural_keys_round_trip():
    article = make_article()
    person = make_person(name="Asaad al-Shaibani", slug="asaad-al-shaibani")
    link = add_link(article)
    correction = Correction.objects.create(article=article, text="A name was misspelt.")
    assert Article.objects.get_by_natural_key(*article.natural_key()) == article
    assert Person.objects.get_by_natural_key(*person.natural_key()) == person
    assert RelatedLink.objects.get_by_natural_key(*link.natural_key()) == link
    assert Correction.objects.get_by_natural_key(*correction.natural_key()) == correction


def test_person_slug_is_ascii_from_the_name():
    person = Person.objects.create(name="Elinor Hammarskjöld")
    assert person.slug == "elinor-hammarskjold"


def test_times_are_stored_to_the_millisecond_so_a_dump_reloads_identically(tmp_path):
    import io as _io

    from django.core.management import call_command
    from taggit.models import Tag

    # Under a millisecond: the dump would write ".000Z", the reload ".000" would dump as "Z".
    moment = timezone.now().replace(microsecond=456)
    article = make_article(published_at=moment - timedelta(hours=1))
    Correction.objects.create(article=article, text="Fix.", published_at=moment)
    article.refresh_from_db()
    assert article.published_at.microsecond == 0 and article.last_modified.microsecond % 1000 == 0

    def dump():
        out = _io.StringIO()
        call_command("dumpdata", "articles", "taggit", natural_foreign=True, natural_primary=True, stdout=out)
        return out.getvalue()

    first = dump()
    (tmp_path / "dump.json").write_text(first)
    Article.objects.all().delete()  # and with them their bylines, mentions, tags, links and corrections
    for model in (Section, Person, Tag):
        model.objects.all().delete()
    call_command("loaddata", str(tmp_path / "dump.json"), verbosity=0)
    assert dump() == first
