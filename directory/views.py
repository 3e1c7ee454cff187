"""The directory page (counts, search, the staff Refresh button) and the pickers' search answers (JSON)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from directory import selectors
from directory.models import DirectoryFile
from directory.services import SyncError, directory_sync, sections_fetch
from processes_api.client import ApiError
from processes_api.platform import PlatformClient

MAX_QUERY = 200


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "")[:MAX_QUERY]


@login_required
@require_GET
def directory_view(request: HttpRequest) -> HttpResponse:
    query = _query(request).strip()
    context: dict[str, Any] = {
        "counts": selectors.counts(),
        "last_sync": selectors.last_sync(),
        "query": query,
        "people": selectors.users_search(query) if query else [],
        "files": selectors.files_search(query) if query else [],
    }
    return render(request, "directory/directory.html", context)


@login_required
@require_POST
def refresh_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Only administrators refresh the directory.")
    try:
        result = directory_sync(by=request.user)
    except SyncError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Directory refreshed: {result.line()}.")
    return redirect("directory")


def _user_option(user: Any) -> dict[str, Any]:
    detail = user.email or user.username
    return {
        "id": user.workiva_id,
        "label": user.display_name,
        "detail": f"{detail} · suspended" if user.suspended else detail,
        "suspended": user.suspended,
    }


def _fill_sandbox_once() -> None:
    """On a development server publishing to its own sandbox, fill a never-synced directory once.

    ``make run`` cannot sync before its server answers; the first picker search does it instead,
    so the pickers work out of the box. Never with DEBUG off, and never twice (a failure is recorded).
    """
    if settings.DEBUG and settings.WORKIVA_SANDBOX and selectors.last_sync() is None:
        with contextlib.suppress(SyncError):  # recorded on the sync; the directory page shows it
            directory_sync()


@login_required
@require_GET
def users_search_view(request: HttpRequest) -> JsonResponse:
    """``?q=``: up to 20 users whose name, e-mail, username or id starts with each word typed."""
    _fill_sandbox_once()
    found = selectors.users_search(_query(request))
    return JsonResponse({"results": [_user_option(u) for u in found], "filled": selectors.users_filled()})


@login_required
@require_GET
def files_search_view(request: HttpRequest) -> JsonResponse:
    """``?q=&kind=Document|Spreadsheet``: up to 20 files by name or id."""
    _fill_sandbox_once()
    kind = request.GET.get("kind", "")
    found = selectors.files_search(_query(request), kind=kind if kind in DirectoryFile.Kind.values else None)
    results = [{"id": f.workiva_id, "label": f.name, "detail": f.kind, "suspended": False} for f in found]
    return JsonResponse({"results": results, "filled": selectors.files_filled()})


@login_required
@require_GET
def sections_search_view(request: HttpRequest) -> JsonResponse:
    """``?file=ID&q=``: the chosen file's sections (or sheets), fetched from Workiva when not cached."""
    file = DirectoryFile.objects.filter(workiva_id=request.GET.get("file", "")[:MAX_QUERY]).first()
    if file is None:
        return JsonResponse({"results": [], "filled": False, "note": "Choose a document from the directory first."})
    try:
        # Asked while someone types: a short budget, so a slow Workiva does not hold the page.
        client = PlatformClient.from_settings(retry_budget=2.0, read_timeout=10.0)
        sections = sections_fetch(file=file, client=client)
    except ApiError as exc:
        return JsonResponse({"results": [], "filled": False, "note": f"Could not fetch the sections: {exc.message}"})
    found = selectors.sections_search(sections, _query(request))
    results = [{"id": s.workiva_id, "label": s.name, "detail": file.name, "suspended": False} for s in found[:50]]
    return JsonResponse({"results": results, "filled": True})
