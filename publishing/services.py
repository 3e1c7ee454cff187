"""Publishing a draft: lint, freeze, one in-flight submission per draft, send, record, reconcile.

The order is design.md §4. A draft has at most one submission in flight (queued, sending or
unknown) — the database enforces it with a partial unique constraint, and the draft row is locked
while a submission is created — so a double click, two users or a retry get the same submission.
Publishing content that already became a process (same payload hash) returns that submission too.

A create whose outcome is unknown (timeout or dropped connection after sending, a gateway error)
is never blindly repeated: the service lists processes with the draft's name, fetches each
candidate not already claimed by another submission, and compares its structure (names, job types,
arity of the tree — the server does not echo task arguments) with the payload. Only when none
matches may it send again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from designer.models import Activity, Draft, Revision
from designer.selectors.reviews import publish_gate
from designer.selectors.trees import draft_tree
from designer.services.activity import activity_record
from designer.services.revisions import revision_freeze
from processes_api import schema
from processes_api.client import ApiError, Client
from processes_api.lint import Problem, lint_tree
from processes_api.payload import PathMap, build_payload, content_hash, dumps
from publishing.models import ServerId, Submission, SubmissionError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

Status = Submission.Status
# Create requests one submission may send in all (the first, plus one after a reconcile found nothing).
MAX_CREATE_ATTEMPTS = 2
# Statuses the server gives when it looked at the content and refused it.
REJECTING_STATUSES = (400, 404, 409, 413, 422)


class PublishBlocked(Exception):
    """The draft cannot be published yet; ``problems`` are the lint errors that block it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"Fix {count} problem{'s' if count != 1 else ''} before publishing: "
            + "; ".join(p.message for p in problems)
        )


