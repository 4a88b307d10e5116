"""No lost edits: a stale save is refused and shown side by side, and the desk sees who has a story open."""

import pytest
from django.core.cache import cache

from articles.models import Article, EditConflict
from tests.factories import add_author, make_article, make_desk_user, make_person
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(client):
    """Return a client for Anna and one for Ben, both editors, as two browsers would be."""
    from django.test import Client

    anna, ben = Client(), Client()
    anna.force_login(make_desk_user("anna", "Editor"))
    ben.force_login(make_desk_user("ben", "Editor"))
    return anna, ben


def test_every_admin_save_moves_the_version_on_by_one_inlines_included(client):
    client.force_login(make_desk_user("eddie", "Editor"))
    article = make_article()
    assert client.post(change_url(article), form_data(client.get(change_url(article)), dek="New.")).status_code == 302
    assert Article.objects.get().version == 2
    # A byline added and nothing else changed: still one save, one version.
    data = form_data(client.get(change_url(article)))
    data.update(
        {"authorships-TOTAL_FORMS": 1, "authorships-0-person": make_person().pk, "authorships-0-role": "author"}
    )
    data["authorships-0-position"] = 0
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.version == 3 and article.authorships.count() == 1


def test_a_stale_save_is_refused_and_the_conflict_page_shows_both(two_editors):
    anna, ben = two_editors
    article = make_article(headline="Talks resume", body="<p>One.</p>\n<p>Two.</p>")
    annas_form = form_data(anna.get(change_url(article)), body="<p>One.</p>\n<p>Two, as Anna has it.</p>")
    bens_form = form_data(ben.get(change_url(article)), headline="Talks resume in Paris")
    assert ben.post(change_url(article), bens_form).status_code == 302

    response = anna.post(change_url(article), annas_form)
    assert response.status_code == 302 and "conflict" in response.url
    article.refresh_from_db()
    assert (article.headline, article.body, article.version) == (
        "Talks resume in Paris",
        "<p>One.</p>\n<p>Two.</p>",
        2,
    )

    html = " ".join(anna.get(response.url).content.decode().split())
    assert "Your changes have not been saved. Ben saved this story at" in html
    assert "you opened version 1; it is now version 2" in html
    # Field by field, each side's changes since Anna opened the story, word by word on the text.
    assert "Ben's changes" in html and "Your changes" in html
    assert '<ins><span class="visually-hidden">added: </span>in Paris</ins>' in html
    assert '<ins><span class="visually-hidden">added: </span>Two, as Anna has it.</ins>' in html
    assert "<del" not in html.split('<h3 id="change-headline">')[1].split("</section>")[0]
    assert "&lt;p&gt;" not in html.split("merge-heading")[0]  # words, not markup
    assert "Only they changed this: theirs is kept." in html and "Only you changed this: yours is kept." in html
    assert "Two, as Anna has it." in html


def test_the_merged_story_can_be_saved_from_the_conflict_page(two_editors):
    anna, ben = two_editors
    article = make_article(headline="Talks resume", body="<p>One.</p>")
    annas_form = form_data(anna.get(change_url(article)), body="<p>One, by Anna.</p>")
    ben.post(change_url(article), form_data(ben.get(change_url(article)), headline="Talks resume in Paris"))
    conflict = anna.get(anna.post(change_url(article), annas_form).url)

    merged = form_data(conflict, form_id="merge_form", body="<p>One, by Anna and Ben.</p>")
    response = anna.post(change_url(article), merged)
    assert response.status_code == 302 and "conflict" not in response.url
    article.refresh_from_db()
    # Ben's headline survives (Anna never touched it), Anna's merged body is saved.
    assert (article.headline, article.body, article.version) == (
        "Talks resume in Paris",
        "<p>One, by Anna and Ben.</p>",
        3,
    )


