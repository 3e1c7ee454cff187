"""The template gallery in the admin: administrators can remove a template (users cannot change one)."""

from __future__ import annotations

from django.contrib import admin

from gallery.models import ProcessTemplate


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "created_by", "starter", "job_count", "created"]
    search_fields = ["name", "description"]
    readonly_fields = ["family", "version", "content", "job_count", "created_by", "starter", "created"]
