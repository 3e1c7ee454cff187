"""Checklist import in a real browser: upload → sheet and mapping preview → create, by keyboard, axe clean."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from designer.models import Draft, Node
from directory.models import DirectoryUser
from tests.browser.test_accessibility import _context, axe_violations
from tests.checklists.files import xlsx

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOTS_DIR", tempfile.gettempdir())) / "process-designer-shots"  # looked at by hand


def _file(tmp_path: Path) -> Path:
    rows = [
        ["Q1 2027 close"],
        ["Phase", "Entity", "Task", "Preparer", "Reviewer", "Due date", "Notes", "Parallel"],
        ["Pre-close", "US", "Accrue payroll", "jane@example.com", "Rita", dt.datetime(2027, 1, 4), "See memo", "yes"],
        ["Pre-close", "US", "Reconcile bank", "jane@example.com", "Rita", "WD+2", "", ""],
        ["Close", "UK", "FX revaluation", "tom", "", "31/02/2027", "", ""],
        [],
        ["Close", "UK", "", "tom", "", "", "", ""],
    ]
    path = tmp_path / "q1-close.xlsx"
    path.write_bytes(xlsx(rows, title="Close", merges=("A1:H1",), extra={"Readme": [["Read me first"]]}))
    return path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_upload_preview_and_create_by_keyboard(browser, live_server, browser_user, tmp_path, scheme):
    DirectoryUser.objects.create(
        workiva_id="wkJane", display_name="Jane Doe", email="Jane@example.com", synced=timezone.now()
    )
    context = _context(browser, live_server, scheme, user=browser_user, width=1400)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert axe_violations(page) == []

    page.set_input_files("#id_checklist_file", str(_file(tmp_path)))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/checklists/*/")
    assert page.locator(".summary").inner_text().startswith("3 jobs in 4 groups")
    assert "“WD+2” counts from the process due date, which is not set" in page.locator("table.rows").inner_text()

    # Keyboard only: set the process due date, then turn the Notes column off.
    page.locator("#id_due").focus()
    page.keyboard.type("01082027")  # Chromium's date field takes the digits in the locale's order (en-US)
    with page.expect_response(lambda r: "/checklists/" in r.url and r.request.method == "POST"):
        page.keyboard.press("Tab")
    page.wait_for_function("document.querySelector('table.rows').innerText.includes('2027-01-12 (WD+2)')")
    rows = page.locator("table.rows").inner_text()
    assert "jane@example.com → Jane Doe" in rows  # matched in the user directory
    assert "“tom” is not matched to a Workiva user" in rows
    holidays = page.locator("#id_holidays")
    holidays.focus()
    with page.expect_response(lambda r: "/checklists/" in r.url and r.request.method == "POST"):
        holidays.select_option("US")
    assert page.evaluate("document.activeElement.id") == "id_holidays"
    notes = page.locator("#id_col-6")
    notes.focus()
    with page.expect_response(lambda r: "/checklists/" in r.url and r.request.method == "POST"):
        notes.select_option("")
    assert page.evaluate("document.activeElement.id") == "id_col-6"  # focus stays on the control after the swap
    assert axe_violations(page) == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"preview-{scheme}.png"), full_page=True)

    page.locator("#create-draft").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/drafts/*/")

    draft = Draft.objects.get(owner=browser_user)
    assert (draft.due_date, draft.holiday_calendar) == ("2027-01-08", "US")
    jobs = Node.objects.filter(draft=draft, kind="job")
    assert sorted(j.arguments["title"] for j in jobs) == ["Accrue payroll", "FX revaluation", "Reconcile bank"]
    assert all("instructions" not in j.arguments for j in jobs)
    bank = jobs.get(arguments__title="Reconcile bank")
    assert bank.parent.parallel is True
    assert (bank.arguments["assigneeUser"], bank.date_rules) == ("wkJane", {"dueDate": {"days": 2}})
    assert "Created “q1-close” from q1-close.xlsx: 3 jobs." in page.locator(".messages").inner_text()
    context.close()


def test_the_process_book_is_axe_clean(browser, live_server, browser_user):
    from tests.factories import add_group, add_job, make_draft, root_of

    draft = make_draft(browser_user, "Quarter close")
    group = add_group(draft, root_of(draft), "Bank")
    draft.refresh_from_db()
    add_job(draft, group, "Reconcile", dueDate="2027-01-05", instructions="Tie out")
    draft.refresh_from_db()
    add_job(draft, group, "Sign off", dueDate="2027-01-09")  # a Saturday: the schedule says it is closed
    context = _context(browser, live_server, "light", user=browser_user)
    page = context.new_page()

    page.goto(f"{live_server.url}/drafts/{draft.pk}/book/")

    assert axe_violations(page) == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "book.png"), full_page=True)
    pdf = page.pdf(path=str(SHOTS / "book.pdf"), format="A4")  # what "Save as PDF" gives, with the print CSS
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 3  # the cover, the contents and the group, each a page
    page.emulate_media(media="print")
    assert page.locator(".book-tools").is_hidden()
    context.close()


def test_a_refused_file_shows_its_message_and_the_page_is_axe_clean(browser, live_server, browser_user, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    context = _context(browser, live_server, "dark", user=browser_user)
    page = context.new_page()
    page.goto(f"{live_server.url}/")

    page.set_input_files("#id_checklist_file", str(bad))
    page.get_by_role("button", name="Upload and preview").click()

    page.get_by_text("This file cannot be imported: notes.xlsx is not a readable .xlsx workbook").wait_for()
    assert axe_violations(page) == []
    assert Draft.objects.count() == 0
    context.close()
