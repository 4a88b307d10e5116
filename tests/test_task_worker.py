"""The worker of `make worker` (manage.py worker) against a real queue: a worker killed mid-queue loses
nothing, because the next one puts back what it left running and finishes the queue."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.platform import tasks
from tests.worker_tasks import note_run

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[1]
TASKS = 6
SECONDS_EACH = 0.6


def database_url():
    """Return a DATABASE_URL naming the test database, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    pytest.skip(f"no worker test for {db['ENGINE']}")


def start_worker(*options):
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "0"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1", *options],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def runs(log):
    return [int(line) for line in log.read_text().split()] if log.exists() else []


def test_a_worker_killed_mid_queue_loses_nothing(tmp_path):
    log = tmp_path / "runs.log"
    for number in range(TASKS):
        note_run.enqueue(str(log), number, SECONDS_EACH)

    worker = start_worker()
    try:
        # Kill it (no chance to tidy up) while it is in the middle of its second task or later.
        assert wait_for(lambda: len(runs(log)) >= 2 and DBTaskResult.objects.running().exists()), (
            "the worker ran nothing"
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)
    left_running = list(DBTaskResult.objects.running())
    assert len(left_running) == 1, "the killed worker should have left its task marked running"
    assert DBTaskResult.objects.ready().exists(), "the kill should come before the end of the queue"

    # The next worker finds the dead one's task, puts it back, and works the queue to the end.
    restarted = start_worker("--batch")
    output, _ = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, output.decode()
    assert "Requeued 1 task(s)" in output.decode()

    results = DBTaskResult.objects.all()
    assert sorted(r.status for r in results) == ["SUCCESSFUL"] * TASKS
    assert sorted(set(runs(log))) == list(range(TASKS))  # every task ran, the interrupted one twice
    interrupted = DBTaskResult.objects.get(pk=left_running[0].pk)
    assert len(interrupted.worker_ids) == 2  # claimed by the killed worker, then by the new one


def test_a_task_running_under_a_live_worker_is_left_alone_until_it_is_overdue():
    note_run.enqueue("/dev/null", 1, 0)
    row = DBTaskResult.objects.get()
    row.claim(tasks.worker_id(pid=os.getpid()))  # this test's own process: alive
    assert tasks.requeue_abandoned() == 0
    assert DBTaskResult.objects.get().status == "RUNNING"
    later = timezone.now() + timedelta(hours=2)
    assert tasks.requeue_abandoned(now=later) == 1  # longer than NEWSROOM["TASK_RUNNING_TIMEOUT_SECONDS"]
    assert DBTaskResult.objects.get().status == "READY"
