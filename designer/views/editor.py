"""The draft editor's page and reads: the workspace, the inspector, the status, the payload; settings.

The writes to the outline are in :mod:`designer.views.nodes`; both answer through
:mod:`designer.views.workspace`.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from designer.errors import DraftError
from designer.forms import DraftSettingsForm
from designer.models import Node
from designer.permissions import Action, can, draft_for
from designer.picks import payload_notes
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_update
from designer.views.http import Request
from designer.views.workspace import (
    PAGE,
    inspector_context,
    is_autosave,
    node_of,
    not_saved_response,
    patch_response,
    refused_response,
    selected_of,
    status_context,
    version_of,
    workspace_context,
    workspace_response,
)
from processes_api.payload import build_payload

# How many rule-based job rows a settings change re-renders in place before it sends the whole workspace.
RULED_ROWS_IN_PLACE = 50


@login_required
@require_GET
def editor_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.VIEW)
    context = workspace_context(request, draft, selected=selected_of(request))
    return render(request, f"{PAGE}#workspace" if request.htmx else PAGE, context)


@login_required
@require_GET
def node_detail_view(request: Request, pk: int, key: uuid.UUID) -> HttpResponse:
    """Return the inspector for one node (the editor asks for it when the user selects a row)."""
    draft = draft_for(request.user, pk, Action.VIEW)
    if not request.htmx:
        return redirect(f"{reverse('draft-editor', args=[pk])}?node={key}#node-{key}")
    node = node_of(draft, key)
    context = inspector_context(draft, node) | {"draft": draft, "can_edit": can(request.user, draft, Action.EDIT)}
    return render(request, f"{PAGE}#inspector", context)


@login_required
@require_POST
def draft_settings_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.EDIT)
    form = DraftSettingsForm.for_draft(draft, request.POST)
    selected = selected_of(request)
    if not form.is_valid():
        if is_autosave(request):
            return not_saved_response(form)
        error = "Fix the settings marked below."
        return workspace_response(request, draft, selected=selected, status=422, error=error, settings_form=form)
    changes = form.changes()
    try:
        draft_update(draft=draft, version=version_of(request), changes=changes, actor=request.user)
    except DraftError as exc:
        draft.refresh_from_db()
        # The current settings with only the fields this user changed: a re-save reverts nobody's change.
        form = DraftSettingsForm.for_draft(draft, form.rebased_data(DraftSettingsForm.for_draft(draft)))
        return refused_response(request, draft, exc, selected, settings_form=form)
    # Every job is checked against the process due date and the business days (designer.datelint):
    # then the status also brings every badge.
    redated = bool({"due_date", "business_days", "business_start_date"} & set(changes))
    notice = "Process settings saved."
    autosave = is_autosave(request)
    ruled = list(Node.objects.filter(draft=draft).exclude(date_rules={})[: RULED_ROWS_IN_PLACE + 1]) if redated else []
    if ruled:
        # Rule-based dates moved with the due date or the calendar (in the same edit). A few rows are
        # re-rendered in place (a field saved as the user left it keeps them typing in the next);
        # beyond that the whole workspace is sent.
        notice += " Rule-based dates recomputed."
        if len(ruled) > RULED_ROWS_IN_PLACE or not autosave:
            return workspace_response(request, draft, selected=selected, notice=notice)
        for node in ruled:
            node.draft = draft
        return patch_response(
            request, draft, place=ruled, selected=selected, notice=notice, inspector=False, all_badges=True, flash=False
        )
    return patch_response(
        request,
        draft,
        selected=selected,
        notice=notice,
        inspector=redated,
        all_badges=redated,
        flash=not autosave,
    )


@login_required
@require_GET
def payload_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.VIEW)
    tree = draft_tree(draft=draft)
    payload = build_payload(tree)
    context = {"draft": draft, "payload_json": payload.to_json(), "notes": payload_notes(tree)}
    return render(request, "designer/payload.html", context)


@login_required
@require_GET
def payload_download_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.VIEW)
    payload = build_payload(draft_tree(draft=draft))
    response = HttpResponse(payload.to_json() + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="process-{draft.pk}-v{draft.version}.json"'
    return response


@login_required
@require_GET
def draft_status_view(request: Request, pk: int) -> HttpResponse:
    """Return the parts of the workspace that need the whole draft: problems, counts, publish area.

    The editor asks for it after an edit answered with only what it changed; the fragments replace
    the problems panel and the publish panel out of band. With ``?badges=1`` it also sends every
    node's problem badges (a :class:`~designer.outline.BadgeSync`), after a new process due date.
    """
    draft = draft_for(request.user, pk, Action.VIEW)
    context = status_context(request, draft, badges=bool(request.GET.get("badges")))
    return render(request, f"{PAGE}#status", context)
