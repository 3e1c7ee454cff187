"""Real-browser fixtures: Debian's Chromium driven by Playwright, logged in to a live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_user(transactional_db):
    user = UserFactory(username="alice")
    user.save()
    return user


def _logged_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context = browser.new_context(viewport={"width": 1400, "height": 900}, reduced_motion="reduce")
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def new_page(browser, live_server, browser_user):
    """Return a factory of pages in fresh, logged-in browser contexts (one per call)."""
    contexts = []

    def make(user=None):
        context = _logged_in_context(browser, live_server, user or browser_user)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
