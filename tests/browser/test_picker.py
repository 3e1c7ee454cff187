"""The pickers in a real browser: keyboard only (type, arrows, Enter), a raw id, sections of the chosen
document, names shown as text, axe clean with the list open, and a screenshot to look at."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import _context, axe_violations
from tests.directory.fill import small_directory
from tests.factories import add_job, make_draft, root_of

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SHOTS_DIR", tempfile.gettempdir())) / "process-designer-shots"  # looked at by hand


@pytest.fixture
def picker_page(browser, live_server, browser_user):
    context = _context(browser, live_server, "light", user=browser_user, width=1400)
    yield context.new_page()
    context.close()


def saved(page, name):
    expect(page.locator(f'[data-save-state="{name}"]')).to_have_text("Saved")


def test_choose_an_assignee_by_keyboard_and_keep_a_raw_id(picker_page, live_server, browser_user):
    world = small_directory()
    draft = make_draft(browser_user)
    job = add_job(draft, root_of(draft), "Reconcile cash", assigneeUser="")
    page = picker_page
    page.goto(f"{live_server.url}/drafts/{draft.pk}/?node={job.key}")
    assignee = page.locator("#id_node-assigneeUser")
    expect(assignee).to_have_attribute("role", "combobox")

    assignee.focus()
    page.keyboard.type("lov")
    listbox = page.locator(f"#{assignee.get_attribute('aria-controls')}")
    expect(listbox).to_be_visible()
    expect(assignee).to_have_attribute("aria-expanded", "true")
    expect(listbox.locator("[role=option]").first).to_contain_text("Ada Lovelace")
    page.keyboard.press("ArrowDown")
    first = listbox.locator("[role=option]").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(assignee).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.screenshot(path=str(SHOTS / "picker.png"), clip={"x": 880, "y": 0, "width": 520, "height": 700})
    page.keyboard.press("Enter")

    expect(assignee).to_have_value("Ada Lovelace")
    expect(listbox).to_be_hidden()
    expect(page.locator("#id_node-assigneeUser_picked")).to_have_text("Ada Lovelace · ada@example.com")
    saved(page, "node-assigneeUser")
    job.refresh_from_db()
    assert job.arguments["assigneeUser"] == world["ada"].workiva_id

    approver = page.locator("#id_node-approverUser")
    approver.focus()
    page.keyboard.type("new-hire-77")
    raw = page.locator(f"#{approver.get_attribute('aria-controls')} .picker-raw")
    expect(raw).to_contain_text("Use “new-hire-77” as an id")
    page.keyboard.press("Enter")

    expect(page.locator("#id_node-approverUser_picked")).to_have_text("Not in the directory: unverified id")
    saved(page, "node-approverUser")
    job.refresh_from_db()
    assert job.arguments["approverUser"] == "new-hire-77"

    page.reload()
    expect(page.locator("#id_node-assigneeUser")).to_have_value("Ada Lovelace")
    expect(page.locator("#id_node-approverUser")).to_have_value("new-hire-77")
    expect(page.locator("#inspector .node-problems")).to_contain_text("new-hire-77")


def test_a_document_then_one_of_its_sections_and_names_stay_text(picker_page, live_server, browser_user):
    world = small_directory()
    draft = make_draft(browser_user)
    job = add_job(draft, root_of(draft), "Collect notes", job_type="contentRequest")
    page = picker_page
    page.goto(f"{live_server.url}/drafts/{draft.pk}/?node={job.key}")

    section = page.locator("#id_node-section")
    section.focus()
    page.keyboard.type("no")
    expect(section.locator("xpath=..").locator(".picker-message")).to_have_text("Choose the document first.")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")

    document = page.locator("#id_node-document")
    document.focus()
    page.keyboard.type("10-q")
    expect(page.locator(f"#{document.get_attribute('aria-controls')} [role=option]").first).to_contain_text(
        "Q1 2026 10-Q"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    saved(page, "node-document")

    section.focus()
    page.keyboard.type("not")
    options = page.locator(f"#{section.get_attribute('aria-controls')} [role=option]")
    expect(options.first).to_contain_text("Notes")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    saved(page, "node-section")
    job.refresh_from_db()
    assert job.arguments["document"] == world["tenq"].workiva_id
    assert job.arguments["section"] == f"{world['tenq'].workiva_id}_3"

    assignee = page.locator("#id_node-assignee")
    assignee.focus()
    page.keyboard.type("eve")
    option = page.locator(f"#{assignee.get_attribute('aria-controls')} [role=option]").first
    expect(option).to_contain_text('<img src=x onerror="window.pwned=1"> Eve')
    assert page.evaluate("window.pwned") is None
    assert axe_violations(page) == []


def test_choose_by_mouse_and_escape_restores_the_saved_name(picker_page, live_server, browser_user):
    world = small_directory()
    draft = make_draft(browser_user)
    job = add_job(draft, root_of(draft), "Reconcile cash", assigneeUser=world["ada"].workiva_id)
    page = picker_page
    page.goto(f"{live_server.url}/drafts/{draft.pk}/?node={job.key}")
    assignee = page.locator("#id_node-assigneeUser")
    expect(assignee).to_have_value("Ada Lovelace")

    assignee.click()
    assignee.fill("gra")
    listbox = page.locator(f"#{assignee.get_attribute('aria-controls')}")
    listbox.locator("[role=option]", has_text="Grace Hopper").click()

    expect(assignee).to_have_value("Grace Hopper")
    saved(page, "node-assigneeUser")
    job.refresh_from_db()
    assert job.arguments["assigneeUser"] == world["grace"].workiva_id

    assignee.fill("sam")
    expect(listbox.locator("[role=option]").first).to_contain_text("Sam Suspended")
    expect(listbox.locator(".picker-suspended")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    page.keyboard.press("Escape")
    expect(assignee).to_have_value("Grace Hopper")
    page.keyboard.press("Tab")
    job.refresh_from_db()
    assert job.arguments["assigneeUser"] == world["grace"].workiva_id


def test_choosing_another_document_clears_the_section_in_the_same_write(picker_page, live_server, browser_user):
    world = small_directory()
    tenq = world["tenq"].workiva_id
    draft = make_draft(browser_user)
    job = add_job(
        draft,
        root_of(draft),
        "Collect notes",
        job_type="contentRequest",
        assignee={"id": world["grace"].workiva_id, "type": "user"},
        document=tenq,
        section=f"{tenq}_2",
    )
    page = picker_page
    page.goto(f"{live_server.url}/drafts/{draft.pk}/?node={job.key}")
    section = page.locator("#id_node-section")
    expect(section).to_have_value("Financial statements")
    version = draft.version

    document = page.locator("#id_node-document")
    document.focus()
    page.keyboard.type("board")
    expect(page.locator(f"#{document.get_attribute('aria-controls')} [role=option]").first).to_contain_text(
        "Board deck"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(section).to_have_value("")
    expect(section.locator("xpath=..").locator(".picker-message")).to_have_text(
        "Section cleared: choose a section of the new document."
    )
    saved(page, "node-document")
    saved(page, "node-section")
    job.refresh_from_db()
    draft.refresh_from_db()
    assert job.arguments["document"] == world["deck"].workiva_id
    assert not job.arguments.get("section")
    assert draft.version == version + 1  # one write for both fields
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_payload_preview_names_its_ids_beside_the_json(browser, live_server, browser_user, scheme):
    world = small_directory()
    draft = make_draft(browser_user)
    root = root_of(draft)
    add_job(draft, root, "Reconcile cash", assigneeUser=world["ada"].workiva_id, approverUser="new-hire-77")
    draft.refresh_from_db()
    tenq = world["tenq"].workiva_id
    add_job(
        draft,
        root,
        "Collect notes",
        job_type="contentRequest",
        assignee={"id": world["markup"].workiva_id, "type": "user"},
        document=tenq,
        section=f"{tenq}_3",
    )
    context = _context(browser, live_server, scheme, user=browser_user, width=1400)
    page = context.new_page()
    page.goto(f"{live_server.url}/drafts/{draft.pk}/payload/")

    notes = page.get_by_role("complementary", name="Who and what the ids are")
    expect(notes.locator("tbody tr")).to_have_count(5)
    expect(notes.locator("tbody tr").first).to_contain_text("Ada Lovelace")
    expect(notes.locator("tbody tr").nth(1)).to_contain_text("Not in the directory: unverified id")
    expect(notes).to_contain_text('<img src=x onerror="window.pwned=1"> Eve')
    assert page.evaluate("window.pwned") is None
    expect(page.locator("#payload-json")).to_contain_text(world["ada"].workiva_id)
    if scheme == "light":
        page.screenshot(path=str(SHOTS / "payload-notes.png"), full_page=True)
    assert axe_violations(page) == []
    context.close()