def blocking_problems(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


# --- create ---------------------------------------------------------------------------------------


@dataclass
class Publish:
    submission: Submission
    created: bool  # False when an existing submission was returned


def submission_create(*, draft: Draft, user: User) -> Publish:
    """Lint and freeze ``draft`` and create its submission, or return the one in flight.

    Raises :class:`PublishBlocked` when lint finds errors; nothing is written then.
    """
    try:
        with transaction.atomic():
            locked = Draft.objects.select_for_update().get(pk=draft.pk)
            existing = Submission.objects.filter(draft=locked, status__in=Submission.IN_FLIGHT).first()
            if existing is not None:
                return Publish(existing, created=False)
            tree = draft_tree(draft=locked)
            payload = build_payload(tree)
            errors = blocking_problems(lint_tree(tree, payload))
            if errors:
                raise PublishBlocked(errors)
            paths = {str(key): path for path, key in payload.paths.key_by_path.items()}
            digest = content_hash(payload.data, paths)
            allowed, reason = publish_gate(locked, current_hash=digest)
            if not allowed:
                raise PublishBlocked([Problem("error", "approval-required", reason)])
            done = (
                Submission.objects.filter(
                    draft=locked,
                    payload_hash=digest,
                    api_url=_api_url(),
                    status__in=(Status.CREATED, Status.RECONCILED),
                )
                .exclude(process_id="")
                .first()
            )
            if done is not None:
                return Publish(done, created=False)
            revision = revision_freeze(draft=locked, author=user, reason=Revision.Reason.PUBLISH, payload=payload)
            submission = Submission.objects.create(
                draft=locked,
                revision=revision,
                user=user,
                payload_hash=revision.content_hash,
                api_url=_api_url(),
                request_body=dumps(revision.payload, indent=None),
            )
            return Publish(submission, created=True)
    except IntegrityError:
        # Another transaction won the race the lock did not serialise (e.g. SQLite).
        existing = Submission.objects.filter(draft=draft, status__in=Submission.IN_FLIGHT).first()
        if existing is None:
            raise
        return Publish(existing, created=False)


def draft_publish(*, draft: Draft, user: User) -> Publish:
    """Create (or find) the draft's submission and queue its send; see :func:`submission_create`."""
    from publishing import tasks

    result = submission_create(draft=draft, user=user)
    if result.created:
        tasks.send_submission.enqueue(result.submission.pk)
    elif result.submission.status == Status.UNKNOWN:
        tasks.reconcile_submission.enqueue(result.submission.pk)
    result.submission.refresh_from_db()
    return result


def _api_url() -> str:
    from django.conf import settings

    return str(settings.WORKIVA_API_URL)


# --- send -----------------------------------------------------------------------------------------


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
        return _send(submission, client)
    except Exception:
        logger.exception("Submission %s: unexpected error while sending", submission.pk)
        _finish(submission, Status.UNKNOWN if submission.attempts else Status.FAILED, _UNEXPECTED)
        raise


_UNEXPECTED = "Something went wrong in Process Designer while publishing; see the server log."


def _send(submission: Submission, client: Client) -> Submission:
    submission.attempts += 1
    submission.save(update_fields=["attempts"])
    try:
        process = client.create(submission.request_body)
    except ApiError as exc:
        submission.http_status = exc.status
        submission.response_text = exc.text
        if exc.outcome_unknown:
            _finish(
                submission,
                Status.UNKNOWN,
                f"{exc.message}. Workiva may have created the process; checking before sending again.",
            )
            return submission_reconcile(submission=submission, client=client, resend=True)
        status = Status.REJECTED if exc.status in REJECTING_STATUSES else Status.FAILED
        with transaction.atomic():
            record_errors(submission, exc.body, status=exc.status)
            _finish(submission, status, _failure_message(exc))
        return submission
    submission.http_status = schema.CREATED_STATUS
    submission.response_text = dumps(process, indent=None)
    with transaction.atomic():
        record_process(submission, process)
        _finish(submission, Status.CREATED, f"Created Workiva process {submission.process_id}.")
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


def _finish(submission: Submission, status: str, message: str) -> None:
    if status in (Status.CREATED, Status.RECONCILED) and submission.status != status:
        activity_record(
            draft=submission.draft,
            actor=submission.user,
            verb=Activity.Verb.PUBLISHED,
            summary=f"Workiva process {submission.process_id} from revision {submission.revision.number}",
        )
    submission.status = status
    submission.message = message
    submission.finished = timezone.now() if status in Submission.FINISHED else None
    # request_body never changes after creation; leave it out of the write.
    submission.save(
        update_fields=[
            "status",
            "message",
            "finished",
            "http_status",
            "response_text",
            "process_id",
            "server_revision",
            "attempts",
        ]
    )


def _validate(submission: Submission, client: Client) -> None:
    """Ask Workiva to validate the new process and record its errors by server id (design §4.6)."""
    from django.conf import settings

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


# --- recovery -------------------------------------------------------------------------------------

# A submission still queued or sending after this long lost its worker (crash, restart, no worker).
STALE_AFTER = timedelta(minutes=5)


def submission_is_stale(submission: Submission) -> bool:
    since = submission.started or submission.created
    return submission.polling and since is not None and timezone.now() - since > STALE_AFTER


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
        if not submission_is_stale(locked):
            return ""
        if locked.status == Status.QUEUED:
            return "send"
        _finish(locked, Status.UNKNOWN, "Publishing was interrupted; checking whether Workiva created the process.")
    return "reconcile"


# --- reconcile ------------------------------------------------------------------------------------


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
        _finish(
            submission,
            Status.UNKNOWN,
            f"Could not check whether Workiva created the process ({exc.message}). Check again later.",
        )
        return submission
    if match is not None:
        with transaction.atomic():
            record_process(submission, match)
            _finish(
                submission,
                Status.RECONCILED,
                f"The answer was lost, but Workiva had created process {submission.process_id}; it is recorded.",
            )
        return submission
    if resend and submission.attempts < MAX_CREATE_ATTEMPTS:
        submission.status = Status.SENDING
        submission.save(update_fields=["status"])
        return _send(submission, client)
    if resend:
        _finish(
            submission,
            Status.UNKNOWN,
            "Workiva's answer was lost and no matching process shows up yet. Check again in a moment.",
        )
    else:
        _finish(submission, Status.FAILED, "Workiva has no process for this submission: it was not created.")
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
    """Return the shape of a process: its name and the tree of group names, job types and arity."""
    if not isinstance(process, dict):
        return None
    return (process.get("name"), _group_shape(process.get("root")))


def _group_shape(group: Any) -> Any:
    if not isinstance(group, dict):
        return None
    shapes: list[Any] = []
    for wrapper in group.get("children") or []:
        if not isinstance(wrapper, dict):
            shapes.append(None)
        elif wrapper.get("type") == "group":
            shapes.append(("group", _group_shape(wrapper.get("group"))))
        else:
            job = wrapper.get("job") or {}
            args = job.get("arguments") if isinstance(job, dict) else None
            job_type = args.get("type") if isinstance(args, dict) else None
            if isinstance(job_type, str) and job_type.endswith("Generated"):
                continue
            shapes.append(("job", job_type))
    return (group.get("name"), bool(group.get("parallel")), tuple(shapes))


# --- recording ------------------------------------------------------------------------------------


def _path_map(revision: Revision) -> PathMap:
    return PathMap(key_by_path={path: UUID(key) for key, path in revision.paths.items()})


def record_process(submission: Submission, process: dict[str, Any]) -> None:
    """Store the process id, its revision and the server id of every node, walking beside the payload."""
    submission.process_id = str(process.get("id") or "")
    revision_value = process.get("revision")
    submission.server_revision = "" if revision_value is None else str(revision_value)
    paths = _path_map(submission.revision)
    rows: list[ServerId] = []

    def visit(group: Any, node_path: str, group_path: str) -> None:
        if not isinstance(group, dict):
            return
        key = paths.key_by_path.get(node_path)
        if key is not None and group.get("id"):
            rows.append(ServerId(submission=submission, node_key=key, server_id=str(group["id"])))
        for index, wrapper in enumerate(group.get("children") or []):
            child_path = f"{group_path}.children[{index}]"
            if not isinstance(wrapper, dict):
                continue
            if wrapper.get("type") == "group":
                visit(wrapper.get("group"), child_path, f"{child_path}.group")
            else:
                job = wrapper.get("job")
                job_key = paths.key_by_path.get(child_path)
                if isinstance(job, dict) and job.get("id") and job_key is not None:
                    rows.append(ServerId(submission=submission, node_key=job_key, server_id=str(job["id"])))

    visit(process.get("root"), "root", "root")
    ServerId.objects.filter(submission=submission).delete()
    ServerId.objects.bulk_create(rows, batch_size=1000)


def error_list(body: Any) -> list[dict[str, Any]]:
    """Return the error objects in an error body: one object, a list, or ``{"errors": [...]}``."""
    if isinstance(body, dict):
        if isinstance(body.get("errors"), list):
            return [e for e in body["errors"] if isinstance(e, dict)]
        if body.get("code") or body.get("message"):
            return [body]
        if isinstance(body.get("error"), str):  # an OAuth error from the token endpoint
            return [{"code": body["error"], "message": body.get("error_description") or ""}]
        return []
    if isinstance(body, list):
        return [e for e in body if isinstance(e, dict)]
    return []


def record_errors(
    submission: Submission,
    body: Any,
    *,
    status: int | None,
    source: str = SubmissionError.Source.CREATE,
) -> list[SubmissionError]:
    """Create one error row per error (and per ``details[]`` entry), each mapped to its node."""
    paths = _path_map(submission.revision)
    by_path = paths.path_by_key
    known_ids = dict(
        ServerId.objects.filter(submission__draft_id=submission.draft_id).values_list("server_id", "node_key")
    )
    rows: list[SubmissionError] = []

    def row(error: dict[str, Any], key: UUID | None, how: str, *, detail: bool) -> SubmissionError:
        meta = _meta(error)
        return SubmissionError(
            submission=submission,
            source=source,
            node_key=key,
            path=by_path.get(key, "") if key else "",
            mapped_by=how,
            code=_text(error.get("code")),
            message=_text(error.get("message")),
            target=_text(error.get("target")),
            argument_name=_text(meta.get("argumentName")),
            job_id=_text(meta.get("jobId")),
            is_detail=detail,
            raw=error,
        )

    for error in error_list(body):
        meta = _meta(error)
        details = [d for d in (error.get("details") or []) if isinstance(d, dict)]
        key: UUID | None = None
        how = SubmissionError.MappedBy.NONE
        job_id = meta.get("jobId")
        if job_id and str(job_id) in known_ids:
            key, how = UUID(str(known_ids[str(job_id)])), SubmissionError.MappedBy.JOB_ID
        elif (target_key := paths.key_for(_text(error.get("target")))) is not None:
            key, how = target_key, SubmissionError.MappedBy.TARGET
        else:
            for d in details:
                if (detail_key := paths.key_for(_text(d.get("target")))) is not None:
                    key, how = detail_key, SubmissionError.MappedBy.DETAILS
                    break
        rows.append(row(error, key, how, detail=False))
        for d in details:
            detail_key = paths.key_for(_text(d.get("target")))
            if detail_key is not None:
                rows.append(row(d, detail_key, SubmissionError.MappedBy.DETAILS, detail=True))
            else:
                rows.append(row(d, key, how, detail=True))
    if not rows and source == SubmissionError.Source.CREATE:
        rows.append(
            SubmissionError(
                submission=submission,
                source=SubmissionError.Source.TRANSPORT if status is None else source,
                code=f"http-{status}" if status else "no-response",
                message=(
                    f"Workiva answered {status} without an error body we could read; the raw response is kept."
                    if status
                    else "No response came back."
                ),
            )
        )
    SubmissionError.objects.bulk_create(rows)
    return rows


def _meta(error: dict[str, Any]) -> dict[str, Any]:
    meta = error.get("meta")
    return meta if isinstance(meta, dict) else {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value, indent=None)


# --- reads ----------------------------------------------------------------------------------------


def submission_latest(*, draft: Draft) -> Submission | None:
    return Submission.objects.filter(draft=draft).select_related("user").first()


def submission_errors_by_node(*, submission: Submission | None) -> dict[UUID | None, list[SubmissionError]]:
    """Return ``submission``'s errors grouped by node key (None: process level), for the editor."""
    grouped: dict[UUID | None, list[SubmissionError]] = {}
    if submission is None:
        return grouped
    for error in submission.errors.all():
        grouped.setdefault(error.node_key, []).append(error)
    return grouped
