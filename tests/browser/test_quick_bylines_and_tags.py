"""A reporter linked to a person starts a story: her byline is there, she types three tags with the
suggestions (one of them new), picks a section by its name, and saves."""

from taggit.models import Tag

from articles.models import Article, Authorship, Person, Section, TaggedArticle
from tests.browser.test_desk import choose, desk, log_in, make_story  # noqa: F401 - desk is a fixture


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
    page = new_page()
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    byline = page.locator("#id_authorships-0-person + .select2 .select2-selection")
    assert "Rita Reyes" in byline.inner_text()

    page.locator("#id_headline").press_sequentially("Harbour strike spreads")
    page.fill("#id_body", "<p>Dockers walked out.</p>")
    choose(page, "primary_section", "News › Middle East")
    pick_suggestion(page, "dama", "Damascus")
    pick_suggestion(page, "Sy", "Syria")
    page.locator("#id_tags").press_sequentially("Harbour strike")
    page.locator("#id_tags").press("Enter")  # finishes the name; the form is not sent
    assert page.input_value("#id_tags") == "Damascus, Syria, Harbour strike, "
    assert "becomes a new tag when you save" in page.inner_text("#id_tags-status")
    assert page.url.endswith("/add/")

    page.click("input[name=_save]")
    assert "was added successfully" in page.inner_text(".messagelist")
    story = Article.objects.get(slug="harbour-strike-spreads")
    assert story.primary_section.path == "news/middle-east"
    assert [a.person.name for a in Authorship.objects.filter(article=story)] == ["Rita Reyes"]
    tagged = TaggedArticle.objects.filter(content_object=story).values_list("tag__name", flat=True)
    assert sorted(tagged) == ["Damascus", "Harbour strike", "Syria"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Damascus", "Harbour strike", "Syria"]
