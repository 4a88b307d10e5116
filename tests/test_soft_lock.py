"""The "being edited" notice tells the truth: it goes when its holder leaves, submits or can no longer edit the
story, and it tells the same user about her own other tab."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.desk import softlock
from articles.desk.timezone import local
from tests.factories import make_article, make_desk_user
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db

TAB_ONE, TAB_TWO = "tab-one-aaaa", "tab-two-bbbb"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def editing_url(article):
    return reverse("admin:articles_article_editing", args=[article.pk])


def hold(client, article, tab):
    response = client.post(editing_url(article), {"tab": tab, "action": "hold"})
    assert response.status_code == 200
    return response.json()["notice"]


@pytest.fixture
def anna_and_ben():
    return logged_in(make_desk_user("anna", "Editor")), logged_in(make_desk_user("ben", "Editor"))


def test_the_notice_goes_when_the_holder_leaves_the_page(anna_and_ben):
    anna, ben = anna_and_ben
    story = make_article()
    anna.get(change_url(story))
    assert hold(anna, story, TAB_ONE) == ""
    assert "Being edited by Anna since" in ben.get(change_url(story)).content.decode()
    assert hold(ben, story, TAB_TWO).startswith("Being edited by Anna since")
    # Anna's page sends its beacon as she leaves.
    left = anna.post(editing_url(story), {"tab": TAB_ONE, "action": "release"})
    assert left.status_code == 204
    assert hold(ben, story, TAB_TWO) == ""  # Ben's next heartbeat clears his notice…
    assert "Being edited by" not in ben.get(change_url(story)).content.decode()  # …and so does a reload
    assert "Being edited by Ben since" in anna.get(change_url(story)).content.decode()


def test_a_release_from_another_tab_or_user_drops_nothing(anna_and_ben):
    anna, ben = anna_and_ben
    story = make_article()
    hold(anna, story, TAB_ONE)
    anna.post(editing_url(story), {"tab": TAB_TWO, "action": "release"})
    ben.post(editing_url(story), {"tab": TAB_ONE, "action": "release"})
    assert softlock.holder(story).name == "Anna"


def test_the_same_user_is_told_about_her_other_tab(anna_and_ben):
    anna, _ = anna_and_ben
    story = make_article()
    assert "Being edited by" not in anna.get(change_url(story)).content.decode()
    assert hold(anna, story, TAB_ONE) == ""
    anna.get(change_url(story))  # the second tab opens; the server cannot tell tabs apart, its script can
    notice = hold(anna, story, TAB_TWO)
    shown = softlock.holder(story).since
    assert notice == f"You have this story open in another tab since {local(shown)}."
    assert hold(anna, story, TAB_ONE) == ""  # the first tab itself is not warned
    anna.post(editing_url(story), {"tab": TAB_ONE, "action": "release"})
    assert hold(anna, story, TAB_TWO) == ""  # the first tab closed: the second takes the note


def test_a_reporter_who_submits_her_story_no_longer_shows_as_editing_it(client, editor):
    rita = make_desk_user("rita", "Reporter")
    reporter = logged_in(rita)
    story = make_article(status="draft", published_at=None, created_by=rita)
    page = reporter.get(change_url(story))
    hold(reporter, story, TAB_ONE)
    assert "Being edited by Rita" in client.get(change_url(story)).content.decode()
    reporter.post(change_url(story), form_data(page, _submit_review="Submit for review"))
    assert cache.get(f"desk:editing:{story.pk}") is None  # her save dropped the note
    assert "Being edited by Rita" not in client.get(change_url(story)).content.decode()


def test_a_holder_who_can_no_longer_edit_is_never_shown(client, editor):
    rita = make_desk_user("rita", "Reporter")
    story = make_article(status="draft", published_at=None, created_by=rita)
    hold(logged_in(rita), story, TAB_ONE)
    # Someone else moved her draft on (a bulk action, another tab): her note is stale.
    story.status = "review"
    story.save()
    assert "Being edited by Rita" not in client.get(change_url(story)).content.decode()
    assert hold(client, story, TAB_TWO) == ""


def test_the_endpoint_is_for_staff_with_the_csrf_token_and_a_tab_id(anna_and_ben):
    anna, _ = anna_and_ben
    story = make_article()
    assert anna.get(editing_url(story)).status_code == 405
    assert anna.post(editing_url(story), {"tab": "x", "action": "hold"}).status_code == 400
    outsider = Client()
    response = outsider.post(editing_url(story), {"tab": TAB_ONE, "action": "hold"})
    assert response.status_code == 302 and "/login/" in response.url
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_desk_user("carla", "Editor"))
    assert strict.post(editing_url(story), {"tab": TAB_ONE, "action": "hold"}).status_code == 403
    assert softlock.holder(story) is None


def test_the_change_form_carries_what_the_pages_script_needs(anna_and_ben):
    anna, _ = anna_and_ben
    story = make_article()
    html = anna.get(change_url(story)).content.decode()
    assert f'data-url="{editing_url(story)}"' in html and 'data-heartbeat="40"' in html
    assert "js/desk-editing" in html and "js/desk-unsaved" in html
