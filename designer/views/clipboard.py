"""Copy, paste and bulk edit in the editor: the doors to :mod:`designer.services.clipboard` and
:mod:`designer.services.bulk`.

Copy answers the clipboard's JSON (``{"children": [...]}``); paste and bulk edit answer like any
edit (an outline patch, or the workspace with the reason when refused).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from designer.errors import DraftError
from designer.forms import BulkForm
from designer.models import Draft, Node, Operation
from designer.permissions import Action, can, draft_for
from designer.services.bulk import BULK_FIELDS, nodes_bulk_update, shared_value
from designer.services.clipboard import nodes_copy, nodes_paste
from designer.views.http import Request
from designer.views.operations import operation_response
from designer.views.workspace import refused_response, selected_of, version_of, workspace_response
from processes_api.payload import PayloadError, parse_json

MAX_KEYS = 3000 + 1000  # every job and group of the largest draft


def keys_of(request: Request) -> list[UUID]:
    """Return the node keys posted (or asked for) as ``keys``: space- or comma-separated."""
    raw = (request.POST.get("keys") if request.method == "POST" else request.GET.get("keys")) or ""
    keys = []
    for part in raw.replace(",", " ").split()[:MAX_KEYS]:
        try:
            keys.append(UUID(part))
        except ValueError:
            continue
    return keys


@login_required
@require_GET
def nodes_copy_view(request: Request, pk: int) -> HttpResponse:
    """Return the selected items (``?keys=``) as the clipboard's Process JSON."""
    draft = draft_for(request.user, pk, Action.VIEW)
    try:
        fragment = nodes_copy(draft=draft, keys=keys_of(request))
    except DraftError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(fragment, json_dumps_params={"ensure_ascii": False, "indent": 2})


@login_required
@require_POST
def nodes_paste_view(request: Request, pk: int) -> HttpResponse:
    """Paste the posted clipboard text (``data``) after the item ``after`` (or at the end)."""
    draft = draft_for(request.user, pk, Action.EDIT)
    selected = selected_of(request)
    try:
        data = parse_json(request.POST.get("data") or "")
        after = _key(request.POST.get("after"))
        top = nodes_paste(draft=draft, version=version_of(request), data=data, after_key=after, actor=request.user)
    except PayloadError as exc:
        return workspace_response(request, draft, selected=selected, status=422, error=f"Nothing was pasted: {exc}")
    except DraftError as exc:
        return refused_response(request, draft, exc, selected)
    op = _latest(draft)
    notice = f"Pasted “{top[0].label}”." if len(top) == 1 else f"Pasted {len(top)} items."
    return operation_response(request, draft, op, selected=top[0].key, notice=notice)


def _key(value: str | None) -> UUID | None:
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


def _latest(draft: Draft) -> Operation:
    return Operation.objects.get(draft=draft, version_after=draft.version)


def _shared(jobs: list[Node]) -> dict[str, str | None]:
    """Return, per bulk field some job has, the jobs' common value, or None when they differ."""
    shared: dict[str, str | None] = {}
    for name in BULK_FIELDS:
        values = {v for v in (shared_value(job, name) for job in jobs) if v is not None}
        if values:
            shared[name] = values.pop() if len(values) == 1 else None
    return shared


def _jobs(draft: Draft, keys: list[UUID]) -> tuple[list[Node], int]:
    nodes = list(Node.objects.filter(draft=draft, key__in=keys))
    jobs = [n for n in nodes if not n.is_group]
    return jobs, len(nodes) - len(jobs)


@login_required
@require_GET
def bulk_form_view(request: Request, pk: int) -> HttpResponse:
    """Return the inspector for several selected items (``?keys=``): what their jobs share."""
    draft = draft_for(request.user, pk, Action.VIEW)
    keys = keys_of(request)
    jobs, groups = _jobs(draft, keys)
    context: dict[str, Any] = {
        "draft": draft,
        "can_edit": can(request.user, draft, Action.EDIT),
        "bulk_form": BulkForm(shared=_shared(jobs)) if jobs else None,
        "job_count": len(jobs),
        "group_count": groups,
        "keys": " ".join(str(j.key) for j in jobs),
    }
    return render(request, "designer/_bulk_inspector.html", context)


@login_required
@require_POST
def bulk_update_view(request: Request, pk: int) -> HttpResponse:
    """Change what the selected jobs share, in one step."""
    draft = draft_for(request.user, pk, Action.EDIT)
    selected = selected_of(request)
    keys = keys_of(request)
    jobs, _ = _jobs(draft, keys)
    form = BulkForm(request.POST, shared=_shared(jobs))
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[n].label if n in form.fields else n}: {' '.join(str(m) for m in e)}"
            for n, e in form.errors.items()
        )
        error = f"Nothing was changed: {problems}"
        return workspace_response(request, draft, selected=selected, status=422, error=error)
    try:
        result = nodes_bulk_update(
            draft=draft,
            version=version_of(request),
            keys=keys,
            changes=form.changes(),
            shift_days=form.shift(),
            actor=request.user,
        )
    except DraftError as exc:
        return refused_response(request, draft, exc, selected)
    op = _latest(draft)
    notice = f"{op.summary[:1].upper()}{op.summary[1:]}: changed {len(result.changed)} job{'s' if len(result.changed) != 1 else ''}."
    if result.skipped:
        notice += f" {result.skipped} had none of those fields and were left as they were."
    if result.unit:
        notice += f" Dates moved in {result.unit}."
    return operation_response(request, draft, op, selected=selected, notice=notice, inspector=False)
