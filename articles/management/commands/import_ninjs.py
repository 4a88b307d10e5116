"""Import IPTC ninjs news items (ours or a partner's) as stories, atomically and idempotently."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.interchange import reimport
from articles.interchange.ninjs import NinjsError, import_items, import_section, items_of
from articles.models import Section


class Command(BaseCommand):
    help = "Import ninjs files (one item, a list, or {'items': [...]}); all files load or none does."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--section", default="news", help="Section for items that name none (default news).")

    def handle(self, *args, files, section, **options):
        documents = []
        for name in files:
            try:
                document = json.loads(Path(name).read_text(encoding="utf-8"))
            except FileNotFoundError as exc:
                raise CommandError(f"{name}: no such file") from exc
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CommandError(f"{name}: not UTF-8 JSON ({exc})") from exc
            except RecursionError:
                raise CommandError(f"{name}: the JSON is nested too deeply to be a news item") from None
            try:
                documents.append((name, items_of(document)))
            except NinjsError as exc:
                raise CommandError(f"{name}: {exc}") from exc
        results = []
        with transaction.atomic():
            default_section = _default_section(section)
            for name, items in documents:
                try:
                    results += import_items(items, default_section=default_section)
                except NinjsError as exc:
                    raise CommandError(f"{name}: {exc}") from exc
        for result in results:
            for line in reimport.report(result.article, result.changed, result.kept):
                self.stdout.write(line)
        self.stdout.write(f"Imported {len(results)} item(s) from {len(documents)} file(s).")


def _default_section(path):
    """Return the section --section names, refusing a path the desk could not create either."""
    found = Section.objects.filter(path=path.strip("/")).first()
    if found is not None:
        return found
    try:
        return import_section(path)
    except NinjsError as exc:
        raise CommandError(f"--section {path!r}: {exc}") from exc
