"""The submission service against the built-in sandbox over a real socket (``live_server``)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse

from designer.models import Revision
from designer.services.drafts import draft_delete
from directory.models import DirectoryUser
from processes_api.sandbox.models import SandboxProcess
from publishing.models import ServerId, Submission, SubmissionError
from publishing.services.recording import record_errors
from publishing.services.submissions import PublishBlocked, draft_publish, submission_create
from tests.directory.fill import add_user
from tests.factories import add_job, make_draft, publishable_draft, root_of

Status = Submission.Status


def test_publish_creates_the_process_and_records_every_server_id(sandbox, user):
    draft, nodes = publishable_draft(user)

    result = draft_publish(draft=draft, user=user)

    submission = Submission.objects.get(pk=result.submission.pk)
    stored = SandboxProcess.objects.get()
    assert submission.status == Status.CREATED
    assert submission.process_id == stored.process_id
    assert submission.server_revision == "1"
    assert submission.http_status == 201
    assert submission.revision.reason == Revision.Reason.PUBLISH
    assert stored.request == submission.revision.payload
    ids = dict(ServerId.objects.filter(submission=submission).values_list("node_key", "server_id"))
    doc = stored.document["root"]
    assert ids == {
        nodes["root"].key: doc["id"],
        nodes["group"].key: doc["children"][0]["group"]["id"],
        nodes["first"].key: doc["children"][0]["group"]["children"][0]["job"]["id"],
        nodes["second"].key: doc["children"][1]["job"]["id"],
    }
    assert '"sendTaskArgs"' in submission.request_body
    assert '"process-' in submission.response_text
    assert not submission.errors.exists()


def test_rejected_user_is_mapped_to_its_job_by_target(sandbox, user):
    draft, nodes = publishable_draft(user, second={"assigneeUser": "invalid-user"})

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.REJECTED
    assert submission.http_status == 400
    assert '"invalidUser"' in submission.response_text
    [error] = submission.errors.all()
    assert error.code == "invalidUser"
    assert error.node_key == nodes["second"].key
    assert error.mapped_by == SubmissionError.MappedBy.TARGET
    assert error.target == "root.children[1].job.arguments.sendTaskArgs.assigneeUser"
    assert error.argument_name == "assigneeUser"
    assert error.path == "root.children[1]"
    assert not SandboxProcess.objects.exists()


def test_several_rejections_are_mapped_by_details_targets(sandbox, user):
    draft, nodes = publishable_draft(
        user, first={"assigneeUser": "invalid-user"}, second={"assigneeUser": "invalid-user"}
    )

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.REJECTED
    top, *details = submission.errors.order_by("id")
    assert top.code == "invalidRequest"
    assert not top.is_detail
    assert top.node_key is None  # the summary ("2 problems") is about the process, not the first job
    assert [(d.node_key, d.mapped_by, d.code) for d in details] == [
        (nodes["first"].key, "details", "invalidUser"),
        (nodes["second"].key, "details", "invalidUser"),
    ]


def test_validation_errors_are_mapped_by_meta_job_id(sandbox, user):
    draft, nodes = publishable_draft(user, first={"assigneeUser": "unverified-user"})

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.CREATED
    [error] = submission.errors.all()
    assert error.source == SubmissionError.Source.VALIDATION
    assert error.code == "userNotVerified"
    assert error.node_key == nodes["first"].key
    assert error.mapped_by == SubmissionError.MappedBy.JOB_ID
    assert error.job_id == ServerId.objects.get(submission=submission, node_key=nodes["first"].key).server_id


def test_dropped_connection_after_create_is_reconciled_without_a_duplicate(sandbox, user, settings):
    settings.WORKIVA_SANDBOX_FAULT = "drop-afterx1"
    draft, nodes = publishable_draft(user)

    submission = draft_publish(draft=draft, user=user).submission

    stored = SandboxProcess.objects.get()  # exactly one
    assert submission.status == Status.RECONCILED
    assert submission.attempts == 1
    assert submission.process_id == stored.process_id
    assert (
        ServerId.objects.get(submission=submission, node_key=nodes["first"].key).server_id
        == (stored.document["root"]["children"][0]["group"]["children"][0]["job"]["id"])
    )


def test_throttled_create_is_retried_after_retry_after(sandbox, user, settings):
    settings.WORKIVA_SANDBOX_FAULT = "429x1"
    draft, _ = publishable_draft(user)

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.CREATED
    assert SandboxProcess.objects.count() == 1


def test_maintenance_503_is_retried(sandbox, user, settings):
    settings.WORKIVA_SANDBOX_FAULT = "503x1"
    draft, _ = publishable_draft(user)

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.CREATED


def test_persistent_500_fails_without_creating(sandbox, user, settings):
    settings.WORKIVA_SANDBOX_FAULT = "500"
    draft, _ = publishable_draft(user)

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.FAILED
    assert submission.http_status == 500
    assert submission.errors.get().code == "serverError"
    assert not SandboxProcess.objects.exists()


def test_wrong_secret_fails_with_a_message_for_the_admin(sandbox, user, settings):
    settings.WORKIVA_SANDBOX_CLIENT_SECRET = "the-right-one"
    settings.WORKIVA_CLIENT_SECRET = "wrong"
    draft, _ = publishable_draft(user)

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.FAILED
    assert submission.http_status == 401
    assert "credentials" in submission.message
    assert not SandboxProcess.objects.exists()


def test_publishing_unchanged_content_again_returns_the_created_submission(sandbox, user):
    draft, nodes = publishable_draft(user)
    first = draft_publish(draft=draft, user=user)

    again = draft_publish(draft=draft, user=user)

    assert again.submission.pk == first.submission.pk
    assert not again.created
    assert SandboxProcess.objects.count() == 1


# --- without the network -------------------------------------------------------------------------


def test_lint_errors_block_publishing_and_write_nothing(user):
    draft = make_draft(user)
    add_job(draft, root_of(draft), title="")

    with pytest.raises(PublishBlocked) as caught:
        submission_create(draft=draft, user=user)

    assert "This job needs a title." in str(caught.value)
    assert not Submission.objects.exists()
    assert not Revision.objects.exists()


def test_a_suspended_assignee_blocks_publishing_and_an_unknown_id_does_not(user, client):
    add_user("userId1", "Sam Suspended", suspended=True)
    draft, _ = publishable_draft(user)

    with pytest.raises(PublishBlocked) as caught:
        submission_create(draft=draft, user=user)

    assert "Assignee Sam Suspended is suspended in Workiva" in str(caught.value)
    assert not Submission.objects.exists()
    assert not Revision.objects.exists()
    client.force_login(user)
    page = client.get(reverse("publishing-history", args=[draft.pk])).content.decode()
    assert "Fix 2 errors in the problems list first." in page  # both jobs are assigned to userId1
    assert "Imported from Workiva process" not in page  # a draft made here has no Workiva origin

    DirectoryUser.objects.filter(workiva_id="userId1").delete()
    add_user("someone-else", "Ada Lovelace")  # a filled directory that does not know userId1: warnings only
    assert submission_create(draft=draft, user=user).created


def test_second_publish_while_in_flight_returns_the_same_submission(user):
    draft, _ = publishable_draft(user)

    first = submission_create(draft=draft, user=user)
    second = submission_create(draft=draft, user=user)

    assert first.created
    assert not second.created
    assert second.submission.pk == first.submission.pk
    assert Revision.objects.count() == 1


def test_database_refuses_a_second_in_flight_submission(user):
    draft, _ = publishable_draft(user)
    first = submission_create(draft=draft, user=user).submission

    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(draft=draft, revision=first.revision, user=user, payload_hash="x", api_url="x")


def test_finished_submissions_do_not_block_a_new_one(user):
    draft, _ = publishable_draft(user)
    first = submission_create(draft=draft, user=user).submission
    Submission.objects.filter(pk=first.pk).update(status=Status.REJECTED)

    second = submission_create(draft=draft, user=user)

    assert second.created


@pytest.mark.parametrize("body", [None, "", [], {"unexpected": True}, "not json"])
def test_unreadable_error_bodies_become_one_process_level_error(user, body):
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission

    [error] = record_errors(submission, body, status=502)

    assert error.node_key is None
    assert error.code == "http-502"


def test_error_with_unknown_job_id_and_target_stays_at_process_level(user):
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission

    [error] = record_errors(
        submission, {"code": "conflict", "target": "somewhere", "meta": {"jobId": "job-x"}}, status=409
    )

    assert error.node_key is None
    assert error.mapped_by == ""
    assert error.job_id == "job-x"


def test_database_task_backend_queues_and_the_worker_sends(sandbox, user, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    draft, _ = publishable_draft(user)

    queued = draft_publish(draft=draft, user=user).submission
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    queued.refresh_from_db()

    assert queued.status == Status.CREATED
    assert queued.process_id == SandboxProcess.objects.get().process_id


def test_publish_logs_neither_secret_nor_token(sandbox, user, settings, caplog):
    import logging

    from processes_api.client import Client

    caplog.set_level(logging.DEBUG)
    settings.WORKIVA_SANDBOX_FAULT = "drop-afterx1"
    draft, _ = publishable_draft(user, second={"assigneeUser": "unverified-user"})

    draft_publish(draft=draft, user=user)

    token = cache.get(Client.from_settings()._token_cache_key)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert token
    # The create whose connection broke is logged with the URL it went to (naming the target).
    assert re.search(r"POST http://localhost:\d+/sandbox/processes: the connection broke", text)
    assert token not in text
    assert settings.WORKIVA_CLIENT_SECRET not in text


def test_deleting_a_draft_deletes_its_submissions(user):
    draft, _ = publishable_draft(user)
    submission_create(draft=draft, user=user)

    draft_delete(draft=draft)

    assert not Submission.objects.exists()


def test_same_content_published_elsewhere_is_a_new_submission(user, settings):
    draft, _ = publishable_draft(user)
    first = submission_create(draft=draft, user=user).submission
    Submission.objects.filter(pk=first.pk).update(status=Status.CREATED, process_id="process-1")
    settings.WORKIVA_API_URL = "https://api.eu.wdesk.com"

    again = submission_create(draft=draft, user=user)

    assert again.created
    assert again.submission.api_url == "https://api.eu.wdesk.com"
