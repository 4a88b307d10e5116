"""Background work through Django's Tasks API: `django.tasks` from Django 6.0, the django-tasks backport
on Django 5.2. Tasks are defined with ``task`` (or ``retried_task``) from here, so one definition serves both.

A side effect of a change (a purge, a rendition, a webhook) is queued with ``enqueue_with_change``: with
the database queue, the task's row is written inside the change's own transaction, so a change that
commits has its tasks, and one that rolls back has none, whether or not a worker is running. Other queues
cannot share the transaction, so there the task is queued once the change has committed.

Retries. The Tasks API runs a task once. A task defined with ``retried_task`` that fails with ``Retry``
(or another error it names in ``retry_on``) is queued again to run after a pause that doubles each time
(NEWSROOM["TASK_RETRY_SECONDS"], at most NEWSROOM["TASK_RETRY_MAX_SECONDS"]), up to
NEWSROOM["TASK_ATTEMPTS"] attempts in all; the attempt number travels in the ``task_attempt`` argument.
Each attempt keeps its own result: one that will be retried ends as failed with ``WillRetry`` (its error
and traceback kept), and the last one fails with the task's own error (the one ``Retry`` was raised from).
Any other error fails at once.

Crashes. A worker killed in the middle of a task (SIGKILL, a lost machine) leaves the task's row marked
running for ever: django-tasks-db does not look for such rows. ``requeue_abandoned`` puts them back in
the queue, and ``make worker`` (``manage.py worker``) runs it before it starts django-tasks-db's worker. A task
may therefore run twice, so every task here is written to be idempotent.
"""

import functools
import importlib.util
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

if importlib.util.find_spec("django.tasks") is not None:  # Django 6.0 and later
    from django.tasks import TaskResultStatus, default_task_backend, task, task_backends
else:
    from django_tasks import TaskResultStatus, default_task_backend, task, task_backends

__all__ = [
    "Retry",
    "TaskResultStatus",
    "WillRetry",
    "default_task_backend",
    "enqueue_with_change",
    "purge_after_change",
    "purge_pages",
    "queue_shares_transactions",
    "requeue_abandoned",
    "retried_task",
    "task",
    "task_backends",
    "worker_id",
]

TASK_ATTEMPTS = 5
TASK_RETRY_SECONDS = 30
TASK_RETRY_MAX_SECONDS = 60 * 60
# A running task whose worker cannot be checked (one on another machine) counts as abandoned after this long.
TASK_RUNNING_TIMEOUT_SECONDS = 60 * 60


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


class Retry(Exception):
    """Raised by a task for a failure worth another attempt later: a service down, a timeout."""


class WillRetry(Exception):
    """The error an attempt ends with when another attempt of its task has been queued."""


def _setting(name, default):
    return settings.NEWSROOM.get(name, default)


def attempts_allowed():
    """Return how many times in all a retried task is tried."""
    return max(1, int(_setting("TASK_ATTEMPTS", TASK_ATTEMPTS)))


def backoff(attempt):
    """Return the pause before the attempt after ``attempt``: doubling from the first, up to the cap."""
    first = _setting("TASK_RETRY_SECONDS", TASK_RETRY_SECONDS)
    cap = _setting("TASK_RETRY_MAX_SECONDS", TASK_RETRY_MAX_SECONDS)
    return timedelta(seconds=min(cap, first * 2 ** (attempt - 1)))


def retried_task(*, retry_on=(), **options):
    """Define a task that is queued again, later each time, when it fails with ``Retry`` or one of ``retry_on``.

    ``options`` are the Tasks API's own (priority, queue_name, backend). The function must not take an
    argument called ``task_attempt``: that one is the retry's.
    """
    retryable = (Retry, *retry_on)

    def define(function):
        @functools.wraps(function)
        def attempt(*args, task_attempt=1, **kwargs):
            try:
                return function(*args, **kwargs)
            except retryable as error:
                if task_attempt >= attempts_allowed():
                    if isinstance(error, Retry) and error.__cause__ is not None:
                        raise error.__cause__ from None  # the record names what went wrong, not "Retry"
                    raise
                again = defined
                if again.get_backend().supports_defer:
                    again = again.using(run_after=timezone.now() + backoff(task_attempt))
                again.enqueue(*args, task_attempt=task_attempt + 1, **kwargs)
                message = f"attempt {task_attempt} failed ({error}); attempt {task_attempt + 1} is queued"
                raise WillRetry(message) from error

        defined = task(**options)(attempt)
        return defined

    return define


@retried_task()
def purge_pages(keys):
    """Ask the CDN to drop the pages cached under these surrogate keys."""
    from articles.platform import purge

    try:
        purge.purge_keys(keys)
    except purge.PurgeFailed as failure:
        raise Retry(str(failure)) from failure


def purge_after_change(keys):
    """Queue the purge of these surrogate keys with the change being made; nothing when no CDN is configured."""
    from articles.platform import purge

    if not keys or not purge.cdn_configured():
        return None
    return enqueue_with_change(purge_pages, sorted(set(keys)))


def worker_id(pid=None):
    """Return a worker id naming this machine and the worker's process, so a dead worker can be told."""
    return f"{socket.gethostname()[:40]}:{pid or os.getpid()}"


def _worker_gone(worker, host):
    """Tell whether the worker named worker ran on this machine and its process is gone."""
    name, _, pid = str(worker).rpartition(":")
    if name != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a live process of another user
    return False


def requeue_abandoned(*, older_than=None, now=None):
    """Put back in the queue the tasks left running by a worker that died; return how many.

    A task is abandoned when the worker that claimed it ran on this machine and its process is gone,
    or when it has been running longer than ``older_than`` (NEWSROOM["TASK_RUNNING_TIMEOUT_SECONDS"]).
    """
    from django_tasks_db.models import DBTaskResult

    if older_than is None:
        older_than = timedelta(seconds=_setting("TASK_RUNNING_TIMEOUT_SECONDS", TASK_RUNNING_TIMEOUT_SECONDS))
    deadline = (now or timezone.now()) - older_than
    host = socket.gethostname()[:40]
    abandoned = [
        row.pk
        for row in DBTaskResult.objects.running().only("id", "started_at", "worker_ids")
        if (row.started_at and row.started_at <= deadline)
        or (row.worker_ids and _worker_gone(row.worker_ids[-1], host))
    ]
    # Only rows still running: a task that finished meanwhile keeps its result.
    return DBTaskResult.objects.running().filter(pk__in=abandoned).update(status=TaskResultStatus.READY)
