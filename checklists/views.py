"""Checklist pages: upload, the sheet and mapping preview, create; the spreadsheet export and the process book."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checklists.book import process_book
from checklists.export import checklist_workbook
from checklists.forms import MODE_CHOICES, Choices, UploadForm, read_choices, settings_for
from checklists.mapping import MAX_GROUP_LEVELS, role_choices
from checklists.models import Upload
from checklists.plan import PlanError
from checklists.services import (
    Preview,
    checklist_create,
    checklist_preview,
    process_settings,
    upload_create,
    upload_delete,
    upload_workbook,
)
from checklists.sheets import MAX_FILE_BYTES, SheetError, Workbook
from designer import ratelimit
from designer.calendar import holiday_choices
from designer.panels import Panel, PanelRequest
from designer.permissions import Action, draft_for
from designer.views.http import Request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def upload_view(request: Request) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    try:
        ratelimit.limit(user_id=request.user.pk, action="import")
    except ratelimit.Limited as limited:
        response = render(request, "checklists/upload.html", {"form": form, "error": str(limited)}, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read(MAX_FILE_BYTES + 1)  # a byte past the limit is enough to refuse it
            saved, _ = upload_create(
                owner=request.user, filename=upload.name or "checklist", data=data, size=upload.size
            )
        except SheetError as exc:
            form.add_error("file", f"This file cannot be imported: {exc}.")
        else:
            return redirect("checklist-preview", pk=saved.pk)
    return render(request, "checklists/upload.html", {"form": form}, status=422)


def _upload(request: Request, pk: int) -> tuple[Upload, Workbook]:
    upload = get_object_or_404(Upload, pk=pk, owner=request.user)
    return upload, upload_workbook(upload)


def _context(upload: Upload, workbook: Workbook, choices: Choices, preview: Preview) -> dict[str, Any]:
    plan = preview.plan
    levels = max(len(preview.mapping.groups) + 1, 2)
    rows_with_problems = sum(1 for row in plan.rows if row.problems) if plan else 0
    return {
        "upload": upload,
        "workbook": workbook,
        "choices": choices,
        "preview": preview,
        "plan": plan,
        "columns": [
            {"index": i, "label": label, "sample": preview.samples[i], "role": preview.mapping.role_of(i)}
            for i, label in enumerate(preview.labels)
        ],
        "role_choices": role_choices(min(levels, MAX_GROUP_LEVELS)),
        "mode_choices": MODE_CHOICES,
        "groups": [
            {"group": g, "depth": len(g.path) - 1, "mode": choices.modes.get(g.mode_id, "")} for g in plan.groups
        ]
        if plan
        else [],
        "rows_with_problems": rows_with_problems,
        "holiday_choices": holiday_choices(),
        "can_create": plan is not None and plan.jobs > 0 and not choices.errors,
    }


@login_required
@require_http_methods(["GET", "POST"])
def preview_view(request: Request, pk: int) -> HttpResponse:
    """Show the preview; a POST (the form's choices changed) shows it again and writes nothing."""
    upload, workbook = _upload(request, pk)
    found = process_settings(workbook)
    choices = read_choices(request.POST if request.method == "POST" else request.GET, workbook, found)
    preview = checklist_preview(workbook, sheet=choices.sheet, mapping=choices.mapping, options=choices.options)
    template = "checklists/preview.html#preview-body" if request.htmx else "checklists/preview.html"
    return render(request, template, _context(upload, workbook, choices, preview))


@login_required
@require_POST
def create_view(request: Request, pk: int) -> HttpResponse:
    upload, workbook = _upload(request, pk)
    found = process_settings(workbook)
    choices = read_choices(request.POST, workbook, found)
    preview = checklist_preview(workbook, sheet=choices.sheet, mapping=choices.mapping, options=choices.options)
    context = _context(upload, workbook, choices, preview)
    if preview.plan is None or not context["can_create"]:
        if preview.plan is not None and preview.plan.jobs == 0:
            preview.error = "no row of this sheet becomes a job: choose the title column"
        return render(request, "checklists/preview.html", context, status=422)
    try:
        draft = checklist_create(
            plan=preview.plan,
            name=choices.name,
            owner=request.user,
            settings=settings_for(choices, found),
            top_name=found.top_name,
            holiday_calendar=choices.holidays,
            source=f"{upload.filename} (sheet “{preview.sheet.name}”)",
        )
    except PlanError as exc:
        preview.error = str(exc)
        return render(request, "checklists/preview.html", context, status=422)
    upload_delete(upload=upload)
    problems = context["rows_with_problems"]
    note = (
        f" {problems} row{'s' if problems != 1 else ''} had problems: they are listed in the draft's problems or were left out as the preview said."
        if problems
        else ""
    )
    messages.success(request, f"Created “{draft.name}” from {upload.filename}: {preview.plan.jobs} jobs.{note}")
    return redirect("draft-editor", pk=draft.pk)


@login_required
@require_GET
def export_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.VIEW)
    response = HttpResponse(checklist_workbook(draft), content_type=XLSX)
    filename = f"{slugify(draft.name) or f'draft-{draft.pk}'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def book_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.VIEW)
    return render(request, "checklists/book.html", process_book(draft))


def export_panel(asked: PanelRequest) -> Panel:
    """The editor's export links: the checklist workbook and the printable process book."""
    return Panel(template="checklists/_panel.html#export-panel", context={"draft": asked.draft})
