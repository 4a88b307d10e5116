"""Background work through Django's Tasks API: `django.tasks` from Django 6.0, the django-tasks backport
on Django 5.2. Tasks are defined with ``task`` from here, so one definition serves both.

A side effect of a change (a purge, a rendition, a webhook) is queued with ``enqueue_with_change``: with
the database queue, the task's row is written inside the change's own transaction, so a change that
commits has its tasks, and one that rolls back has none, whether or not a worker is running. Other queues
cannot share the transaction, so there the task is queued once the change has committed.
"""

import importlib.util

from django.db import connection, transaction

if importlib.util.find_spec("django.tasks") is not None:  # Django 6.0 and later
    from django.tasks import default_task_backend, task, task_backends
else:
    from django_tasks import default_task_backend, task, task_backends

__all__ = ["default_task_backend", "enqueue_with_change", "queue_shares_transactions", "task", "task_backends"]


def queue_shares_transactions(backend=None):
    """Tell whether tasks are rows in the site's own database (and so commit or roll back with a change)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(backend or task_backends["default"], DatabaseBackend)


def enqueue_with_change(task_, *args, **kwargs):
    """Queue ``task_`` as part of the change being made now: in its transaction, or when it commits."""
    backend = task_backends[task_.backend]
    if queue_shares_transactions(backend) or not connection.in_atomic_block:
        return task_.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task_.enqueue(*args, **kwargs), robust=True)
    return None
