"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

Nothing is downloaded: Playwright is pointed at /usr/bin/chromium. Where that browser is missing, the
tests are skipped on a developer's machine but fail on CI (CI=true), which installs it.
"""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary blocking calls, which Django would otherwise refuse there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts of a given width; everything is closed after the test."""
    contexts = []

    def open_page(width=1280, height=900, **options):
        # The browser's clock in the site's zone, so the desk (which follows the browser) and the test agree.
        options.setdefault("timezone_id", settings.TIME_ZONE)
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(15_000)
        context.pending = set()
        context.on("request", lambda request: context.pending.add(request))
        context.on("requestfinished", lambda request: context.pending.discard(request))
        context.on("requestfailed", lambda request: context.pending.discard(request))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        quiet_down(context)
        context.close()


def quiet_down(context, seconds=10):
    """Leave every page and wait for the requests they send on the way out to be answered.

    The desk's pages send requests of their own: an autosave, the editing note's heartbeat, and its release
    by sendBeacon when the page goes away. One still being answered when the test's database is emptied
    holds a lock on it (SQLite: "database table is locked"), and the next test starts with rows left over.
    """
    for page in context.pages:
        page.goto("about:blank")  # the page's pagehide: its last beacon goes now
    deadline = time.monotonic() + seconds
    while context.pending and time.monotonic() < deadline and context.pages:
        context.pages[0].wait_for_timeout(50)  # lets Playwright deliver the requests' events
