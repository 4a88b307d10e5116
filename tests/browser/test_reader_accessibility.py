"""Every page type a reader meets, in Chromium at phone and desktop widths: axe-core finds no WCAG 2.2 AA
violation, nothing scrolls sideways, the browser logs no error, and the keyboard reaches the content."""

import io
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, Correction, Image, Section
from tests.conftest import SEED_FIXTURE
from tests.factories import add_author, add_link, make_article, make_person, run_waiting_tasks

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"phone": 360, "desktop": 1280}


@pytest.fixture
def newsroom(transactional_db):
    """The seed story, plus a pictured story with a correction in a second section, which runs to a second page."""
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    seed = Article.objects.get()
    out = io.BytesIO()
    PILImage.new("RGB", (1600, 900), "#4a6d8c").save(out, "JPEG")
    picture = Image.objects.create(
        file=SimpleUploadedFile("harbour.jpg", out.getvalue()),
        alt_text="Fishing boats tied up in Beirut harbour",
        caption="Boats in Beirut harbour on Friday.",
        credit="Newsroom",
    )
    run_waiting_tasks()  # the worker makes the renditions
    picture.refresh_from_db()
    world = Section.objects.ensure("world", "World")
    pictured = Article.objects.create(
        headline="Harbour reopens after a week of storms",
        slug="harbour-reopens",
        dek="Fishermen return to sea as the weather clears.",
        body=(
            '<p>The harbour reopened on Friday, the <a href="https://example.org/port">port authority</a> said.'
            ' <a href="/world/">More from the world</a>.</p>'
            "<h2>What comes next</h2><p>Repairs will take a month.</p>"
        ),
        primary_section=world,
        lead_image=picture,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=2),
        dateline="BEIRUT",
    )
    add_author(pictured, make_person(name="Rana Haddad", slug="rana-haddad", bio="<p>Covers Lebanon.</p>"))
    add_link(pictured, title=seed.headline, target_article=seed, url="")
    pictured.tags.add("Lebanon")
    Correction.objects.create(
        article=pictured, text="An earlier version misstated the day.", published_at=timezone.now()
    )
    # Older stories enough to fill the section's first page, so /world/?page=2 exists.
    for n in range(20):
        make_article(primary_section=world, published_at=timezone.now() - timedelta(days=3, hours=n))
    return {"seed": seed, "pictured": pictured}


def page_urls(newsroom):
    seed, pictured = newsroom["seed"], newsroom["pictured"]
    day = timezone.localtime(pictured.published_at)
    return {
        "home": "/",
        "section": "/news/",
        "second page of a section": "/world/?page=2",
        "subsection": "/news/middle-east/",
        "article": seed.get_absolute_url(),
        "pictured article": pictured.get_absolute_url(),
        "person": "/people/rana-haddad/",
        "mentioned person": "/people/asaad-al-shaibani/",
        "tag": "/tags/lebanon/",
        "search": "/search/?q=Syria",
        "empty search": "/search/?q=nothing-matches-this",
        "archive": "/archive/",
        "archive month": f"/archive/{day:%Y/%m}/",
        "archive day": f"/archive/{day:%Y/%m/%d}/",
        "corrections": "/corrections/",
        "not found": "/no/such/page/",
    }


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
    )


@pytest.mark.parametrize("device", WIDTHS)
def test_every_page_type_passes_axe_without_sideways_scrolling(live_server, newsroom, new_page, device):
    page = new_page(width=WIDTHS[device], height=800, bypass_csp=True)  # CSP would block injecting axe
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    axe = Axe()
    checked = []
    for name, url in page_urls(newsroom).items():
        response = page.goto(live_server.url + url)
        assert response.status == (404 if name == "not found" else 200), name
        # The house stylesheet applied (contrast is only meaningful with it).
        assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px", name
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, f"{name} at {device} width:\n{describe(violations)}"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {WIDTHS[device]}px"
        checked.append(name)
    # The lead picture loads, and the browser picks a WebP rendition sized for the screen.
    page.goto(live_server.url + newsroom["pictured"].get_absolute_url())
    page.wait_for_function("document.querySelector('.lead-figure img').complete")
    chosen = page.evaluate("(i => [i.currentSrc, i.naturalWidth])(document.querySelector('.lead-figure img'))")
    assert "/renditions/" in chosen[0] and chosen[0].endswith(".webp") and chosen[1] > 0
    expected_width = {"phone": "/360.webp", "desktop": "/720.webp"}[device]  # 1× screens, the 42rem column
    assert chosen[0].endswith(expected_width), chosen
    assert [e for e in errors if "404" not in e] == []  # the 404 page's own status is logged as an error
    assert len(checked) == len(page_urls(newsroom))


def test_a_withdrawn_story_answers_gone_with_a_notice_that_passes_axe(live_server, newsroom, new_page):
    pictured = newsroom["pictured"]
    address = pictured.get_absolute_url()
    pictured.status = Article.Status.WITHDRAWN
    pictured.save()
    page = new_page(width=360, bypass_csp=True)
    response = page.goto(live_server.url + address)
    assert response.status == 410
    assert page.inner_text("h1") == "This story has been withdrawn"
    assert "Harbour reopens" not in page.inner_text("main")
    violations = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response["violations"]
    assert not violations, describe(violations)


def test_keyboard_users_can_skip_to_the_story_and_see_where_focus_is(live_server, newsroom, new_page):
    page = new_page(width=1280)
    page.goto(live_server.url + newsroom["seed"].get_absolute_url())
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
        " const s = getComputedStyle(e);"
        " return {text: e.textContent.trim(), top: r.top, left: r.left, outline: s.outlineStyle,"
        " width: s.outlineWidth}; })()"
    )
    assert focused["text"] == "Skip to content"
    assert focused["top"] >= 0 and focused["left"] >= 0  # moved on screen when focused
    assert focused["outline"] != "none" and focused["width"] != "0px"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert inside_main


def test_print_stylesheet_leaves_out_navigation_and_share_links(live_server, newsroom, new_page):
    page = new_page(width=1280)
    page.goto(live_server.url + newsroom["pictured"].get_absolute_url())
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.site-header nav', '.share', '.site-footer'].map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none", "none", "none"]
    assert page.evaluate("getComputedStyle(document.querySelector('.story-body')).display") != "none"
    # On paper an off-site link shows its address; one of ours does not print as a bare path.
    after = "s => getComputedStyle(document.querySelector(s), '::after').content"
    assert page.evaluate(after, ".story-body a[href^='https:']") == '" (https://example.org/port)"'
    assert page.evaluate(after, ".story-body a[href='/world/']") == "none"


def test_the_axe_check_does_catch_violations(new_page):
    """The control: the same axe run reports a page without a language, alt text or contrast."""
    page = new_page(width=360)
    page.set_content('<html><body><img src="x.png"><p style="color:#bbb;background:#fff">Faint</p></body></html>')
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    found = {v["id"] for v in results.response["violations"]}
    assert {"html-has-lang", "image-alt", "color-contrast"} <= found
