"""Partners' ninjs items: checked like the desk's own input, never over local stories, never a traceback."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from articles.interchange.ninjs import NinjsError, import_items
from articles.models import Article, Correction, RelatedLink, Section
from tests.factories import add_author, make_article

pytestmark = pytest.mark.django_db

GOOD = {
    "uri": "urn:partner:story-1",
    "profile": "newsroom-article",
    "pubStatus": "usable",
    "firstCreated": "2025-07-25T10:00:00Z",
    "slugline": "partner-story",
    "headlines": [{"role": "main", "value": "Partner story"}],
    "bodies": [{"role": "main", "contentType": "text/html", "value": "<p>Partner text.</p>"}],
    "descriptions": [{"role": "summary", "value": "The partner's standfirst."}],
    "subjects": [{"name": "World", "rel": "section", "literal": "world"}],
    "people": [{"name": "Jane Roe", "rel": "author:author", "literal": "jane-roe"}],
    "associations": [
        {
            "name": "related-0",
            "rel": "related",
            "uri": "https://partner.example/more",
            "headlines": [{"value": "More"}],
        }
    ],
}


def item(**changes):
    """Return the good item with some properties replaced (None removes one)."""
    built = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is None:
            built.pop(key, None)
        else:
            built[key] = value
    return built


def run(tmp_path, document, name="partner.json"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    call_command("import_ninjs", str(path), stdout=out)
    return out.getvalue()


def dump():
    out = io.StringIO()
    call_command("dumpdata", "articles", "taggit", natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


def assert_site_answers(client, section_path):
    for address in [
        "/",
        f"/{section_path}/",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/api/ninjs/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-sections.xml",
        "/sitemap-people.xml",
        "/sitemap-tags.xml",
    ]:
        assert client.get(address).status_code == 200, address


def _person(literal):
    return [{"name": "Evil Person", "rel": "mentioned", "literal": literal}]


def _section(literal):
    return [{"name": "Bad", "rel": "section", "literal": literal}]


def _link(**association):
    return [{"name": "related-0", "rel": "related", "headlines": [{"value": "More"}], **association}]


HOSTILE = {
    "slugline-with-slash-and-space": ({"slugline": "a/b c"}, "slug"),
    "section-literal-with-space": ({"subjects": _section("bad section/x y")}, "slug"),
    "section-literal-with-dots": ({"subjects": _section("news/../x")}, "slug"),
    "reserved-section": ({"subjects": _section("admin")}, "used by the site itself"),
    "person-literal-path": ({"people": _person("evil person/../x")}, "slug"),
    "impossible-date": ({"firstCreated": "2025-13-45T00:00:00Z"}, "firstCreated.*ISO 8601"),
    "year-one": ({"firstCreated": "0001-01-01T00:00:00Z"}, "firstCreated.*between the years"),
    "year-9999": ({"embargoedUntil": "9999-12-31T23:59:59Z"}, "embargoedUntil.*between the years"),
    "unicode-digits-in-date": ({"firstCreated": "٢٠٢٥-07-25T10:00:00Z"}, "firstCreated.*ISO 8601"),
    "oversized-version": ({"version": 10**30}, "version must lie between"),
    "unicode-digit-version": ({"version": "²"}, "version .* is not a whole number"),
    "infinite-version": ('{"version": Infinity}', "version must be a whole number"),
    "unicode-digit-anchor": (
        {"associations": _link(descriptions=[{"role": "newsroom:anchor-block", "value": "²"}])},
        "anchor .* is not a whole number",
    ),
    "headline-not-text": ({"headlines": [{"role": "main", "value": {"evil": 1}}]}, "headline must be text"),
    "headlines-not-a-list": ({"headlines": 7}, "headlines must be a list"),
    "link-title-not-text": ({"associations": _link(headlines=[{"value": ["x"]}])}, "link's title must be text"),
    "link-address-with-control-character": (
        {"associations": _link(uri="https://partner.example/\x01x")},
        "control characters",
    ),
    "pub-status-not-text": ({"pubStatus": {"a": 1}}, "pubStatus must be text"),
    "uri-with-space": ({"uri": "evil/ x"}, "spaces or control characters"),
    "people-not-a-list": ({"people": "Jane"}, "people must be a list"),
    "correction-time-out-of-range": (
        {"descriptions": [{"role": "newsroom:correction:correction:3000-01-01T00:00:00Z", "value": "Fixed."}]},
        "correction's time.*between the years",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_value_is_refused_by_name_and_the_site_stays_up(seed, client, tmp_path, case):
    changes, message = HOSTILE[case]
    if isinstance(changes, str):
        document = json.dumps(item())[:-1] + ", " + changes[1:]  # JSON that Python's parser accepts
        uri = GOOD["uri"]
    else:
        document = item(**changes)
        uri = document["uri"]
    before = dump()
    with pytest.raises(CommandError, match=message) as refused:
        run(tmp_path, document, name=f"{case}.json")
    assert f"{case}.json: {uri}" in str(refused.value) or f"{case}.json: {uri!r}" in str(refused.value)
    assert dump() == before
    assert_site_answers(client, seed.primary_section.path)


def test_deeply_nested_json_is_refused_by_name(seed, client, tmp_path):
    before = dump()
    with pytest.raises(CommandError, match="deep.json: the JSON is nested too deeply"):
        run(tmp_path, '{"uri": "urn:x", "headlines": ' + "[" * 100_000 + "]" * 100_000 + "}", name="deep.json")
    assert dump() == before
    assert_site_answers(client, seed.primary_section.path)


def test_a_good_item_imports_and_the_site_still_answers(seed, client, tmp_path):
    printed = run(tmp_path, item())
    story = Article.objects.get(guid=GOOD["uri"])
    assert (story.slug, story.primary_section.path, story.dek) == (
        "partner-story",
        "world",
        "The partner's standfirst.",
    )
    assert "Imported 1 item(s)" in printed
    assert client.get(story.get_absolute_url()).status_code == 200
    assert_site_answers(client, "world")


def test_an_item_naming_a_local_story_by_its_guid_changes_nothing(client, tmp_path):
    local = make_article(headline="Our own story", body="<p>Our reporting.</p>")
    add_author(local)
    Correction.objects.create(article=local, text="We fixed a name.")
    before = dump()
    with pytest.raises(CommandError, match=f"{local.guid}: a story with this uri was written on this site"):
        run(tmp_path, item(uri=local.guid, headlines=[{"role": "main", "value": "Hijacked"}]))
    assert dump() == before
    local.refresh_from_db()
    assert (local.headline, local.authorships.count(), local.corrections.count()) == ("Our own story", 1, 1)
    assert client.get(local.get_absolute_url()).status_code == 200


def test_an_item_naming_a_wire_story_by_its_guid_changes_nothing(seed, tmp_path):
    before = dump()
    with pytest.raises(CommandError, match="an import updates only the stories it created"):
        run(tmp_path, item(uri=seed.guid))
    assert dump() == before


def test_the_same_partner_item_again_keeps_the_desks_changes_and_takes_the_partners(tmp_path):
    run(tmp_path, item())
    story = Article.objects.get(guid=GOOD["uri"])
    story.dek = "The desk's standfirst."
    story.status = Article.Status.WITHDRAWN
    story.save()
    corrected = item(bodies=[{"role": "main", "contentType": "text/html", "value": "<p>Corrected text.</p>"}])
    printed = run(tmp_path, corrected)
    story.refresh_from_db()
    assert (story.dek, story.status, story.body, story.version) == (
        "The desk's standfirst.",
        "withdrawn",
        "<p>Corrected text.</p>",
        2,
    )
    assert f"Kept the desk's status, standfirst on story “Partner story” ({GOOD['uri']})." in printed
    assert f"Updated story “Partner story” ({GOOD['uri']}): body (version 2)." in printed
    assert Version.objects.get_for_object(story).first().revision.comment == "Re-imported from ninjs; changed: body."
    # The same file once more changes nothing at all.
    before = dump()
    run(tmp_path, corrected)
    assert dump() == before


def test_the_export_never_passes_on_an_address_the_desk_would_refuse(client):
    story = make_article()
    RelatedLink.objects.create(article=story, position=0, title="Bad", url="https://example.org/old")
    RelatedLink.objects.create(article=story, position=1, title="Good", url="https://example.org/")
    # A row stored before saves were checked: an update() bypasses the check that refuses it today.
    RelatedLink.objects.filter(article=story, position=0).update(url="javascript:alert(1)")
    exported = client.get(f"/api/ninjs/{story.guid}").json()
    addresses = [a["uri"] for a in exported["associations"]]
    assert addresses == ["https://example.org/"]


# --- whatever arrives ------------------------------------------------------------------------------

KEYS = sorted(
    {*GOOD, "version", "embargoedUntil", "versionCreated", "located", "infoSources", "altIds", "by", "places"}
    | {"organisations", "type", "role", "value", "name", "rel", "literal", "contentType", "href"}
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["usable", "canceled", "main", "section", "author:author", "related", "read_more", "2025-07-25"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner)
    ),
    max_leaves=25,
)
items = st.builds(
    lambda base, extra: {**base, **extra},
    st.sampled_from([item(), item(profile=None), {"uri": "urn:x"}]),
    st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=items)
def test_any_json_item_imports_or_raises_ninjs_error(db, document):
    section = Section.objects.get_or_create(path="news", defaults={"name": "News", "slug": "news"})[0]
    try:
        with transaction.atomic():
            import_items([document], default_section=section)
            transaction.set_rollback(True)
    except NinjsError:
        pass
