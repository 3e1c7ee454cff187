"""Send a submission's create request to Workiva; settle one whose outcome is unknown (reconcile)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from processes_api import schema
from processes_api.client import ApiError, Client
from processes_api.payload import dumps
from processes_api.walk import Step, walk
from publishing.models import Submission, SubmissionError
from publishing.services.recording import record_errors, record_process, submission_finish

logger = logging.getLogger(__name__)

Status = Submission.Status
# Statuses the server gives when it looked at the content and refused it.
REJECTING_STATUSES = (400, 404, 409, 413, 422)
# Create requests one submission may send in all (the first, plus one after a reconcile found nothing).
MAX_CREATE_ATTEMPTS = 2


def submission_send(*, submission_id: int, client: Client | None = None) -> Submission:
    """Send a queued submission's create request and record the outcome."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("revision").get(pk=submission_id)
        if submission.status != Status.QUEUED:
            return submission  # already handled by another worker
        submission.status = Status.SENDING
        submission.started = timezone.now()
        submission.save(update_fields=["status", "started"])
    client = client or Client.from_settings()
    try:
        return submission_post(submission, client)
    except Exception:
        logger.exception("Submission %s: unexpected error while sending", submission.pk)
        submission_finish(submission, Status.UNKNOWN if submission.attempts else Status.FAILED, _UNEXPECTED)
        raise


_UNEXPECTED = "Something went wrong in Process Designer while publishing; see the server log."


def submission_post(submission: Submission, client: Client) -> Submission:
    submission.attempts += 1
    submission.save(update_fields=["attempts"])
    try:
        process = client.create(submission.request_body)
    except ApiError as exc:
        submission.http_status = exc.status
        submission.response_text = exc.text
        if exc.outcome_unknown:
            submission_finish(
                submission,
                Status.UNKNOWN,
                f"{exc.message}. Workiva may have created the process; checking before sending again.",
            )
            return submission_reconcile(submission=submission, client=client, resend=True)
        status = Status.REJECTED if exc.status in REJECTING_STATUSES else Status.FAILED
        with transaction.atomic():
            record_errors(submission, exc.body, status=exc.status)
            submission_finish(submission, status, _failure_message(exc))
        return submission
    submission.http_status = schema.CREATED_STATUS
    submission.response_text = dumps(process, indent=None)
    with transaction.atomic():
        record_process(submission, process)
        submission_finish(submission, Status.CREATED, f"Created Workiva process {submission.process_id}.")
    _validate(submission, client)
    return submission


def _failure_message(exc: ApiError) -> str:
    if exc.status in REJECTING_STATUSES:
        return "Workiva refused the process; see the errors below."
    if exc.status == 401:
        return "Workiva refused the connection's credentials (401). An admin should check the API grant."
    if exc.status == 403:
        return "The API grant may not create processes (403); it needs the file:write scope."
    if exc.status == 429:
        return "Workiva is throttling requests (429) and the retry budget ran out; publish again in a minute."
    if exc.status is None:
        return f"{exc.message}. Nothing was sent; publish again."
    return f"Workiva answered {exc.status}; nothing was created. Publish again later."


def _validate(submission: Submission, client: Client) -> None:
    """Ask Workiva to validate the new process and record its errors by server id (design §4.6)."""
    if not getattr(settings, "WORKIVA_VALIDATE_AFTER_CREATE", True):
        return
    try:
        result = client.validate(submission.process_id)
    except ApiError as exc:
        logger.warning("Submission %s: validation call failed: %s", submission.pk, exc.message)
        return
    errors = result.get("errors")
    if isinstance(errors, list) and errors:
        record_errors(submission, errors, status=200, source=SubmissionError.Source.VALIDATION)


# --- reconcile ------------------------------------------------------------------------------------


