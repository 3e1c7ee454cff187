"""Send a submission's create request to Workiva; settle one whose outcome is unknown (reconcile).

A create whose answer was lost is never sent again automatically. The submission becomes
``unknown`` and the process is looked for, with backoff, over ``WORKIVA_RECONCILE_WINDOW_SECONDS``;
it is claimed only when exactly one listed process matches strictly (:func:`find_candidates`).
Several matches, or none by the end of the window, leave the decision to a person: send again
(a duplicate may result) or name the process that is this submission's (:func:`submission_resend`,
:func:`submission_claim`). Every change of an unknown submission happens under its row lock, and
the only way back to sending is through ``queued`` under that lock with the attempts the person
saw, so at most one create is in flight per submission.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from designer.models import Activity
from designer.services.activity import activity_record
from processes_api import schema
from processes_api.client import ApiError, Client
from processes_api.payload import dumps
from publishing.models import Submission, SubmissionError
from publishing.services.matching import find_candidates
from publishing.services.recording import record_errors, record_process, submission_finish

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

Status = Submission.Status
# Statuses the server gives when it looked at the content and refused it.
REJECTING_STATUSES = (400, 404, 409, 413, 422)
# The longest pause between two looks, however long the window.
MAX_LOOK_DELAY = timedelta(seconds=60)


class DecisionRefused(Exception):
    """A person's decision on an unknown submission no longer applies; the message says why."""


def submission_send(*, submission_id: int, client: Client | None = None) -> Submission:
    """Send a queued submission's create request and record the outcome."""
    client = client or Client.from_settings()
    with transaction.atomic():
        submission = Submission.objects.select_for_update(of=("self",)).select_related("revision").get(pk=submission_id)
        if submission.status != Status.QUEUED:
            return submission  # already handled by another worker
        submission.status = Status.SENDING
        submission.started = timezone.now()
        submission.save(update_fields=["status", "started"])
    return submission_post(submission, client)


_UNEXPECTED = "Something went wrong in Process Designer while publishing; see the server log."


def submission_post(submission: Submission, client: Client) -> Submission:
    """Send the create request of a submission this worker moved to sending, and record the outcome.

    The token is fetched first: whatever fails before the create request leaves is a plain
    failure ("nothing was sent"), never an unknown outcome.
    """
    try:
        client.token()
    except ApiError as exc:
        submission.http_status = exc.status
        submission.response_text = exc.text
        submission_finish(submission, Status.FAILED, _failure_message(exc))
        return submission
    except Exception:
        logger.exception("Submission %s: unexpected error before sending", submission.pk)
        submission_finish(submission, Status.FAILED, f"{_UNEXPECTED} Nothing was sent; publish again.")
        raise
    submission.attempts += 1
    submission.first_sent = submission.first_sent or timezone.now()
    submission.save(update_fields=["attempts", "first_sent"])
    posts_before = client.requests_to("POST", schema.PROCESSES_PATH)
    try:
        process = client.create(submission.request_body)
    except ApiError as exc:
        _count_posts(submission, client.requests_to("POST", schema.PROCESSES_PATH) - posts_before)
        submission.http_status = exc.status
        submission.response_text = exc.text
        if exc.outcome_unknown:
            _lost(submission, f"{exc.message}. Workiva may have created the process; looking for it.")
            return submission_reconcile(submission_id=submission.pk, client=client)
        status = Status.REJECTED if exc.status in REJECTING_STATUSES else Status.FAILED
        with transaction.atomic():
            record_errors(submission, exc.body, status=exc.status)
            submission_finish(submission, status, _failure_message(exc))
        return submission
    except Exception:
        _count_posts(submission, client.requests_to("POST", schema.PROCESSES_PATH) - posts_before)
        logger.exception("Submission %s: unexpected error while sending", submission.pk)
        _lost(submission, f"{_UNEXPECTED} Workiva may have created the process; looking for it.")
        raise
    _count_posts(submission, client.requests_to("POST", schema.PROCESSES_PATH) - posts_before)
    return _created(submission, process, client)


def _count_posts(submission: Submission, posts: int) -> None:
    """Add the HTTP POSTs one create took (its retries included) to what the history shows."""
    Submission.objects.filter(pk=submission.pk).update(requests_sent=F("requests_sent") + posts)
    submission.requests_sent += posts


