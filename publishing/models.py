"""Publish attempts and what Workiva answered: submissions, their errors and the server ids of nodes.

The tables keep the names they had when these models lived in ``processes_api``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Slack on top of the client's own time budget before a send in flight counts as stuck.
STALE_MARGIN = timedelta(seconds=15)


def stale_after() -> timedelta:
    """Return how long a send can take at most: a token request and the create, each with its
    connect and read timeouts, plus the retry budget they share, plus a margin.

    Read from the settings the client is built from, so that "Check again" after a crashed worker
    works as soon as the client itself would have given up (about 2 minutes with the defaults).
    Declaring a live send stuck is safe: a sending submission becomes unknown and is only looked
    for, never sent again without a person deciding.
    """
    per_request = float(settings.WORKIVA_CONNECT_TIMEOUT) + float(settings.WORKIVA_READ_TIMEOUT)
    budget = 2 * per_request + float(getattr(settings, "WORKIVA_RETRY_BUDGET", 30.0))
    return timedelta(seconds=budget) + STALE_MARGIN


class Submission(models.Model):
    """One attempt to publish a frozen revision of a draft as a Workiva process."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        CREATED = "created", "Created"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Outcome unknown"
        RECONCILED = "reconciled", "Reconciled"

    class Decision(models.TextChoices):
        RESEND = "resend", "Sent again"
        CLAIM = "claim", "Claimed a process"

    # A draft has at most one of these at a time (enforced by the constraint below).
    IN_FLIGHT = (Status.QUEUED, Status.SENDING, Status.UNKNOWN)
    FINISHED = (Status.CREATED, Status.REJECTED, Status.FAILED, Status.RECONCILED)

    draft = models.ForeignKey("designer.Draft", on_delete=models.CASCADE, related_name="submissions")
    revision = models.ForeignKey("designer.Revision", on_delete=models.RESTRICT, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    api_url = models.CharField(max_length=500, help_text="Where it was sent.")
    request_body = models.TextField(blank=True, help_text="The exact JSON text sent.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_text = models.TextField(blank=True, help_text="The raw response, as received.")
    message = models.TextField(blank=True, help_text="What happened, for the user.")
    process_id = models.CharField(max_length=200, blank=True, db_index=True)
    server_revision = models.CharField(max_length=50, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Create requests sent.")
    requests_sent = models.PositiveSmallIntegerField(
        default=0, help_text="HTTP POSTs of those creates, retries after 429/503 and re-authentication included."
    )
    first_sent = models.DateTimeField(null=True, blank=True, help_text="When the first create request left.")
    # Reconcile: while ``check_until`` is set, a process is being looked for until then (one look
    # at ``next_check``); when it is cleared with the outcome still unknown, a person decides.
    check_until = models.DateTimeField(null=True, blank=True)
    next_check = models.DateTimeField(null=True, blank=True)
    checks = models.PositiveSmallIntegerField(default=0, help_text="Looks for the process so far.")
    candidates = models.JSONField(
        default=list,
        blank=True,
        help_text="Processes with this name found by the last look, and why each was not claimed.",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "processes_api_submission"
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"],
                condition=Q(status__in=["queued", "sending", "unknown"]),
                name="one_in_flight_submission_per_draft",
            )
        ]

    def __str__(self) -> str:
        return f"Submission {self.pk} of {self.draft_id} ({self.status})"

    @property
    def polling(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.SENDING)

    @property
    def is_stale(self) -> bool:
        """Queued or sending for longer than any send takes: its worker probably died."""
        since = self.started or self.created
        return self.polling and since is not None and timezone.now() - since > stale_after()

    @property
    def checking(self) -> bool:
        """The outcome is unknown and the process is still being looked for."""
        return self.status == self.Status.UNKNOWN and self.check_until is not None

    @property
    def needs_decision(self) -> bool:
        """The outcome is unknown and looking is over: a person sends again or names the process."""
        return self.status == self.Status.UNKNOWN and self.check_until is None

    def look_due(self, *, late: timedelta | None = None) -> bool:
        """Return True when the next look is due (and ``late`` overdue, when given)."""
        if not self.checking or self.next_check is None:
            return False
        return timezone.now() >= self.next_check + (late or timedelta(0))


class SubmissionError(models.Model):
    """One error Workiva reported, mapped to a node of the revision when possible."""

    class Source(models.TextChoices):
        CREATE = "create", "Create"
        VALIDATION = "validation", "Validation"
        TRANSPORT = "transport", "Connection"

    class MappedBy(models.TextChoices):
        JOB_ID = "jobId", "meta.jobId"
        TARGET = "target", "target"
        DETAILS = "details", "details[].target"
        NONE = "", "process level"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="errors")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CREATE)
    node_key = models.UUIDField(null=True, blank=True, db_index=True)
    path = models.CharField(max_length=1000, blank=True, help_text="The node's payload path.")
    mapped_by = models.CharField(max_length=10, choices=MappedBy.choices, blank=True)
    code = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    target = models.TextField(blank=True)
    argument_name = models.CharField(max_length=200, blank=True)
    job_id = models.CharField(max_length=200, blank=True)
    is_detail = models.BooleanField(default=False, help_text="From a details[] entry.")
    raw = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "processes_api_submissionerror"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ServerId(models.Model):
    """The id Workiva gave a node of the draft when a submission created its process."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="server_ids")
    node_key = models.UUIDField()
    server_id = models.CharField(max_length=200, db_index=True)

    class Meta:
        db_table = "processes_api_serverid"
        constraints = [models.UniqueConstraint(fields=["submission", "node_key"], name="one_server_id_per_node")]

    def __str__(self) -> str:
        return f"{self.node_key} = {self.server_id}"


class ProcessRun(models.Model):
    """A run started from the designer of a published process: who started it, when, and what Workiva last said."""

    draft = models.ForeignKey("designer.Draft", on_delete=models.CASCADE, related_name="process_runs")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="runs")
    run_id = models.CharField(max_length=200, unique=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=50, blank=True, help_text="The run's status as last read.")
    document = models.JSONField(default=dict, blank=True, help_text="The ProcessRun as Workiva last answered it.")
    checked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started", "-id"]

    def __str__(self) -> str:
        return self.run_id
