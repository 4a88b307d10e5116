"""Steps a writer takes in the story body's rich-text editor, shared by the browser tests."""

BODY = ".body-editor-area .ProseMirror"


def click_into(page, locator):
    """Click into the editor's text and pause as a writer does before typing on.

    An editor that takes the focus puts its own selection back on the page 20 ms later (ProseMirror);
    on a busy machine, keys pressed within that moment can have their caret moves undone.
    """
    locator.click()
    page.wait_for_timeout(100)


def write_body(page, *paragraphs):
    """Replace the story body by typing paragraphs into the editor, Enter between them, as a writer does."""
    click_into(page, page.locator(BODY))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    for n, paragraph in enumerate(paragraphs):
        if n:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def add_paragraph(page, text):
    """Put the caret at the end of the body and type a new paragraph there."""
    click_into(page, page.locator(BODY))
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)
