import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_FIXTURE = REPO / "fixtures" / "seed.json"


@pytest.hookimpl(tryfirst=True)  # before pytest-django orders the tests that commit after the others
def pytest_collection_modifyitems(items):
    """Tests of the page cache commit their writes, as the site does: pages are purged when a change
    commits (articles/platform/invalidation.py), which a test inside one rolled-back transaction never does."""
    for item in items:
        if item.get_closest_marker("page_cache") and item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, test in a database file (on tmpfs where there is one), not in memory.

    Django shares an in-memory test database's one connection with the live server, whose threads answer
    a browser's requests side by side: two requests at once (the picture chooser's grid and upload form)
    then use one SQLite connection together, which fails ("bad parameter or other API misuse"). With a
    file, every thread opens its own connection, as gunicorn's workers do.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-tests-", dir=shm if shm.is_dir() else None))
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Keep uploads of one test out of the repository and out of other tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_page_cache_unless_asked(settings, request):
    """Measure pages as they are built; tests of the page cache turn it on with the page_cache marker."""
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "PAGE_CACHE": bool(request.node.get_closest_marker("page_cache")),
        "CONTENT_VERSION_FILE": request.getfixturevalue("tmp_path") / "content-version",
    }


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def seed(db):
    """Load the committed seed fixture the way an operator does."""
    from django.core.management import call_command

    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    from articles.models import Article

    return Article.objects.get()


@pytest.fixture
def editor(client):
    """A member of the Editor group, logged in on the test client."""
    from tests.factories import make_desk_user

    user = make_desk_user("eddie", "Editor")
    client.force_login(user)
    return user


@pytest.fixture
def rita(client):
    """A member of the Reporter group, logged in on the test client."""
    from tests.factories import make_desk_user

    user = make_desk_user("rita", "Reporter")
    client.force_login(user)
    return user


@pytest.fixture
def desk(db):
    """A second browser, logged in as an editor; the test's own client stays free for another user."""
    from django.test import Client

    from tests.factories import make_desk_user

    browser = Client()
    browser.force_login(make_desk_user("eddie", "Editor"))
    return browser
