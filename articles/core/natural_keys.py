"""Rows remembered by natural key for the length of one fixture load.

Django's deserializer finds each row a fixture refers to with a query of its own, every time it is
referred to: 200 stories' bylines, mentions and links asked for their story 4,000 times, and each
byline's natural key fetched its story and its person again. While a load runs (``remembering()``),
the stories, sections, people and pictures it finds or saves are kept by natural key and by primary
key, so each is fetched once. Outside a load nothing is kept, and nothing outlives the load: a load
that rolls back forgets what it saw.
"""

import contextlib
import contextvars

from django.db.models.signals import post_save

_memo = contextvars.ContextVar("natural_keys", default=None)


class _Memo:
    def __init__(self):
        self.by_key = {}  # (model, natural key) -> instance
        self.by_pk = {}  # (model, pk) -> (natural key, instance)

    def remember(self, instance):
        model = type(instance)._meta.concrete_model
        key = tuple(instance.natural_key())
        previous = self.by_pk.get((model, instance.pk))
        if previous is not None:
            self.by_key.pop((model, previous[0]), None)  # the load changed this row's natural key
        self.by_key[(model, key)] = instance
        self.by_pk[(model, instance.pk)] = (key, instance)


@contextlib.contextmanager
def remembering():
    """Keep the rows found or saved by natural key until the block ends."""
    token = _memo.set(_Memo())
    try:
        yield
    finally:
        _memo.reset(token)


def find(manager, *key, **lookup):
    """Return manager.get(**lookup), the row with this natural key, remembered while a load runs."""
    memo = _memo.get()
    if memo is None:
        return manager.get(**lookup)
    model = manager.model._meta.concrete_model
    found = memo.by_key.get((model, key))
    if found is None:
        found = manager.get(**lookup)  # DoesNotExist is not remembered: the load may create the row
        memo.remember(found)
    return found


def related(instance, name):
    """Return instance.<name>, the row a foreign key points at, without a query if the load has it."""
    field = instance._meta.get_field(name)
    memo = _memo.get()
    if memo is not None and not field.is_cached(instance):
        remembered = memo.by_pk.get((field.related_model._meta.concrete_model, getattr(instance, field.attname)))
        if remembered is not None:
            return remembered[1]
    return getattr(instance, name)


def _remember_saved(sender, instance, **kwargs):
    memo = _memo.get()
    if memo is not None:
        memo.remember(instance)


def connect(*models):
    """Remember rows of these models (natural keys of their own fields only) as a load saves them."""
    for model in models:
        post_save.connect(_remember_saved, sender=model, dispatch_uid=f"natural-keys-{model._meta.label}")
