"""Django's loaddata with the checks an operator needs: clear errors, and nothing loaded by halves.

Django's own command already loads inside one transaction. This one also refuses, with the file
named, what it would otherwise load silently or report obscurely: empty files, text that is not
UTF-8, a natural key given twice in one file, a reference to a row that exists nowhere, and text longer than
its column (SQLite would store it without complaint). The fixture formats check those as Django reads
each file (articles/interchange/fixture_formats, through the documented ``SERIALIZATION_MODULES`` setting).

Rows already in the database keep what the desk changed: a story's status and version are never taken
from a fixture, and a field or list the desk edited stays as it is (articles/interchange/reimport.py, through the
documented ``pre_save`` signal with ``raw=True``). The command prints what it kept and what it changed.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, transaction

from articles.core import natural_keys
from articles.interchange import fixture_formats, reimport
from articles.platform.cache import one_bump_after
from articles.platform.dbstats import refresh_statistics

RACE_RETRIES = 3


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        try:
            return self.load_whole(*fixture_labels, **options)
        except (ValueError, ValidationError, DeserializationError, DatabaseError) as exc:
            # The load rolled back whole; the operator gets the reason in one line, not a traceback.
            raise CommandError(str(exc)) from exc

    def load_whole(self, *fixture_labels, **options):
        """Load every fixture in one transaction, again if a concurrent import of the same rows won a race."""
        database = options["database"]
        for attempt in range(1, RACE_RETRIES + 1):
            try:
                # The version is bumped once, after the load has committed (or failed); rows found by
                # natural key are fetched once per attempt, and forgotten if the attempt rolls back.
                # Stories, people and pictures already stored keep what the desk changed
                # (articles/interchange/reimport.py); the stories' lists and revisions are completed in the
                # same transaction as the load.
                with (
                    one_bump_after(),
                    natural_keys.remembering(),
                    reimport.loading() as load,
                    fixture_formats.checking() as reading,
                    transaction.atomic(using=database),
                ):
                    result = super().handle(*fixture_labels, **options)
                    report = reimport.finish(load, using=database)
            except IntegrityError as exc:
                # Another import of the same rows committed first; our transaction rolled back whole.
                # Loading again finds those rows by their natural keys and updates them instead.
                if attempt == RACE_RETRIES or not _is_unique_violation(exc):
                    raise
                if options["verbosity"] >= 1:
                    self.stderr.write("Another import wrote the same rows first; loading again.")
                continue
            if reading.rows:
                refresh_statistics(database)
            if options["verbosity"] >= 1:
                for line in report:
                    self.stdout.write(line)
            return result


def _is_unique_violation(exc):
    text = str(exc).lower()
    return "unique" in text or "duplicate key" in text
