"""Import IPTC ninjs news items (ours or a partner's) as stories, atomically and idempotently."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Section
from articles.ninjs import NinjsError, import_items, items_of


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
            try:
                documents.append((name, items_of(document)))
            except NinjsError as exc:
                raise CommandError(f"{name}: {exc}") from exc
        count = 0
        with transaction.atomic():
            default_section = Section.objects.ensure(section)
            for name, items in documents:
                try:
                    count += len(import_items(items, default_section=default_section))
                except NinjsError as exc:
                    raise CommandError(f"{name}: {exc}") from exc
        self.stdout.write(f"Imported {count} item(s) from {len(documents)} file(s).")
