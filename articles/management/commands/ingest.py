"""Put agencies' files into the desk's incoming queue, once or by watching a folder."""

import contextlib
import time
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from articles.core.files import write_atomically
from articles.interchange import fixture_builder, formats, incoming, wire

ACTIONS = ("queued", "replaced", "ignored", "killed")
# Names an upload in progress goes by (FTP clients and rsync write there first, then rename).
UNFINISHED_SUFFIXES = (".tmp", ".part", ".partial", ".filepart")
DONE, FAILED = "done", "failed"


class Refused(Exception):
    """A file the queue took nothing from: the reason names the file."""


class Command(BaseCommand):
    help = (
        "Queue the items in agencies' files (any format the readers know) in the desk's Incoming list. "
        "All files or none: one bad file leaves the queue as it was, unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Files, or folders searched recursively.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Queue the good files, list the bad ones with their reasons, and exit non-zero naming them.",
        )
        parser.add_argument(
            "--watch",
            metavar="DIR",
            help="Poll DIR for new files; each goes to DIR/done/ once queued, or to DIR/failed/ with its reason.",
        )
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between polls (default 10).")
        parser.add_argument("--once", action="store_true", help="With --watch: poll once, then stop.")

    def handle(self, *args, paths, skip_invalid, watch, interval, once, **options):
        if watch and paths:
            raise CommandError("give either PATHs or --watch DIR, not both")
        if watch:
            return self.watch(Path(watch), interval=interval, once=once)
        if not paths:
            raise CommandError("name the files or folders to ingest, or a folder to --watch")
        self.ingest_paths([Path(p) for p in paths], skip_invalid=skip_invalid)

    def ingest_paths(self, paths, *, skip_invalid):
        """Ingest every file in one transaction; report after it commits, so nothing is reported that was not kept."""
        lines, refused = [], []
        with transaction.atomic():
            for path in files_under(paths):
                try:
                    # A savepoint a file, to roll back only that file, where bad files are skipped.
                    with transaction.atomic() if skip_invalid else contextlib.nullcontext():
                        lines += report(path, ingest_file(path))
                except Refused as exc:
                    if not skip_invalid:
                        raise CommandError(f"{exc}. Nothing was queued; the queue is as it was.") from exc
                    refused.append((path, str(exc)))
        for line in lines:
            self.stdout.write(line)
        for _path, reason in refused:
            self.stderr.write(f"Skipped {reason}")
        if refused:
            names = ", ".join(str(path) for path, _reason in refused)
            raise CommandError(f"{len(refused)} file(s) skipped as invalid: {names}")

    def watch(self, folder, *, interval, once):
        """Ingest each file that arrives in folder, one transaction a file, until Ctrl-C (or one pass with once)."""
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder")
        try:
            while True:
                for path in waiting_files(folder):
                    self.take_in(folder, path)
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Stopped watching; every file was either queued and moved, or left as it was.")

    def take_in(self, folder, path):
        """Ingest one watched file and move it to done/ or failed/ (with a .error.txt beside it).

        The move comes after the commit: a file found again after a crash between the two is ingested
        again, which the queue ignores as a version it already holds.
        """
        try:
            with transaction.atomic():
                lines = report(path, ingest_file(path))
        except Refused as exc:
            moved = move_into(folder / FAILED, path)
            write_atomically(moved.with_name(moved.name + ".error.txt"), f"{exc}\n")
            self.stderr.write(f"Failed {exc} (moved to {moved})")
            return
        moved = move_into(folder / DONE, path)
        for line in lines:
            self.stdout.write(line)


def files_under(paths):
    """Yield the files the paths name, folders searched recursively in name order; hidden files are skipped."""
    for path in paths:
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*")) if p.is_file() and not _hidden(p, path))
        elif path.is_file():
            yield path
        else:
            raise CommandError(f"{path}: no such file or folder")


def waiting_files(folder):
    """Return the files in a watched folder that are ready: not hidden, not an upload still being written."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(UNFINISHED_SUFFIXES)
    )


def _hidden(path, root):
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def ingest_file(path):
    """Queue the items of one file, one at a time; return how many were queued, replaced, ignored, killed.

    Raise Refused, naming the file, for a file no reader takes or an item the queue cannot hold.
    """
    tally, notes = Counter(), []
    try:
        data = path.read_bytes()
        fmt = formats.detect(data, filename=str(path))
        for number, item in enumerate(formats.read(data, filename=str(path)), start=1):
            outcome = incoming.ingest(
                item, filename=str(path), fallback_guid=fixture_builder.fallback_id(path.stem, number)
            )
            tally[outcome.action] += 1
            if outcome.reason:
                notes.append(f"  ignored {outcome.entry.guid}: {outcome.reason}")
    except OSError as exc:
        raise Refused(f"{path}: cannot be read: {exc.strerror}") from exc
    except wire.WireError as exc:
        raise Refused(str(exc) if exc.filename else f"{path}: {exc}") from exc
    except (incoming.IngestError, ValidationError, DatabaseError) as exc:
        raise Refused(f"{path}: {exc}") from exc
    return fmt, tally, notes


def report(path, result):
    """Return the lines that tell the operator what one file did to the queue."""
    fmt, tally, notes = result
    counts = ", ".join(f"{tally[action]} {action}" for action in ACTIONS)
    return [f"{path}: {fmt}: {counts}", *notes]


def move_into(folder, path):
    """Move path into folder under its own name, numbered if that name is taken; return where it went."""
    folder.mkdir(exist_ok=True)
    target, number = folder / path.name, 1
    while target.exists():
        number += 1
        target = folder / f"{path.stem}.{number}{path.suffix}"
    path.replace(target)
    return target
