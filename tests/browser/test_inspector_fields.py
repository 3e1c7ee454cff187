"""The inspector says each thing once, marks every required field, and a problem leads to its field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from processes_api import schema
from tests.factories import add_job, make_draft, root_of

pytestmark = pytest.mark.browser


def test_the_certification_warning_shows_once(page, live_server, browser_user):
    draft = make_draft(browser_user)
    cert = add_job(draft, root_of(draft), "Sign off", job_type="certification")
    page.goto(f"{live_server.url}/drafts/{draft.pk}/?node={cert.key}")

    note = schema.JOB_TYPES["certification"].note
    expect(page.locator("#inspector .node-problems")).to_contain_text(note)
    assert page.locator("#inspector").inner_text().count(note) == 1


def _field(form, label):
    return form.locator(".field").filter(has=form.page.locator("label", has_text=re.compile(rf"^{label}( \*)?$")))


@pytest.mark.parametrize(
    ("job_type", "required", "optional"),
    [
        ("sendTask", ["Title", "Assignee"], ["Instructions", "Approver", "Due date"]),
        ("contentRequest", ["Title", "Assignee", "Document", "Section"], ["Instructions", "Approver"]),
        ("certification", ["Title", "Letter"], ["Due date"]),
    ],
)
def test_every_required_field_carries_a_star(page, live_server, browser_user, job_type, required, optional):
    draft = make_draft(browser_user)
    job = add_job(draft, root_of(draft), "Job", job_type=job_type)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/?node={job.key}")
    form = page.locator("#inspector .node-form")
    for label in required:
        expect(_field(form, label).locator(".req")).to_have_text("*")
        expect(_field(form, label).locator("input:not([type=hidden]), textarea")).to_have_attribute(
            "aria-required", "true"
        )
    for label in optional:
        field = _field(form, label)
        expect(field).to_have_count(1)
        expect(field.locator(".req")).to_have_count(0)


def test_clicking_a_problem_focuses_its_field(page, live_server, browser_user):
    draft = make_draft(browser_user)
    add_job(draft, root_of(draft), "Complete")
    draft.refresh_from_db()
    job = add_job(draft, root_of(draft), "Collect", assigneeUser="")
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")

    page.locator("#problems a", has_text="Choose who this job goes to").click()

    expect(page.locator("#inspector .node-form")).to_have_attribute(
        "action", f"/drafts/{draft.pk}/nodes/{job.key}/edit/"
    )
    # The assignee is a picker (static/js/picker.js): its combobox carries the field's id.
    expect(page.locator("#inspector #id_node-assigneeUser")).to_be_focused()
    expect(page.locator(f"#node-{job.key}")).to_have_attribute("aria-selected", "true")
