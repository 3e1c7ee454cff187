"""A checklist file kept between the steps of the web import (upload → sheet and mapping → create)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Upload(models.Model):
    """An uploaded checklist as read (its sheets' cells), visible to its uploader only; deleted once the draft exists."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    sheets = models.JSONField(
        help_text="The file's sheets as read (sheets.workbook_to_json): read once, previewed often."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.filename
