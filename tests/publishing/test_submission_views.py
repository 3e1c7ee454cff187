"""Publishing pages: the publish endpoint, status partial, history, publish area and connection page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from designer.models import Membership
from designer.services.nodes import node_update
from processes_api.lint import Problem
from processes_api.sandbox.models import SandboxProcess
from publishing.models import Submission
from publishing.selectors import publish_state
from publishing.services.recording import record_errors
from publishing.services.submissions import draft_publish, submission_create
from tests.factories import UserFactory, add_job, make_draft, publishable_draft, root_of

HX = {"HTTP_HX_REQUEST": "true"}


def test_publish_by_htmx_answers_with_the_process_id(sandbox, user, client):
    draft, _ = publishable_draft(user)
    client.force_login(user)

    response = client.post(reverse("draft-publish", args=[draft.pk]), **HX)

    process_id = SandboxProcess.objects.get().process_id
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="submission-status"' in html
    assert f'href="/sandbox/view/processes/{process_id}"' in html
    assert "Created" in html


def test_publish_without_htmx_redirects_to_the_history(sandbox, user, client):
    draft, _ = publishable_draft(user)
    client.force_login(user)

    response = client.post(reverse("draft-publish", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("publishing-history", args=[draft.pk])


def test_rejected_publish_shows_each_error_on_its_node(sandbox, user, client):
    draft, nodes = publishable_draft(user, second={"assigneeUser": "invalid-user"})
    client.force_login(user)

    html = client.post(reverse("draft-publish", args=[draft.pk]), **HX).content.decode()

    assert "Rejected" in html
    assert f'data-node-key="{nodes["second"].key}"' in html
    assert "Sign off" in html
    assert "The provided user is invalid." in html


def test_blocked_publish_lists_the_lint_errors(user, client):
    draft = make_draft(user)
    add_job(draft, root_of(draft), title="")
    client.force_login(user)

    response = client.post(reverse("draft-publish", args=[draft.pk]), **HX)

    assert response.status_code == 200
    assert "This job needs a title." in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("reviewer", 403), (None, 404)])
def test_publish_needs_the_publish_permission(user, client, role, status):
    draft, _ = publishable_draft(UserFactory())
    if role:
        Membership.objects.create(draft=draft, user=user, role=role)
    client.force_login(user)

    response = client.post(reverse("draft-publish", args=[draft.pk]), **HX)

    assert response.status_code == status
    assert not Submission.objects.exists()


def test_publish_needs_login_and_post(user, client):
    draft, _ = publishable_draft(user)
    url = reverse("draft-publish", args=[draft.pk])

    assert client.post(url).status_code == 302
    client.force_login(user)
    assert client.get(url).status_code == 405


def test_publish_needs_csrf(user):
    from django.test import Client

    draft, _ = publishable_draft(user)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)

    assert strict.post(reverse("draft-publish", args=[draft.pk]), **HX).status_code == 403


def test_status_partial_polls_while_queued_and_stops_when_done(user, client):
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    client.force_login(user)
    url = reverse("submission-status", args=[submission.pk])

    polling = client.get(url, **HX).content.decode()
    Submission.objects.filter(pk=submission.pk).update(status="created", process_id="process-9")
    done = client.get(url, **HX).content.decode()

    assert 'hx-trigger="every 1s"' in polling
    assert "Sending to Workiva" in polling
    assert 'hx-trigger="every 1s"' not in done
    assert "process-9" in done


def test_history_lists_attempts_with_payload_raw_response_and_escaped_errors(user, client):
    draft, nodes = publishable_draft(user, name="<b>Close</b>")
    submission = submission_create(draft=draft, user=user).submission
    record_errors(
        submission,
        {"code": "invalidUser", "message": "<script>x</script>", "target": "root.children[1].job.arguments"},
        status=400,
    )
    Submission.objects.filter(pk=submission.pk).update(status="rejected", response_text='{"code": "invalidUser"}')
    client.force_login(user)

    html = client.get(reverse("publishing-history", args=[draft.pk])).content.decode()

    assert "Rejected" in html
    assert user.username in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html
    assert "&lt;b&gt;Close&lt;/b&gt;" in html
    assert "sendTaskArgs" in html  # the payload
    assert "{&quot;code&quot;: &quot;invalidUser&quot;}" in html  # the raw response
    assert "Sign off" in html


def test_history_is_hidden_from_users_without_access(user, client):
    draft, _ = publishable_draft(UserFactory())
    client.force_login(user)

    assert client.get(reverse("publishing-history", args=[draft.pk])).status_code == 404


def render_area(draft, problems, user):
    request = RequestFactory().get("/")
    request.user = user
    state = publish_state(draft=draft, problems=problems, user=user)
    return render_to_string("publishing/publish.html#publish-area", {"pub": state}, request=request)


def test_publish_area_disables_the_button_while_lint_errors_remain(user):
    draft, _ = publishable_draft(user)
    problems = [Problem("error", "title-missing", "This job needs a title."), Problem("warning", "w", "w")]

    html = render_area(draft, problems, user)

    assert '<button type="submit" class="primary publish-button" disabled' in html
    assert "Fix 1 error in the problems list first." in html
    assert f'hx-post="{reverse("draft-publish", args=[draft.pk])}"' in html


def test_publish_area_enables_the_button_and_shows_the_last_result(user):
    draft, _ = publishable_draft(user)
    Submission.objects.create(
        draft=draft,
        revision=submission_create(draft=draft, user=user).submission.revision,
        user=user,
        payload_hash="x",
        api_url="x",
        status="created",
        process_id="process-77",
    )

    html = render_area(draft, [], user)

    assert '<button type="submit" class="primary publish-button">' in html
    assert "process-77" in html


def test_publish_area_explains_a_role_without_publish(user):
    draft, _ = publishable_draft(UserFactory())
    Membership.objects.create(draft=draft, user=user, role="viewer")

    html = render_area(draft, [], user)

    assert "Your role on this draft does not allow publishing." in html


def test_connection_page_is_staff_only_and_never_shows_the_secret(user, client, settings):
    settings.WORKIVA_CLIENT_SECRET = "super-secret-value"
    client.force_login(user)
    assert client.get(reverse("publishing-connection")).status_code == 302
    user.is_staff = True
    user.save()

    html = client.get(reverse("publishing-connection")).content.decode()

    assert settings.WORKIVA_API_URL in html
    assert settings.WORKIVA_CLIENT_ID in html
    assert "super-secret-value" not in html
    assert "never shown" in html


def test_connection_test_fetches_a_token_and_lists(sandbox, user, client):
    user.is_staff = True
    user.save()
    client.force_login(user)

    html = client.post(reverse("publishing-connection-test"), **HX).content.decode()

    assert "Connected: fetched a token and listed 0 processes." in html


def test_connection_test_reports_refused_credentials(sandbox, user, client, settings):
    settings.WORKIVA_SANDBOX_CLIENT_SECRET = "the-right-one"
    settings.WORKIVA_CLIENT_SECRET = "wrong"
    user.is_staff = True
    user.save()
    client.force_login(user)

    html = client.post(reverse("publishing-connection-test"), **HX).content.decode()

    assert "The token endpoint refused the credentials: unauthorized_client" in html


def test_check_again_reconciles_an_unknown_submission(sandbox, user, client):
    from processes_api.client import Client

    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    created = Client.from_settings().create(submission.request_body)  # the server did create it
    Submission.objects.filter(pk=submission.pk).update(status="unknown", attempts=1)
    client.force_login(user)

    html = client.post(reverse("submission-check", args=[submission.pk]), **HX).content.decode()

    submission.refresh_from_db()
    assert submission.status == Submission.Status.RECONCILED
    assert submission.process_id == created["id"]
    assert created["id"] in html
    assert SandboxProcess.objects.count() == 1


def test_check_again_on_an_unknown_submission_with_no_process_keeps_looking_and_sends_nothing(sandbox, user, client):
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    Submission.objects.filter(pk=submission.pk).update(status="unknown", attempts=1)
    client.force_login(user)

    html = client.post(reverse("submission-check", args=[submission.pk]), **HX).content.decode()

    submission.refresh_from_db()
    assert submission.status == Submission.Status.UNKNOWN
    assert submission.checking
    assert submission.checks == 1
    assert "Looking for the process on Workiva" in html
    assert 'hx-trigger="every 2s"' in html
    assert not SandboxProcess.objects.exists()


def test_stale_queued_submission_is_sent_when_checked(sandbox, user, client):
    import datetime as dt

    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    Submission.objects.filter(pk=submission.pk).update(created=submission.created - dt.timedelta(minutes=10))
    client.force_login(user)

    status_html = client.get(reverse("submission-status", args=[submission.pk]), **HX).content.decode()
    client.post(reverse("submission-check", args=[submission.pk]), **HX)

    submission.refresh_from_db()
    assert "the worker may have stopped" in status_html
    assert 'hx-trigger="every 1s"' not in status_html
    assert submission.status == Submission.Status.CREATED


def test_stale_sending_submission_is_reconciled_not_resent(sandbox, user, client):
    import datetime as dt

    from processes_api.client import Client

    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    created = Client.from_settings().create(submission.request_body)
    Submission.objects.filter(pk=submission.pk).update(
        status="sending", attempts=1, started=submission.created - dt.timedelta(minutes=10)
    )
    client.force_login(user)

    client.post(reverse("submission-check", args=[submission.pk]), **HX)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.RECONCILED
    assert submission.process_id == created["id"]
    assert SandboxProcess.objects.count() == 1


def test_fresh_sending_submission_is_left_alone_when_checked(user, client):
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    Submission.objects.filter(pk=submission.pk).update(status="sending")
    client.force_login(user)

    client.post(reverse("submission-check", args=[submission.pk]), **HX)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.SENDING


def test_sandbox_label_only_when_publishing_to_the_sandbox(user, settings):
    draft, _ = publishable_draft(user)
    settings.WORKIVA_SANDBOX = True
    settings.WORKIVA_API_URL = "http://127.0.0.1:8000/sandbox"
    to_sandbox = render_area(draft, [], user)
    settings.WORKIVA_API_URL = "https://api.app.wdesk.com"

    to_workiva = render_area(draft, [], user)

    assert "sandbox-label" in to_sandbox
    assert "sandbox-label" not in to_workiva


def _needs_decision(user, **fields):
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    Submission.objects.filter(pk=submission.pk).update(status="unknown", attempts=1, checks=3, **fields)
    return draft, submission


def test_unknown_outcome_shows_what_is_known_and_both_choices(user, client):
    candidate = {
        "id": "process-5",
        "created": "2026-12-01T10:00:00+00:00",
        "created_by": "u9",
        "reason": "",
        "claimable": True,
    }
    _, submission = _needs_decision(user, candidates=[candidate, {**candidate, "id": "process-6"}])
    client.force_login(user)

    html = client.get(reverse("submission-status", args=[submission.pk]), **HX).content.decode()

    assert "1 create request sent" in html
    assert "3 looks for the process" in html
    assert html.count("That one is mine") == 2
    assert 'name="process_id" value="process-6"' in html
    assert "sending again may make a duplicate" in html
    assert reverse("submission-resend", args=[submission.pk]) in html
    assert "every 2s" not in html


def test_send_again_view_sends_once_and_records_who(sandbox, user, client):
    _, submission = _needs_decision(user)
    client.force_login(user)
    url = reverse("submission-resend", args=[submission.pk])

    first = client.post(url, {"attempts": "1"}, **HX).content.decode()
    second = client.post(url, {"attempts": "1"}, **HX).content.decode()

    submission.refresh_from_db()
    assert submission.status == Submission.Status.CREATED
    assert SandboxProcess.objects.count() == 1
    assert f"Sent again by {user.username}" in first
    assert "This submission is created now; nothing was done." in second


def test_that_one_is_mine_records_the_process_and_who_chose_it(sandbox, user, client):
    from processes_api.client import Client

    draft, submission = _needs_decision(user)
    process = Client.from_settings().create(submission.request_body)
    Submission.objects.filter(pk=submission.pk).update(candidates=[{"id": process["id"], "claimable": True}])
    client.force_login(user)

    html = client.post(
        reverse("submission-claim", args=[submission.pk]), {"attempts": "1", "process_id": process["id"]}, **HX
    ).content.decode()

    submission.refresh_from_db()
    assert submission.status == Submission.Status.RECONCILED
    assert submission.process_id == process["id"]
    assert submission.decided_by == user
    assert f"Claimed a process by {user.username}" in html
    assert SandboxProcess.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_decisions_need_the_publish_permission(user, client, role):
    draft, submission = _needs_decision(UserFactory())
    Membership.objects.create(draft=draft, user=user, role=role)
    client.force_login(user)

    assert client.post(reverse("submission-resend", args=[submission.pk]), {"attempts": "1"}, **HX).status_code == 403
    assert client.post(reverse("submission-claim", args=[submission.pk]), {"attempts": "1"}, **HX).status_code == 403
    assert Submission.objects.get(pk=submission.pk).decision == ""


def test_status_page_takes_the_due_look_while_looking(sandbox, user, client):
    from django.utils import timezone

    from processes_api.client import Client

    _, submission = _needs_decision(
        user, check_until=timezone.now() + dt.timedelta(minutes=1), next_check=timezone.now()
    )
    process = Client.from_settings().create(submission.request_body)
    client.force_login(user)

    html = client.get(reverse("submission-status", args=[submission.pk]), **HX).content.decode()

    submission.refresh_from_db()
    assert submission.status == Submission.Status.RECONCILED
    assert process["id"] in html


def test_a_sending_submission_is_stale_once_the_clients_time_budget_is_spent(user, settings):
    from django.utils import timezone

    settings.WORKIVA_CONNECT_TIMEOUT = 5
    settings.WORKIVA_READ_TIMEOUT = 30
    settings.WORKIVA_RETRY_BUDGET = 30
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    submission.status = Submission.Status.SENDING

    submission.started = timezone.now() - dt.timedelta(seconds=100)
    assert not submission.is_stale
    submission.started = timezone.now() - dt.timedelta(seconds=130)
    assert submission.is_stale


def test_workiva_errors_stay_on_their_nodes_in_the_editor_until_the_draft_changes(sandbox, user, client):
    draft, nodes = publishable_draft(
        user, first={"assigneeUser": "invalid-user"}, second={"assigneeUser": "invalid-user"}
    )
    client.force_login(user)
    client.post(reverse("draft-publish", args=[draft.pk]), **HX)
    first, second = nodes["first"].key, nodes["second"].key
    editor = reverse("draft-editor", args=[draft.pk])

    page = client.get(f"{editor}?node={second}").content.decode()

    # On the row (a badge), in the problems list (a link to the node) and in the inspector.
    row = page[page.index(f'id="node-{second}"') :]
    assert 'class="badge badge-error" title="1 error"' in row[: row.index("</li>")]
    assert f'data-problem-key="{first}" data-problem-field="assigneeUser"' in page
    inspector = page[page.index('aria-label="Problems with this item"') :]
    assert "Workiva: The provided user is invalid." in inspector[: inspector.index("</ul>")]
    # The summary belongs to the process, not to the first job.
    assert "The process has 2 problems" not in row
    draft.refresh_from_db()

    node_update(node=nodes["first"], version=draft.version, changes={"arguments": {"assigneeUser": "u1"}})
    after = client.get(editor).content.decode()

    assert "Workiva:" not in after


def test_history_numbers_attempts_counts_every_post_and_leads_back_to_the_editor(sandbox, user, client, settings):
    draft, _ = publishable_draft(user)
    draft_publish(draft=draft, user=user)
    draft.refresh_from_db()
    draft.name = "Quarter close, second try"
    draft.version += 1
    draft.save()
    settings.WORKIVA_SANDBOX_FAULT = "503x2"  # the create is retried twice before it is accepted
    draft_publish(draft=draft, user=user)
    client.force_login(user)

    html = client.get(reverse("publishing-history", args=[draft.pk])).content.decode()

    assert html.index("Attempt 2") < html.index("Attempt 1")
    assert "Attempt 3" not in html
    assert "1 create request in 3 HTTP POSTs with retries" in html
    assert "1 create request)" in html  # the first attempt made a single POST
    assert f'href="{reverse("draft-editor", args=[draft.pk])}"' in html
    assert f'href="{reverse("publishing-history", args=[draft.pk])}"' not in html  # no link to itself
