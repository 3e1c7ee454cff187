"""The business calendar in Chromium: a suggested date fix in one click, the schedule view (click a job →
selected in the editor; 3,000 jobs), and axe on the schedule, table and roll-forward pages."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from designer.models import Node
from designer.services.drafts import draft_update
from gallery.models import ProcessTemplate
from gallery.starters import install_starters
from tests.browser.test_accessibility import _context, _report, axe_violations
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SHOTS_DIR", tempfile.gettempdir())) / "process-designer-shots"  # looked at by hand


def _close(user):
    draft = make_draft(user, "Q4 2026 close")
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})
    root = root_of(draft)
    group = add_group(draft, root, "Reconcile")
    saturday = add_job(draft, group, "Bank rec", dueDate="2027-01-16")
    draft.refresh_from_db()
    add_job(draft, group, "Accruals", dueDate="2027-01-18")
    draft.refresh_from_db()
    sign = add_job(draft, root, "Sign off", dueDate="2027-01-28")
    draft.refresh_from_db()
    return draft, saturday, sign


def test_a_suggested_fix_applies_in_one_click(page, live_server, browser_user):
    draft, saturday, _ = _close(browser_user)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Due date 2027-01-16 is not a business day (Saturday).")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#calendar-h").click()
    page.screenshot(path=str(SHOTS / "editor-fixes.png"), full_page=True)
    with page.expect_response(lambda r: "/dates/fix/" in r.url):
        problems.get_by_role("button", name="Fix: use 2027-01-15 (Bank rec)").click()
    expect(page.locator("#flash")).to_contain_text("Date set to 2027-01-15.")
    expect(problems).not_to_contain_text("is not a business day (Saturday)")
    expect(page.locator(f"#node-{saturday.key}")).to_contain_text("due 2027-01-15")
    assert Node.objects.get(pk=saturday.pk).arguments["dueDate"] == "2027-01-15"


def test_clicking_a_job_in_the_schedule_selects_it_in_the_editor(page, live_server, browser_user):
    draft, _, sign = _close(browser_user)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/schedule/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "schedule.png"), full_page=True)
    page.locator(f'svg.schedule-chart g.job[data-key="{sign.key}"] rect').click()
    page.wait_for_url(f"**/drafts/{draft.pk}/?node={sign.key}*")
    node = page.locator(f"#node-{sign.key}")
    expect(node).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_node-title")).to_have_value("Sign off")


def test_the_table_view_links_each_job_to_the_editor(page, live_server, browser_user):
    draft, _, sign = _close(browser_user)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/schedule/?view=table")
    page.get_by_role("link", name="Sign off").click()
    expect(page.locator(f"#node-{sign.key}")).to_have_attribute("aria-selected", "true")


def test_3000_jobs_render_and_stay_usable(page, live_server, browser_user):
    draft = make_draft(browser_user, "Big close")
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})
    root = root_of(draft)
    groups = Node.objects.bulk_create(
        [Node(draft=draft, parent=root, position=i, kind="group", name=f"Group {i}") for i in range(100)]
    )
    start = dt.date(2026, 12, 1)
    Node.objects.bulk_create(
        [
            Node(
                draft=draft,
                parent=groups[i % 100],
                position=i,
                kind="job",
                job_type="sendTask",
                arguments={"title": f"Job {i}", "assigneeUser": "u", "dueDate": str(start + dt.timedelta(days=i % 60))},
            )
            for i in range(3000)
        ]
    )
    began = time.monotonic()
    page.goto(f"{live_server.url}/drafts/{draft.pk}/schedule/?zoom=week")
    expect(page.locator("svg.schedule-labels g.job")).to_have_count(3000)
    seconds = time.monotonic() - began
    print(f"schedule, 3,000 jobs, week zoom: {seconds:.2f} s to load and render (load {os.getloadavg()})")
    page.screenshot(path=str(SHOTS / "schedule-3000.png"))
    last = Node.objects.get(draft=draft, arguments__title="Job 2999")
    page.locator(f'g.job[data-key="{last.key}"] text').click()
    page.wait_for_url(f"**?node={last.key}*")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_schedule_table_and_roll_forward_pages_pass_axe(browser, live_server, browser_user, scheme):
    install_starters(ProcessTemplate)  # a transactional test starts without the migration's rows
    draft, _, _ = _close(browser_user)
    context = _context(browser, live_server, scheme, browser_user)
    page = context.new_page()
    base = f"{live_server.url}/drafts/{draft.pk}"
    found = {}
    for where, url in {
        "schedule": f"{base}/schedule/",
        "schedule, month": f"{base}/schedule/?zoom=month",
        "schedule table": f"{base}/schedule/?view=table",
        "roll forward": f"{base}/next-period/",
        "roll forward preview": f"{base}/next-period/?due=2027-04-30",
        "editor with fixes": f"{base}/",
        "drafts list": f"{live_server.url}/",
        "template gallery": f"{live_server.url}/templates/",
        "starter template": f"{live_server.url}/templates/{ProcessTemplate.objects.get(name='Quarterly close').pk}/",
        "save as template": f"{base}/save-template/",
        "editor, job with a rule form": f"{base}/?node={Node.objects.get(draft=draft, arguments__title='Sign off').key}",
    }.items():
        page.goto(url)
        found[where] = axe_violations(page)
        if scheme == "light" and where == "roll forward preview":
            page.screenshot(path=str(SHOTS / "roll-forward.png"), full_page=True)
    context.close()
    assert not {k: v for k, v in found.items() if v}, "\n" + _report(found)


def test_a_rule_set_in_the_inspector_follows_a_new_process_due_date(page, live_server, browser_user):
    draft, _, sign = _close(browser_user)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/?node={sign.key}")
    rule = page.locator("#inspector .date-rule").first
    rule.get_by_label("Due date: business days", exact=True).fill("2")
    rule.get_by_label("Due date: before or after the process due date").select_option("before")
    with page.expect_response(lambda r: "/date-rule/" in r.url):
        rule.get_by_role("button", name="Set rule").click()
    expect(page.locator("#inspector")).to_contain_text("follows a rule: 2 business days before the process due date")
    expect(page.locator(f"#node-{sign.key}")).to_contain_text("due 2027-01-27")
    page.screenshot(path=str(SHOTS / "editor-rule.png"), full_page=True)

    page.locator("#settings-h").click()
    page.locator("#id_settings-due_date").fill("2027-04-30")
    with page.expect_response(lambda r: "/settings/" in r.url):
        page.get_by_role("button", name="Save settings").click()  # (leaving the field saved it already)
    expect(page.locator(f"#node-{sign.key}")).to_contain_text("due 2027-04-28")
    assert Node.objects.get(pk=sign.pk).arguments["dueDate"] == "2027-04-28"


def test_leaving_the_due_date_field_saves_it_and_recomputes_the_rules(page, live_server, browser_user):
    draft, _, sign = _close(browser_user)
    from designer.services.dates import node_date_rule_set

    draft.refresh_from_db()
    node_date_rule_set(node=Node.objects.get(pk=sign.pk), version=draft.version, field="dueDate", days=-1)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.locator("#settings-h").click()
    page.locator("#id_settings-due_date").fill("2027-04-30")
    with page.expect_response(lambda r: "/settings/" in r.url):
        page.locator("#id_settings-name").focus()  # autosave as the user leaves the field
    expect(page.locator(f"#node-{sign.key}")).to_contain_text("due 2027-04-29")
    expect(page.locator("#id_settings-name")).to_be_focused()  # the user goes on typing where they were


def test_new_draft_from_a_starter_template(page, live_server, browser_user):
    install_starters(ProcessTemplate)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Open the template gallery").click()
    page.get_by_role("link", name="Quarterly close").click()
    page.get_by_label("Name").fill("Q1 2027 close")
    page.get_by_label("Process due date").fill("2027-03-31")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator("#draft-title")).to_have_text("Q1 2027 close")
    expect(page.locator(".messages")).to_contain_text("every date is computed")
    expect(page.locator("#outline-form")).to_contain_text("CFO sign-off")
    expect(page.locator("#outline-form")).to_contain_text("due 2027-03-31")
