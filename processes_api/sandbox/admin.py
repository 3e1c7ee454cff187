"""Admin for what the sandbox API stored."""

from __future__ import annotations

from django.contrib import admin

from processes_api.sandbox.models import SandboxProcess


@admin.register(SandboxProcess)
class SandboxProcessAdmin(admin.ModelAdmin):
    list_display = ("process_id", "name", "trashed", "created")
    search_fields = ("process_id", "name")
