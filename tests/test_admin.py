import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Mention, RelatedLink
from tests.factories import (
    add_author,
    add_mention,
    make_article,
    make_image,
    make_person,
    make_section,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff())
    return client


@pytest.mark.parametrize("model", ["article", "section", "person", "image", "correction", "relatedlink"])
def test_every_changelist_and_add_form_opens(editor_client, model):
    make_article()
    assert editor_client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:articles_{model}_add")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_article_changelist_queries_do_not_grow_with_rows(editor_client, django_assert_num_queries, n):
    section = make_section()
    for _ in range(n):
        article = make_article(primary_section=section)
        add_author(article)
        add_mention(article)
    # session, user, section filter, byline filter, count, page, sections, authorships, and the date
    # drill-down: the range, the range again for the days, one EXISTS for the one day with stories
    with django_assert_num_queries(11):
        response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count('class="field-headline"') == n


@pytest.mark.parametrize("n", [2, 12])
def test_person_and_section_changelists_do_not_grow(editor_client, django_assert_num_queries, n):
    for _ in range(n):
        make_person()
        make_section()
    with django_assert_num_queries(5):
        assert editor_client.get(reverse("admin:articles_person_changelist")).status_code == 200
    with django_assert_num_queries(5):
        assert editor_client.get(reverse("admin:articles_section_changelist")).status_code == 200


def test_changelist_shows_scheduled_time(editor_client):
    make_article(headline="Later", published_at=timezone.now() + timezone.timedelta(days=2))
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled for" in html


def test_search_finds_articles_by_person_mentioned(editor_client):
    article = make_article(headline="Paris talks")
    add_mention(article, make_person(name="Ron Dermer", slug="ron-dermer"))
    make_article(headline="Unrelated")
    html = editor_client.get(reverse("admin:articles_article_changelist"), {"q": "Dermer"}).content.decode()
    assert "Paris talks" in html and "Unrelated" not in html


def test_autocomplete_for_people_sections_and_tags(editor_client):
    make_person(name="Asaad al-Shaibani", slug="asaad-al-shaibani")
    make_section(name="Middle East", slug="middle-east", parent=make_section(name="News", slug="news"))
    make_article().tags.add("Damascus")
    url = reverse("admin:autocomplete")
    for model, field, term, expected in [
        ("mention", "person", "Shaib", "Asaad al-Shaibani"),
        ("article", "primary_section", "Middle", "News › Middle East"),  # by name, not news/middle-east
        ("taggedarticle", "tag", "Dama", "Damascus"),
    ]:
        response = editor_client.get(
            url, {"app_label": "articles", "model_name": model, "field_name": field, "term": term}
        )
        assert response.status_code == 200, (model, response.content)
        assert expected in [r["text"] for r in response.json()["results"]]


def test_editor_writes_a_story_with_inlines_in_the_admin(editor_client):
    section = make_section(name="World", slug="world")
    person = make_person(name="Ron Dermer", slug="ron-dermer")
    prefix = {"authorships": 0, "mentions": 1, "tagged_items": 0, "related_links": 1, "corrections": 0}
    data = {
        "headline": "A story from the desk",
        "slug": "a-story-from-the-desk",
        "dek": "Written in the admin.",
        "primary_section": section.pk,
        "body": "<p>First.</p><p>Second.</p>",
        "lead_image_caption": "",
        "status": "published",
        "published_at_0": "2025-01-02",
        "published_at_1": "10:00:00",
        "dateline": "PARIS",
        "mentions-0-person": person.pk,
        "mentions-0-title": "Israeli Minister of Strategic Affairs",
        "mentions-0-position": 0,
        "related_links-0-position": 0,
        "related_links-0-kind": "read_more",
        "related_links-0-title": "A story still to come",
        "related_links-0-url": "",
        "related_links-0-anchor_block": 1,
    }
    for name, total in prefix.items():
        data[f"{name}-TOTAL_FORMS"] = total
        data[f"{name}-INITIAL_FORMS"] = 0
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    article = Article.objects.get(slug="a-story-from-the-desk")
    assert Mention.objects.get(article=article).title == "Israeli Minister of Strategic Affairs"
    link = RelatedLink.objects.get(article=article)
    assert link.url == "/search/?q=A+story+still+to+come"
    assert article.guid.startswith("urn:uuid:")


