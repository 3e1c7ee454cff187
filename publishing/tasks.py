"""Background tasks for publishing (Django's tasks framework).

The default backend is ``django.tasks.backends.immediate.ImmediateBackend``: the task runs inside
the request that enqueued it. In production set ``TASKS_BACKEND=django_tasks_db.DatabaseBackend``
and run ``python manage.py db_worker`` (from django-tasks-db) next to the web processes.
"""

from __future__ import annotations

from django.tasks import task

from publishing.models import Submission
from publishing.services.sending import submission_reconcile, submission_send


@task
def send_submission(submission_id: int) -> str:
    """Send a queued submission to Workiva; return its final status."""
    return str(submission_send(submission_id=submission_id).status)


@task
def reconcile_submission(submission_id: int, resend: bool = True) -> str:
    """Look for the process of a submission whose outcome is unknown; return its status.

    ``resend``: send the create again when no process matches (attempts permitting); without it a
    submission with no matching process is marked failed.
    """
    submission = Submission.objects.select_related("revision").get(pk=submission_id)
    return str(submission_reconcile(submission=submission, resend=resend).status)
