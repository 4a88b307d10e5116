"""The desk's workflow in a real browser: a reporter submits her story, pulls it back and submits it again; an
editor schedules it with the "Schedule for …" button; the soft lock goes when its holder leaves and names the
user's own other tab; a changed form asks before it is left; the desk home passes axe."""

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from articles.desk.timezone import local
from articles.models import Article
from tests.browser.test_desk import desk, log_in, make_story  # noqa: F401 - desk is a fixture
from tests.browser.test_reader_accessibility import WCAG_TAGS, describe


def change_url(live_server, story):
    return f"{live_server.url}/admin/articles/article/{story.pk}/change/"


def workflow_buttons(page):
    buttons = page.locator(".workflow-button")
    return [buttons.nth(i).get_attribute("value") for i in range(buttons.count())]


def press(page, label):
    with page.expect_navigation():
        page.click(f".workflow-button[value='{label}']")


def test_a_reporter_submits_pulls_back_and_resubmits_and_an_editor_schedules(live_server, desk, new_page):  # noqa: F811
    story = make_story("Harbour fees to rise", "harbour-fees", created_by=desk["rita"])
    rita = new_page()
    log_in(rita, live_server, "rita")
    rita.goto(change_url(live_server, story))
    assert rita.locator("select[name=status]").count() == 0  # no status dropdown for reporters
    assert workflow_buttons(rita) == ["Submit for review"]
    press(rita, "Submit for review")
    assert "is now in review" in rita.inner_text(".messagelist")
    assert workflow_buttons(rita) == ["Send back to draft"]
    press(rita, "Send back to draft")
    assert "is now draft" in rita.inner_text(".messagelist")
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    rita.fill("#id_dek", "Shipping lines object.")  # hers to edit again
    press(rita, "Submit for review")
    story.refresh_from_db()
    assert (story.status, story.dek) == (Article.Status.REVIEW, "Shipping lines object.")

    eddie = new_page()
    log_in(eddie, live_server, "eddie")
    eddie.goto(change_url(live_server, story))
    assert workflow_buttons(eddie) == ["Send back to draft", "Publish"]
    goes_live = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    eddie.fill("#id_published_at_0", goes_live.strftime("%Y-%m-%d"))
    eddie.fill("#id_published_at_1", goes_live.strftime("%H:%M:%S"))
    label = f"Schedule for {local(goes_live)}"
    assert workflow_buttons(eddie) == ["Send back to draft", label]  # relabelled as he typed
    eddie.fill("#id_published_at_0", (goes_live - timedelta(days=30)).strftime("%Y-%m-%d"))
    assert workflow_buttons(eddie)[-1] == "Publish"  # a time gone by publishes now
    eddie.fill("#id_published_at_0", goes_live.strftime("%Y-%m-%d"))
    press(eddie, label)
    assert f"is scheduled for {local(goes_live)}" in eddie.inner_text(".messagelist")

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED and story.published_at == goes_live
    assert new_page().goto(live_server.url + story.get_absolute_url()).status == 404  # not public yet


def test_the_lock_notice_goes_when_its_holder_leaves_and_names_the_users_other_tab(live_server, desk, new_page):  # noqa: F811
    story = make_story("Ministers meet", "ministers-meet", created_by=desk["eddie"])
    url = change_url(live_server, story)
    eddie = new_page()
    log_in(eddie, live_server, "eddie")
    eddie.goto(url)
    notice = ".desk-editing-notice"
    eddie.wait_for_load_state("networkidle")  # the first heartbeat has named this tab
    assert eddie.locator(notice).is_hidden()

    # The same editor opens the story in a second tab of the same browser.
    second = eddie.context.new_page()
    second.goto(url)
    second.locator(notice).wait_for(state="visible")
    assert "You have this story open in another tab since" in second.inner_text(notice)
    second.close(run_before_unload=True)

    anna = new_page()
    log_in(anna, live_server, "anna")
    anna.goto(url)
    assert "Being edited by Eddie since" in anna.inner_text(notice)
    # Eddie leaves the page; its beacon drops the note, and Anna's next look shows nobody.
    eddie.goto(f"{live_server.url}/admin/")
    eddie.wait_for_timeout(500)
    anna.reload()
    anna.wait_for_load_state("networkidle")
    assert anna.locator(notice).is_hidden()


def test_leaving_a_changed_story_form_asks_first_and_saving_does_not(live_server, desk, new_page):  # noqa: F811
    story = make_story("Budget day", "budget-day", created_by=desk["eddie"])
    page = new_page()
    log_in(page, live_server, "eddie")
    page.goto(change_url(live_server, story))
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/admin/")  # nothing typed yet: leaves without asking
    assert asked == []
    page.goto(change_url(live_server, story))
    page.fill("#id_dek", "Half a sentence")
    page.click("#site-name a", no_wait_after=True)  # leave by a link while the change is unsaved
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == change_url(live_server, story)  # she stayed, the text still there
    assert page.input_value("#id_dek") == "Half a sentence"
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert asked == ["beforeunload"]  # saving did not ask
    story.refresh_from_db()
    assert story.dek == "Half a sentence"


def test_the_desk_home_passes_axe_and_lists_the_shelves(live_server, desk, new_page):  # noqa: F811
    make_story("Waiting for an editor", "waiting", status=Article.Status.REVIEW, created_by=desk["rita"])
    make_story(
        "Out on Friday",
        "out-friday",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=3),
        created_by=desk["eddie"],
    )
    page = new_page(bypass_csp=True)  # CSP would block injecting axe
    log_in(page, live_server, "eddie")
    assert page.locator("#shelf-review").inner_text().count("Waiting for an editor") == 1
    assert "Out on Friday" in page.inner_text("#shelf-scheduled")
    assert "Out on Friday" in page.inner_text("#shelf-mine")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert not violations, describe(violations)
