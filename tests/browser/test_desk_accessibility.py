"""axe on the whole story form, as a reporter and as an editor see it: the add page, the change page of a
story with a picture, bylines, tags and a correction, and the story list."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.models import Authorship, Correction, Image, Person
from tests.browser import test_desk
from tests.browser.body_editing import BODY
from tests.browser.test_desk import log_in, make_story
from tests.browser.test_reader_accessibility import WCAG_TAGS, describe
from tests.test_distribution import png_upload

desk = test_desk.desk  # the fixture: sections, an editor and a reporter


def full_story(desk):
    picture = Image.objects.create(
        file=png_upload("quay.png", size=(1200, 800)),
        alt_text="Boats at the quay",
        caption="Boats at the quay at dawn.",
        credit="Staff",
    )
    story = make_story("Council budget draft", "council-budget", created_by=desk["rita"], lead_image=picture)
    Authorship.objects.create(article=story, person=Person.objects.create(name="Rita Reyes", slug="rita-reyes"))
    story.tags.add("Budget", "Council")
    Correction.objects.create(article=story, text="An earlier version misstated the total.")
    return story


@pytest.mark.parametrize("username", ["rita", "eddie"])
def test_the_story_form_and_list_pass_axe(live_server, desk, new_page, username):
    story = full_story(desk)
    page = new_page(bypass_csp=True)  # the CSP would block injecting axe; the desk's own tests check the CSP
    log_in(page, live_server, username)
    axe = Axe()
    for url in (
        "/admin/articles/article/add/",
        f"/admin/articles/article/{story.pk}/change/",
        "/admin/articles/article/",
        "/admin/",
    ):
        page.goto(live_server.url + url)
        if "article/" in url and not url.endswith("article/"):
            page.locator(BODY).wait_for()
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, f"{username} on {url}:\n{describe(violations)}"
