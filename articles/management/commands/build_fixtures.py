"""Turn plain-text wire copy into a loaddata fixture, or check that a committed one is current."""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from articles.core.progress import ProgressBar
from articles.interchange import fixture_builder, wire


def _moment(value):
    moment = parse_datetime(value)
    if moment is None or moment.tzinfo is None:
        raise CommandError(f"--published-at needs an ISO time with a zone, e.g. 2025-07-25T10:00:00Z; got {value!r}")
    return moment


def write_atomically(path, text):
    """Write text to path so that readers see the old file or the whole new one, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Build a fixture from wire copy files (or folders of *.txt files)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", help="Wire copy files, or folders holding *.txt files.")
        parser.add_argument("--output", "-o", required=True, help="The fixture file to write.")
        parser.add_argument("--check", action="store_true", help="Write nothing; fail if OUTPUT is stale.")
        parser.add_argument("--section", default="news", help="Section path for the stories, e.g. news/middle-east.")
        parser.add_argument(
            "--section-name",
            action="append",
            default=[],
            metavar="PATH=NAME",
            help="Display name of a section on the path, e.g. news/middle-east='Middle East'.",
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Show a progress bar (default: when there are many files and a terminal).",
        )
        parser.add_argument(
            "--published-at",
            type=_moment,
            help="Publish the stories at this time (ISO 8601 with zone); without it they load as drafts.",
        )

    def handle(self, *args, sources, output, check, section, section_name, published_at, progress, **options):
        files = self._collect(sources)
        parsed = []
        show_progress = progress if progress is not None else len(files) > 20 and sys.stderr.isatty()
        bar = ProgressBar(self.stderr, len(files)) if show_progress else None
        for index, path in enumerate(files, start=1):
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: cannot be read: {exc.strerror}") from exc
            try:
                article = wire.parse_bytes(data, filename=str(path))
            except wire.WireError as exc:
                raise CommandError(str(exc)) from exc
            parsed.append(fixture_builder.Source(source_id=path.stem, article=article, filename=str(path)))
            if bar:
                bar.update(index)
        if bar:
            bar.finish()

        names = []
        for item in section_name:
            path_part, sep, name = item.partition("=")
            if not sep or not name.strip():
                raise CommandError(f"--section-name takes PATH=NAME; got {item!r}")
            names.append((path_part.strip("/"), name.strip()))
        build_options = fixture_builder.BuildOptions(
            section_path=section, section_names=tuple(names), published_at=published_at
        )
        try:
            text = fixture_builder.render(fixture_builder.build(parsed, build_options))
        except wire.WireError as exc:
            raise CommandError(str(exc)) from exc

        if check:
            try:
                current = Path(output).read_text(encoding="utf-8")
            except FileNotFoundError as exc:
                raise CommandError(f"{output} does not exist; run build_fixtures without --check") from exc
            if current != text:
                raise CommandError(f"{output} is stale: rebuild it from {', '.join(map(str, sources))}")
            self.stdout.write(f"{output} is up to date ({len(files)} source(s)).")
            return
        try:
            write_atomically(output, text)
        except OSError as exc:
            raise CommandError(f"{output}: cannot be written ({exc.strerror}); any earlier file is unchanged") from exc
        self.stdout.write(f"Wrote {output}: {len(parsed)} article(s) from {len(files)} file(s).")

    def _collect(self, sources):
        files = []
        for item in sources:
            path = Path(item)
            if path.is_dir():
                found = sorted(p for p in path.glob("*.txt") if p.is_file())
                if not found:
                    raise CommandError(f"{path}: the folder holds no .txt wire files")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        return files
