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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh dev installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: run scripts/setup.sh dev (installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox", "--disable-dev-shm-usage"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": HEIGHT}, "locale": "zh-CN"}


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
