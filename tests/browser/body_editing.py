"""Steps a writer takes in the story body's rich-text editor, shared by the browser tests."""

BODY = ".body-editor-area .ProseMirror"


def write_body(page, *paragraphs):
    """Replace the story body by typing paragraphs into the editor, Enter between them, as a writer does."""
    editor = page.locator(BODY)
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    for n, paragraph in enumerate(paragraphs):
        if n:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def add_paragraph(page, text):
    """Put the caret at the end of the body and type a new paragraph there."""
    page.locator(BODY).click()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)
