"""manage.py ingest: files and folders into the queue, all or nothing; a watched folder, file by file."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError

from articles.interchange import formats, incoming
from articles.models import WireItem
from tests.wire_items import write_copy

pytestmark = pytest.mark.django_db

BROKEN = b"A headline with no separator\nand then the body straight away.\n"


def ingest(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def queue_rows():
    return sorted(WireItem.objects.values_list("guid", "headline", "version", "filename"))


def test_a_folder_is_ingested_recursively_and_each_file_reported(tmp_path):
    write_copy(tmp_path / "in", "rain.txt")
    write_copy(tmp_path / "in" / "monday", "quake.txt", headline="Quake shakes Izmir")
    (tmp_path / "in" / ".hidden.txt").write_bytes(BROKEN)  # an upload in progress, say
    out, _ = ingest(tmp_path / "in")
    assert f"{tmp_path / 'in' / 'monday' / 'quake.txt'}: text: 1 queued, 0 replaced, 0 ignored, 0 killed" in out
    assert f"{tmp_path / 'in' / 'rain.txt'}: text: 1 queued, 0 replaced, 0 ignored, 0 killed" in out
    assert [(guid, headline) for guid, headline, _v, _f in queue_rows()] == [
        ("quake", "Quake shakes Izmir"),
        ("rain", "Rain returns to the coast"),
    ]
    entry = WireItem.objects.get(guid="rain")
    assert (entry.source, entry.format, entry.filename) == ("Reuters", "text", str(tmp_path / "in" / "rain.txt"))


def test_the_same_file_again_is_ignored_and_a_corrected_one_replaces_it(tmp_path):
    path = write_copy(tmp_path, "rain.txt")
    ingest(path)
    out, _ = ingest(path)
    assert "0 queued, 0 replaced, 1 ignored, 0 killed" in out
    assert "ignored rain: the same copy is queued already" in out
    write_copy(tmp_path, "rain.txt", second="The storm moved south.")
    out, _ = ingest(path)
    assert "0 queued, 1 replaced, 0 ignored, 0 killed" in out
    assert len(WireItem.objects.get().history) == 1


def test_a_bad_file_in_the_middle_leaves_the_queue_as_it_was_and_is_named(tmp_path):
    write_copy(tmp_path, "old.txt", headline="Already queued")
    ingest(tmp_path / "old.txt")
    before = queue_rows()
    folder = tmp_path / "batch"
    write_copy(folder, "a-good.txt")
    (folder / "b-bad.txt").write_bytes(BROKEN)
    write_copy(folder, "c-good.txt", headline="Quake shakes Izmir")
    with pytest.raises(CommandError) as refused:
        ingest(folder)
    assert str(folder / "b-bad.txt") in str(refused.value)
    assert "separator" in str(refused.value)
    assert "Nothing was queued; the queue is as it was." in str(refused.value)
    assert queue_rows() == before


def test_skip_invalid_queues_the_good_files_lists_the_bad_and_fails_naming_them(tmp_path):
    write_copy(tmp_path, "a-good.txt")
    (tmp_path / "b-bad.txt").write_bytes(BROKEN)
    (tmp_path / "c-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("ingest", str(tmp_path), "--skip-invalid", stdout=out, stderr=err)
    assert str(refused.value) == (
        f"2 file(s) skipped as invalid: {tmp_path / 'b-bad.txt'}, {tmp_path / 'c-binary.txt'}"
    )
    assert f"Skipped {tmp_path / 'b-bad.txt'}" in err.getvalue() and "separator" in err.getvalue()
    assert "binary" in err.getvalue()
    assert f"{tmp_path / 'a-good.txt'}: text: 1 queued" in out.getvalue()
    assert [guid for guid, *_ in queue_rows()] == ["a-good"]


def test_watch_once_moves_queued_files_to_done_and_bad_ones_to_failed_with_the_reason(tmp_path):
    write_copy(tmp_path, "rain.txt")
    (tmp_path / "broken.txt").write_bytes(BROKEN)
    write_copy(tmp_path, "arriving.txt.part")  # still being uploaded: left alone
    out, err = ingest("--watch", tmp_path, "--once")
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["rain.txt"]
    assert sorted(p.name for p in (tmp_path / "failed").iterdir()) == ["broken.txt", "broken.txt.error.txt"]
    reason = (tmp_path / "failed" / "broken.txt.error.txt").read_text(encoding="utf-8")
    assert "broken.txt" in reason and "separator" in reason
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arriving.txt.part", "done", "failed"]
    assert [guid for guid, *_ in queue_rows()] == ["rain"]
    assert "rain.txt: text: 1 queued" in out and "broken.txt" in err
    # A second delivery under the same name is taken in too, and kept beside the first.
    write_copy(tmp_path, "rain.txt", second="The storm moved south.")
    out, _ = ingest("--watch", tmp_path, "--once")
    assert "1 replaced" in out
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["rain.2.txt", "rain.txt"]


def test_ingest_needs_something_to_read(tmp_path):
    with pytest.raises(CommandError, match="name the files or folders to ingest"):
        ingest()
    with pytest.raises(CommandError, match="no such file or folder"):
        ingest(tmp_path / "missing")
    with pytest.raises(CommandError, match="no such folder"):
        ingest("--watch", tmp_path / "missing", "--once")
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        ingest(tmp_path, "--batch-size", "0")


def test_watch_stops_cleanly_on_ctrl_c_after_finishing_the_pass(tmp_path, monkeypatch):
    write_copy(tmp_path, "rain.txt")

    def interrupted(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr("articles.management.commands.ingest.time.sleep", interrupted)
    out, _ = ingest("--watch", tmp_path, "--interval", "1")
    assert "Stopped watching" in out
    assert (tmp_path / "done" / "rain.txt").exists() and WireItem.objects.count() == 1


REUTERS = Path(__file__).resolve().parents[2] / "shared" / "wire-formats" / "newsml-g2"


def reuters_versions():
    """Return the two versions of the Reuters story, or skip while the shared files or their reader are missing."""
    first, kill = REUTERS / "reuters-L1N14N0FF-v1.xml", REUTERS / "reuters-L1N14N0FF-v2.xml"
    if not first.exists():
        pytest.skip(f"{REUTERS} is absent")
    try:
        formats.detect(first.read_bytes(), filename=str(first))
    except formats.FormatError as exc:
        pytest.skip(f"no NewsML-G2 reader in this build yet ({exc})")
    return first, kill


def test_the_reuters_kill_notice_marks_the_queued_story_killed_and_the_first_version_is_then_ignored():
    first, kill = reuters_versions()
    out, _ = ingest(first)
    assert "1 queued" in out
    out, _ = ingest(kill)
    assert "1 killed" in out
    entry = WireItem.objects.get()
    assert entry.guid == "tag:reuters.com,0000:newsml_L1N14N0FF"
    assert (entry.killed, entry.version) == (True, 1542761538)
    out, _ = ingest(first)
    assert "1 ignored" in out and "version 978556838 is not newer than the queued version 1542761538" in out


def test_two_versions_of_one_story_in_one_run_leave_one_entry_with_the_first_in_its_history(tmp_path):
    write_copy(tmp_path / "in" / "1-monday", "rain.txt")
    write_copy(tmp_path / "in" / "2-tuesday", "rain.txt", second="The storm moved south.")
    out, _ = ingest(tmp_path / "in")
    assert f"{tmp_path / 'in' / '1-monday' / 'rain.txt'}: text: 1 queued, 0 replaced" in out
    assert f"{tmp_path / 'in' / '2-tuesday' / 'rain.txt'}: text: 0 queued, 1 replaced" in out
    entry = WireItem.objects.get()
    assert entry.filename == str(tmp_path / "in" / "2-tuesday" / "rain.txt")
    assert [v["filename"] for v in entry.history] == [str(tmp_path / "in" / "1-monday" / "rain.txt")]


@pytest.mark.parametrize("batch_size", ["1", "2", "500"])
def test_batches_of_any_size_report_and_queue_the_same(tmp_path, batch_size):
    write_copy(tmp_path / "in" / "1", "rain.txt")
    write_copy(tmp_path / "in" / "2", "quake.txt", headline="Quake shakes Izmir")
    write_copy(tmp_path / "in" / "3", "rain.txt", second="The storm moved south.")
    write_copy(tmp_path / "in" / "4", "rain.txt", second="The storm moved south.")
    out, _ = ingest(tmp_path / "in", "--batch-size", batch_size)
    assert out.splitlines() == [
        f"{tmp_path / 'in' / '1' / 'rain.txt'}: text: 1 queued, 0 replaced, 0 ignored, 0 killed",
        f"{tmp_path / 'in' / '2' / 'quake.txt'}: text: 1 queued, 0 replaced, 0 ignored, 0 killed",
        f"{tmp_path / 'in' / '3' / 'rain.txt'}: text: 0 queued, 1 replaced, 0 ignored, 0 killed",
        f"{tmp_path / 'in' / '4' / 'rain.txt'}: text: 0 queued, 0 replaced, 1 ignored, 0 killed",
        "  ignored rain: the same copy is queued already",
    ]
    assert sorted((guid, len(history)) for guid, history in WireItem.objects.values_list("guid", "history")) == [
        ("quake", 0),
        ("rain", 1),
    ]


@pytest.mark.parametrize("files", [2, 30])
def test_a_run_of_new_files_writes_them_in_a_number_of_queries_that_does_not_grow(
    tmp_path, django_assert_num_queries, files
):
    for n in range(files):
        write_copy(tmp_path, f"story-{n:02d}.txt", headline=f"Story number {n}")
    with django_assert_num_queries(6):  # savepoints for the run and the batch, one read, one write
        ingest(tmp_path)
    assert WireItem.objects.count() == files


def test_a_file_the_database_refuses_is_skipped_and_the_rest_of_its_batch_queued(tmp_path, monkeypatch):
    write_copy(tmp_path, "a-good.txt")
    write_copy(tmp_path, "b-refused.txt", headline="A headline the database refuses")
    write_copy(tmp_path, "c-good.txt", headline="Quake shakes Izmir")
    write_everything = incoming.ingest_all

    def refusing(arrivals, **options):
        if any(one.item.story.headline.startswith("A headline the database") for one in arrivals):
            raise DataError("invalid byte sequence")
        return write_everything(arrivals, **options)

    monkeypatch.setattr(incoming, "ingest_all", refusing)
    with pytest.raises(CommandError, match=f"1 file\\(s\\) skipped as invalid: {tmp_path / 'b-refused.txt'}$"):
        ingest(tmp_path, "--skip-invalid")
    assert [guid for guid, *_ in queue_rows()] == ["a-good", "c-good"]
    with pytest.raises(CommandError, match="b-refused.txt: invalid byte sequence. Nothing was queued"):
        ingest(tmp_path / "b-refused.txt", tmp_path / "a-good.txt")


def test_the_reuters_story_and_its_kill_in_one_run_leave_it_killed():
    first, kill = reuters_versions()
    out, _ = ingest(first, kill)
    assert "1 queued" in out and "1 killed" in out
    entry = WireItem.objects.get()
    assert (entry.killed, entry.version, len(entry.history)) == (True, 1542761538, 1)


def test_the_queue_reads_no_names_and_the_taken_story_finds_them(tmp_path, client, editor):
    from django.urls import reverse

    from articles.models import Article, WireItem
    from tests.conftest import REPO

    copy = tmp_path / "cairo.txt"
    copy.write_bytes((REPO / "fixtures" / "wire" / "000_ff7aa41f6574f300.txt").read_bytes())
    call_command("ingest", str(copy), stdout=io.StringIO())
    entry = WireItem.objects.get()
    assert entry.item["story"]["people"] == [] and entry.item["story"]["places"] == []
    client.post(reverse("admin:articles_wireitem_take", args=[entry.pk]))
    story = Article.objects.get()
    assert story.mentions.count() > 0 and story.tags.count() > 0
