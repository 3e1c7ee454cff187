"""Undo and redo in the editor: the doors to :mod:`designer.services.operations`.

Each answers like any edit: an outline patch of what the undone (or redone) operation changed, or
the whole workspace when that is more than a patch shows well; a refusal (nothing to undo,
someone else changed the same items since, a stale version) with the workspace and the message.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from designer.errors import DraftError
from designer.models import Draft, Node, Operation
from designer.permissions import Action, draft_for
from designer.services.operations import operation_redo, operation_undo
from designer.services.opstates import reordered
from designer.views.http import Request
from designer.views.workspace import patch_response, refused_response, selected_of, version_of, workspace_response

# An answer placing more items than this (a paste, a bulk edit undone) is the whole workspace.
PATCH_LIMIT = 40


@login_required
@require_POST
def undo_view(request: Request, pk: int) -> HttpResponse:
    """Undo the user's latest operation on the draft (Ctrl+Z, the Undo button)."""
    return _revert(request, pk, operation_undo, "Undid")


@login_required
@require_POST
def redo_view(request: Request, pk: int) -> HttpResponse:
    """Redo the operation the user undid last (Ctrl+Shift+Z, Ctrl+Y, the Redo button)."""
    return _revert(request, pk, operation_redo, "Redid")


def _revert(request: Request, pk: int, service: Callable[..., Operation], verb: str) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.EDIT)
    selected = selected_of(request)
    try:
        op = service(draft=draft, version=version_of(request), actor=request.user)
    except DraftError as exc:
        return refused_response(request, draft, exc, selected)
    assert op.reverts is not None
    notice = f"{verb} the {op.reverts.summary}."
    return operation_response(request, draft, op, selected=selected, notice=notice)


def operation_response(
    request: Request, draft: Draft, op: Operation, *, selected: UUID | None, notice: str, inspector: bool = True
) -> HttpResponse:
    """Answer an accepted operation with the patch of what it changed (or the whole workspace).

    Placed: the top-most nodes whose own record changed (each with its subtree); group headers:
    the groups whose items changed and the groups holding what was placed; removed: what it deleted.
    """
    after = op.after.get("nodes", {})
    changed = {k for k, record in after.items() if record is not None}
    # Groups whose items changed, but not groups made by the operation (placed whole with their items).
    lists = {k for k, v in op.after.get("children", {}).items() if v is not None and k not in changed}
    top = {k for k in changed if after[k]["parent"] not in changed}
    # Items that only changed places among the same siblings (a reorder, or its undo): their record
    # is the same, so only their group's list says they moved.
    for key in lists:
        top |= reordered(op.before.get("children", {}).get(key) or [], op.after["children"][key])
    moving = [k for k in top if op.before.get("nodes", {}).get(k, True) is not None]
    root_changed = any(after[k]["parent"] is None for k in changed) or op.settings
    if root_changed or len(top) > PATCH_LIMIT or (len(top) > 1 and lists and moving):
        return workspace_response(request, draft, selected=_still_there(draft, selected), notice=notice)
    place = list(
        Node.objects.filter(draft=draft, key__in=top).select_related("parent").order_by("parent_id", "position")
    )
    for node in place:
        node.draft = draft
    group_keys = lists | {str(n.parent.key) for n in place if n.parent is not None}
    groups = list(Node.objects.filter(draft=draft, key__in=group_keys, kind=Node.Kind.GROUP))
    for group in groups:
        group.draft = draft
    keep = _still_there(draft, selected)
    if keep is None and place:
        keep = place[0].key
    return patch_response(
        request,
        draft,
        place=place,
        groups=groups,
        removed=[UUID(k) for k in op.removed],
        selected=keep,
        notice=notice,
        inspector=inspector,
    )


def _still_there(draft: Draft, key: UUID | None) -> UUID | None:
    return key if key and Node.objects.filter(draft=draft, key=key).exists() else None
