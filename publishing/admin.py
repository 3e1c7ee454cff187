"""Admin for publish attempts (read-mostly: they are records of what Workiva answered)."""

from __future__ import annotations

from django.contrib import admin

from publishing.models import ServerId, Submission, SubmissionError


class SubmissionErrorInline(admin.TabularInline):
    model = SubmissionError
    extra = 0
    can_delete = False
    fields = ("source", "code", "message", "path", "mapped_by", "target", "argument_name", "job_id")
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("id", "draft", "status", "process_id", "user", "created", "attempts", "http_status")
    list_filter = ("status",)
    search_fields = ("process_id", "draft__name")
    raw_id_fields = ("draft", "revision", "user", "decided_by")
    readonly_fields = (
        "idempotency_key",
        "payload_hash",
        "api_url",
        "request_body",
        "http_status",
        "response_text",
        "process_id",
        "server_revision",
        "attempts",
        "first_sent",
        "check_until",
        "next_check",
        "checks",
        "candidates",
        "decision",
        "decided_by",
        "decided_at",
        "created",
        "started",
        "finished",
    )
    inlines = [SubmissionErrorInline]


@admin.register(ServerId)
class ServerIdAdmin(admin.ModelAdmin):
    list_display = ("submission", "node_key", "server_id")
    search_fields = ("server_id", "node_key")
    raw_id_fields = ("submission",)
