"""A reporter writes a story body with the editor's toolbar and keyboard, links another story found by
search, pastes from Word, and saves: the stored HTML is clean; the page keeps to the CSP and passes axe."""

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from articles.models import Article
from tests.browser import test_desk
from tests.browser.body_editing import BODY
from tests.browser.test_desk import choose, log_in, make_story
from tests.browser.test_reader_accessibility import WCAG_TAGS, describe

desk = test_desk.desk  # the fixture: sections, an editor and a reporter

# What Word puts on the clipboard, cut down: conditional comments, a <style> block, mso- styles, <o:p>,
# spans, a <font> and an empty paragraph holding only a non-breaking space.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
<style>p.MsoNormal { mso-style-parent: ""; margin: 0cm; }</style></head><body lang=EN-GB>
<!--StartFragment--><p class=MsoNormal style='mso-margin-top-alt:auto;mso-pagination:widow-orphan'>
<span style='font-family:"Calibri",sans-serif;mso-fareast-font-family:"Times New Roman"'>Fishermen
<b style='mso-bidi-font-weight:normal'>returned</b> at <font color=red face=Arial>dawn</font>.<o:p></o:p>
</span></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>
<h2 style='mso-outline-level:2'><span lang=EN-US style='font-size:14pt'>Quay repairs</span><o:p></o:p></h2>
<p class=MsoNormal><i>Work starts in May.</i><o:p></o:p></p><!--EndFragment--></body></html>"""


def watch_for_trouble(page):
    """Collect console errors and CSP violations the page reports."""
    trouble = []
    page.on(
        "console",
        lambda message: (
            trouble.append(message.text) if message.type == "error" and "404" not in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP: ' + e.violatedDirective"
        " + ' ' + e.blockedURI));"
    )
    return trouble


def press_toolbar_button(page, name):
    """Reach a toolbar button from the text with the keyboard alone: Alt+F10, arrows, Enter."""
    page.keyboard.press("Alt+F10")
    page.keyboard.press("Home")
    for _ in range(12):
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            break
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent.trim()") == name
    page.keyboard.press("Enter")


def caret_to_the_end(page):
    """Ctrl+End, as a writer would, until the editor has taken the move. The browser moves the caret at
    once, but an editor that has just taken the focus back puts its own selection back on the page a
    moment later (ProseMirror does so 20 ms after focus), which on a busy machine can undo the move."""
    at_end = (
        "() => { const {state} = document.querySelector('[data-body-editor]').bodyEditor;"
        " return state.selection.empty && state.selection.head === state.doc.content.size - 1; }"
    )
    for _ in range(20):
        page.keyboard.press("ControlOrMeta+End")
        if page.evaluate(at_end):
            page.wait_for_timeout(50)  # past the editor's own restoring of the selection
            if page.evaluate(at_end):
                return
        page.wait_for_timeout(25)
    raise AssertionError("the caret never reached the end of the body")


def test_a_reporter_writes_links_lists_and_pastes_from_word_and_the_stored_body_is_clean(live_server, desk, new_page):
    earlier = make_story(
        "Talks began in Paris last week",
        "talks-began",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=7),
    )
    page = new_page()
    trouble = watch_for_trouble(page)
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "Harbour reopens after storms")
    choose(page, "primary_section", "News")

    # The raw textarea has given way to the editor, named by the field's label.
    assert page.locator("#id_body").is_hidden()
    editor = page.locator(BODY)
    assert editor.get_attribute("role") == "textbox"
    label_id = editor.get_attribute("aria-labelledby")
    assert page.locator(f"#{label_id}").inner_text().startswith("Body")

    # A paragraph, then a subheading from the toolbar (with the mouse), then a paragraph.
    editor.click()
    page.keyboard.type("The harbour reopened on Friday.")
    page.keyboard.press("Enter")
    page.click("[role=toolbar] >> text=Subheading")
    assert page.locator("[data-command=h2]").get_attribute("aria-pressed") == "true"
    page.keyboard.type("What comes next")
    page.keyboard.press("Enter")

    # A link to another story, found by words of its headline, all from the keyboard.
    page.keyboard.type("Background: ")
    page.keyboard.press("Control+k")
    query = page.locator(".body-editor-link input[type=search]")
    assert query.evaluate("input => input === document.activeElement")
    page.keyboard.type("talks paris")
    found = page.locator(".body-editor-link-results button", has_text="Talks began in Paris last week")
    found.wait_for()
    page.keyboard.press("Enter")  # links the first story found
    # The box answers by fetching; the writer goes on once the link is in her text and the caret back in it.
    editor.locator(f'a[href="{earlier.get_absolute_url()}"]').wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.matches('.ProseMirror')")
    page.keyboard.type(".")

    # A bulleted list, its button reached by keyboard; Enter twice leaves the list.
    page.keyboard.press("Enter")
    press_toolbar_button(page, "Bulleted list")
    page.keyboard.type("Boats")
    page.keyboard.press("Enter")
    page.keyboard.type("Cranes")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    # A link to an address typed in the box, on selected words.
    page.keyboard.type("See the port.")
    page.keyboard.press("ArrowLeft")
    for _ in "the port":
        page.keyboard.press("Shift+ArrowLeft")
    page.click("[role=toolbar] >> text=Link…")
    page.wait_for_function("document.activeElement && document.activeElement.matches('.body-editor-link input')")
    page.keyboard.type("https://port.example/news")
    page.keyboard.press("Enter")
    editor.locator('a[href="https://port.example/news"]').wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.matches('.ProseMirror')")
    caret_to_the_end(page)
    page.keyboard.press("Enter")
    # The caret in the new, empty last paragraph, where the writer pastes: clicked there, as a writer would.
    editor.locator("p").last.click()

    # Pasted from Word.
    editor.evaluate(
        "(el, html) => { const data = new DataTransfer(); data.setData('text/html', html);"
        " data.setData('text/plain', 'Fishermen returned at dawn.');"
        " el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true})); }",
        WORD_HTML,
    )
    page.click("input[name=_continue]")
    assert "was added successfully" in page.inner_text(".messagelist")

    story = Article.objects.get(headline="Harbour reopens after storms")
    assert story.body == (
        "<p>The harbour reopened on Friday.</p>\n"
        "<h2>What comes next</h2>\n"
        f'<p>Background: <a href="{earlier.get_absolute_url()}" rel="noopener">'
        "Talks began in Paris last week</a>.</p>\n"
        "<ul><li>Boats</li><li>Cranes</li></ul>\n"
        '<p>See <a href="https://port.example/news" rel="noopener">the port</a>.</p>\n'
        "<p>Fishermen <strong>returned</strong> at dawn.</p>\n"
        "<h2>Quay repairs</h2>\n"
        "<p><em>Work starts in May.</em></p>"
    )
    assert trouble == [], "\n".join(trouble)

    # Opened again and saved without touching the body, it stays byte for byte what it was.
    before = story.body
    page.fill("#id_dek", "Fishermen return to sea.")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")
    story.refresh_from_db()
    assert story.dek == "Fishermen return to sea." and story.body == before
    assert trouble == [], "\n".join(trouble)


def test_the_body_field_on_the_story_add_and_change_pages_passes_axe(live_server, desk, new_page):
    """The body's row: label, toolbar, editor, link box with results. The rest of the desk's form has
    violations of its own (the admin's select2 boxes and split date/time inputs), outside this field."""
    story = make_story("Council budget draft", "council-budget", created_by=desk["rita"])
    page = new_page(bypass_csp=True)  # the CSP would block injecting axe; the other test checks the CSP
    log_in(page, live_server, "rita")
    axe = Axe()
    for url in ("/admin/articles/article/add/", f"/admin/articles/article/{story.pk}/change/"):
        page.goto(live_server.url + url)
        page.locator(BODY).wait_for()
        page.click("[role=toolbar] >> text=Link…")  # the link box open, with stories found
        page.keyboard.type("council")
        page.locator(".body-editor-link-results button").first.wait_for()
        results = axe.run(page, context=".field-body", options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, f"{url}:\n{describe(violations)}"
