"""Layout at the widths people use: nothing sticks out of its panel, phones keep titles readable."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from designer.models import Node
from designer.services.revisions import revision_save_point
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.browser

LONG_GROUP = "Reconcile every intercompany account across all of the regions"
LONG_JOB = "Reconcile the intercompany receivables and payables of the European subsidiaries"

# Elements whose right edge is past the viewport (the page scrolls sideways on a phone).
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length
                    && !el.closest('.visually-hidden, .skip, [hidden]'))
    .map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))
    .slice(0, 8);
}"""


def _page(browser: Any, live_server: Any, user: Any, width: int) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def world(browser_user):
    draft = make_draft(browser_user, "Quarter close with a long name for the drafts list")
    group = add_group(draft, root_of(draft), LONG_GROUP)
    draft.refresh_from_db()
    Node.objects.filter(pk=add_group(draft, group, "Parallel checks").pk).update(parallel=True)
    draft.refresh_from_db()
    job = add_job(draft, group, LONG_JOB, dueDate="2026-12-31")
    draft.refresh_from_db()
    revision_save_point(draft=draft, actor=browser_user, note="A save point with a note long enough to wrap")
    return {"draft": draft, "group": group, "job": job}


@pytest.mark.parametrize("width", [1200, 1320, 1440])
def test_the_move_buttons_stay_inside_the_inspector(browser, live_server, browser_user, world, width):
    page = _page(browser, live_server, browser_user, width)
    page.goto(f"{live_server.url}/drafts/{world['draft'].pk}/?node={world['job'].key}")
    inner_right = page.locator("#inspector").evaluate(
        "el => el.getBoundingClientRect().right - parseFloat(getComputedStyle(el).borderRightWidth)"
        " - parseFloat(getComputedStyle(el).paddingRight)"
    )  # the right edge of the panel's content (half a pixel allowed for subpixel rounding)
    for name in ("↑ Up", "↓ Down", "→ Indent", "← Outdent"):
        box = page.locator(".move-row").get_by_role("button", name=name).bounding_box()
        assert box["x"] + box["width"] <= inner_right + 0.5, (
            f"{name} ends at {box['x'] + box['width']}, panel at {inner_right}"
        )
    page.context.close()


def test_a_truncated_title_has_a_tooltip_and_shows_in_full_when_focused(browser, live_server, browser_user, world):
    page = _page(browser, live_server, browser_user, 1280)
    page.goto(f"{live_server.url}/drafts/{world['draft'].pk}/")
    label = page.locator(f"#node-{world['job'].key} > .row .label")
    assert label.evaluate("el => el.scrollWidth > el.clientWidth"), "the test needs a truncated title"
    assert label.get_attribute("title") == LONG_JOB
    assert page.locator(f"#node-{world['group'].key} > .row .label").get_attribute("title") == LONG_GROUP

    page.locator(f"#node-{world['job'].key}").focus()
    assert label.evaluate("el => el.scrollWidth <= el.clientWidth"), "the focused item shows its whole title"
    page.context.close()


def test_on_a_phone_titles_stay_readable_and_the_mode_pill_shows(browser, live_server, browser_user, world):
    page = _page(browser, live_server, browser_user, 390)
    page.goto(f"{live_server.url}/drafts/{world['draft'].pk}/")
    for key in (world["job"].key, world["group"].key):
        label = page.locator(f"#node-{key} > .row .label")
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth"), f"{label.inner_text()} is cut"
        assert label.bounding_box()["width"] >= 150
    assert page.locator(f"#node-{world['group'].key} > .row .mode").is_visible()
    assert page.evaluate(OVERFLOWING) == []
    page.context.close()


@pytest.mark.parametrize("where", ["drafts", "revisions"])
def test_the_tables_fit_a_phone(browser, live_server, browser_user, world, where):
    page = _page(browser, live_server, browser_user, 390)
    url = "/" if where == "drafts" else f"/drafts/{world['draft'].pk}/revisions/"
    page.goto(live_server.url + url)
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()