def test_headline_slug_is_prepopulated(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    # The admin's prepopulate script reads this JSON: the slug field follows the headline.
    expected = '"id": "#id_slug", "name": "slug", "dependency_ids": ["#id_headline"]'
    assert expected.replace('"', "&quot;") in html


@pytest.mark.parametrize("model", ["correction", "relatedlink", "image"])
def test_other_changelists_do_not_grow_with_rows(editor_client, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Correction

    def add_rows(count):
        for _ in range(count):
            article = make_article(lead_image=make_image())
            Correction.objects.create(article=article, text="Fixed.", published_at=timezone.now())
            RelatedLink.objects.create(article=article, position=0, title="x", target_article=make_article())

    url = reverse(f"admin:articles_{model}_changelist")
    add_rows(2)
    with CaptureQueriesContext(connection) as small:
        assert editor_client.get(url).status_code == 200
    add_rows(10)
    with CaptureQueriesContext(connection) as large:
        assert editor_client.get(url).status_code == 200
    assert len(large) == len(small) <= 10
    assert editor_client.get(url).content.decode().count('class="action-select"') == 12


def _count_queries(callable_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_article_change_form_queries_do_not_grow_with_the_database(editor_client):
    from articles.models import Correction

    story = make_article(lead_image=make_image())
    for i in range(2):
        add_author(story)
        add_mention(story, title=f"Title {i}")
        story.tags.add(f"Topic {i}")
    RelatedLink.objects.create(article=story, title="Earlier", target_article=make_article(), position=0)
    Correction.objects.create(article=story, text="A fix.")
    url = reverse("admin:articles_article_change", args=[story.pk])
    editor_client.get(url)  # the soft lock's first note

    small = _count_queries(lambda: editor_client.get(url))
    section = make_section()
    for _ in range(40):  # a bigger newsroom: more stories, people, tags and pictures
        other = make_article(primary_section=section, lead_image=make_image())
        add_author(other)
        add_mention(other)
        other.tags.add(f"Other {other.pk}")
    # 26: session, user, story, soft lock, history, the story's tags (one query, for the box of names that
    # replaced the tag inline, its rows and each row's chosen tag), the four inlines and their rows' chosen
    # values, whether the agency has killed the item a published story was taken from, and her autosaved copy
    assert _count_queries(lambda: editor_client.get(url)) == small == 26
    # Every option list is an autocomplete: nothing renders a <select> of all stories or people.
    html = editor_client.get(url).content.decode()
    assert html.count("<option") < 60


def _changelist(client, **params):
    return client.get(reverse("admin:articles_article_changelist"), params)


def _newsroom(n):
    """Stories by two reporters in two sections, the first of each pair mentioning a minister."""
    sections = [make_section(), make_section()]
    reporters = [make_person(name="Amina Haddad"), make_person(name="Lena Kowalski")]
    minister = make_person(name="Asaad al-Shaibani")
    # One moment for all: stories made across midnight would fall on two days, and the date drill-down
    # then lists days, which is one query more than for a single day.
    moment = timezone.now() - timezone.timedelta(hours=1)
    for i in range(n):
        article = make_article(primary_section=sections[i % 2], source_id=f"WIRE-{n}-{i}", published_at=moment)
        add_author(article, reporters[i % 2])
        if i % 2 == 0:
            add_mention(article, minister, title="Foreign Minister")
    return sections, reporters


@pytest.mark.parametrize(
    "view",
    ["plain", "status", "section", "byline", "published", "search", "search-person", "year", "page-2"],
)
def test_every_view_of_the_story_list_runs_as_many_queries_for_12_stories_as_for_240(editor_client, view):
    def params(sections, reporters):
        now = timezone.localtime()
        return {
            "plain": {},
            "status": {"status__exact": "published"},
            "section": {"primary_section__id__exact": sections[0].pk},
            "byline": {"byline": reporters[0].pk},
            "published": {"published_at__gte": str(now.replace(hour=0, minute=0, second=0, microsecond=0))},
            "search": {"q": "paragraph"},
            "search-person": {"q": "Shaibani"},
            "year": {"published_at__year": now.year},
            "page-2": {"p": 2},
        }[view]

    small = _newsroom(12)
    counts = [_count_queries(lambda: _changelist(editor_client, **params(*small)))]
    Article.objects.all().delete()
    large = _newsroom(240)
    counts.append(_count_queries(lambda: _changelist(editor_client, **params(*large))))
    response = _changelist(editor_client, **params(*large))
    assert response.status_code == 200
    assert counts[0] == counts[1] <= 12, counts


def test_a_far_page_of_the_story_list_does_not_join_every_skipped_story_to_its_section(editor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _newsroom(120)
    with CaptureQueriesContext(connection) as captured:
        html = _changelist(editor_client, p=2).content.decode()
    page = next(q["sql"] for q in captured if "OFFSET" in q["sql"])
    assert "JOIN" not in page  # joined, SQLite reads each of the skipped stories: a second at page 1000
    assert html.count('class="field-headline"') == 20
    assert "section-" in html  # the section column is still filled in, from one query for the page


def test_search_finds_words_bylines_mentions_and_wire_ids(editor_client):
    haddad = make_person(name="Amina Haddad")
    budget = make_article(headline="Budget passes", body="<p>The ministers agreed overnight.</p>")
    add_author(budget, haddad)
    wire = make_article(headline="Port reopens", source_id="AP-2025-0042")
    make_article(headline="Unrelated weather")

    def found(query):
        html = _changelist(editor_client, q=query).content.decode()
        return {a.headline for a in Article.objects.all() if a.headline in html}

    assert found("minist") == {"Budget passes"}  # the beginning of a word in the body
    assert found("Haddad") == {"Budget passes"}  # a name in the byline
    assert found("budget haddad") == {"Budget passes"}  # every word must match, anywhere
    assert found("budget weather") == set()
    assert found("AP-2025-0042") == {wire.headline}  # the wire's id, exactly
    assert found(budget.guid) == {"Budget passes"}


def test_the_byline_filter_lists_people_with_bylines_and_keeps_the_other_filters(editor_client):
    sections, reporters = _newsroom(4)
    make_person(name="Never Bylined")
    html = _changelist(editor_client, status__exact="published").content.decode()
    assert "Amina Haddad" in html and "Never Bylined" not in html
    assert f"?status__exact=published&amp;byline={reporters[0].pk}" in html
    html = _changelist(editor_client, byline=reporters[0].pk).content.decode()
    assert html.count('class="field-headline"') == 2
    assert _changelist(editor_client, byline="x").status_code in {200, 302}


def test_the_date_drill_down_offers_only_periods_with_stories_on_the_editors_clock(editor_client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    utc = ZoneInfo("UTC")
    for moment in [datetime(2024, 12, 31, 23, 30, tzinfo=utc), datetime(2025, 3, 2, 10, 0, tzinfo=utc)]:
        make_article(published_at=moment)
    html = _changelist(editor_client).content.decode()
    assert "?published_at__year=2024" in html and "?published_at__year=2025" in html
    assert "?published_at__year=2023" not in html
    editor_client.cookies["desk_tz"] = "Asia%2FTokyo"  # 31 December 23:30 UTC is New Year's morning there
    html = _changelist(editor_client).content.decode()
    assert "?published_at__year=2024" not in html
    html = _changelist(editor_client, published_at__year=2025).content.decode()
    assert "published_at__month=1" in html and "published_at__month=3" in html
    assert "published_at__month=2" not in html
    html = _changelist(editor_client, published_at__year=2025, published_at__month=3).content.decode()
    assert "published_at__day=2" in html and "published_at__day=3" not in html


def test_autocomplete_for_a_linked_story_searches_the_full_text_index(editor_client):
    make_article(headline="Harbour reopens after the storm")
    make_article(headline="Markets rally")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "relatedlink", "field_name": "target_article", "term": "harb"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Harbour reopens after the storm"]


@pytest.mark.parametrize("year", ["9999", "0", "1899"])
def test_a_drill_down_to_a_year_outside_the_bounds_shows_the_whole_list_and_says_why(editor_client, year):
    response = editor_client.get(reverse("admin:articles_article_changelist") + f"?published_at__year={year}")
    assert response.status_code == 302 and response["Location"] == reverse("admin:articles_article_changelist")
    page = editor_client.get(response["Location"])
    assert f"Nothing is dated in the year {year}." in page.content.decode()
