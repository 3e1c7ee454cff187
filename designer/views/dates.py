"""The editor's date writes: a suggested fix, a job date's rule, the draft's holiday calendar.

Each answers like the editor's other writes that change more than one row (the whole workspace
for htmx, a redirect back to the editor otherwise); a refused one says why.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from designer.calendar import describe_rule
from designer.errors import DraftError, TreeError
from designer.permissions import Action, draft_for
from designer.services.dates import date_fix_apply, draft_calendar_update, node_date_rule_set
from designer.views.http import Request, whole_number
from designer.views.workspace import node_of, refused_response, selected_of, version_of, workspace_response


def _key(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        raise TreeError("The fix names an item that is not in this draft.") from None


@login_required
@require_POST
def date_fix_view(request: Request, pk: int) -> HttpResponse:
    """Apply one suggested fix: ``node`` (empty for the process), ``field``, ``value``."""
    draft = draft_for(request.user, pk, Action.EDIT)
    selected = selected_of(request)
    try:
        key = _key(request.POST.get("node"))
        field = request.POST.get("field", "")
        value = request.POST.get("value", "")
        date_fix_apply(
            draft=draft, version=version_of(request), node_key=key, field=field, value=value, actor=request.user
        )
    except DraftError as exc:
        draft.refresh_from_db()
        return refused_response(request, draft, exc, selected)
    notice = f"Date set to {value}."
    return workspace_response(request, draft, selected=key or selected, notice=notice)


@login_required
@require_POST
def date_rule_view(request: Request, pk: int, key: uuid.UUID) -> HttpResponse:
    """Set (``days`` and ``direction``) or drop (``clear``) the rule of one of a job's dates."""
    draft = draft_for(request.user, pk, Action.EDIT)
    node = node_of(draft, key)
    field = request.POST.get("field", "")
    try:
        if request.POST.get("clear"):
            days = None
        else:
            count = whole_number(request.POST.get("days", "").strip())
            direction = request.POST.get("direction")
            if count is None or direction not in ("before", "after"):
                raise TreeError("Enter a whole number of business days and choose before or after.")
            days = -count if direction == "before" else count
        node_date_rule_set(node=node, version=version_of(request), field=field, days=days, actor=request.user)
    except DraftError as exc:
        draft.refresh_from_db()
        return refused_response(request, draft, exc, key)
    rule = (node.date_rules or {}).get(field)
    notice = f"The date now follows the rule: {describe_rule(rule)}." if rule else "The date is now a fixed date."
    return workspace_response(request, draft, selected=key, notice=notice)


@login_required
@require_POST
def draft_calendar_view(request: Request, pk: int) -> HttpResponse:
    """Set the draft's holiday calendar; rule-based dates follow."""
    draft = draft_for(request.user, pk, Action.EDIT)
    selected = selected_of(request)
    try:
        changed = draft_calendar_update(
            draft=draft,
            version=version_of(request),
            holiday_calendar=request.POST.get("holiday_calendar", ""),
            actor=request.user,
        )
    except DraftError as exc:
        draft.refresh_from_db()
        return refused_response(request, draft, exc, selected)
    notice = "Holiday calendar saved." + (f" {changed} rule-based date{'s' * (changed != 1)} moved." if changed else "")
    return workspace_response(request, draft, selected=selected, notice=notice)
