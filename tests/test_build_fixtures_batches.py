"""Operators' batch runs of build_fixtures: atomic by default, --skip-invalid, any format, usual permissions."""

import io
import json
import os
import re
import stat
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.interchange import fixture_builder
from articles.models import Article
from tests.conftest import REPO
from tests.wire_items import agency_item, write_copy

BROKEN = b"A headline with no separator\nand then the body straight away.\n"


def build(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("build_fixtures", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def batch(folder):
    write_copy(folder, "a-rain.txt")
    (folder / "b-broken.txt").write_bytes(BROKEN)
    write_copy(folder, "c-quake.txt", headline="Quake shakes Izmir")
    return folder


@pytest.fixture
def umask():
    """Set the process umask for a test, and put the old one back."""
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


def test_one_bad_file_stops_the_run_by_default_and_writes_nothing(tmp_path):
    folder = batch(tmp_path / "wire")
    output = tmp_path / "out.json"
    output.write_text("[]\n", encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(str(folder / "b-broken.txt")) + ".*separator"):
        build(folder, "--output", output)
    assert output.read_text(encoding="utf-8") == "[]\n"


def test_skip_invalid_builds_the_good_files_lists_the_bad_and_fails_naming_them(tmp_path, db):
    folder = batch(tmp_path / "wire")
    output = tmp_path / "out.json"
    with pytest.raises(CommandError) as refused:
        build(folder, "--output", output, "--skip-invalid")
    assert str(refused.value) == f"1 file(s) skipped as invalid: {folder / 'b-broken.txt'}"
    rows = json.loads(output.read_text(encoding="utf-8"))
    assert sorted(r["fields"]["source_id"] for r in rows if r["model"] == "articles.article") == ["a-rain", "c-quake"]
    call_command("loaddata", str(output), verbosity=0)
    assert sorted(Article.objects.values_list("headline", "status")) == [
        ("Quake shakes Izmir", "draft"),
        ("Rain returns to the coast", "draft"),
    ]


def test_skip_invalid_with_only_bad_files_writes_nothing(tmp_path):
    (tmp_path / "broken.txt").write_bytes(BROKEN)
    with pytest.raises(CommandError, match="every file was invalid: .*broken.txt; nothing was written"):
        build(tmp_path / "broken.txt", "--output", tmp_path / "out.json", "--skip-invalid")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_the_fixture_file_gets_the_permissions_the_umask_gives(tmp_path, umask, mask, mode):
    write_copy(tmp_path, "rain.txt")
    output = tmp_path / "out" / "fixture.json"
    umask(mask)
    build(tmp_path / "rain.txt", "--output", output)
    assert stat.S_IMODE(output.stat().st_mode) == mode
    build(tmp_path / "rain.txt", "--output", output)  # replaced in place, atomically
    assert stat.S_IMODE(output.stat().st_mode) == mode
    assert [p.name for p in output.parent.iterdir()] == ["fixture.json"]  # no temporary file left


def test_an_agency_item_builds_with_its_guid_credit_embargo_and_subjects(tmp_path, monkeypatch):
    embargo = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)

    def newsml_reader(data, *, filename):
        yield agency_item(embargo=embargo)

    monkeypatch.setattr("articles.interchange.formats.read", newsml_reader)
    (tmp_path / "rain.xml").write_bytes(b"<newsItem/>")
    build(tmp_path / "rain.xml", "--output", tmp_path / "out.json")
    rows = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    story = next(r["fields"] for r in rows if r["model"] == "articles.article")
    assert story["source_id"] == "tag:reuters.com,2026:newsml_RAIN1"
    assert story["guid"] == fixture_builder.article_guid("tag:reuters.com,2026:newsml_RAIN1")
    assert (story["source"], story["embargo_until"], story["status"]) == ("Reuters", "2026-12-08T06:00:00Z", "draft")
    tags = {r["fields"]["name"] for r in rows if r["model"] == "taggit.tag"}
    assert {"weather", "Lebanon", "Beirut"} <= tags


def test_the_readmes_example_loads_drafts_and_publishing_is_a_step_of_its_own():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("## Wire copy → fixture → database") :]
    example = example[: example.index("\n## ", 1)]
    build_line = example[example.index("manage.py build_fixtures") :]
    build_line = build_line[: build_line.index("\n.venv/bin/python")]
    assert "--published-at" not in build_line
    assert "Publish the selected stories" in example
