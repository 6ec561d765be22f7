"""The browser suite: pytest-playwright driving Debian's chromium (``/usr/bin/chromium``, installed
by ``scripts/setup.sh dev``; Playwright never downloads a browser here) against pytest-django's
``live_server``. The tests are marked ``browser`` (``BROWSER`` below); they run in the normal
suite (``-m "not browser"`` leaves them out).

Playwright's sync API runs an event loop in the test's thread, which Django's ORM refuses by
default; the tests set up their data with the ORM in that thread, so it is allowed here (the
server itself runs in its own thread)."""
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WIDTH, HEIGHT = 1280, 800  # the narrowest desktop the pages are made for
# Each browser test: the live server reads committed rows, and the rows the migrations seed
# (ranks, task categories) are restored after it.
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


# Playwright per module, not per session. While Playwright's sync API runs, its event loop is the
# thread's running loop, so asgiref (Django's connections) treats the thread as async and keeps the
# ORM's connection per context: a new connection object without the serialized contents that
# ``serialized_rollback`` restores from. Stopping Playwright after this module gives the tests
# that follow (Celery's, with serialized_rollback) their usual connection back.
@pytest.fixture(scope="module")
def playwright(_pw_api_request_contexts):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    yield pw
    pw.stop()


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


SEEDS = ["cadres.migrations.0002_seed_ranks", "cadres.migrations.0004_seed_task_categories",
         "assessment.migrations.0002_seed_tiers_categories"]


@pytest.fixture(autouse=True)
def _seeded(transactional_db):
    """The rows the migrations seed (ranks, task categories, tiers): the serialized rollback does
    not bring them back into a browser test (its connection object is per context, see above),
    so they are seeded again here, idempotently, with the migrations' own functions."""
    import importlib

    from django.apps import apps
    from django.db import connections

    # The per-context connection gets the serialized contents of the thread's own, so that this
    # test's flush leaves the content types to the next test's restore (as Django does for
    # serialized_rollback) and the next browser test's restore has something to restore.
    thread_connection = getattr(object.__getattribute__(connections._connections, "_storage"), "default", None)
    contents = getattr(thread_connection, "_test_serialized_contents", None)
    if contents is not None:
        connections["default"]._test_serialized_contents = contents
    for name in SEEDS:
        importlib.import_module(name).seed(apps, None)
    yield
    connections.close_all()  # the per-context connection of this test (see above), not left open


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh dev installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: run scripts/setup.sh dev (installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox", "--disable-dev-shm-usage"]}


@pytest.fixture(scope="module")
def browser_context_args():
    # (pytest-playwright's own reads devices from the session-wide Playwright, see above)
    return {"viewport": {"width": WIDTH, "height": HEIGHT}, "locale": "zh-CN"}


@pytest.fixture
def login(live_server):
    """login(page, user, password) signs in through the login form and lands on the work desk."""
    def sign_in(page, username, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in


# The assessment world (a published scheme, an open period with five deputies) for the chart test.
from tests.assessment.conftest import category, deputies, period, scheme, tier  # noqa: E402,F401
