"""What the directory keeps: users, files, their sections, search terms and the record of each sync.

Search runs on the term tables: every word of a name, e-mail, username and id, case-folded, in an
indexed column, matched by prefix as a range (``term >= q AND term < q + U+10FFFF``), which both
SQLite and PostgreSQL answer from the index (``directory.selectors``; tests check the plan).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DirectoryUser(models.Model):
    workiva_id = models.CharField(max_length=200, unique=True)
    display_name = models.CharField(max_length=500)
    email = models.CharField(max_length=320, blank=True)
    username = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=50, default="active", help_text="As Workiva says: active or suspended.")
    suspended = models.BooleanField(default=False)
    synced = models.DateTimeField(help_text="When a sync last listed this user.")

    class Meta:
        ordering = ["display_name", "workiva_id"]

    def __str__(self) -> str:
        return self.display_name


class DirectoryFile(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "Document"
        SPREADSHEET = "Spreadsheet"

    workiva_id = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=1000)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    container = models.CharField(max_length=200, blank=True)
    synced = models.DateTimeField(help_text="When a sync last listed this file.")
    sections_fetched = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "workiva_id"]

    def __str__(self) -> str:
        return self.name


class DirectorySection(models.Model):
    """A document's section or a spreadsheet's sheet, fetched when someone picks in that file."""

    file = models.ForeignKey(DirectoryFile, on_delete=models.CASCADE, related_name="sections")
    workiva_id = models.CharField(max_length=300)
    name = models.CharField(max_length=1000)
    index = models.IntegerField(default=0)
    parent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["file", "index", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "workiva_id"], name="one_section_per_id")]

    def __str__(self) -> str:
        return self.name


class UserTerm(models.Model):
    user = models.ForeignKey(DirectoryUser, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["term", "user"], name="directory_user_term")]

    def __str__(self) -> str:
        return self.term


class FileTerm(models.Model):
    file = models.ForeignKey(DirectoryFile, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["term", "file"], name="directory_file_term")]

    def __str__(self) -> str:
        return self.term


class DirectorySync(models.Model):
    """One run of ``sync_directory`` or of the Refresh button: when, by whom, what it found or why it failed."""

    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    ok = models.BooleanField(default=False)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started", "-id"]

    def __str__(self) -> str:
        return f"sync {self.started:%Y-%m-%d %H:%M}"
