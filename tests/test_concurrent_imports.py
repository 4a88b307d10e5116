"""Two operators importing the same fixture at the same moment end up with one copy of everything."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import SEED_FIXTURE

REPO = Path(__file__).resolve().parents[1]


def _database_url(tmp_path):
    """Return a database URL the subprocesses can share: the test database, or an SQLite file."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}", False
    return f"sqlite:///{tmp_path / 'race.sqlite3'}", True


def _manage(url, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DATABASE_URL"] = url
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_racing_imports_of_one_fixture_do_not_duplicate_anything(tmp_path):
    url, needs_migrate = _database_url(tmp_path)
    if needs_migrate:
        migrate = _manage(url, "migrate", "--noinput")
        assert migrate.wait(timeout=180) == 0, migrate.stderr.read()
    racers = [_manage(url, "loaddata", str(SEED_FIXTURE)) for _ in range(3)]
    results = [(racer.wait(timeout=180), racer.stdout.read(), racer.stderr.read()) for racer in racers]
    assert all(code == 0 for code, _out, _err in results), results

    check = _manage(
        url,
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from articles.models import *; from taggit.models import Tag;"
        "print(Article.objects.count(), Person.objects.count(), Mention.objects.count(),"
        " RelatedLink.objects.count(), Tag.objects.count(), TaggedArticle.objects.count())",
    )
    assert check.wait(timeout=120) == 0, check.stderr.read()
    counts = [int(n) for n in check.stdout.read().split()]
    assert counts[:4] == [1, 5, 5, 2]
    assert counts[4] == counts[5] > 0
