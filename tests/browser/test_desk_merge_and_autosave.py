"""The desk in a real browser: two editors' changes to different paragraphs merge without a hand edit, on
a merge page axe finds nothing wrong with; a draft copy kept by autosave brings typed text back after the
page was closed without saving."""

import time

from axe_playwright_python.sync_playwright import Axe

from articles.desk import autosave
from articles.models import Article, DraftCopy
from tests.browser.body_editing import BODY, click_into
from tests.browser.test_desk import desk, log_in, make_story  # noqa: F401 (desk is a fixture)
from tests.browser.test_reader_accessibility import WCAG_TAGS, describe

FOUR = "<p>Talks opened in Paris</p>\n<p>Two sides met</p>\n<p>Nothing was agreed</p>\n<p>More talks follow</p>"


def add_to_paragraph(page, number, words):
    """Click into a paragraph of the body's editor and type words at its end, as a writer does."""
    click_into(page, page.locator(f"{BODY} p").nth(number - 1))
    page.keyboard.press("End")
    page.keyboard.type(words)


def test_two_editors_change_different_paragraphs_and_the_merge_keeps_both(live_server, desk, new_page):  # noqa: F811
    story = make_story("Ministers meet in Paris", "ministers-meet", body=FOUR, created_by=desk["eddie"])
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    eddie, anna = new_page(), new_page(bypass_csp=True)  # axe is injected into Anna's page
    log_in(eddie, live_server, "eddie")
    log_in(anna, live_server, "anna")
    eddie.goto(change)
    anna.goto(change)

    add_to_paragraph(eddie, 2, " for six hours")
    eddie.click("input[name=_continue]")
    assert "changed successfully" in eddie.inner_text(".messagelist")
    add_to_paragraph(anna, 4, " on Monday")
    anna.click("input[name=_continue]")
    assert "conflict" in anna.url
    assert "Eddie saved this story at" in anna.inner_text(".errornote")
    assert "Nothing conflicts" in anna.inner_text("#merge-status")
    # Eddie's added words read as additions, on the text rather than the markup.
    assert anna.locator(".desk-change ins", has_text="for six hours").count() == 1
    assert anna.locator(".desk-change del", has_text="for six hours").count() == 0
    box = anna.input_value("#merge-body")
    assert "Two sides met for six hours" in box and "More talks follow on Monday" in box

    violations = Axe().run(anna, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response["violations"]
    assert not violations, describe(violations)

    anna.click("#merge_form input[name=_continue]")  # no hand edit: the merged story as offered
    assert "changed successfully" in anna.inner_text(".messagelist")
    story.refresh_from_db()
    assert "Two sides met for six hours" in story.body and "More talks follow on Monday" in story.body
    assert story.version == 3


def test_autosaved_text_comes_back_after_the_page_is_closed_without_saving(
    live_server,
    desk,  # noqa: F811
    new_page,
    monkeypatch,
):
    monkeypatch.setattr(autosave, "INTERVAL_SECONDS", 1)  # the page reads it from a data attribute
    story = make_story("Ministers meet in Paris", "ministers-meet", body=FOUR, created_by=desk["anna"])
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page = new_page()
    log_in(page, live_server, "anna")
    page.goto(change)
    add_to_paragraph(page, 4, "")
    page.keyboard.press("Enter")
    page.keyboard.type("Both sides will return.")
    page.fill("#id_dek", "A first meeting in decades.")
    page.locator("#desk-autosave", has_text="kept as a draft copy").wait_for()
    # The copy follows the typing a tick behind: wait for the one holding all of it.
    for _ in range(50):
        copy = DraftCopy.objects.filter(article=story).first()
        if copy and "Both sides will return." in copy.data["typed"]["body"] and copy.data["typed"]["dek"]:
            break
        time.sleep(0.2)
    context = page.context
    page.close()  # the tab is gone; nothing was saved
    story.refresh_from_db()
    assert (story.body, story.dek, story.version) == (FOUR, "", 1)
    assert DraftCopy.objects.filter(article=story).count() == 1

    page = context.new_page()
    page.goto(change)
    offer = page.inner_text("#desk-draft-offer")
    assert "Restore unsaved changes from" in offer
    assert "Both sides will return." not in page.inner_text(BODY)
    page.click("#desk-draft-restore")
    assert "Both sides will return." in page.inner_text(BODY)  # the editor shows it…
    assert "<p>Both sides will return.</p>" in page.input_value("#id_body")  # …and will send it
    assert page.input_value("#id_dek") == "A first meeting in decades."
    assert "Restored your unsaved changes" in page.inner_text("#desk-autosave")
    page.click("input[name=_continue]")
    assert "changed successfully" in page.inner_text(".messagelist")
    story.refresh_from_db()
    assert "<p>Both sides will return.</p>" in story.body and story.dek == "A first meeting in decades."
    assert not DraftCopy.objects.exists()
    assert Article.objects.get().version == 2
