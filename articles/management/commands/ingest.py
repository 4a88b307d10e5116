"""Put agencies' files into the desk's incoming queue, once or by watching a folder."""

import time
from collections import Counter
from dataclasses import dataclass, field
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
        parser.add_argument(
            "--batch-size",
            type=int,
            default=incoming.BATCH_SIZE,
            help=f"Items written to the queue together (default {incoming.BATCH_SIZE}).",
        )

    def handle(self, *args, paths, skip_invalid, watch, interval, once, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        self.batch_size = batch_size
        if watch and paths:
            raise CommandError("give either PATHs or --watch DIR, not both")
        if watch:
            return self.watch(Path(watch), interval=interval, once=once)
        if not paths:
            raise CommandError("name the files or folders to ingest, or a folder to --watch")
        self.ingest_paths([Path(p) for p in paths], skip_invalid=skip_invalid, batch_size=batch_size)

    def ingest_paths(self, paths, *, skip_invalid, batch_size):
        """Ingest every file in one transaction; report after it commits, so nothing is reported that was not kept.

        Files are read one at a time and their items written in batches, so memory holds a batch, not the run.
        """
        lines, refused, pending, waiting = [], [], [], 0
        with transaction.atomic():
            for path in files_under(paths):
                read = read_file(path)
                if read.refused and not skip_invalid:
                    raise nothing_queued(read.refused) from read.refused
                pending.append(read)
                waiting += len(read.arrivals)
                if waiting >= batch_size:
                    self.sort_out(write_files(pending, batch_size=batch_size), lines, refused, skip_invalid)
                    pending, waiting = [], 0
            self.sort_out(write_files(pending, batch_size=batch_size), lines, refused, skip_invalid)
        for line in lines:
            self.stdout.write(line)
        for _path, reason in refused:
            self.stderr.write(f"Skipped {reason}")
        if refused:
            names = ", ".join(str(path) for path, _reason in refused)
            raise CommandError(f"{len(refused)} file(s) skipped as invalid: {names}")

    def sort_out(self, results, lines, refused, skip_invalid):
        """Add each written file's report lines to lines, and each refused one to refused (or stop the run)."""
        for path, result in results:
            if not isinstance(result, Refused):
                lines += result
            elif skip_invalid:
                refused.append((path, str(result)))
            else:
                raise nothing_queued(result) from result

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
                [(_path, result)] = write_files([read_file(path)], batch_size=self.batch_size)
                if isinstance(result, Refused):
                    raise result
        except Refused as exc:
            moved = move_into(folder / FAILED, path)
            write_atomically(moved.with_name(moved.name + ".error.txt"), f"{exc}\n")
            self.stderr.write(f"Failed {exc} (moved to {moved})")
            return
        moved = move_into(folder / DONE, path)
        for line in result:
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


@dataclass
class ReadFile:
    """A file's items, read and checked to fit the queue but not yet queued; or why it was refused."""

    path: Path
    format: str = ""
    arrivals: list = field(default_factory=list)
    refused: Refused | None = None


def read_file(path):
    """Read one file's items for the queue; refuse a file no reader takes or with an item the queue cannot hold."""
    read = ReadFile(path)
    try:
        data = path.read_bytes()
        read.format = formats.detect(data, filename=str(path))
        # The queue shows no names: they are found when an editor takes the item (incoming.take).
        with wire.names_later():
            for number, item in enumerate(formats.read(data, filename=str(path)), start=1):
                fallback_guid = fixture_builder.fallback_id(path.stem, number)
                read.arrivals.append(incoming.arrival(item, filename=str(path), fallback_guid=fallback_guid))
    except OSError as exc:
        read.refused = Refused(f"{path}: cannot be read: {exc.strerror}")
    except wire.WireError as exc:
        read.refused = Refused(str(exc) if exc.filename else f"{path}: {exc}")
    except incoming.IngestError as exc:
        read.refused = Refused(f"{path}: {exc}")
    if read.refused:
        read.arrivals = []
    return read


def write_files(files, *, batch_size):
    """Queue the items of files read, in order; yield each file's path with its report lines, or why it was refused.

    The files go in together, in a savepoint. Should the database refuse them, they go in again one at a time,
    so that only the file at fault is refused and the others are queued as they would be alone.
    """
    try:
        with transaction.atomic():
            arrivals = [one for read in files for one in read.arrivals]
            outcomes = iter(incoming.ingest_all(arrivals, batch_size=batch_size))
    except (ValidationError, DatabaseError) as exc:
        if len(files) > 1:
            for read in files:
                yield from write_files([read], batch_size=batch_size)
            return
        files[0].refused, outcomes = Refused(f"{files[0].path}: {exc}"), iter(())
    for read in files:
        yield read.path, read.refused or report(read, [next(outcomes) for _ in read.arrivals])


def nothing_queued(refused):
    """Return the error that ends a run without --skip-invalid at its first bad file."""
    return CommandError(f"{refused}. Nothing was queued; the queue is as it was.")


def report(read, outcomes):
    """Return the lines that tell the operator what one file did to the queue."""
    tally = Counter(outcome.action for outcome in outcomes)
    counts = ", ".join(f"{tally[action]} {action}" for action in ACTIONS)
    notes = [f"  ignored {outcome.guid}: {outcome.reason}" for outcome in outcomes if outcome.reason]
    return [f"{read.path}: {read.format}: {counts}", *notes]


def move_into(folder, path):
    """Move path into folder under its own name, numbered if that name is taken; return where it went."""
    folder.mkdir(exist_ok=True)
    target, number = folder / path.name, 1
    while target.exists():
        number += 1
        target = folder / f"{path.stem}.{number}{path.suffix}"
    path.replace(target)
    return target
