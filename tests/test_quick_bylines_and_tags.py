"""Quick bylines and tags on the desk: staff linked to people, a reporter's story starting with her byline,
tags typed in one box, sections chosen by name, human names for the admin's apps, and making staff."""

import io
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from taggit.models import Tag

from articles.desk.tagging import join_names, split_names
from articles.models import Article, Authorship, Person, TaggedArticle
from tests.factories import make_article, make_desk_user, make_person, make_section, make_staff
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db
ADD = reverse("admin:articles_article_add")


@pytest.fixture
def rita(client):
    """A reporter who writes as the person Rita Reyes, logged in."""
    user = make_desk_user("rita", "Reporter")
    make_person(name="Rita Reyes", slug="rita-reyes", user=user)
    client.force_login(user)
    return user


def add_story(client, **changes):
    """Open "Add story", fill in what is given, save, and return the story."""
    page = client.get(ADD)
    fields = {"headline": "Harbour reopens", "slug": "harbour-reopens", "body": "<p>Copy.</p>", **changes}
    response = client.post(ADD, form_data(page, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(slug=fields["slug"])


# Staff linked to people, and the byline a new story starts with.


def test_a_reporters_new_story_starts_with_her_byline_and_keeps_it_untouched(client, rita):
    page = client.get(ADD).content.decode()
    person = Person.objects.get(name="Rita Reyes")
    assert f'<option value="{person.pk}" selected>Rita Reyes</option>' in page
    story = add_story(client, primary_section=make_section().pk)
    byline = Authorship.objects.get(article=story)
    assert (byline.person, byline.role, story.created_by) == (person, Authorship.Role.AUTHOR, rita)


def test_a_writer_with_no_person_starts_with_no_byline(client):
    client.force_login(make_desk_user("nobody", "Reporter"))
    story = add_story(client, primary_section=make_section().pk)
    assert not Authorship.objects.filter(article=story).exists()


def test_a_byline_removed_before_saving_stays_removed(client, rita):
    page = client.get(ADD)
    data = form_data(page, headline="H", slug="h", body="<p>x</p>", primary_section=make_section().pk)
    data["authorships-0-person"] = ""
    assert client.post(ADD, data).status_code == 302
    assert not Authorship.objects.filter(article__slug="h").exists()


def test_a_superuser_links_a_person_to_an_account_and_the_account_page_shows_it(client):
    client.force_login(make_staff("boss"))
    reporter = make_desk_user("rita", "Reporter")
    person = make_person(name="Rita Reyes", slug="rita-reyes")
    url = reverse("admin:articles_person_change", args=[person.pk])
    response = client.post(url, form_data(client.get(url), form_id="person_form", user=reporter.pk))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == reporter
    account_page = client.get(reverse("admin:auth_user_change", args=[reporter.pk])).content.decode()
    assert "Byline person" in account_page and "Rita Reyes" in account_page


def test_a_reporter_sees_her_account_link_but_cannot_change_it(client, rita):
    person = Person.objects.get(user=rita)
    url = reverse("admin:articles_person_change", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Desk account" in page and 'name="user"' not in page
    client.post(url, form_data(client.get(url), form_id="person_form", user=""))
    person.refresh_from_db()
    assert person.user == rita


# Tags typed in one box.


def test_three_tags_typed_one_new_make_three_rows_and_one_new_tag(client, rita):
    make_article().tags.add("Damascus", "Syria")
    tags_before = Tag.objects.count()
    story = add_story(client, primary_section=make_section().pk, tags="damascus, Syria, Harbour strike")
    assert sorted(story.tags.names()) == ["Damascus", "Harbour strike", "Syria"]
    assert TaggedArticle.objects.filter(content_object=story).count() == 3
    assert Tag.objects.count() == tags_before + 1
    assert Tag.objects.get(name="Harbour strike").slug == "harbour-strike"


def test_existing_tags_load_into_the_box_and_save_unchanged(client, editor):
    story = make_article(status=Article.Status.DRAFT, published_at=None)
    story.tags.add("Washington, D.C.", "Damascus")
    rows = set(TaggedArticle.objects.filter(content_object=story).values_list("pk", "tag_id"))
    page = client.get(change_url(story))
    assert form_data(page)["tags"] in {'"Washington, D.C.", Damascus', 'Damascus, "Washington, D.C."'}
    response = client.post(change_url(story), form_data(page, dek="A new standfirst."))
    assert response.status_code == 302
    assert set(TaggedArticle.objects.filter(content_object=story).values_list("pk", "tag_id")) == rows
    assert Tag.objects.count() == 2
    saved = LogEntry.objects.get(object_id=str(story.pk)).get_change_message()
    assert "Changed" in saved and "Tags" not in saved


def test_a_tag_name_too_long_is_refused_under_the_box(client, rita):
    page = client.get(ADD)
    data = form_data(page, headline="H", slug="h", body="<p>x</p>", primary_section=make_section().pk)
    data["tags"] = "Fine, " + "x" * 101
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "A tag name can be at most 100 characters long" in response.content.decode()
    assert not Article.objects.filter(slug="h").exists()


def test_the_names_in_the_box_are_split_on_commas_outside_quotes():
    assert split_names(' Damascus ,  Middle   East,, "Washington, D.C.", damascus') == [
        "Damascus",
        "Middle East",
        "Washington, D.C.",
    ]
    assert split_names(join_names(["Washington, D.C.", "Aleppo"])) == ["Washington, D.C.", "Aleppo"]


def test_tag_suggestions_answer_staff_only_those_starting_with_the_words_first(client, rita):
    make_article().tags.add("Damascus", "Old Damascus", "Aleppo")
    url = reverse("admin:articles_article_tag_names")
    assert client.get(url, {"q": "damas"}).json() == {"results": ["Damascus", "Old Damascus"]}
    assert client.get(url, {"q": " "}).json() == {"results": []}
    client.logout()
    response = client.get(url, {"q": "damas"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_add_form_has_the_tag_box_and_its_script_and_no_tag_inline(client, rita):
    page = client.get(ADD).content.decode()
    assert 'data-tag-suggestions="/admin/articles/article/tags/"' in page
    assert "js/desk-tags.js" in page
    assert "tagged_items-TOTAL_FORMS" not in page


# Sections by name.


def test_section_choosers_and_filter_show_names_not_paths(client, editor):
    news = make_section(name="News", slug="news")
    middle_east = make_section(name="Middle East", slug="middle-east", parent=news)
    story = make_article(primary_section=middle_east)
    form = client.get(change_url(story)).content.decode()
    assert f'<option value="{middle_east.pk}" selected>News › Middle East</option>' in form
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "News › Middle East" in listing
    assert ">news/middle-east</a>" not in listing
    section_form = client.get(reverse("admin:articles_section_change", args=[middle_east.pk])).content.decode()
    assert f'<option value="{news.pk}" selected>News</option>' in section_form


# The admin index.


def test_the_admin_index_names_every_app_in_words(client):
    client.force_login(make_staff("boss"))
    page = client.get(reverse("admin:index")).content.decode()
    # Each app is a table whose caption names it (Django 6.1 dropped the link's title).
    captions = [
        re.sub(r"<[^>]+>", "", caption).strip() for caption in re.findall(r"<caption>(.*?)</caption>", page, re.S)
    ]
    assert captions == ["Background work", "Desk accounts and roles", "Login protection", "Newsroom", "Tags"]
    for machine_name in ("Axes", "Taggit", "Reversion", "Authentication and Authorization", "Tasks Database Backend"):
        assert machine_name not in page


# Making staff.


def user_form(client, url, **changes):
    """The user form as a browser sends it: a multiple choice with nothing chosen sends nothing."""
    data = form_data(client.get(url), form_id="user_form", **changes)
    return {name: value for name, value in data.items() if value != "" or name not in {"groups", "user_permissions"}}


def test_putting_a_user_in_a_desk_role_in_the_admin_lets_them_into_the_desk(client):
    client.force_login(make_staff("boss"))
    user = get_user_model().objects.create_user("sam", password="a long desk password 42")
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = user_form(client, url, groups=Group.objects.get(name="Reporter").pk)
    response = client.post(url, data, follow=True)
    assert "is in a desk role, so “Staff status” was turned on" in response.content.decode()
    user.refresh_from_db()
    assert user.is_staff
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_user_in_no_desk_role_is_not_made_staff(client):
    client.force_login(make_staff("boss"))
    user = get_user_model().objects.create_user("sam", password="a long desk password 42")
    url = reverse("admin:auth_user_change", args=[user.pk])
    assert client.post(url, user_form(client, url, first_name="Sam")).status_code == 302
    user.refresh_from_db()
    assert not user.is_staff


def test_add_staff_makes_an_editor_writing_as_a_person():
    out = io.StringIO()
    call_command("add_staff", "eve", "--role", "editor", "--person", "Eve Adams", stdout=out)
    user = get_user_model().objects.get(username="eve")
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == ["Editor"]
    assert Person.objects.get(user=user).name == "Eve Adams"
    assert "eve is on the desk as editor, writing as Eve Adams." in out.getvalue()
    password = out.getvalue().split("password is '")[1].split("'")[0]
    assert user.check_password(password)


def test_add_staff_links_an_existing_account_to_an_existing_person_and_moves_the_link():
    user = get_user_model().objects.create_user("rita")
    before = make_person(name="R. Reyes", slug="r-reyes", user=user)
    person = make_person(name="Rita Reyes", slug="rita-reyes")
    out = io.StringIO()
    call_command("add_staff", "rita", "--role", "reporter", "--person", "Rita Reyes", stdout=out)
    assert Person.objects.get(user=user) == person
    before.refresh_from_db()
    assert before.user is None
    assert "password" not in out.getvalue()


# Dumps and loads.


def _dump():
    out = io.StringIO()
    call_command("dumpdata", "articles", "taggit", natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


def test_a_dump_carries_the_account_by_username_and_loads_without_it_where_it_is_missing(tmp_path):
    user = get_user_model().objects.create_user("rita")
    person = make_person(name="Rita Reyes", slug="rita-reyes", user=user)
    dump = _dump()
    rows = [row for row in json.loads(dump) if row["model"] == "articles.person"]
    assert rows[0]["fields"]["user"] == ["rita"]
    fixture = tmp_path / "backup.json"
    fixture.write_text(dump)

    person.delete()
    user.delete()
    call_command("loaddata", str(fixture), verbosity=0)
    assert Person.objects.get(slug="rita-reyes").user is None

    Person.objects.all().delete()
    user = get_user_model().objects.create_user("rita")
    call_command("loaddata", str(fixture), verbosity=0)
    assert Person.objects.get(slug="rita-reyes").user == user


def test_a_loaded_person_leaves_an_account_another_person_holds_alone(tmp_path):
    user = get_user_model().objects.create_user("rita")
    make_person(name="Rita Reyes", slug="rita-reyes", user=user)
    fixture = tmp_path / "backup.json"
    fixture.write_text(_dump())
    Person.objects.all().delete()
    holder = make_person(name="Rita R.", slug="rita-r", user=user)
    call_command("loaddata", str(fixture), verbosity=0)
    assert Person.objects.get(slug="rita-reyes").user is None
    assert Person.objects.get(user=user) == holder


def test_a_colleagues_tag_change_shows_as_names_on_the_conflict_page_and_is_kept(client):
    from django.test import Client

    anna, ben = Client(), Client()
    anna.force_login(make_desk_user("anna", "Editor"))
    ben.force_login(make_desk_user("ben", "Editor"))
    story = make_article()
    story.tags.add("Damascus")
    annas_form = form_data(anna.get(change_url(story)), dek="Anna's standfirst")
    bens_form = form_data(ben.get(change_url(story)), tags="Damascus, Syria")
    assert ben.post(change_url(story), bens_form).status_code == 302
    conflict = anna.get(anna.post(change_url(story), annas_form).url)
    html = " ".join(conflict.content.decode().split())
    assert "<dt>Saved now</dt><dd>Damascus, Syria</dd> <dt>Yours, not saved</dt><dd>Damascus</dd>" in html
    assert anna.post(change_url(story), form_data(conflict, form_id="merge_form")).status_code == 302
    story.refresh_from_db()
    assert story.dek == "Anna's standfirst" and sorted(story.tags.names()) == ["Damascus", "Syria"]


def test_someone_who_may_not_add_tags_is_told_so_and_nothing_is_saved(client):
    from django.contrib.auth.models import Permission

    make_article().tags.add("Damascus")
    writer = get_user_model().objects.create_user("wes", password="a long desk password 42", is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(codename__in=["add_article", "change_article", "view_article", "view_tag"])
    )
    client.force_login(writer)
    page = client.get(ADD)
    data = form_data(page, headline="H", slug="h", body="<p>x</p>", primary_section=make_section().pk)
    response = client.post(ADD, {**data, "tags": "Damascus, Harbour strike"})
    assert "You may use only existing tags; ask an editor to create “Harbour strike”." in response.content.decode()
    assert not Article.objects.filter(slug="h").exists() and not Tag.objects.filter(name="Harbour strike").exists()
    assert client.post(ADD, {**data, "tags": "damascus"}).status_code == 302
    assert list(Article.objects.get(slug="h").tags.names()) == ["Damascus"]
