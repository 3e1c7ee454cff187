"""The API tokens page and the API docs page in a real Chromium: the CSP holds, axe finds nothing."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser.test_accessibility import _context, axe_violations
from tests.browser.test_csp import csp_page, csp_problems, log_in, production_like  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tokens_and_docs_pages_raise_no_csp_violation(csp_page):  # noqa: F811
    log_in(csp_page)

    tokens = csp_page.goto("/account/tokens/")
    csp_page.fill("#id_name", "nightly lint")
    with csp_page.expect_navigation():
        csp_page.click("button.primary")
    created = csp_page.locator("#token-secret").input_value()
    assert csp_problems(csp_page) == []
    docs = csp_page.goto("/api/v1/docs/")
    csp_page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)

    assert tokens.status == 200
    assert created.startswith("pd_")
    assert docs.status == 200
    assert csp_page.locator(".opblock").count() >= 30
    assert csp_problems(csp_page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_tokens_page_has_no_axe_violation(browser, live_server, browser_user, scheme):
    context = _context(browser, live_server, scheme, user=browser_user)
    page: Any = context.new_page()
    page.goto(f"{live_server.url}/account/tokens/")
    page.fill("#id_name", "nightly lint")
    page.select_option("#id_expires", "30")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    found = axe_violations(page)
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['SCREENSHOTS']}/api-tokens-{scheme}.png", full_page=True)
    context.close()

    assert found == []
