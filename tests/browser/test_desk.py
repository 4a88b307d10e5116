"""The desk in a real browser: an editor writes, illustrates, links and schedules a story that goes live
when the clock passes; a reporter cannot publish; two editors' saves collide without losing anything; a
revision is restored."""

import importlib
import time
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, RelatedLink, Section
from tests.browser.body_editing import add_paragraph, write_body

PASSWORD = "a long desk password 42"


@pytest.fixture
def desk(transactional_db):
    """Sections, and an editor and a reporter with the groups the data migration created."""
    if not Group.objects.filter(name="Editor").exists():
        # A live-server test empties every table afterwards, groups included: make them as migrating does.
        importlib.import_module("articles.migrations.0006_desk_roles").create_roles(django_apps, None)
    Section.objects.ensure("news", "News")
    Section.objects.ensure("world", "World")
    users = {}
    for username, group in (("eddie", "Editor"), ("anna", "Editor"), ("rita", "Reporter")):
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, is_staff=True, first_name=username.title()
        )
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def choose(page, field, text):
    """Pick a value in one of the admin's autocomplete (select2) boxes by typing, as an editor does."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    option = page.locator(".select2-results__option", has_text=text).first
    option.wait_for()
    option.click()
    page.locator(".select2-container--open").wait_for(state="detached")  # the list has closed
    assert text.lower() in page.locator(f"#id_{field} + .select2 .select2-selection").inner_text().lower()


def make_story(headline, slug, **fields):
    """A story in News, saved directly (the desk's own saves are what the tests exercise)."""
    fields.setdefault("body", "<p>Text.</p>")
    fields.setdefault("primary_section", Section.objects.get(path="news"))
    return Article.objects.create(headline=headline, slug=slug, **fields)


def local(moment):
    return timezone.localtime(moment)


def test_an_editor_writes_illustrates_links_and_schedules_a_story_that_goes_live_on_time(
    live_server, desk, new_page, tmp_path
):
    earlier = make_story(
        "Talks began in Paris last week",
        "talks-began",
        body="<p>Earlier.</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=7),
    )
    page = new_page()
    log_in(page, live_server, "eddie")

    # The picture first, with its alt text.
    photo = tmp_path / "harbour.jpg"
    PILImage.new("RGB", (1400, 800), "#3b5b7a").save(photo, "JPEG")
    page.goto(f"{live_server.url}/admin/articles/image/add/")
    page.set_input_files("#id_file", str(photo))
    page.fill("#id_alt_text", "Boats moored in the harbour at dusk")
    page.fill("#id_caption", "The harbour on Friday.")
    page.fill("#id_credit", "Newsroom")
    page.click("input[name=_save]")
    assert "was added successfully" in page.inner_text(".messagelist")

    # The story: text, section, picture, a read-more link after the first paragraph, a time.
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Harbour reopens after storms")
    assert page.input_value("#id_slug") == "harbour-reopens-after-storms"  # filled in as the editor typed
    page.fill("#id_dek", "Fishermen return to sea.")
    write_body(page, "The harbour reopened on Friday.", "Repairs will take a month.")
    choose(page, "primary_section", "World")
    choose(page, "lead_image", "The harbour on Friday.")
    page.click("#related_links-group .add-row a")
    page.locator("#id_related_links-0-title").wait_for()
    page.fill("#id_related_links-0-title", "Talks began in Paris last week")
    page.select_option("#id_related_links-0-kind", "read_more")
    choose(page, "related_links-0-target_article", "Talks began")
    page.fill("#id_related_links-0-anchor_block", "1")
    goes_live = local(timezone.now() + timedelta(seconds=12)).replace(microsecond=0)
    page.fill("#id_published_at_0", goes_live.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", goes_live.strftime("%H:%M:%S"))
    page.click("input[name=_publish]")
    message = page.inner_text(".messagelist")
    assert "Scheduled for" in message or "scheduled" in message.lower(), message

    story = Article.objects.get(slug="harbour-reopens-after-storms")
    assert story.status == Article.Status.PUBLISHED and story.published_at == goes_live
    assert story.lead_image.alt_text == "Boats moored in the harbour at dusk"
    link = story.related_links.get()
    assert (link.kind, link.target_article, link.anchor_block) == (RelatedLink.Kind.READ_MORE, earlier, 1)

    # A reader sees nothing yet; once the clock passes the time, the story is there. No cron ran.
    reader = new_page(width=390)
    url = live_server.url + story.get_absolute_url()
    assert reader.goto(url).status == 404
    time.sleep(max(0.0, (goes_live - timezone.now()).total_seconds()) + 1)
    assert reader.goto(url).status == 200
    assert reader.inner_text("h1") == "Harbour reopens after storms"
    assert reader.get_attribute(".lead-figure img", "alt") == "Boats moored in the harbour at dusk"
    read_more = reader.locator(".read-more a")
    assert read_more.inner_text() == "Talks began in Paris last week"
    assert read_more.get_attribute("href") == earlier.get_absolute_url()
    reader.goto(live_server.url + "/")
    assert "Harbour reopens after storms" in reader.inner_text(".card-list")


def test_a_reporter_cannot_publish_even_by_forcing_the_button(live_server, desk, new_page):
    draft = make_story(
        "Council budget draft",
        "council-budget",
        created_by=desk["rita"],
    )
    page = new_page()
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    buttons = page.locator(".workflow-button")
    values = [buttons.nth(i).get_attribute("value") for i in range(buttons.count())]
    assert "Submit for review" in values and "Publish" not in values
    # The button is not there, so put one in the page by hand and press it: the server says no.
    page.evaluate(
        "() => { const b = document.createElement('input'); b.type = 'submit'; b.name = '_publish';"
        " b.value = 'Publish'; b.id = 'forced'; document.querySelector('#article_form .submit-row').append(b); }"
    )
    with page.expect_navigation():
        page.click("#forced")
    assert "Only an editor can publish" in page.inner_text("#content")
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.published_at is None


def test_two_editors_saving_the_same_story_get_a_conflict_page_and_lose_nothing(live_server, desk, new_page):
    story = make_story(
        "Ministers meet in Paris",
        "ministers-meet",
        dek="The first meeting in decades.",
        body="<p>First paragraph.</p>",
        created_by=desk["eddie"],
    )
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    eddie, anna = new_page(), new_page()
    log_in(eddie, live_server, "eddie")
    log_in(anna, live_server, "anna")
    eddie.goto(change)
    anna.goto(change)
    assert "Being edited by Eddie" in anna.inner_text("body")

    eddie.fill("#id_dek", "The first direct meeting in 25 years.")
    eddie.click("input[name=_continue]")
    assert "changed successfully" in eddie.inner_text(".messagelist")

    add_paragraph(anna, "Anna's new second paragraph.")
    anna.click("input[name=_continue]")
    assert "conflict" in anna.url
    assert "Your changes have not been saved" in anna.inner_text(".errornote")
    story.refresh_from_db()
    assert story.dek == "The first direct meeting in 25 years."  # Eddie's save stands
    assert "Anna's new second paragraph" not in story.body  # Anna's did not overwrite anything…
    assert "Anna's new second paragraph" in anna.inner_text("#content-main")  # …and is still on her screen

    anna.click("#merge_form input[name=_continue]")
    story.refresh_from_db()
    assert story.dek == "The first direct meeting in 25 years."
    assert "Anna's new second paragraph" in story.body
    assert story.version == 3


def test_an_editor_restores_an_earlier_revision(live_server, desk, new_page):
    story = make_story(
        "Original headline",
        "revised-story",
        body="<p>Body.</p>",
        created_by=desk["eddie"],
    )
    page = new_page()
    log_in(page, live_server, "eddie")
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    for headline in ("Second headline", "Third headline, regretted"):
        page.goto(change)
        page.fill("#id_headline", headline)
        page.click("input[name=_continue]")
    story.refresh_from_db()
    assert story.headline == "Third headline, regretted"

    page.goto(f"{change.removesuffix('change/')}history/")
    rows = page.locator("#change-history tbody tr")
    assert rows.count() == 2 and "Headline" in rows.last.inner_text()
    rows.last.locator("th a").click()  # newest first: the last row is the story as the first save left it
    page.wait_for_url("**/history/*/")
    assert page.input_value("#id_headline") == "Second headline"
    page.click("input[name=_save]")
    story.refresh_from_db()
    assert story.headline == "Second headline"


def test_the_desk_follows_the_editors_own_time_zone(live_server, desk, new_page):
    make_story(
        "Morning briefing",
        "morning-briefing",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now().replace(year=timezone.now().year + 1, month=3, day=4, hour=6, minute=0),
    )
    page = new_page(timezone_id="Asia/Tokyo")
    log_in(page, live_server, "eddie")  # the first desk page tells the server the browser's zone
    page.goto(f"{live_server.url}/admin/articles/article/")
    assert "Times in Asia/Tokyo" in page.text_content("#user-tools")
    assert "Scheduled for 04 Mar" in page.inner_text("#result_list") and "15:00" in page.inner_text("#result_list")
