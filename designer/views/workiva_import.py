"""Import from Workiva: search the processes in Workiva by name, import one as a new draft."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from designer import ratelimit
from designer.services.workiva_import import draft_import_process
from designer.views.http import Request
from processes_api.client import ApiError, Client
from processes_api.payload import PayloadError

PAGE = "designer/import_workiva.html"
RESULTS = 25


def _client() -> Client:
    return Client.from_settings(retry_budget=min(5.0, float(settings.WORKIVA_RETRY_BUDGET)))


@login_required
@require_GET
def workiva_search_view(request: Request) -> HttpResponse:
    name = request.GET.get("name", "").strip()[:200]
    context: dict[str, Any] = {"name": name, "processes": [], "error": "", "searched": "name" in request.GET}
    if context["searched"]:
        try:
            context["processes"] = list(_client().list(name=name or None, page_size=RESULTS, limit=RESULTS))
        except ApiError as exc:
            context["error"] = f"Could not list the processes in Workiva: {exc.message}"
    return render(request, PAGE, context, status=502 if context["error"] else 200)


@login_required
@require_POST
def workiva_import_view(request: Request) -> HttpResponse:
    process_id = request.POST.get("process", "").strip()
    context: dict[str, Any] = {"name": request.POST.get("name", "")[:200], "processes": [], "searched": False}
    try:
        ratelimit.limit(user_id=request.user.pk, action="import")
    except ratelimit.Limited as limited:
        response = render(request, PAGE, context | {"error": str(limited)}, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    if not process_id or "/" in process_id or len(process_id) > 200:
        return render(request, PAGE, context | {"error": "Choose a process to import."}, status=422)
    try:
        imported = draft_import_process(process_id=process_id, owner=request.user, client=_client())
    except ApiError as exc:
        error = (
            f"There is no process {process_id} in Workiva." if exc.status == 404 else f"Could not import: {exc.message}"
        )
        return render(request, PAGE, context | {"error": error}, status=502 if exc.status != 404 else 404)
    except (PayloadError, ValidationError) as exc:
        text = str(exc) if isinstance(exc, PayloadError) else " ".join(exc.messages)
        return render(
            request, PAGE, context | {"error": f"Workiva's answer is not a process we can import: {text}"}, status=502
        )
    notice = f"Imported “{imported.draft.name}” from Workiva."
    if imported.lacking:
        count = len(imported.lacking)
        notice += (
            f" Workiva did not send the details of {count} job{'s' if count != 1 else ''} (title, assignee, …):"
            " the problems list shows what to fill in."
        )
    messages.success(request, notice)
    return redirect("draft-editor", pk=imported.draft.pk)
