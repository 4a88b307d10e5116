"""Loading wire copy again: the wire's corrections arrive, the desk's work stays."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.interchange import provenance, reimport
from articles.models import Article, Image, Mention, Person, RelatedLink
from tests.conftest import REPO
from tests.forms import change_url, form_data

pytestmark = pytest.mark.django_db

SEED_SOURCE = REPO / "fixtures" / "wire" / "000_ff7aa41f6574f300.txt"
WIRE_NAME = "000_ff7aa41f6574f300.txt"
PARIS_LINE = "Senior Syrian and Israeli officials held a meeting in Paris this week"


def build_and_load(wire_file, fixture):
    """Run the operator's two commands on one wire file; return what loaddata printed."""
    call_command(
        "build_fixtures",
        str(wire_file),
        "--output",
        str(fixture),
        "--section",
        "news/middle-east",
        "--published-at",
        "2025-07-25T10:00:00Z",
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("loaddata", str(fixture), stdout=out)
    return out.getvalue()


@pytest.fixture
def wire(tmp_path):
    """A copy of the seed's wire file that a test may correct, as the agency would."""
    folder = tmp_path / "wire"
    folder.mkdir()
    path = folder / WIRE_NAME
    path.write_text(SEED_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def correct(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_desks_standfirst_bio_and_withdrawal_survive_loading_the_same_wire_again(wire, tmp_path, desk, client):
    fixture = tmp_path / "wire.json"
    build_and_load(wire, fixture)
    story = Article.objects.get()
    address = story.get_absolute_url()
    assert client.get(address).status_code == 200

    # The desk: a new standfirst, a bio for one of the people, then the story is withdrawn.
    response = desk.post(change_url(story), form_data(desk.get(change_url(story)), dek="The desk's own standfirst."))
    assert response.status_code == 302
    person_url = reverse("admin:articles_person_change", args=[Person.objects.get(slug="ron-dermer").pk])
    bio = "<p>Israel's Minister of Strategic Affairs since 2022.</p>"
    assert desk.post(person_url, form_data(desk.get(person_url), form_id="person_form", bio=bio)).status_code == 302
    assert desk.post(change_url(story), form_data(desk.get(change_url(story)), _withdraw="x")).status_code == 302
    story.refresh_from_db()
    version = story.version
    assert (story.status, story.dek, version) == ("withdrawn", "The desk's own standfirst.", 3)
    assert client.get(address).status_code == 410  # Gone: withdrawn

    printed = build_and_load(wire, fixture)

    story.refresh_from_db()
    assert story.status == "withdrawn"
    assert client.get(address).status_code == 410  # Gone: withdrawn
    assert story.dek == "The desk's own standfirst."
    assert story.version == version
    assert Person.objects.get(slug="ron-dermer").bio == bio
    assert f"Kept the desk's status, standfirst on story “{story.headline}” ({story.guid})." in printed
    assert "Kept the desk's bio on person “Ron Dermer” (ron-dermer)." in printed

    # The agency then corrects a paragraph: the body, which nobody on the desk touched, is updated;
    # the standfirst, the bio and the withdrawal still stand, and the change is a revision of its own.
    correct(wire, PARIS_LINE, "Senior Syrian and Israeli officials met in Paris on Thursday")
    printed = build_and_load(wire, fixture)
    story.refresh_from_db()
    assert "met in Paris on Thursday" in story.body
    assert (story.status, story.dek, story.version) == ("withdrawn", "The desk's own standfirst.", version + 1)
    assert client.get(address).status_code == 410  # Gone: withdrawn
    assert Person.objects.get(slug="ron-dermer").bio == bio
    assert f"Updated story “{story.headline}” ({story.guid}): body (version {version + 1})." in printed
    latest = Version.objects.get_for_object(story).first()
    assert latest.revision.comment == "Re-imported from wire copy; changed: body."
    assert "met in Paris on Thursday" in latest.field_dict["body"]


def test_an_editor_with_the_story_open_gets_the_conflict_page_after_a_reimport_changes_it(wire, tmp_path, desk):
    fixture = tmp_path / "wire.json"
    build_and_load(wire, fixture)
    story = Article.objects.get()
    opened = form_data(desk.get(change_url(story)), dek="Written while the wire was corrected.")
    correct(wire, PARIS_LINE, "Senior Syrian and Israeli officials met in Paris on Thursday")
    build_and_load(wire, fixture)
    response = desk.post(change_url(story), opened)
    assert response.status_code == 302 and "conflict" in response.url
    assert "met in Paris on Thursday" in Article.objects.get().body


def test_a_story_nobody_touched_takes_every_correction_of_the_wire(wire, tmp_path, client):
    fixture = tmp_path / "wire.json"
    build_and_load(wire, fixture)
    story = Article.objects.get()
    correct(wire, PARIS_LINE, "Senior Syrian and Israeli officials met in Paris on Thursday")
    correct(wire, "in southern Syria.\n-", "in the south of Syria.\n-")
    correct(wire, "Read more: Erdogan slams Israeli strikes on Syria, says will not accept division\n", "")

    printed = build_and_load(wire, fixture)
    story.refresh_from_db()
    assert "met in Paris on Thursday" in story.body
    assert story.dek.endswith("in the south of Syria.")
    assert (story.status, story.version) == ("published", 2)
    # The dropped read-more line is gone from the story, not left behind.
    assert list(story.related_links.values_list("title", flat=True)) == [
        "Barrack backs Damascus, suggests 'Israel' prefers a divided Syria: AP"
    ]
    assert "Kept the desk's" not in printed
    assert "standfirst, body" in printed and "related links" in printed
    assert client.get(story.get_absolute_url()).status_code == 200
    assert "met in Paris on Thursday" in client.get(story.get_absolute_url()).content.decode()


def test_bylines_mentions_and_links_the_desk_removed_or_edited_stay_as_the_desk_left_them(wire, tmp_path):
    fixture = tmp_path / "wire.json"
    build_and_load(wire, fixture)
    story = Article.objects.get()
    Mention.objects.filter(article=story, person__slug="ron-dermer").delete()
    RelatedLink.objects.filter(article=story, position=0).delete()
    shaibani = Mention.objects.get(article=story, person__slug="asaad-al-shaibani")
    shaibani.title = "Foreign Minister of Syria"
    shaibani.save()
    mentions = sorted(Mention.objects.filter(article=story).values_list("person__slug", "title"))
    correct(wire, PARIS_LINE, "Senior Syrian and Israeli officials met in Paris on Thursday")

    printed = build_and_load(wire, fixture)
    assert sorted(Mention.objects.filter(article=story).values_list("person__slug", "title")) == mentions
    assert list(RelatedLink.objects.filter(article=story).values_list("position", flat=True)) == [1]
    assert "Kept the desk's mentions, related links on story" in printed.replace("people mentioned", "mentions")
    assert "met in Paris on Thursday" in Article.objects.get().body  # the untouched body still took the correction


def test_a_picture_the_desk_described_keeps_its_alt_text(wire, tmp_path):
    fixture = tmp_path / "wire.json"
    build_and_load(wire, fixture)
    picture = Image.objects.get()
    picture.alt_text = "Ahmad al-Sharaa signs the constitution at a desk"
    picture.save()
    printed = build_and_load(wire, fixture)
    assert Image.objects.get().alt_text == "Ahmad al-Sharaa signs the constitution at a desk"
    assert f"Kept the desk's alt text on picture {picture.key}." in printed


def test_what_a_wire_fixture_records_is_what_the_database_holds_after_loading_it(seed):
    """The builder's digests and the database's agree: a fresh load counts as untouched everywhere."""
    for instance in [seed, *Person.objects.all(), *Image.objects.all()]:
        left = provenance.digests_in(instance.import_record)
        for name in reimport.OWNED[type(instance)]:
            if name in left or type(instance) is not Image:
                assert left[name] == provenance.digest(reimport.canonical(instance, name)), (instance, name)
    lists = reimport.story_lists(seed.pk)
    left = provenance.digests_in(seed.import_record)
    for name in ("authorships", "mentions", "tags", "related_links"):
        assert left[name] == provenance.digest(lists[name]), name


def test_a_story_written_on_the_desk_is_not_changed_by_a_fixture_that_names_its_guid(tmp_path, desk):
    fixture = tmp_path / "wire.json"
    source = tmp_path / "local.txt"
    source.write_text("Local headline\n-\nA paragraph from the wire.\n", encoding="utf-8")
    call_command("build_fixtures", str(source), "--output", str(fixture), "--section", "news", stdout=io.StringIO())
    rows = json.loads(fixture.read_text(encoding="utf-8"))
    from tests.factories import make_article

    local = make_article(headline="Written here", body="<p>Our own reporting.</p>")
    story_row = next(row for row in rows if row["model"] == "articles.article")
    story_row["fields"]["guid"] = local.guid
    fixture.write_text(json.dumps(rows), encoding="utf-8")
    out = io.StringIO()
    call_command("loaddata", str(fixture), stdout=out)
    local.refresh_from_db()
    assert (local.headline, local.body, local.version) == ("Written here", "<p>Our own reporting.</p>", 1)
    assert "Kept the desk's" in out.getvalue()


def test_copy_built_as_drafts_over_a_published_story_keeps_it_live_with_its_times(wire, tmp_path, client):
    build_and_load(wire, tmp_path / "first.json")
    story = Article.objects.get()
    shown = (story.published_at, story.updated_at)
    address = story.get_absolute_url()
    fixture = tmp_path / "drafts.json"
    call_command(
        "build_fixtures", str(wire), "--output", str(fixture), "--section", "news/middle-east", stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("loaddata", str(fixture), stdout=out)
    story.refresh_from_db()
    assert story.status == "published"
    assert (story.published_at, story.updated_at) == shown
    assert client.get(address).status_code == 200
    assert "status" in out.getvalue() and "updated at" in out.getvalue()
