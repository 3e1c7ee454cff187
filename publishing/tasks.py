"""Background tasks for publishing (Django's tasks framework).

The default backend is ``django.tasks.backends.immediate.ImmediateBackend``: the task runs inside
the request that enqueued it. In production set ``TASKS_BACKEND=django_tasks_db.DatabaseBackend``
and run ``python manage.py db_worker`` (from django-tasks-db) next to the web processes.

While a submission's outcome is unknown its process is looked for, one look per task. A backend
that can defer (the database one) queues each next look for its time; with the immediate backend
the status page, which polls while looking, asks for each look when it is due
(:func:`reconcile_if_due`), so no request ever sleeps through the window.
"""

from __future__ import annotations

from django.tasks import task

from publishing.models import Submission, stale_after
from publishing.services.sending import submission_reconcile, submission_send


@task
def send_submission(submission_id: int) -> str:
    """Send a queued submission to Workiva; return its status afterwards."""
    submission = submission_send(submission_id=submission_id)
    _follow_up(submission)
    return str(submission.status)


@task
def reconcile_submission(submission_id: int) -> str:
    """Take the due look for the process of a submission whose outcome is unknown; return its status.

    Never sends a create: when looking ends without one match, a person decides.
    """
    submission = submission_reconcile(submission_id=submission_id)
    _follow_up(submission)
    return str(submission.status)


def _defers() -> bool:
    return bool(reconcile_submission.get_backend().supports_defer)


def _follow_up(submission: Submission) -> None:
    """Queue the next look for its time, when the backend can defer."""
    if submission.checking and submission.next_check is not None and _defers():
        reconcile_submission.using(run_after=submission.next_check).enqueue(submission.pk)


def reconcile_if_due(submission: Submission) -> None:
    """Run the look the status page is waiting for: when due with the immediate backend, or when a
    deferred look is overdue by a send's time budget (its worker died)."""
    if submission.look_due(late=stale_after() if _defers() else None):
        reconcile_submission.enqueue(submission.pk)
        submission.refresh_from_db()
