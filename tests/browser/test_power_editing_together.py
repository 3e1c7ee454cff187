"""Multi-select, the bulk inspector's pickers, undo, search by name and live updates together, as a
user meets them: in real Chromium, two people in one draft over a real websocket (the ASGI server
of tests/browser/test_live.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from designer.models import Draft, Node
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_live import asgi_server, item, open_editor, settled, world  # noqa: F401 (fixtures)
from tests.designer.test_operations import state
from tests.directory.fill import add_user

pytestmark = pytest.mark.browser

JOBS = ("Reconcile cash", "Reconcile bank", "Sign off")


def assignees(draft):
    return {n.arguments["title"]: n.arguments["assigneeUser"] for n in Node.objects.filter(draft=draft, kind="job")}


def test_select_three_bulk_assign_by_name_undo_and_search_by_that_name_seen_live(open_editor, world):  # noqa: F811
    add_user("dXNlcjox", "Ada Lovelace", "ada@example.com")
    add_user("dXNlcjoy", "Grace Hopper", "grace@example.com")
    draft = world["draft"]
    sign_off = Node.objects.get(draft=draft, arguments__title="Sign off")
    Node.objects.filter(pk=sign_off.pk).update(arguments={**sign_off.arguments, "approverUser": "dXNlcjoy"})
    before = state(Draft.objects.get(pk=draft.pk))
    a = open_editor(world["owner"], bypass_csp=True)  # axe is injected
    b = open_editor(world["editor"], bypass_csp=True)

    # Select three jobs across two groups: a click, then Ctrl-clicks.
    item(a, "Reconcile cash").locator(":scope > .row .label").click()
    settled(a)
    for label in JOBS[1:]:
        item(a, label).locator(":scope > .row .label").click(modifiers=["Control"])
    expect(a.locator("#selection-status")).to_have_text("3 items selected")
    inspector = a.locator("#inspector")
    expect(inspector.get_by_role("heading", name="3 jobs selected")).to_be_visible()

    # The assignee is the directory's combobox: pick a person by name.
    assignee = inspector.get_by_role("combobox", name="Assignee")
    expect(assignee).to_have_value("userId1")  # shared, but not in the directory: shown as its id
    assignee.fill("lovel")
    option = inspector.get_by_role("option", name="Ada Lovelace")
    expect(option).to_be_visible()
    assignee.press("ArrowDown")
    assignee.press("Enter")
    expect(assignee).to_have_value("Ada Lovelace")
    expect(inspector.locator('input[type="hidden"][name="bulk-assignee"]')).to_have_value("dXNlcjox")
    expect(inspector.get_by_role("combobox", name="Approver")).to_have_attribute("placeholder", "Mixed")
    assert axe_violations(a) == []

    inspector.get_by_role("button", name="Apply to 3 jobs").click()
    expect(a.locator("#flash")).to_contain_text("Bulk edit of assignee on 3 jobs: changed 3 jobs.")
    assert set(assignees(draft).values()) == {"dXNlcjox"}
    # The rows show the name, here and, without reloading, on the other editor's page.
    for page in (a, b):
        for label in JOBS:
            expect(item(page, label).locator(":scope > .row")).to_contain_text("Ada Lovelace")

    # Search by that name finds the three (by the directory's name, not the id typed nowhere).
    for page in (a, b):
        search = page.get_by_role("searchbox", name="Search the outline")
        search.fill("ada lovelace")
        expect(page.locator("#search-count")).to_have_text("3 matches")
    a.get_by_role("searchbox", name="Search the outline").press("Enter")
    expect(a.locator("#search-count")).to_have_text("1 of 3")
    assert axe_violations(a) == []

    # Undo: one step, the database as before; both pages' searches follow without a keystroke.
    a.locator("#undo-bar").get_by_role("button", name="Undo", exact=True).click()
    expect(a.locator("#flash")).to_contain_text("Undid")
    assert state(Draft.objects.get(pk=draft.pk)) == before
    for page in (a, b):
        expect(page.locator("#search-count")).to_have_text("No matches")
        expect(item(page, "Sign off").locator(":scope > .row")).not_to_contain_text("Ada Lovelace")
    # Searching again by the id the jobs have now finds them again.
    a.get_by_role("searchbox", name="Search the outline").fill("userid1")
    expect(a.locator("#search-count")).to_have_text("3 matches")
    settled(a)
    settled(b)
    expect(a.get_by_role("alert")).to_have_count(0)
    expect(b.get_by_role("alert")).to_have_count(0)
    assert axe_violations(b) == []
