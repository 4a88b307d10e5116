"""A task for the worker tests: it notes that it ran in a file, then takes a moment, as real work does."""

import time
from pathlib import Path

from articles.platform.tasks import task


@task()
def note_run(log, number, seconds):
    """Append number to the log file, then sleep: idempotent, since a task may run twice after a crash."""
    with Path(log).open("a") as out:
        out.write(f"{number}\n")
    time.sleep(seconds)
    return number
