"""A reporter linked to a person starts a story: her byline is there, she types three tags with the
suggestions (one of them new), picks a section by its name, and saves."""

from axe_playwright_python.sync_playwright import Axe
from taggit.models import Tag

from articles.models import Article, Authorship, Person, Section, TaggedArticle
from tests.browser.body_editing import write_body
from tests.browser.test_desk import desk, log_in, make_story  # noqa: F401 - desk is a fixture
from tests.browser.test_reader_accessibility import WCAG_TAGS


def pick_suggestion(page, typed, name):
    """Type into the tag box and take the suggestion for name, as choosing it from the list does."""
    box = page.locator("#id_tags")
    box.press_sequentially(typed)
    option = page.locator(f'#id_tags-suggestions option[value$="{name}, "]')
    option.wait_for(state="attached")
    box.fill(option.get_attribute("value"))


def test_a_reporter_starts_a_story_with_her_byline_and_three_tags_one_new(live_server, desk, new_page):  # noqa: F811
    Person.objects.create(name="Rita Reyes", slug="rita-reyes", user=desk["rita"])
    make_story("Earlier story", "earlier").tags.add("Damascus", "Syria")
    Section.objects.ensure("news/middle-east", "Middle East")
    page = new_page(bypass_csp=True)  # CSP would block injecting axe
    errors = []
    page.on(
        "console", lambda message: errors.append((message.text, message.location)) if message.type == "error" else None
    )
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    byline = page.locator("#id_authorships-0-person + .select2 .select2-selection")
    assert "Rita Reyes" in byline.inner_text()

    page.locator("#id_headline").press_sequentially("Harbour strike spreads")
    write_body(page, "Dockers walked out.")
    # The section is found by a word of its name and offered by its name, not its path.
    page.click("#id_primary_section + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Middle")
    page.locator(".select2-results__option", has_text="News › Middle East").click()
    chosen = page.locator("#id_primary_section + .select2 .select2-selection__rendered")
    assert chosen.inner_text().strip("×\n ") == "News › Middle East"
    pick_suggestion(page, "dama", "Damascus")
    pick_suggestion(page, "Sy", "Syria")
    page.locator("#id_tags").press_sequentially("Harbour strike")
    page.locator("#id_tags").press("Enter")  # finishes the name; the form is not sent
    assert page.input_value("#id_tags") == "Damascus, Syria, Harbour strike, "
    assert "becomes a new tag when you save" in page.inner_text("#id_tags-status")
    assert page.url.endswith("/add/")
    # The box, its suggestions and its status line: no WCAG violation.
    results = Axe().run(page, context=".field-tags", options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert not results.response["violations"], results.response["violations"]
    # The desk has no favicon (the browser asks for one by itself); nothing else may fail.
    assert not [error for error in errors if not error[1]["url"].endswith("/favicon.ico")]

    page.click("input[name=_save]")
    assert "was added successfully" in page.inner_text(".messagelist")
    story = Article.objects.get(slug="harbour-strike-spreads")
    assert story.primary_section.path == "news/middle-east"
    assert [a.person.name for a in Authorship.objects.filter(article=story)] == ["Rita Reyes"]
    tagged = TaggedArticle.objects.filter(content_object=story).values_list("tag__name", flat=True)
    assert sorted(tagged) == ["Damascus", "Harbour strike", "Syria"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Damascus", "Harbour strike", "Syria"]
