"""The editor's writes to a multi-selection (move, delete), and the outline's search index.

Each write is one service call (:mod:`designer.services.selection`), one activity line, answered
with one outline patch, or with the authoritative workspace when refused (or when the change is
too large for a patch to be cheaper than the whole outline).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from designer.errors import DraftError
from designer.forms import MoveForm
from designer.models import Node
from designer.permissions import Action, draft_for
from designer.selectors.calendar import has_dated_jobs
from designer.selectors.trees import draft_tree, path_to
from designer.services.selection import nodes_delete, nodes_move, parse_keys
from designer.views.http import Request
from designer.views.nodes import MOVE_HELP
from designer.views.workspace import (
    patch_response,
    refused_response,
    selected_of,
    version_of,
    workspace_response,
)
from directory.selectors import users_by_id
from processes_api import schema

# Above this many moved or deleted items the answer is the whole workspace: a patch renders each
# item's subtree with a few queries of its own (≈ 3 ms an item at 3,000 jobs), the workspace renders
# the whole outline from one (≈ 0.1 s at 3,000 jobs; bench/search.py).
MAX_PATCHED = 25


def _plural(count: int, word: str = "item") -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _focus_of(request: Request, keys: list[UUID]) -> UUID | None:
    """Return the posted ``focus`` key (the item the keyboard is on) if it is one of ``keys``."""
    try:
        focus = UUID(str(request.POST.get("focus")))
    except ValueError:
        return keys[0] if keys else None
    return focus if focus in keys else (keys[0] if keys else None)


@login_required
@require_POST
def nodes_move_view(request: Request, pk: int) -> HttpResponse:
    """Move the selected items (``keys``) one keyboard step, or to a drop's ``parent`` and ``position``."""
    draft = draft_for(request.user, pk, Action.EDIT)
    selected = selected_of(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return workspace_response(request, draft, selected=selected, status=422, error=MOVE_HELP)
    move = form.cleaned_data
    try:
        keys = parse_keys(request.POST.get("keys", ""))
        moved = nodes_move(
            draft=draft,
            version=version_of(request),
            keys=keys,
            direction=move["direction"] or "",
            parent_key=move["parent"],
            position=move["position"] or 0,
            actor=request.user,
        )
    except DraftError as exc:
        return refused_response(request, draft, exc, selected)
    nodes = moved.nodes
    notice = f"Moved {_plural(len(nodes))}." if len(nodes) > 1 else ""
    if len(nodes) > MAX_PATCHED:
        return workspace_response(request, draft, selected=selected, notice=notice)
    moved_keys = [n.key for n in nodes]
    groups = [*moved.old_parents, moved.parent]
    return patch_response(
        request,
        draft,
        place=nodes,
        groups=groups,
        selected=selected,
        focus=_focus_of(request, moved_keys),
        # Several items selected: the inspector shows their shared fields (static/js/clipboard.js's bulk
        # edit), which a move does not change; one item: as for a single move.
        inspector=len(nodes) == 1 and _inspector_changed(selected, moved_keys, groups),
        notice=notice,
        redirect_to=moved_keys[0],
        all_badges=has_dated_jobs(draft),  # the date lint's order warnings follow the new order
    )


def _inspector_changed(selected: UUID | None, moved: list[UUID], groups: list[Node]) -> bool:
    """Return whether the move changed what the inspector shows for ``selected`` (its path or a size)."""
    if selected is None:
        return False
    if selected in moved or any(g.key == selected for g in groups):
        return True
    node = Node.objects.filter(draft_id=groups[0].draft_id, key=selected).first()
    if node is None:
        return True
    moved_set = set(moved)
    if any(a.key in moved_set for a in path_to(node)):  # inside a moved group: its path changed
        return True
    if node.is_group:  # a group above a group that lost or gained items: its size changed
        return any(node.key == a.key for g in groups for a in path_to(g))
    return False


@login_required
@require_POST
def nodes_delete_view(request: Request, pk: int) -> HttpResponse:
    """Delete the selected items (``keys``) with everything inside them; the flash offers Undo (the
    operation log's: the whole deletion in one step)."""
    draft = draft_for(request.user, pk, Action.EDIT)
    selected = selected_of(request)
    try:
        keys = parse_keys(request.POST.get("keys", ""))
        snapshots = nodes_delete(draft=draft, version=version_of(request), keys=keys, actor=request.user)
    except DraftError as exc:
        return refused_response(request, draft, exc, selected)
    tops = [s["nodes"][0] for s in snapshots]
    gone = {UUID(r["key"]) for s in snapshots for r in s["nodes"]}
    label = _label(tops[0]) if len(tops) == 1 else _plural(len(tops))
    parents = list(Node.objects.filter(draft=draft, key__in={s["parent"] for s in snapshots}))
    if selected is None or selected in gone:
        selected = UUID(snapshots[0]["parent"])
    notice = f"Deleted “{label}”." if len(tops) == 1 else f"Deleted {label}."
    if len(tops) > MAX_PATCHED:
        return workspace_response(request, draft, selected=selected, notice=notice, undo_label=label)
    removed = [UUID(r["key"]) for r in tops]
    return patch_response(
        request, draft, groups=parents, removed=removed, selected=selected, notice=notice, undo_label=label
    )


def _label(record: dict[str, Any]) -> str:
    """Return the label of a deleted node from its snapshot record (as ``Node.label`` gives it)."""
    return Node(kind=record["kind"], name=record.get("name", ""), arguments=record.get("arguments") or {}).label


@login_required
@require_GET
def outline_index_view(request: Request, pk: int) -> JsonResponse:
    """Return what the outline's search matches, per node, for static/js/search.js.

    ``{"version": n, "nodes": [{"key", "kind", "type", "text", "assignees", "names", "due"}]}``:
    ``text`` is the lower-cased name or title and instructions, ``assignees`` the ids of the job's
    people (its fields of kind user or principal: assignee, approver), ``names`` the display names
    the directory knows for them (lower-cased; an id it does not know has none), ``due`` its due
    date (``YYYY-MM-DD``) or "". Two queries for the whole tree: the nodes, then the directory's
    names for every id at once (none when no job names anyone).
    """
    draft = draft_for(request.user, pk, Action.VIEW)
    tree = draft_tree(draft=draft)
    jobs: list[tuple[Any, list[str]]] = []
    for node, depth in tree.walk():
        if depth == 0:
            continue
        if node.is_group:
            jobs.append((node, []))
            continue
        job_type = schema.job_type(node.job_type)
        args = node.arguments if isinstance(node.arguments, dict) else {}
        fields = job_type.fields_of_kind("user", "principal") if job_type else ()
        jobs.append((node, [i for f in fields for i in _principals(args.get(f.name))]))
    known = users_by_id({i for _, people in jobs for i in people})
    nodes: list[dict[str, Any]] = []
    for node, people in jobs:
        if node.is_group:
            nodes.append({"key": str(node.key), "kind": "group", "type": "", "text": node.label.lower()})
            continue
        args = node.arguments if isinstance(node.arguments, dict) else {}
        job_type = schema.job_type(node.job_type)
        label = job_type.label if job_type else node.job_type
        instructions = args.get("instructions")
        text = " ".join([node.label, instructions if isinstance(instructions, str) else ""])
        due = args.get("dueDate")
        nodes.append(
            {
                "key": str(node.key),
                "kind": "job",
                "type": node.job_type,
                "typeLabel": label.lower(),
                "text": text.lower(),
                "assignees": [p.lower() for p in people],
                "names": [known[p].label.lower() for p in people if p in known and known[p].label],
                "due": due[:10] if isinstance(due, str) else "",
            }
        )
    return JsonResponse({"version": draft.version, "nodes": nodes})


def _principals(value: Any) -> list[str]:
    """Return the ids a user or principal argument holds (a principal's ``id``; a list of either)."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, list):
        return [i for v in value for i in _principals(v)]
    return [value.strip()] if isinstance(value, str) and value.strip() else []
