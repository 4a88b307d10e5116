"""Turn wire copy (any format the readers know) into a loaddata fixture, or check that a committed one is current."""

import argparse
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from articles.core.files import write_atomically
from articles.core.progress import ProgressBar
from articles.interchange import fixture_builder, formats, wire

__all__ = ["Command", "write_atomically"]


def _moment(value):
    moment = parse_datetime(value)
    if moment is None or moment.tzinfo is None:
        raise CommandError(f"--published-at needs an ISO time with a zone, e.g. 2025-07-25T10:00:00Z; got {value!r}")
    return moment


class Command(BaseCommand):
    help = "Build a fixture from wire files in any format the readers know (or folders of them)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", help="Wire files, or folders holding them.")
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
        parser.add_argument(
            "--keep-source-status",
            action="store_true",
            help="Stories their source had published (a WordPress export's posts) load published at the "
            "source's time; the others as drafts. For moving a site; not with --published-at.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Build from the good files, list the bad ones with their reasons, and exit non-zero. "
            "Without it one bad file stops the build and nothing is written.",
        )

    def handle(
        self,
        *args,
        sources,
        output,
        check,
        section,
        section_name,
        published_at,
        progress,
        skip_invalid,
        keep_source_status,
        **options,
    ):
        if published_at and keep_source_status:
            raise CommandError("--published-at and --keep-source-status say different things: give one")
        files = self._collect(sources)
        names = []
        for item in section_name:
            path_part, sep, name = item.partition("=")
            if not sep or not name.strip():
                raise CommandError(f"--section-name takes PATH=NAME; got {item!r}")
            names.append((path_part.strip("/"), name.strip()))
        build_options = fixture_builder.BuildOptions(
            section_path=section,
            section_names=tuple(names),
            published_at=published_at,
            keep_source_status=keep_source_status,
        )
        parsed, refused = [], []
        show_progress = progress if progress is not None else len(files) > 20 and sys.stderr.isatty()
        bar = ProgressBar(self.stderr, len(files)) if show_progress else None
        for index, path in enumerate(files, start=1):
            try:
                found = sources_in(path)
                if skip_invalid:
                    build_alone(found, build_options)
                parsed += found
            except CommandError as exc:
                if not skip_invalid:
                    raise
                refused.append((path, str(exc)))
            if bar:
                bar.update(index)
        if bar:
            bar.finish()
        for _path, reason in refused:
            self.stderr.write(f"Skipped {reason}")
        if refused and not parsed:
            raise CommandError(f"every file was invalid: {_listed(refused)}; nothing was written")

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
            self.stdout.write(f"{output} is up to date ({len(files) - len(refused)} source(s)).")
        else:
            try:
                write_atomically(output, text)
            except OSError as exc:
                raise CommandError(
                    f"{output}: cannot be written ({exc.strerror}); any earlier file is unchanged"
                ) from exc
            self.stdout.write(f"Wrote {output}: {len(parsed)} article(s) from {len(files) - len(refused)} file(s).")
        if refused:
            raise CommandError(f"{len(refused)} file(s) skipped as invalid: {_listed(refused)}")

    def _collect(self, sources):
        files = []
        for item in sources:
            path = Path(item)
            if path.is_dir():
                found = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
                if not found:
                    raise CommandError(f"{path}: the folder holds no wire files")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        return files


def sources_in(path):
    """Return the builder's sources for the stories in one wire file, or raise CommandError naming it.

    Plain-text copy keeps its file's name as its wire id; an item of another format uses the agency's
    guid, or without one the file's name (numbered from the second item of a file on).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read: {exc.strerror}") from exc
    found = []
    try:
        for number, item in enumerate(formats.read(data, filename=str(path)), start=1):
            source_id = (
                path.stem if item.format == "text" else item.guid or fixture_builder.fallback_id(path.stem, number)
            )
            found.append(fixture_builder.source_of_item(item, source_id=source_id, filename=str(path)))
    except wire.WireError as exc:
        raise CommandError(str(exc)) from exc
    return found


def build_alone(found, options):
    """Build one file's stories on their own, so that what the builder refuses in them names this file."""
    if not found:
        return
    try:
        fixture_builder.build(found, options)
    except wire.WireError as exc:
        raise CommandError(str(exc)) from exc


def _listed(refused):
    """Return the names of the refused files, for the one line that ends the run."""
    return ", ".join(str(path) for path, _reason in refused)
