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

# Longer than a send with all its retries takes; after it a submission in flight is stuck.
STALE_AFTER = timedelta(minutes=5)


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
        return self.polling and since is not None and timezone.now() - since > STALE_AFTER


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