def _created(submission: Submission, process: dict[str, Any], client: Client) -> Submission:
    """Record a 201 answer, unless a look already settled the submission meanwhile."""
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",)).select_related("revision", "draft").get(pk=submission.pk)
        )
        if locked.status not in (Status.SENDING, Status.UNKNOWN):
            logger.warning("Submission %s was settled (%s) before its create answered", locked.pk, locked.status)
            return locked
        locked.http_status = schema.CREATED_STATUS
        locked.response_text = dumps(process, indent=None)
        _stop_looking(locked)
        record_process(locked, process)
        submission_finish(locked, Status.CREATED, f"Created Workiva process {locked.process_id}.")
    _validate(locked, client)
    return locked


def _lost(submission: Submission, message: str) -> None:
    """Mark a sent create whose answer never came as unknown and open a window of looks."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Status.SENDING:
            return
        for name in ("http_status", "response_text", "attempts", "first_sent"):
            setattr(locked, name, getattr(submission, name))
        _open_window(locked)
        submission_finish(locked, Status.UNKNOWN, message)
        locked.save(update_fields=_WINDOW_FIELDS)
    submission.refresh_from_db()


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


# --- the window of looks --------------------------------------------------------------------------

_WINDOW_FIELDS = ["check_until", "next_check", "checks", "candidates"]


def reconcile_window() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "WORKIVA_RECONCILE_WINDOW_SECONDS", 600)))


def look_delay(checks: int) -> timedelta:
    """Return the pause after look number ``checks``: the backoff, doubled each time, capped."""
    first = float(getattr(settings, "WORKIVA_RECONCILE_BACKOFF_SECONDS", 5))
    return min(timedelta(seconds=first * 2 ** max(checks - 1, 0)), MAX_LOOK_DELAY)


def _open_window(submission: Submission) -> None:
    now = timezone.now()
    submission.check_until = now + reconcile_window()
    submission.next_check = now
    submission.checks = 0
    submission.candidates = []


def _stop_looking(submission: Submission) -> None:
    submission.check_until = None
    submission.next_check = None


def submission_check_start(*, submission_id: int) -> bool:
    """Start looking for the process of an unknown submission; return False when already looking.

    Concurrent calls (Publish clicked on an unknown submission, "Check again") serialise on the
    row lock: one opens the window and its caller queues the one look; the rest see it open.
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission_id)
        if locked.status != Status.UNKNOWN or locked.checking:
            return False
        _open_window(locked)
        locked.message = "Looking again for the process Workiva may have created."
        locked.save(update_fields=[*_WINDOW_FIELDS, "message"])
    return True


