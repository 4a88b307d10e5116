"""Django's loaddata with the checks an operator needs: clear errors, and nothing loaded by halves.

Django's own command already loads inside one transaction. This one also refuses, with the file
named, what it would otherwise load silently or report obscurely: empty files, text that is not
UTF-8, a natural key given twice in one file, a reference to a row that exists nowhere, and text longer than
its column (SQLite would store it without complaint).

Rows already in the database keep what the desk changed: a story's status and version are never taken
from a fixture, and a field or list the desk edited stays as it is (articles/reimport.py, through the
documented ``pre_save`` signal with ``raw=True``). The command prints what it kept and what it changed.
"""

import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, models, transaction

from articles import natural_keys, reimport
from articles.cache import one_bump_after
from articles.dbstats import refresh_statistics

RACE_RETRIES = 3


class FixtureError(ValueError):
    """A fixture that cannot be loaded as it stands; Django's loader adds the file name."""


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        try:
            return self.load_whole(*fixture_labels, **options)
        except (ValueError, ValidationError, DeserializationError, DatabaseError) as exc:
            # The load rolled back whole; the operator gets the reason in one line, not a traceback.
            raise CommandError(str(exc)) from exc

    def load_whole(self, *fixture_labels, **options):
        """Load every fixture in one transaction, again if a concurrent import of the same rows won a race."""
        for attempt in range(1, RACE_RETRIES + 1):
            try:
                # The version is bumped once, after the load has committed (or failed); rows found by
                # natural key are fetched once per attempt, and forgotten if the attempt rolls back.
                # Stories, people and pictures already stored keep what the desk changed (articles/reimport.py);
                # the stories' lists and revisions are completed in the same transaction as the load.
                with (
                    one_bump_after(),
                    natural_keys.remembering(),
                    reimport.loading() as load,
                    transaction.atomic(using=options["database"]),
                ):
                    result = super().handle(*fixture_labels, **options)
                    report = reimport.finish(load, using=options["database"])
            except IntegrityError as exc:
                # Another import of the same rows committed first; our transaction rolled back whole.
                # Loading again finds those rows by their natural keys and updates them instead.
                if attempt == RACE_RETRIES or not _is_unique_violation(exc):
                    raise
                if self.verbosity >= 1:
                    self.stderr.write("Another import wrote the same rows first; loading again.")
                continue
            if self.loaded_object_count:
                refresh_statistics(self.using)
            if self.verbosity >= 1:
                for line in report:
                    self.stdout.write(line)
            return result

    def load_label(self, fixture_label):
        for fixture_file, _dir, _name in self.find_fixtures(fixture_label):
            check_fixture_file(fixture_file)
        # Several fixtures may each carry the same section or person; within one, a repeat is a mistake.
        self.rows_saved = set()
        super().load_label(fixture_label)

    def save_obj(self, obj):
        instance = obj.object
        label = instance._meta.label
        for field in list(obj.deferred_fields):
            if field.null and field.related_model is get_user_model():
                # Desk accounts belong to the database they worked in: a story taken elsewhere keeps its
                # text and loses only "created by" or "moved by", which become empty.
                del obj.deferred_fields[field]
        for field, value in obj.deferred_fields.items():
            if not field.null and not field.many_to_many:
                raise FixtureError(
                    f"{label}: {field.name} refers to {value!r}, which is neither in the database "
                    "nor earlier in the fixtures"
                )
        for field in instance._meta.concrete_fields:
            value = getattr(instance, field.attname)
            if isinstance(field, models.CharField) and field.max_length and isinstance(value, str):
                if len(value) > field.max_length:
                    raise FixtureError(
                        f"{label}: {field.name} is {len(value)} characters long; the limit is {field.max_length}"
                    )
        # A row given twice resolves, by its natural key, to the row saved the first time: same pk.
        if instance.pk is not None and (label, instance.pk) in self.rows_saved:
            described = list(instance.natural_key()) if hasattr(instance, "natural_key") else [instance.pk]
            raise FixtureError(f"{label} {described} is given twice in the fixtures")
        saved = super().save_obj(obj)
        self.rows_saved.add((label, instance.pk))
        return saved


def check_fixture_file(path):
    """Refuse an empty or non-UTF-8 uncompressed fixture before Django tries to read it."""
    if not path.endswith((".json", ".xml", ".yaml", ".yml", ".jsonl")):
        return  # compressed fixtures are checked by the deserializer as they are read
    if os.path.getsize(path) == 0:
        raise FixtureError(f"Problem installing fixture '{path}': the file is empty")
    with open(path, "rb") as handle:
        data = handle.read()
    if not data.strip():
        raise FixtureError(f"Problem installing fixture '{path}': the file is empty")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FixtureError(
            f"Problem installing fixture '{path}': line {line} is not UTF-8 text (byte {exc.start}); "
            "fixtures must be saved as UTF-8"
        ) from None


def _is_unique_violation(exc):
    text = str(exc).lower()
    return "unique" in text or "duplicate key" in text
