"""The picture chooser in a real browser: a reporter searches the grid and picks a picture, or uploads one
in the dialog, and the story is saved with it; the open chooser passes axe and works from the keyboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.models import Article, Image
from tests.browser.test_desk import desk, log_in, make_story  # noqa: F401 - desk is a fixture
from tests.browser.test_reader_accessibility import WCAG_TAGS, describe
from tests.factories import run_waiting_tasks

pytestmark = pytest.mark.usefixtures("desk")


def jpeg_bytes(size=(1200, 800), colour="#3b5b7a"):
    import io

    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def rita_story():
    story = make_story("Harbour reopens after storms", "harbour-reopens")
    Article.objects.filter(pk=story.pk).update(created_by=get_user_model().objects.get(username="rita"))
    return story


def open_story(page, live_server, story):
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")


def test_a_reporter_searches_the_grid_picks_a_picture_and_saves_it(live_server, new_page):
    story = rita_story()
    harbour = Image.objects.create(
        file=SimpleUploadedFile("harbour.jpg", jpeg_bytes()),
        alt_text="Boats moored in the harbour at dusk",
        caption="The harbour on Friday.",
        credit="Newsroom",
    )
    Image.objects.create(
        file=SimpleUploadedFile("street.jpg", jpeg_bytes(colour="#777777")), alt_text="A wet street", caption="Rain."
    )
    Image.objects.create(caption="Police at the scene.", credit="Wire")  # caption only
    run_waiting_tasks()  # the worker makes the renditions the grid's thumbnails come from
    page = new_page()
    open_story(page, live_server, story)
    assert page.inner_text(".picture-chooser-words") == "No picture chosen."

    page.click("text=Choose a picture")
    dialog = page.locator("dialog.picture-chooser-dialog")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.type") == "search"  # focus moved into the dialog
    page.locator(".picture-grid-item").first.wait_for()
    assert page.locator(".picture-grid-item").count() == 3
    assert "Caption only (no file)" in dialog.inner_text()
    # Escape closes it and gives focus back to the button that opened it.
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Choose a picture"

    page.keyboard.press("Enter")  # the keyboard opens it again
    assert dialog.is_visible()
    page.keyboard.type("harbour")
    expect(page.locator(".picture-grid-item")).to_have_count(1)
    chosen = page.get_by_role("button", name="Boats moored in the harbour at dusk")
    chosen.focus()
    page.keyboard.press("Enter")
    assert not dialog.is_visible()
    thumb = page.locator(".picture-chooser-thumb")
    assert thumb.is_visible() and thumb.get_attribute("alt") == "Boats moored in the harbour at dusk"
    assert thumb.get_attribute("src").endswith("/360.jpeg")
    assert page.inner_text(".picture-chooser-words") == "The harbour on Friday."
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")
    story.refresh_from_db()
    assert story.lead_image == harbour
    # Reopened, the form shows the picture it has.
    assert page.locator(".picture-chooser-thumb").get_attribute("alt") == "Boats moored in the harbour at dusk"


def test_a_reporter_uploads_a_picture_in_the_chooser(live_server, new_page, tmp_path):
    story = rita_story()
    photo = tmp_path / "ships.jpg"
    photo.write_bytes(jpeg_bytes((1600, 900)))
    page = new_page()
    open_story(page, live_server, story)
    page.click("text=Choose a picture")
    upload = page.locator(".picture-chooser-upload")
    upload.wait_for()
    page.set_input_files("#id_picture-file", str(photo))
    page.fill("#id_picture-caption", "Ships wait offshore.")
    page.click("text=Upload and choose")
    # No alt text: refused, and said so in the dialog, with focus on the field to fix.
    page.locator("#id_picture-alt_text_error").wait_for()
    assert "This field is required." in page.inner_text("#id_picture-alt_text_error")
    assert page.evaluate("document.activeElement.id") == "id_picture-alt_text"
    assert not Image.objects.exists()
    page.set_input_files("#id_picture-file", str(photo))  # a refused upload is sent again
    page.fill("#id_picture-alt_text", "Three bulk carriers at anchor")
    page.fill("#id_picture-credit", "Newsroom")
    page.click("text=Upload and choose")
    page.locator("dialog.picture-chooser-dialog").wait_for(state="hidden")
    assert page.locator(".picture-chooser-thumb").get_attribute("alt") == "Three bulk carriers at anchor"
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")
    story.refresh_from_db()
    picture = story.lead_image
    assert (picture.alt_text, picture.caption, picture.credit, picture.width) == (
        "Three bulk carriers at anchor",
        "Ships wait offshore.",
        "Newsroom",
        1600,
    )


def test_a_picture_dropped_on_the_chooser_goes_into_its_file_field(live_server, new_page):
    story = rita_story()
    page = new_page()
    open_story(page, live_server, story)
    page.click("text=Choose a picture")
    page.locator("#id_picture-file").wait_for()
    # What a drop from the desktop delivers: a DataTransfer holding a file.
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File([new Uint8Array([71, 73, 70, 56, 57, 97])], 'dropped.gif', {type: 'image/gif'}));
            const target = document.querySelector('.picture-chooser-drop');
            target.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true}));
            target.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true}));
        }"""
    )
    assert page.evaluate("document.querySelector('#id_picture-file').files[0].name") == "dropped.gif"
    assert page.evaluate("document.activeElement.id") == "id_picture-alt_text"


def test_the_open_chooser_passes_axe(live_server, new_page):
    story = rita_story()
    Image.objects.create(
        file=SimpleUploadedFile("harbour.jpg", jpeg_bytes()), alt_text="Boats in the harbour", credit="Newsroom"
    )
    Image.objects.create(caption="Police at the scene.", credit="Wire")
    page = new_page(bypass_csp=True)  # CSP would block injecting axe
    open_story(page, live_server, story)
    page.click("text=Choose a picture")
    page.locator(".picture-grid-item").nth(1).wait_for()
    page.locator("#id_picture-file").wait_for()
    # The dialog, which the chooser adds; the admin page around it is the change form's own test.
    results = Axe().run(
        page, context=".picture-chooser-dialog", options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    )
    assert results.response["passes"]  # the dialog was found and checked
    violations = results.response["violations"]
    assert not violations, describe(violations)
