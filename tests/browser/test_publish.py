"""Publish from a real browser (Chromium via Playwright) to the sandbox on the live server."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.browser


@pytest.fixture
def logged_in_page(browser, sandbox):
    live_server = sandbox
    user = UserFactory(username="publisher")
    user.set_password("pw-123456")
    user.save()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)

    def open_history(draft):
        url = f"/drafts/{draft.pk}/publishing/"
        page.goto(f"{live_server.url}/login/?next={url}")
        page.fill("input[name=username]", "publisher")
        page.fill("input[name=password]", "pw-123456")
        with page.expect_navigation():
            page.click("button[type=submit], input[type=submit]")

    yield page, user, open_history
    context.close()


def test_click_publish_and_see_the_process_id(logged_in_page, live_server):
    from processes_api.sandbox.models import SandboxProcess

    page, user, open_history = logged_in_page
    draft = make_draft(user, "Browser close")
    add_job(draft, root_of(draft), "Collect")
    open_history(draft)

    page.click("#publish-area button.publish-button")
    page.wait_for_selector("#submission-status .process-id")

    assert page.inner_text("#submission-status .process-id") == SandboxProcess.objects.get().process_id
    assert "Created" in page.inner_text("#submission-status")


def test_rejected_publish_shows_the_error_on_its_node(logged_in_page, live_server):
    page, user, open_history = logged_in_page
    draft = make_draft(user, "Browser reject")
    group = add_group(draft, root_of(draft), "Review")
    add_job(draft, group, "Collect")
    bad = add_job(draft, group, "Approve", assigneeUser="invalid-user")
    open_history(draft)

    page.click("#publish-area button.publish-button")
    error = page.wait_for_selector(f'#submission-status [data-node-key="{bad.key}"]')

    assert "Approve" in error.inner_text()
    assert "The provided user is invalid." in error.inner_text()
    assert "Rejected" in page.inner_text("#submission-status")


def test_a_lost_answer_is_looked_for_then_the_person_sends_again(logged_in_page, live_server):
    from processes_api.sandbox.models import SandboxProcess

    page, user, open_history = logged_in_page
    draft = make_draft(user, "Browser lost [sandbox:dropx1]")
    add_job(draft, root_of(draft), "Collect")
    open_history(draft)

    page.click("#publish-area button.publish-button")
    send_again = page.wait_for_selector("#submission-status button:has-text('Send again')")

    status = page.inner_text("#submission-status")
    assert "Outcome unknown" in status
    assert "sending again may make a duplicate" in status
    assert not SandboxProcess.objects.exists()
    send_again.click()
    page.wait_for_selector("#submission-status .process-id")
    assert page.inner_text("#submission-status .process-id") == SandboxProcess.objects.get().process_id
    assert f"Sent again by {user.username}" in page.inner_text("#submission-status")


def test_a_slow_publish_shows_the_attempt_in_progress_not_the_last_result(logged_in_page, live_server, settings):
    page, user, open_history = logged_in_page
    draft = make_draft(user, "Browser slow")
    add_job(draft, root_of(draft), "Collect")
    open_history(draft)
    page.click("#publish-area button.publish-button")
    page.wait_for_selector("#submission-status .process-id")
    settings.WORKIVA_SANDBOX_SLOW_SECONDS = 2
    draft.name = "Browser slow [sandbox:slowx1]"
    draft.version += 1  # new content: the next click sends a new create, which the sandbox delays
    draft.save()
    page.reload()

    page.click("#publish-area button.publish-button")

    progress = page.locator("#publish-area .publish-progress")
    progress.wait_for(state="visible")
    assert not page.locator("#submission-status").is_visible()  # the last run's "Created" is hidden
    page.wait_for_selector("#submission-status .process-id", state="visible", timeout=20_000)
    assert not progress.is_visible()


def test_an_open_payload_scrolls_in_its_block_and_does_not_widen_the_history(logged_in_page, live_server):
    page, user, open_history = logged_in_page
    draft = make_draft(user, "Browser wide")
    for index in range(20):
        add_job(draft, root_of(draft), f"Collect statement {index}")
        draft.refresh_from_db()
    open_history(draft)
    page.click("#publish-area button.publish-button")
    page.wait_for_selector("#submission-status .process-id")
    page.reload()

    page.locator("details summary", has_text="Request payload").first.click()

    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.locator("h3.attempt-number").first.inner_text() == "Attempt 1"
