"""Process templates: read-only snapshots of a draft (with its relative-date rules), versioned by family."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ProcessTemplate(models.Model):
    """One version of a template. Saving a template under a name the gallery has makes the next
    version of that family; every version stays as it was saved (read-only) and the gallery shows
    the latest.

    ``content`` is :func:`gallery.services.template_content`'s snapshot: the process settings, the
    process due date the dates were planned against (``reference_due``, may be null) and the tree,
    with each job's date rules.
    """

    family = models.UUIDField(default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    content = models.JSONField()
    job_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starter = models.BooleanField(default=False, help_text="Shipped with the designer.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="template_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def author(self) -> str:
        if self.starter:
            return "Process Designer (starter)"
        return self.created_by.get_username() if self.created_by else "a former member"
