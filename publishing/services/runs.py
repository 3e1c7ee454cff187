"""Starting a run of a published process and following it (``POST /processes/{id}/run``, ``GET /processRuns/{id}``).

A run is started only by a person who may publish the draft, only for a process this designer
created (the draft's latest created submission), and after they confirmed it; it is recorded with
who and when. Starting is not retried once it may have reached Workiva (a second run would send
every task twice): such a failure says so and records nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from designer.models import Draft
from processes_api.client import ApiError, Client
from processes_api.runs import Run, read_run
from publishing.models import ProcessRun, Submission


class RunRefused(Exception):
    """A run that cannot be started: the message says why, for the user."""


def published_submission(draft: Draft) -> Submission | None:
    """Return the draft's latest submission that created (or found) a Workiva process, or None."""
    done = (Submission.Status.CREATED, Submission.Status.RECONCILED)
    return Submission.objects.filter(draft=draft, status__in=done).exclude(process_id="").first()


def run_start(*, draft: Draft, user: User, client: Client | None = None) -> tuple[ProcessRun, Run]:
    """Start a run of the process the draft was last published as; record it."""
    submission = published_submission(draft)
    if submission is None:
        raise RunRefused("Publish the draft first: a run starts a process that exists in Workiva.")
    client = client or Client.from_settings()
    try:
        document = client.run(submission.process_id)
    except ApiError as exc:
        doubt = (
            " It may have started anyway: look at the process in Workiva before trying again."
            if exc.outcome_unknown
            else ""
        )
        raise RunRefused(f"Workiva did not start the run: {exc.message}.{doubt}") from None
    run = read_run(document)
    if not run.id:
        raise RunRefused("Workiva answered without the run's id; look at the process in Workiva.")
    record = ProcessRun.objects.create(
        draft=draft,
        submission=submission,
        run_id=run.id[:200],
        started_by=user,
        status=run.status[:50],
        document=document,
        checked=timezone.now(),
    )
    return record, run


def run_refresh(*, record: ProcessRun, client: Client | None = None) -> Run:
    """Read the run from Workiva again and keep what it said; raise :class:`ApiError` when it cannot."""
    client = client or Client.from_settings()
    document = client.get_run(record.run_id)
    run = read_run(document)
    record.status, record.document, record.checked = run.status[:50], document, timezone.now()
    record.save(update_fields=["status", "document", "checked"])
    return run