def submission_recover(*, submission: Submission) -> str:
    """Unstick a submission; return the task to run next ("send", "reconcile" or "").

    Queued means nothing was sent (the status moves to sending, under a lock, before any request),
    so it is sent again. Sending means a request may have reached Workiva: it becomes unknown and
    is looked for — never sent blindly. An unknown submission whose window closed is looked for
    again; one still being looked for gets its due look.
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == Status.UNKNOWN:
            if locked.checking:
                return "reconcile" if locked.look_due() else ""
            _open_window(locked)
            locked.message = "Looking again for the process Workiva may have created."
            locked.save(update_fields=[*_WINDOW_FIELDS, "message"])
            return "reconcile"
        if not locked.is_stale:
            return ""
        if locked.status == Status.QUEUED:
            return "send"
        _open_window(locked)
        submission_finish(
            locked, Status.UNKNOWN, "Publishing was interrupted; looking for the process Workiva may have created."
        )
        locked.save(update_fields=_WINDOW_FIELDS)
    return "reconcile"


def submission_reconcile(*, submission_id: int, client: Client | None = None) -> Submission:
    """Take the due look for the process of an unknown submission, under its row lock.

    Exactly one strict match → ``reconciled`` with it. Several → the window closes and a person
    decides. None → the next look is scheduled with backoff, or, once the window is over, a
    person decides. Nothing here ever sends a create. A look that is not due (another worker
    just took it) does nothing.
    """
    with transaction.atomic():
        # A concurrent look makes this one wait, then find it is not due any more.
        locked = (
            Submission.objects.select_for_update(of=("self",)).select_related("revision", "draft").get(pk=submission_id)
        )
        if not locked.look_due():
            return locked
        client = client or Client.from_settings()
        now = timezone.now()
        locked.checks += 1
        try:
            candidates = find_candidates(client, locked)
        except ApiError as exc:
            return _look_again(locked, now, exc.message)
        matches = [c for c in candidates if c.matches]
        locked.candidates = [c.as_json() for c in candidates]
        if len(matches) == 1:
            process = matches[0].process
            _stop_looking(locked)
            record_process(locked, process)
            submission_finish(
                locked,
                Status.RECONCILED,
                f"The answer was lost, but Workiva had created process {locked.process_id}; it is recorded.",
            )
            locked.save(update_fields=_WINDOW_FIELDS)
            return locked
        if len(matches) > 1:
            _stop_looking(locked)
            submission_finish(
                locked,
                Status.UNKNOWN,
                f"{len(matches)} processes on Workiva match this submission; it cannot tell which one is its own. "
                "Choose the one that is, or send again.",
            )
            locked.save(update_fields=_WINDOW_FIELDS)
            return locked
        return _look_again(locked, now, "")


def _look_again(locked: Submission, now: datetime, problem: str) -> Submission:
    """Schedule the next look, or close the window and hand the decision to a person."""
    assert locked.check_until is not None
    looks = f"{locked.checks} look{'s' if locked.checks != 1 else ''}"
    failed = f" The last look failed: {problem}." if problem else ""
    if now >= locked.check_until:
        _stop_looking(locked)
        found = "it is still not known whether Workiva created the process" if problem else "no process matches"
        message = (
            f"Workiva's answer was lost and after {looks} {found}.{failed} Send it again (a duplicate may "
            "result), choose the process that is this submission's, or check again."
        )
    else:
        locked.next_check = min(now + look_delay(locked.checks), locked.check_until)
        message = (
            f"Workiva's answer was lost; looking for the process it may have created ({looks} so far, "
            f"until {locked.check_until:%H:%M:%S} UTC).{failed}"
        )
    submission_finish(locked, Status.UNKNOWN, message)
    locked.save(update_fields=_WINDOW_FIELDS)
    return locked


# --- a person decides -----------------------------------------------------------------------------


def _deciding(submission_id: int, attempts_seen: int) -> Submission:
    """Return the locked submission if a decision on it still applies; raise :class:`DecisionRefused`."""
    locked = (
        Submission.objects.select_for_update(of=("self",)).select_related("revision", "draft").get(pk=submission_id)
    )
    if locked.status != Status.UNKNOWN:
        raise DecisionRefused(f"This submission is {locked.get_status_display().lower()} now; nothing was done.")
    if locked.checking:
        raise DecisionRefused("Process Designer is still looking for the process; wait for the result.")
    if locked.attempts != attempts_seen:
        raise DecisionRefused("Someone sent this submission again meanwhile; look at the new result first.")
    return locked


def submission_resend(*, submission_id: int, user: User, attempts_seen: int) -> Submission:
    """Queue the create again because ``user`` chose to, knowing a duplicate may result.

    ``attempts_seen`` is the number of create requests the person saw: a decision taken on an
    older state is refused, so two people (or two clicks) send at most one more create.
    """
    with transaction.atomic():
        locked = _deciding(submission_id, attempts_seen)
        locked.status = Status.QUEUED
        locked.decision = Submission.Decision.RESEND
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.started = None
        locked.message = f"{user.get_username()} chose to send it again."
        locked.save(update_fields=["status", "decision", "decided_by", "decided_at", "started", "message"])
        activity_record(
            draft=locked.draft,
            actor=user,
            verb=Activity.Verb.PUBLISHED,
            summary=f"Chose to send submission {locked.pk} again after its outcome stayed unknown",
        )
    return locked


def submission_claim(
    *, submission_id: int, user: User, process_id: str, attempts_seen: int, client: Client | None = None
) -> Submission:
    """Record ``process_id``, one of the candidates the last look found, as this submission's process."""
    with transaction.atomic():
        locked = _deciding(submission_id, attempts_seen)
        offered = {c.get("id") for c in locked.candidates if isinstance(c, dict) and c.get("claimable")}
        if process_id not in offered:
            raise DecisionRefused("That process is not one of the candidates found for this submission.")
        if Submission.objects.exclude(pk=locked.pk).filter(process_id=process_id).exists():
            raise DecisionRefused("That process is already recorded for another submission.")
        client = client or Client.from_settings()
        try:
            process = client.get(process_id)
        except ApiError as exc:
            raise DecisionRefused(f"Could not fetch that process ({exc.message}); try again.") from None
        locked.decision = Submission.Decision.CLAIM
        locked.decided_by = user
        locked.decided_at = timezone.now()
        record_process(locked, process)
        submission_finish(
            locked,
            Status.RECONCILED,
            f"{user.get_username()} recorded Workiva process {locked.process_id} as this submission's.",
        )
        locked.save(update_fields=["decision", "decided_by", "decided_at"])
    return locked
