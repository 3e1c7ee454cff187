"""Team review in a real Chromium: share, accept, request a review, comment, approve, publish, void by editing."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from designer.models import Comment
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.browser

SCRIPT_COMMENT = '<script>window.pwned = true</script>Is "userId1" the right <b>assignee</b>?'
GATE_REASON = "This draft has reviewers: it needs an approval before it can be published."


@pytest.fixture
def sandbox(live_server, settings):
    settings.WORKIVA_API_URL = f"{live_server.url}/sandbox"
    settings.WORKIVA_TOKEN_URL = f"{live_server.url}/sandbox/iam/v1/oauth2/token"
    settings.WORKIVA_SANDBOX_FAULT = ""
    settings.WORKIVA_CLIENT_SECRET = "test-sandbox-secret"  # DEBUG is off: the public default is refused
    cache.clear()
    yield
    cache.clear()


def wait_idle(page):
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")


def test_two_users_review_approve_publish_and_an_edit_voids_the_approval(new_page, live_server, browser_user, sandbox):
    from processes_api.sandbox.models import SandboxProcess

    owner = browser_user
    reviewer = UserFactory(username="bob")
    draft = make_draft(owner, "Quarter close")
    group = add_group(draft, root_of(draft), "Bank")
    draft.refresh_from_db()
    add_job(draft, group, "Collect statements")
    draft.refresh_from_db()
    job = add_job(draft, group, "Reconcile accounts")
    base = live_server.url
    editor_url = f"{base}/drafts/{draft.pk}/"
    owner_page = new_page(owner)
    reviewer_page = new_page(reviewer)

    # The owner shares the draft with bob as a reviewer through the Sharing page.
    owner_page.goto(editor_url)
    owner_page.locator(".draft-nav").get_by_role("link", name="Sharing").click()
    owner_page.get_by_label("Username or e-mail").fill("bob")
    expect(owner_page.get_by_role("combobox", name="Role", exact=True)).to_have_value("reviewer")
    owner_page.get_by_role("button", name="Share", exact=True).click()
    expect(owner_page.locator(".messages")).to_contain_text("Invitation to “bob” as reviewer recorded.")

    # Bob sees the invitation in the header and accepts it.
    reviewer_page.goto(base + "/")
    reviewer_page.locator(".topbar .invitations-link").click()
    reviewer_page.get_by_role("button", name="Accept").click()
    expect(reviewer_page.locator(".messages")).to_contain_text("You are now reviewer of “Quarter close”.")

    # With a reviewer on the draft, publishing waits for an approval and says so.
    owner_page.goto(editor_url)
    publish = owner_page.locator("#publish-area button.publish-button")
    expect(publish).to_be_disabled()
    expect(owner_page.locator("#publish-reason")).to_have_text(GATE_REASON)
    expect(owner_page.locator("#approval-banner")).to_contain_text("Not reviewed yet.")

    # The owner requests a review from bob.
    owner_page.locator("#approval-banner").get_by_role("link", name="Review").click()
    request_form = owner_page.locator("#request")
    request_form.get_by_label("bob").check()
    request_form.get_by_label("Note for the reviewers").fill("Please check the bank jobs.")
    request_form.get_by_role("button", name="Request review").click()
    expect(owner_page.locator(".messages")).to_contain_text("Review requested")

    # Bob sees one review waiting in the header, opens it and comments on the job.
    reviewer_page.goto(base + "/")
    inbox_link = reviewer_page.locator(".topbar .inbox-link")
    expect(inbox_link.locator(".count")).to_have_text("1")
    inbox_link.click()
    reviewer_page.get_by_role("link", name="Quarter close").click()
    expect(reviewer_page.locator("h1")).to_have_text(re.compile(r"Review of revision \d+"))
    expect(reviewer_page.locator(".diff-list.added")).to_contain_text("Reconcile accounts")
    comments = reviewer_page.locator("#comments")
    comments.get_by_role("combobox", name="On", exact=True).select_option(str(job.key))
    comments.get_by_label("Comment", exact=True).fill(SCRIPT_COMMENT)
    with reviewer_page.expect_response(lambda r: "/comments/add/" in r.url):
        comments.get_by_role("button", name="Comment", exact=True).click()
    wait_idle(reviewer_page)
    thread = reviewer_page.locator("#comments .thread").first
    expect(thread.locator(".anchor")).to_contain_text("On Reconcile accounts")
    expect(thread.locator(".body")).to_have_text(SCRIPT_COMMENT)
    assert reviewer_page.evaluate("window.pwned") is None
    assert reviewer_page.locator("#comments .body script, #comments .body b").count() == 0
    assert Comment.objects.get().node_key == job.key

    # Bob approves; the inbox empties.
    reviewer_page.locator("#decide").get_by_role("button", name="Approve").click()
    expect(reviewer_page.locator(".messages")).to_contain_text("Approved.")
    expect(reviewer_page.locator("#approval-status")).to_contain_text("Approved by bob")
    expect(reviewer_page.locator(".topbar .inbox-link .count")).to_have_count(0)

    # The owner sees the comment on the job in the editor, and its text on the review page.
    owner_page.goto(editor_url)
    marker = owner_page.locator(f"#node-{job.key} .comment-marker")
    expect(marker).to_have_text(re.compile(r"1\s*$"))
    expect(owner_page.locator("#approval-banner")).to_contain_text("Approved by bob")
    marker.click()
    owner_page.wait_for_url(re.compile(rf"/drafts/{draft.pk}/review/\?node={job.key}"))
    expect(owner_page.locator("#comments h2")).to_contain_text("Comments on Reconcile accounts")
    expect(owner_page.locator("#comments .thread .body")).to_have_text(SCRIPT_COMMENT)
    assert owner_page.evaluate("window.pwned") is None

    # The approval opens the gate: the owner publishes to the sandbox and sees the process id.
    owner_page.goto(editor_url)
    expect(publish).to_be_enabled()
    publish.click()
    process_id = owner_page.locator("#submission-status .process-id")
    expect(process_id).to_be_visible()
    expect(process_id).to_have_text(SandboxProcess.objects.get().process_id)

    # An edit after the approval voids it and closes the gate again.
    owner_page.locator(f"#node-{job.key} > .row .label").click()
    title = owner_page.locator("#inspector").get_by_label("Title")
    expect(title).to_have_value("Reconcile accounts")
    title.fill("Reconcile all accounts")
    with owner_page.expect_response(lambda r: "/edit/" in r.url and r.request.method == "POST"):
        owner_page.locator("#inspector").get_by_role("button", name="Save").click()
    wait_idle(owner_page)
    expect(owner_page.locator("#approval-banner")).to_contain_text("Changed since approval")
    expect(publish).to_be_disabled()
    expect(owner_page.locator("#publish-reason")).to_contain_text("changed since it was approved")


def test_the_owner_cannot_approve_their_own_edit_and_an_open_request_is_named(new_page, live_server, browser_user):
    from designer.models import Membership
    from designer.services.reviews import review_approve

    owner = browser_user
    reviewer = UserFactory(username="bob")
    draft = make_draft(owner, "Quarter close")
    job = add_job(draft, root_of(draft), "Reconcile accounts")
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    draft.refresh_from_db()
    review_approve(draft=draft, actor=reviewer, version=draft.version)
    editor_url = f"{live_server.url}/drafts/{draft.pk}/"
    owner_page = new_page(owner)

    # The owner changes the job after bob's approval: the approval is void.
    owner_page.goto(editor_url)
    owner_page.locator(f"#node-{job.key} > .row .label").click()
    title = owner_page.locator("#inspector").get_by_label("Title")
    expect(title).to_have_value("Reconcile accounts")
    title.fill("Reconcile all accounts")
    with owner_page.expect_response(lambda r: "/edit/" in r.url and r.request.method == "POST"):
        owner_page.locator("#inspector").get_by_role("button", name="Save").click()
    wait_idle(owner_page)
    expect(owner_page.locator("#approval-banner")).to_contain_text("Changed since approval")

    # The owner approves their own change: it is recorded, the page says it does not count.
    owner_page.locator("#approval-banner").get_by_role("link", name="Review").click()
    expect(owner_page.locator("#own-change")).to_contain_text("You edited this change")
    owner_page.locator("#decide").get_by_role("button", name="Approve").click()
    expect(owner_page.locator(".messages")).to_contain_text("it does not count for publishing")
    expect(owner_page.locator("#approval-status")).to_contain_text("Needs an independent approval.")
    expect(owner_page.locator("#approval-status")).to_contain_text("Publishing: blocked")

    # The editor keeps publishing closed and says why.
    owner_page.goto(editor_url)
    expect(owner_page.locator("#approval-banner")).to_contain_text("Needs an independent approval")
    expect(owner_page.locator("#publish-area button.publish-button")).to_be_disabled()
    expect(owner_page.locator("#publish-reason")).to_contain_text("four eyes")

    # The owner asks bob: the banner and the review page name the request instead of offering it again.
    owner_page.locator("#approval-banner").get_by_role("link", name="Review").click()
    request_form = owner_page.locator("#request")
    request_form.get_by_label("bob").check()
    request_form.get_by_role("button", name="Request review").click()
    expect(owner_page.locator(".messages")).to_contain_text("Review requested")
    expect(request_form.locator(".requested")).to_have_text(re.compile(r"Review requested from bob on \d+ \w+ \d{4}"))
    expect(request_form.get_by_role("button", name="Request a new review")).to_be_hidden()
    expect(owner_page.locator("#approval-status")).not_to_contain_text("Not reviewed yet")
    owner_page.goto(editor_url)
    expect(owner_page.locator("#approval-banner")).to_contain_text("Review requested from bob on")
    expect(owner_page.locator("#approval-banner")).not_to_contain_text("Not reviewed yet")

    # bob, who made none of the change, approves: publishing opens.
    reviewer_page = new_page(reviewer)
    reviewer_page.goto(f"{live_server.url}/drafts/{draft.pk}/review/")
    expect(reviewer_page.locator("#own-change")).to_have_count(0)
    reviewer_page.locator("#decide").get_by_role("button", name="Approve").click()
    expect(reviewer_page.locator("#approval-status")).to_contain_text("Approved by bob")
    owner_page.reload()
    expect(owner_page.locator("#publish-area button.publish-button")).to_be_enabled()


def test_an_admin_adds_a_teammate_who_logs_in_on_the_styled_login_page(browser, new_page, live_server, browser_user):
    browser_user.is_staff = True
    browser_user.save()
    admin = new_page(browser_user)
    admin.goto(live_server.url + "/")
    admin.locator(".topnav").get_by_role("link", name="Team").click()
    admin.get_by_label("Username").fill("carol")
    admin.get_by_label("E-mail").fill("carol@example.com")
    admin.get_by_label("Temporary password").fill("plum-orchard-ladder-42")
    admin.get_by_role("button", name="Add teammate").click()
    expect(admin.locator(".messages")).to_contain_text("Added carol.")
    expect(admin.get_by_role("cell", name="carol@example.com")).to_be_visible()

    # A first visit, logged out: the icon loads, nothing fails in the console, the form is the app's.
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        icon = page.evaluate(
            "fetch(document.querySelector('link[rel=icon]').href).then(r => r.headers.get('content-type'))"
        )
        assert icon.startswith("image/svg+xml")
        username = page.get_by_label("Username")
        assert username.evaluate("e => getComputedStyle(e).borderRadius") == "6px"
        assert username.evaluate("e => e.getBoundingClientRect().width") > 300
        username.fill("carol")
        page.get_by_label("Password").fill("plum-orchard-ladder-42")
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".topnav .who")).to_have_text("carol")
        expect(page.locator(".topnav").get_by_role("link", name="Team")).to_have_count(0)
        # She replaces the temporary password with her own.
        page.locator(".topnav .who").click()
        page.get_by_label("Old password").fill("plum-orchard-ladder-42")
        page.get_by_label("New password", exact=True).fill("quiet-harbour-lantern-77")
        page.get_by_label("New password confirmation").fill("quiet-harbour-lantern-77")
        page.get_by_role("button", name="Change password").click()
        expect(page.locator(".messages")).to_contain_text("Your password is changed.")
        # Pages without an icon link (the admin's) make browsers ask for /favicon.ico.
        assert page.goto(live_server.url + "/favicon.ico").headers["content-type"].startswith("image/svg+xml")
        assert problems == []
    finally:
        context.close()


def test_duplicate_opens_the_copy_whose_root_carries_the_copy_s_name(page, live_server, browser_user):
    from designer.models import Draft

    draft = make_draft(browser_user, "Quarter close")
    add_job(draft, root_of(draft), "Reconcile accounts")

    page.goto(live_server.url + "/")
    page.get_by_role("row", name=re.compile("Quarter close")).get_by_role("button", name="Duplicate").click()

    copy = Draft.objects.exclude(pk=draft.pk).get()
    page.wait_for_url(re.compile(rf"/drafts/{copy.pk}/$"))
    expect(page.locator("#draft-title")).to_have_text("Copy of Quarter close")
    expect(page.locator(".root-row .label")).to_have_text("Copy of Quarter close")
    expect(page.locator(".messages")).to_contain_text("you are editing the copy")


def test_renaming_the_process_renames_its_root_in_the_outline_at_once(page, live_server, browser_user):
    draft = make_draft(browser_user, "Quarter close")
    add_job(draft, root_of(draft), "Reconcile accounts")

    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.get_by_role("region", name="Process settings").locator("summary").click()
    page.locator("#id_settings-name").fill("Year-end close")
    # The save's answer carries the status (the root label comes with it): no request follows it.
    with page.expect_response(lambda r: "/settings/" in r.url and r.request.method == "POST"):
        page.locator("details.settings").get_by_role("button", name="Save settings").click()
    wait_idle(page)

    expect(page.locator("#draft-title")).to_have_text("Year-end close")
    expect(page.locator(".root-row .label")).to_have_text("Year-end close")
    assert root_of(draft).name == "Year-end close"