def test_a_save_without_the_opened_version_is_refused(client):
    client.force_login(make_desk_user("eddie", "Editor"))
    article = make_article(headline="Before")
    data = form_data(client.get(change_url(article)), headline="After")
    del data["opened_version"]
    response = client.post(change_url(article), data)
    assert "does not say which version of the story it edits" in response.content.decode()
    assert Article.objects.get().headline == "Before"


def test_of_two_claims_on_one_version_only_the_first_wins():
    make_article()
    first, second = Article.objects.get(), Article.objects.get()
    first.claim_version(1)
    with pytest.raises(EditConflict):
        second.claim_version(1)
    assert Article.objects.get().version == 2


def test_inline_changes_by_someone_else_also_make_a_save_stale(two_editors):
    anna, ben = two_editors
    article = make_article()
    add_author(article)
    annas_form = form_data(anna.get(change_url(article)), dek="Anna's standfirst")
    bens_form = form_data(ben.get(change_url(article)), **{"authorships-0-role": "photographer"})
    assert ben.post(change_url(article), bens_form).status_code == 302
    response = anna.post(change_url(article), annas_form)
    assert "conflict" in response.url
    assert article.authorships.get().role == "photographer"
    assert Article.objects.get().dek != "Anna's standfirst"


# --- The soft lock: who has the story open ------------------------------------------------------


def test_a_colleague_opening_the_story_is_told_who_is_editing_it(two_editors, settings):
    settings.TIME_ZONE = "Asia/Beirut"
    anna, ben = two_editors
    article = make_article()
    assert "Being edited by" not in anna.get(change_url(article)).content.decode()
    html = ben.get(change_url(article)).content.decode()
    assert "Being edited by Anna since " in html
    since = cache.get(f"desk:editing:{article.pk}")["since"]
    from django.utils import timezone

    shown = timezone.localtime(since)
    assert f"since {shown.day} {shown:%b %Y, %H:%M}" in html  # the desk's one format, on Beirut's clock
    # Anna opening it again is not warned about herself, and keeps the note.
    assert "Being edited by" not in anna.get(change_url(article)).content.decode()


def test_the_note_expires_and_then_the_next_editor_takes_it(two_editors):
    anna, ben = two_editors
    article = make_article()
    anna.get(change_url(article))
    cache.delete(f"desk:editing:{article.pk}")  # what five quiet minutes do
    assert "Being edited by" not in ben.get(change_url(article)).content.decode()
    assert "Being edited by Ben" in anna.get(change_url(article)).content.decode()


def test_the_note_lives_two_minutes_unless_the_page_renews_it(two_editors, monkeypatch):
    from articles.desk import softlock

    calls = []
    monkeypatch.setattr(softlock.cache, "set", lambda key, value, timeout: calls.append((key, timeout)))
    anna, _ = two_editors
    article = make_article()
    anna.get(change_url(article))
    assert calls == [(f"desk:editing:{article.pk}", 120)]


