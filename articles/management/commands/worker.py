"""Work the background queue: first put back what a dead worker left running, then run django-tasks-db's worker."""

from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.platform import tasks


class Command(BaseCommand):
    help = (
        "Requeue the tasks a killed worker left running, then run the database queue's worker (db_worker) "
        "with an id naming this machine and process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="Queues to work, comma-separated ('*' for all).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue.")
        parser.add_argument("--batch", action="store_true", help="Run what is waiting, then stop.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop after this many tasks.")
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            help="Also requeue tasks running longer than this many seconds, whoever runs them "
            "(default: NEWSROOM['TASK_RUNNING_TIMEOUT_SECONDS']).",
        )
        parser.add_argument("--recover-only", action="store_true", help="Requeue abandoned tasks and stop.")

    def handle(self, *args, queue_name, interval, batch, max_tasks, older_than, recover_only, **options):
        if not tasks.queue_shares_transactions():
            raise CommandError("The default task backend is not the database queue: start that queue's own worker.")
        older = None if older_than is None else timedelta(seconds=older_than)
        requeued = tasks.requeue_abandoned(older_than=older)
        if requeued:
            self.stdout.write(f"Requeued {requeued} task(s) that a stopped worker had left running.")
        if recover_only:
            return
        worker_options = {"queue_name": queue_name, "interval": interval, "batch": batch, "reload": False}
        if max_tasks:
            worker_options["max_tasks"] = max_tasks
        call_command(
            "db_worker",
            worker_id=tasks.worker_id(),
            startup_delay=False,
            verbosity=options["verbosity"],
            **worker_options,
        )
