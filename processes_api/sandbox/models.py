"""What the built-in sandbox API stores (only used when ``WORKIVA_SANDBOX`` is on)."""

from __future__ import annotations

from django.db import models


class SandboxProcess(models.Model):
    """A process stored by the built-in sandbox API (only used when ``WORKIVA_SANDBOX`` is on)."""

    process_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=1000, db_index=True)
    request = models.JSONField(help_text="The body as sent.")
    document = models.JSONField(help_text="The process as the sandbox answers it, with ids.")
    trashed = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "processes_api_sandboxprocess"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.process_id} {self.name}"


class SandboxRun(models.Model):
    """A run of a sandbox process; its job statuses follow from how long ago it started (``views.run_document``)."""

    run_id = models.CharField(max_length=100, unique=True)
    process = models.ForeignKey(SandboxProcess, on_delete=models.CASCADE, related_name="runs")
    started = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.run_id