def test_paragraphs_both_added_at_one_place_are_both_in_the_merge_box(two_editors):
    anna, ben = two_editors
    article = make_article(body="<p>One.</p>")
    annas_form = form_data(anna.get(change_url(article)), body="<p>One.</p>\n<p>Anna's paragraph.</p>")
    ben.post(change_url(article), form_data(ben.get(change_url(article)), body="<p>One.</p>\n<p>Ben's line.</p>"))
    conflict = anna.get(anna.post(change_url(article), annas_form).url)
    html = " ".join(conflict.content.decode().split())
    assert "You both changed this." in html and "yours come first, then theirs" in html
    merged = form_data(conflict, form_id="merge_form")
    assert merged["body"] == "<p>One.</p>\n<p>Anna's paragraph.</p>\n<p>Ben's line.</p>"
    assert anna.post(change_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>One.</p>\n<p>Anna's paragraph.</p>\n<p>Ben's line.</p>" and article.version == 3


def test_the_merged_save_leaves_the_other_editors_byline_change_alone(two_editors):
    anna, ben = two_editors
    article = make_article()
    add_author(article)
    annas_form = form_data(
        anna.get(change_url(article)), dek="Anna's standfirst", **{"authorships-0-role": "additional"}
    )
    ben.post(change_url(article), form_data(ben.get(change_url(article)), **{"authorships-0-role": "photographer"}))
    conflict = anna.get(anna.post(change_url(article), annas_form).url)
    html = " ".join(conflict.content.decode().split())
    assert "Your changes to the byline differ from what is saved now and are not carried over" in html
    assert anna.post(change_url(article), form_data(conflict, form_id="merge_form")).status_code == 302
    article.refresh_from_db()
    assert article.dek == "Anna's standfirst" and article.authorships.get().role == "photographer"


# --- The merge: paragraphs changed by one side merge by themselves --------------------------------

FOUR = "<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n<p>Four.</p>"


def _conflict_page(anna, ben, article, *, annas, bens):
    annas_form = form_data(anna.get(change_url(article)), **annas)
    assert ben.post(change_url(article), form_data(ben.get(change_url(article)), **bens)).status_code == 302
    return anna.get(anna.post(change_url(article), annas_form).url)


def test_changes_to_different_paragraphs_merge_and_save_with_one_click(two_editors):
    anna, ben = two_editors
    article = make_article(body=FOUR)
    conflict = _conflict_page(
        anna,
        ben,
        article,
        annas={"body": FOUR.replace("Two.", "Two, by Anna.")},
        bens={"body": FOUR.replace("Four.", "Four, by Ben.")},
    )
    html = " ".join(conflict.content.decode().split())
    assert "Nothing conflicts: the merged text below keeps your changes and Ben's." in html
    merged = form_data(conflict, form_id="merge_form")
    both = "<p>One.</p>\n<p>Two, by Anna.</p>\n<p>Three.</p>\n<p>Four, by Ben.</p>"
    assert merged["body"] == both
    assert anna.post(change_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert (article.body, article.version) == (both, 3)


def test_both_changing_one_paragraph_is_marked_and_cannot_be_saved_with_the_marks(two_editors):
    anna, ben = two_editors
    article = make_article(body=FOUR)
    conflict = _conflict_page(
        anna,
        ben,
        article,
        annas={"body": FOUR.replace("Two.", "Two, by Anna.")},
        bens={"body": FOUR.replace("Two.", "Two, by Ben.").replace("Four.", "Four, by Ben.")},
    )
    html = " ".join(conflict.content.decode().split())
    assert "One place was changed on both sides." in html
    merged = form_data(conflict, form_id="merge_form")
    assert "Your version:</p>\n<p>Two, by Anna.</p>" in merged["body"]
    assert "Their version:</p>\n<p>Two, by Ben.</p>" in merged["body"]
    assert merged["body"].endswith("<p>Three.</p>\n<p>Four, by Ben.</p>")  # Ben's other change merged
    refused = anna.post(change_url(article), merged)
    assert refused.status_code == 200 and "Settle the marked conflict first" in refused.content.decode()
    assert Article.objects.get().version == 2
    merged["body"] = "<p>One.</p>\n<p>Two, by Anna and Ben.</p>\n<p>Three.</p>\n<p>Four, by Ben.</p>"
    assert anna.post(change_url(article), merged).status_code == 302
    assert Article.objects.get().body == merged["body"]


def test_a_conflict_with_ones_own_other_tab_says_so():
    from django.test import Client

    anna = make_desk_user("anna", "Editor")
    tab_one, tab_two = Client(), Client()
    tab_one.force_login(anna)
    tab_two.force_login(anna)
    article = make_article(body=FOUR)
    conflict = _conflict_page(
        tab_one, tab_two, article, annas={"dek": "From tab one."}, bens={"headline": "From tab two"}
    )
    html = " ".join(conflict.content.decode().split())
    assert "You saved this story in another tab at" in html
    assert "Someone else" not in html and "Anna saved" not in html
    assert "<title>You saved “From tab two” in another tab while you were editing it here" in html
