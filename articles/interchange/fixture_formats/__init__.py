"""The fixture formats as ``loaddata`` reads them here: Django's own, with the checks an operator needs.

Django's loaddata reads every fixture file through ``serializers.deserialize()``. The documented
``SERIALIZATION_MODULES`` setting points the formats fixtures come in (json, jsonl, xml, and yaml where
PyYAML is installed) at the small modules of this package, which hand each file to Django's deserializer
for that format and check its rows as they come, before Django saves each one. While the project's
``loaddata`` runs (``checking()``) they refuse, and Django's loader names the file:

- an empty file, and text that is not UTF-8;
- a reference to a row that is neither in the database nor earlier in the fixtures;
- text longer than its column (SQLite would store it without complaint);
- a row given twice in one file (several files may each carry the same section or person).

A reference to a desk account this database does not have is dropped: a story taken elsewhere keeps its
text and loses only "created by" or "moved by", a person only the account they write under (as does a
person whose account another person here is linked to already). Everywhere else (dumpdata, django-reversion's
revisions, code calling ``serializers.deserialize()``) the formats are exactly Django's.
"""

import contextlib
import contextvars
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models


class FixtureError(ValueError):
    """A fixture that cannot be loaded as it stands; Django's loader adds the file name."""


@dataclass
class Reading:
    """What one load has read: the number of rows, over every file."""

    rows: int = 0


_reading = contextvars.ContextVar("fixture_reading", default=None)


@contextlib.contextmanager
def checking():
    """Check every fixture file read until the block ends; yield the count of rows read."""
    token = _reading.set(Reading())
    try:
        yield _reading.get()
    finally:
        _reading.reset(token)


def checked(django_deserializer):
    """Return the deserializer of a format: Django's, with this package's checks while a load runs."""

    class Deserializer:
        def __init__(self, stream_or_string, **options):
            reading = _reading.get()
            if reading is None:
                self.rows = iter(django_deserializer(stream_or_string, **options))
            else:
                self.rows = checked_rows(django_deserializer(readable(stream_or_string), **options), reading)

        def __iter__(self):
            return self

        def __next__(self):
            return next(self.rows)

    Deserializer.__doc__ = f"{django_deserializer.__doc__} Checked while loaddata runs."
    return Deserializer


def readable(stream_or_string):
    """Return the fixture as a stream again, once it is known to be neither empty nor other than UTF-8."""
    data = stream_or_string if isinstance(stream_or_string, (bytes, str)) else stream_or_string.read()
    if not data.strip():
        raise FixtureError("the file is empty")
    if isinstance(data, str):
        return io.StringIO(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FixtureError(
            f"line {line} is not UTF-8 text (byte {exc.start}); fixtures must be saved as UTF-8"
        ) from None
    return io.BytesIO(data)


def checked_rows(rows, reading):
    """Yield each deserialized row of one file once it passes the checks.

    Django saves a row before it asks for the next, so a row given twice resolves, by its natural key,
    to the primary key the first one was saved with.
    """
    saved = set()
    previous = None
    for row in rows:
        if previous is not None and previous.object.pk is not None:
            saved.add((previous.object._meta.label, previous.object.pk))
        check_row(row, saved)
        reading.rows += 1
        yield row
        previous = row


def check_row(row, saved):
    """Refuse a row whose references, text lengths or identity would load wrongly; drop unknown accounts."""
    instance = row.object
    label = instance._meta.label
    deferred = row.deferred_fields or {}
    for field in list(deferred):
        if field.null and field.related_model is get_user_model():
            # Desk accounts belong to the database they worked in.
            del deferred[field]
    for field in instance._meta.concrete_fields:
        if field.one_to_one and field.null and field.related_model is get_user_model():
            # A person linked to an account another row here is linked to already: the link stays here.
            account = getattr(instance, field.attname)
            taken = type(instance)._default_manager.filter(**{field.attname: account}).exclude(pk=instance.pk)
            if account is not None and taken.exists():
                setattr(instance, field.attname, None)
    for field, value in deferred.items():
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
    if instance.pk is not None and (label, instance.pk) in saved:
        described = list(instance.natural_key()) if hasattr(instance, "natural_key") else [instance.pk]
        raise FixtureError(f"{label} {described} is given twice in the fixtures")
