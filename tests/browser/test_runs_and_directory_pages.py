"""The run page follows a run without a reload; the directory, import and run pages pass axe (light and dark)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from publishing.models import ProcessRun
from publishing.services.runs import run_start
from publishing.services.submissions import draft_publish
from tests.browser.test_accessibility import _context, _report, axe_violations
from tests.directory.fill import small_directory
from tests.factories import publishable_draft

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SHOTS_DIR", tempfile.gettempdir())) / "process-designer-shots"  # looked at by hand


def _published_run(owner):
    draft, _ = publishable_draft(owner)
    draft_publish(draft=draft, user=owner)
    record, _ = run_start(draft=draft, user=owner)
    return draft, record


def test_the_run_page_shows_status_changes_without_a_reload(browser, live_server, browser_user, sandbox, settings):
    settings.WORKIVA_SANDBOX_RUN_STEP = 2
    draft, record = _published_run(browser_user)
    context = _context(browser, live_server, "light", browser_user, width=1100)
    page = context.new_page()
    page.goto(f"{live_server.url}/runs/{record.pk}/")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    expect(page.locator("#run-status > p strong")).to_have_text("Sent")
    expect(page.locator("#run-status > p strong")).to_have_text("Complete", timeout=20_000)

    assert navigations == []
    expect(page.locator(".run-status.status-complete")).to_have_count(4)  # root, group, two jobs
    page.screenshot(path=str(SHOTS / "run.png"), full_page=True)
    context.close()
    assert ProcessRun.objects.get().status == "complete"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_directory_import_and_run_pages_have_no_axe_violation(browser, live_server, browser_user, sandbox, scheme):
    browser_user.is_staff = True
    browser_user.save()
    small_directory()
    draft, record = _published_run(browser_user)
    context = _context(browser, live_server, scheme, browser_user)
    page = context.new_page()
    found = {}
    for where, url in {
        "directory": "/directory/?q=ada",
        "import from workiva": "/drafts/import/workiva/?name=",
        "start a run": f"/drafts/{draft.pk}/runs/start/",
        "run": f"/runs/{record.pk}/",
    }.items():
        page.goto(live_server.url + url)
        found[where] = axe_violations(page)
    context.close()

    assert not any(found.values()), _report(found)