def submission_recover(*, submission: Submission) -> str:
    """Unstick a stale submission; return the task to run next ("send", "reconcile" or "").

    Queued means nothing was sent (the status moves to sending, under a lock, before any request),
    so it is sent again. Sending means a request may have reached Workiva: it becomes unknown and
    is reconciled — never sent blindly.
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == Status.UNKNOWN:
            return "reconcile"
        if not locked.is_stale:
            return ""
        if locked.status == Status.QUEUED:
            return "send"
        submission_finish(
            locked, Status.UNKNOWN, "Publishing was interrupted; checking whether Workiva created the process."
        )
    return "reconcile"


def submission_reconcile(*, submission: Submission, client: Client | None = None, resend: bool = False) -> Submission:
    """Settle a submission whose outcome is unknown by finding its process on the server.

    When a process with the same name and structure exists and no other submission claimed it,
    the submission becomes ``reconciled`` with that process. When none exists, the create is sent
    again if ``resend`` and attempts remain; otherwise a user-requested check (``resend`` False)
    marks it failed — Workiva has no such process — and an automatic one leaves it unknown.
    """
    if submission.status != Status.UNKNOWN:
        return submission
    client = client or Client.from_settings()
    payload = submission.revision.payload
    try:
        match = find_process(client, payload, exclude_submission=submission.pk)
    except ApiError as exc:
        submission_finish(
            submission,
            Status.UNKNOWN,
            f"Could not check whether Workiva created the process ({exc.message}). Check again later.",
        )
        return submission
    if match is not None:
        with transaction.atomic():
            record_process(submission, match)
            submission_finish(
                submission,
                Status.RECONCILED,
                f"The answer was lost, but Workiva had created process {submission.process_id}; it is recorded.",
            )
        return submission
    if resend and submission.attempts < MAX_CREATE_ATTEMPTS:
        submission.status = Status.SENDING
        submission.save(update_fields=["status"])
        return submission_post(submission, client)
    if resend:
        submission_finish(
            submission,
            Status.UNKNOWN,
            "Workiva's answer was lost and no matching process shows up yet. Check again in a moment.",
        )
    else:
        submission_finish(submission, Status.FAILED, "Workiva has no process for this submission: it was not created.")
    return submission


def find_process(client: Client, payload: dict[str, Any], *, exclude_submission: int | None = None) -> Any:
    """Return the server process with ``payload``'s name and structure that no submission claimed."""
    name = payload.get("name") or ""
    others = (
        Submission.objects.all() if exclude_submission is None else Submission.objects.exclude(pk=exclude_submission)
    )
    claimed = set(others.exclude(process_id="").values_list("process_id", flat=True))
    wanted = structure(payload)
    for item in client.list(name=name):
        if not isinstance(item, dict) or item.get("name") != name or str(item.get("id")) in claimed:
            continue
        process = client.get(str(item["id"])) if "root" not in item else item
        if structure(process) == wanted:
            return process
    return None


def structure(process: Any) -> Any:
    """Return the shape of a process: its name and, in document order, each node's depth with its
    group name and mode or its job type (generated jobs left out)."""
    if not isinstance(process, dict):
        return None
    shapes = (_shape(step) for step in walk(process.get("root")))
    return (process.get("name"), tuple(shape for shape in shapes if shape is not None))


def _shape(step: Step) -> Any:
    """Return one node's part of :func:`structure`, or None for a generated job."""
    node, _, _, kind, wrapper, _, depth = step
    if wrapper is not None and not isinstance(wrapper, dict):
        return (depth, None)
    if kind == "group":
        if not isinstance(node, dict):
            return (depth, "group", None)
        return (depth, "group", node.get("name"), bool(node.get("parallel")))
    job = (wrapper or {}).get("job") or {}
    args = job.get("arguments") if isinstance(job, dict) else None
    job_type = args.get("type") if isinstance(args, dict) else None
    if isinstance(job_type, str) and job_type.endswith("Generated"):
        return None
    return (depth, "job", job_type)
