"""Personal access tokens (django-rest-knox's hashed tokens, with a name) and publish idempotency keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A personal access token: only its SHA-512 digest and first characters are stored."""

    name = models.CharField(max_length=100)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"


class IdempotentPublish(models.Model):
    """The submission a publish request with an ``Idempotency-Key`` header created or found."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    draft = models.ForeignKey("designer.Draft", on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey("publishing.Submission", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_publish_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.key} → submission {self.submission_id}"
