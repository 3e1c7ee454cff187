"""Record what Workiva answered: a submission's final status, its process and server ids, its errors on their nodes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import connections, router
from django.utils import timezone

from designer.models import Activity, Revision
from designer.services.activity import activity_record
from processes_api.payload import PathMap, dumps
from processes_api.walk import walk
from publishing.models import ServerId, Submission, SubmissionError

Status = Submission.Status


def submission_finish(submission: Submission, status: str, message: str) -> None:
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


def _path_map(revision: Revision) -> PathMap:
    return PathMap(key_by_path={path: UUID(key) for key, path in revision.paths.items()})


def record_process(submission: Submission, process: dict[str, Any]) -> None:
    """Store the process id, its revision and the server id of every node, walking beside the payload.

    The ids (one per node: 3,000 jobs and their groups) go in with one statement, not as model
    instances: building and compiling 3,000 ``ServerId`` objects was a quarter of a publish.
    """
    submission.process_id = str(process.get("id") or "")
    revision_value = process.get("revision")
    submission.server_revision = "" if revision_value is None else str(revision_value)
    key_by_path = {path: key for key, path in submission.revision.paths.items()}
    pairs: dict[str, str] = {}
    for node, path, *_ in walk(process.get("root")):
        key = key_by_path.get(path)
        if key is not None and isinstance(node, dict) and node.get("id"):
            pairs[key] = str(node["id"])
    ServerId.objects.filter(submission=submission).delete()
    _insert_server_ids(submission.pk, pairs)


def _insert_server_ids(submission_id: int, pairs: dict[str, str]) -> None:
    """Insert ``{node key: server id}`` for a submission: one ``unnest`` on PostgreSQL, else ``executemany``."""
    if not pairs:
        return
    meta = ServerId._meta
    connection = connections[router.db_for_write(ServerId)]
    quote = connection.ops.quote_name
    fields = {f.name: f for f in meta.concrete_fields}  # concrete: each has its column
    columns = ", ".join(quote(str(fields[name].column)) for name in ("submission", "node_key", "server_id"))
    insert = f"INSERT INTO {quote(meta.db_table)} ({columns})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"{insert} SELECT %s, k, s FROM unnest(%s::uuid[], %s::text[]) AS t(k, s)",
                [submission_id, [UUID(k) for k in pairs], list(pairs.values())],
            )
        else:
            field = fields["node_key"]
            cursor.executemany(
                f"{insert} VALUES (%s, %s, %s)",
                [(submission_id, field.get_db_prep_value(UUID(k), connection), s) for k, s in pairs.items()],
            )


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
        details = [d for d in (error.get("details") or []) if isinstance(d, dict)]
        key, how = _error_node(error, details, paths, known_ids)
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


def _error_node(
    error: dict[str, Any], details: list[dict[str, Any]], paths: PathMap, known_ids: dict[str, Any]
) -> tuple[UUID | None, str]:
    """Return the node an error is about and how it was found: its job id, its target, its one detail's target.

    An error with several details is a summary ("The process has 2 problems"): it stays at process
    level, and each detail is recorded on its own node.
    """
    job_id = _meta(error).get("jobId")
    if job_id and str(job_id) in known_ids:
        return UUID(str(known_ids[str(job_id)])), SubmissionError.MappedBy.JOB_ID
    if (target_key := paths.key_for(_text(error.get("target")))) is not None:
        return target_key, SubmissionError.MappedBy.TARGET
    if len(details) == 1 and (detail_key := paths.key_for(_text(details[0].get("target")))) is not None:
        return detail_key, SubmissionError.MappedBy.DETAILS
    return None, SubmissionError.MappedBy.NONE


def _meta(error: dict[str, Any]) -> dict[str, Any]:
    meta = error.get("meta")
    return meta if isinstance(meta, dict) else {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value, indent=None)
