"""The draft editor: the page, and the htmx writes that answer with the authoritative workspace.

Every write carries the draft version it was based on. A stale one is refused by the service with
:class:`DraftConflict`; the answer then shows the message and the current tree, and keeps what the
user typed in the form so nothing is lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap

from designer.errors import DraftConflict, DraftError, TreeError
from designer.forms import DraftSettingsForm, GroupForm, JobForm, MoveForm, NodeAddForm
from designer.models import Activity, Draft, Node
from designer.outline import Outline, build_outline, outline_patch
from designer.panels import Panel, editor_panels
from designer.permissions import Action, can, draft_for
from designer.selectors.comments import comment_counts
from designer.selectors.trees import child_counts, draft_tree, path_to, subtree_size
from designer.services.activity import activity_record
from designer.services.drafts import draft_update
from designer.services.nodes import node_create, node_delete, node_duplicate, node_move, node_restore, node_update
from designer.views.http import Request
from processes_api import schema
from processes_api.lint import lint_node, process_due_date
from processes_api.payload import build_payload

MOVE_HELP = "Choose up, down, indent or outdent, or where to drop the item."
NO_VERSION = "The form did not say which version of the draft it was based on; reload the page and try again."
NEW_TITLES = {"sendTask": "New task", "contentRequest": "New content request", "certification": "New certification"}


def _draft(request: Request, pk: int, action: Action) -> Draft:
    return draft_for(request.user, pk, action)


def _version(request: Request) -> int:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        raise TreeError(NO_VERSION) from None


def _key(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def _one_node(draft: Draft, key: UUID) -> Node:
    """Return one node of ``draft`` without loading the tree (the services load it when they write)."""
    node = Node.objects.filter(draft=draft, key=key).first()
    if node is None:
        raise Http404("No such node in this draft.")
    node.draft = draft
    return node


def _parent_of(node: Node) -> Node:
    """Return the group holding ``node`` (not the root): the services leave it cached, so no query."""
    parent = node.parent
    assert parent is not None
    parent.draft = node.draft
    return parent


def _node_form(node: Node | None, data: Any = None) -> Form | None:
    if node is None:
        return None
    return GroupForm.for_node(node, data) if node.is_group else JobForm.for_node(node, data)


def _undo_key(draft: Draft) -> str:
    return f"undo:{draft.pk}"


def _context(
    request: Request,
    draft: Draft,
    *,
    selected: UUID | None = None,
    node_form: Form | None = None,
    settings_form: DraftSettingsForm | None = None,
    notice: str = "",
    error: str = "",
    focus: UUID | None = None,
) -> dict[str, Any]:
    tree = draft_tree(draft=draft)
    outline = build_outline(tree, comments=comment_counts(draft))
    node = tree.by_key.get(selected) if selected else None
    undo = request.session.get(_undo_key(draft))
    can_edit = can(request.user, draft, Action.EDIT)
    return _inspector_context(draft, node) | {
        "draft": draft,
        "outline": outline,
        "outline_rows": outline.rows_html(
            selected=node.key if node else None,
            can_edit=can_edit,
            comments_url=reverse("review-page", args=[draft.pk]),
        ),
        # Lazy: the hash (a JSON dump of the whole payload) is computed only if the review state
        # needs it (an approval to compare with), and then once.
        "current_hash": outline.lazy_content_hash,
        "panels": _panels(request, draft, outline),
        "root": tree.root,
        "settings_form": settings_form or DraftSettingsForm.for_draft(draft),
        "can_edit": can_edit,
        **({"node_form": node_form} if node_form is not None else {}),
        "undo_label": undo["label"] if undo else "",
        "notice": notice,
        "error": error,
        "focus": focus or (node.key if node else None),
    }


def _panels(request: Request, draft: Draft, outline: Outline) -> list[Panel]:
    return editor_panels(
        request=request, draft=draft, problems=outline.problems, current_hash=outline.lazy_content_hash
    )


def _inspector_context(draft: Draft, node: Node | None) -> dict[str, Any]:
    """Return what the inspector shows besides the form, from a few queries about ``node`` alone.

    The path of groups above it, what deleting it takes with it, its own problems (exactly what
    the whole-draft lint finds on it) and its open comment threads. Nothing in it depends on the
    node's siblings ("add after this job" names the job, not an index), so a move elsewhere in its
    group leaves the inspector, and whatever the user is typing there, as it is.
    """
    context: dict[str, Any] = {"job_types": schema.EDITABLE_JOB_TYPES, "selected": node, "node_form": _node_form(node)}
    if node is None:
        return context | {"ancestors": [], "subtree_size": 0, "node_problems": [], "node_comments": 0}
    children = child_counts([node]).get(node.pk, 0) if node.is_group else 0
    return context | {
        "ancestors": path_to(node),
        "subtree_size": subtree_size(node) if children else 0,
        "node_problems": lint_node(node, child_count=children, process_due=process_due_date(draft)),
        "node_comments": comment_counts(draft).get(node.key, 0),
    }


def _answer(
    request: Request,
    draft: Draft,
    *,
    selected: UUID | None = None,
    status: int = 200,
    notice: str = "",
    error: str = "",
    **extra: Any,
) -> HttpResponse:
    """Answer with the whole workspace (htmx) or the page: for refused writes, which must show the
    authoritative current draft, and the few edits that change more than a patch carries.

    Without htmx a successful write redirects to the editor.
    """
    if request.method == "POST" and not error and status == 200:
        activity_record(
            draft=draft, actor=request.user, verb=Activity.Verb.EDITED, summary=notice or "Rearranged the outline."
        )
    if not request.htmx and not error and status == 200:
        if notice:
            messages.success(request, notice)
        url = reverse("draft-editor", args=[draft.pk])
        return redirect(f"{url}?node={selected}#node-{selected}" if selected else url)
    draft.refresh_from_db()
    context = _context(request, draft, selected=selected, notice=notice, error=error, **extra)
    context["retitle"] = bool(request.htmx)
    template = "designer/editor.html#workspace" if request.htmx else "designer/editor.html"
    return render(request, template, context, status=status)


def _refused(request: Request, draft: Draft, exc: DraftError, selected: UUID | None, **extra: Any) -> HttpResponse:
    status = 409 if isinstance(exc, DraftConflict) else 422
    return _answer(request, draft, selected=selected, status=status, error=str(exc), **extra)


def _selected(request: Request) -> UUID | None:
    return _key(request.POST.get("selected") or request.GET.get("node"))


@login_required
@require_GET
def editor_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    template = "designer/editor.html#workspace" if request.htmx else "designer/editor.html"
    return render(request, template, _context(request, draft, selected=_selected(request)))


@login_required
@require_GET
def node_detail_view(request: Request, pk: int, key: uuid.UUID) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    if not request.htmx:
        return redirect(f"{reverse('draft-editor', args=[pk])}?node={key}#node-{key}")
    node = _one_node(draft, key)
    context = _inspector_context(draft, node) | {"draft": draft, "can_edit": can(request.user, draft, Action.EDIT)}
    return render(request, "designer/editor.html#inspector", context)


@login_required
@require_POST
def draft_settings_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.EDIT)
    form = DraftSettingsForm.for_draft(draft, request.POST)
    selected = _selected(request)
    if not form.is_valid():
        return _answer(
            request, draft, selected=selected, status=422, error="Fix the settings marked below.", settings_form=form
        )
    changes = form.changes()
    try:
        draft_update(draft=draft, version=_version(request), changes=changes)
    except DraftError as exc:
        draft.refresh_from_db()
        return _refused(request, draft, exc, selected, settings_form=DraftSettingsForm.for_draft(draft, request.POST))
    # Every job is checked against the process due date: then the status also brings every badge.
    redated = "due_date" in changes
    return _changed(
        request, draft, selected=selected, notice="Process settings saved.", inspector=redated, all_badges=redated
    )


@login_required
@require_POST
def node_edit_view(request: Request, pk: int, key: uuid.UUID) -> HttpResponse:
    draft = _draft(request, pk, Action.EDIT)
    node = _one_node(draft, key)
    form = _node_form(node, request.POST)
    if form is None:
        return _answer(request, draft, selected=key, status=422, error="Jobs generated by Workiva cannot be edited.")
    if not form.is_valid():
        return _answer(
            request,
            draft,
            selected=key,
            status=422,
            error="Nothing was saved: fix the fields marked below.",
            node_form=form,
        )
    try:
        node_update(node=node, version=_version(request), changes=form.changes())  # type: ignore[attr-defined]
    except DraftError as exc:
        draft.refresh_from_db()
        fresh = Node.objects.filter(draft=draft, key=key).first()
        return _refused(request, draft, exc, key, node_form=_node_form(fresh, request.POST) if fresh else None)
    notice = f"Saved “{node.label}”."
    if node.is_root:  # the root's name and mode sit above the outline, outside the patch
        return _answer(request, draft, selected=key, notice=notice)
    # A job's row shows its fields; a group's header its name and mode (its items are unchanged).
    place, groups = ([], [node]) if node.is_group else ([node], [])
    return _changed(request, draft, place=place, groups=groups, selected=key, notice=notice)


@login_required
@require_POST
def node_add_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.EDIT)
    form = NodeAddForm(request.POST)
    if not form.is_valid():
        return _answer(request, draft, selected=_selected(request), status=422, error="Choose what to add and where.")
    what = form.cleaned_data["what"]
    kind = Node.Kind.GROUP if what == "group" else Node.Kind.JOB
    try:
        node = node_create(
            draft=draft,
            version=_version(request),
            parent_key=form.cleaned_data["parent"],
            position=form.cleaned_data["position"] or 0,
            after_key=form.cleaned_data["after"],
            kind=kind,
            job_type="" if what == "group" else what,
            arguments=None if what == "group" else {"title": NEW_TITLES.get(what, "New job")},
        )
    except DraftError as exc:
        return _refused(request, draft, exc, _selected(request))
    parent = _parent_of(node)
    return _changed(request, draft, place=[node], groups=[parent], selected=node.key, notice=f"Added “{node.label}”.")


def _move_target(node: Node, direction: str) -> tuple[Node, int]:
    """Return the new parent and position for a keyboard move, or raise TreeError.

    Reads only the node's neighbourhood (a few small queries), not the whole tree; the move
    service checks the version and the new parent again under the draft's lock.
    """
    if node.parent_id is None:
        raise TreeError("The root group cannot be moved.")
    parent = Node.objects.get(pk=node.parent_id)
    siblings = list(Node.objects.filter(parent_id=node.parent_id).order_by("position", "id").only("pk", "key", "kind"))
    index = [s.pk for s in siblings].index(node.pk)
    if direction == "up":
        if index == 0:
            raise TreeError(f"“{node.label}” is already first in its group.")
        return parent, index - 1
    if direction == "down":
        if index == len(siblings) - 1:
            raise TreeError(f"“{node.label}” is already last in its group.")
        return parent, index + 1
    if direction == "indent":
        above = siblings[index - 1] if index else None
        if above is None or above.kind != Node.Kind.GROUP:
            raise TreeError(f"To indent “{node.label}”, the node just above it must be a group.")
        return above, Node.objects.filter(parent_id=above.pk).count()
    if parent.parent_id is None:
        raise TreeError(f"“{node.label}” is already at the top level.")
    grandparent = Node.objects.get(pk=parent.parent_id)
    aunts = list(Node.objects.filter(parent_id=grandparent.pk).order_by("position", "id").values_list("pk", flat=True))
    return grandparent, aunts.index(parent.pk) + 1


@login_required
@require_POST
def node_move_view(request: Request, pk: int, key: uuid.UUID) -> HttpResponse:
    """Move a node: up, down, indent or outdent (keyboard, buttons), or to a drop's parent and index."""
    draft = _draft(request, pk, Action.EDIT)
    node = _one_node(draft, key)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _answer(request, draft, selected=key, status=422, error=MOVE_HELP)
    try:
        version = _version(request)
        if version != draft.version:
            raise DraftConflict(expected=version, actual=draft.version)
        if form.cleaned_data["direction"]:
            parent, position = _move_target(node, form.cleaned_data["direction"])
            parent_key = parent.key
        else:
            parent_key, position = form.cleaned_data["parent"], form.cleaned_data["position"]
        moved = node_move(node=node, version=version, parent_key=parent_key, position=position)
    except DraftError as exc:
        return _refused(request, draft, exc, _selected(request) or key)
    node, old_parent = moved
    parent = _parent_of(node)
    selected = _selected(request)
    return _changed(
        request,
        draft,
        place=[node],
        groups=[old_parent, parent] if old_parent.pk != parent.pk else [parent],
        selected=selected,
        focus=node.key,
        inspector=_inspector_changed(selected, node, [old_parent, parent]),
        redirect_to=key,
    )


def _inspector_changed(selected: UUID | None, moved: Node, parents: Sequence[Node]) -> bool:
    """Return whether a move changed what the inspector shows for ``selected``.

    It did for the moved node, for the nodes inside it (their path), and for the groups it left
    or joined and the groups above those (their size, which "Delete" names). Otherwise the
    inspector stays as it is, its version fields updated, so a form the user is filling in is
    not reset by a drag elsewhere in the outline.
    """
    if selected is None:
        return False
    if selected == moved.key:
        return True
    node = Node.objects.filter(draft_id=moved.draft_id, key=selected).first()
    if node is None:
        return True
    if node.is_group:
        for parent in parents:
            if node.pk == parent.pk or any(a.pk == node.pk for a in path_to(parent)):
                return True
    return any(a.pk == moved.pk for a in path_to(node))


def _changed(
    request: Request,
    draft: Draft,
    *,
    place: Sequence[Node] = (),
    groups: Sequence[Node] = (),
    removed: Sequence[UUID] = (),
    selected: UUID | None,
    focus: UUID | None = None,
    inspector: bool = True,
    notice: str = "",
    redirect_to: UUID | None = None,
    all_badges: bool = False,
) -> HttpResponse:
    """Record a successful edit and answer it: for htmx, with only what it changed.

    The answer holds the outline patch (``place``d items with their subtrees, ``groups``' header
    rows, ``removed`` items), the flash, the new version and, when ``inspector``, the inspector for
    ``selected``. The editor applies it in place and then asks for ``draft-status`` (problems,
    counts, publish area), the one part that needs the whole draft, and with ``all_badges`` for
    every node's badges too (an edit that can change any node's problems). Without htmx: a redirect.
    """
    activity_record(
        draft=draft, actor=request.user, verb=Activity.Verb.EDITED, summary=notice or "Rearranged the outline."
    )
    if not request.htmx:
        if notice:
            messages.success(request, notice)
        target = redirect_to or selected
        url = reverse("draft-editor", args=[draft.pk])
        return redirect(f"{url}?node={target}#node-{target}" if target else url)
    can_edit = can(request.user, draft, Action.EDIT)
    patch = outline_patch(
        draft,
        place=place,
        groups=groups,
        removed=removed,
        selected=selected,
        focus=focus,
        all_badges=all_badges,
        can_edit=can_edit,
        comments_url=reverse("review-page", args=[draft.pk]),
    )
    undo = request.session.get(_undo_key(draft))
    context: dict[str, Any] = {
        "draft": draft,
        "patch": patch,
        "oob": True,
        "can_edit": can_edit,
        "notice": notice,
        "undo_label": undo["label"] if undo else "",
        "inspector": inspector,
    }
    if inspector:
        node = Node.objects.filter(draft=draft, key=selected).first() if selected else None
        context |= _inspector_context(draft, node)
    return reswap(render(request, "designer/editor.html#patch", context), "none")


@login_required
@require_POST
def node_duplicate_view(request: Request, pk: int, key: uuid.UUID) -> HttpResponse:
    draft = _draft(request, pk, Action.EDIT)
    node = _one_node(draft, key)
    try:
        copy = node_duplicate(node=node, version=_version(request))
    except DraftError as exc:
        return _refused(request, draft, exc, key)
    parent = _parent_of(copy)
    notice = f"Duplicated “{node.label}”."
    return _changed(request, draft, place=[copy], groups=[parent], selected=copy.key, notice=notice)


@login_required
def node_delete_view(request: Request, pk: int, key: uuid.UUID) -> HttpResponse:
    if request.method == "GET":
        draft = _draft(request, pk, Action.EDIT)
        node = _one_node(draft, key)
        size = subtree_size(node)
        return render(request, "designer/node_delete.html", {"draft": draft, "node": node, "descendants": size})
    if request.method != "POST":
        return HttpResponse(status=405)
    draft = _draft(request, pk, Action.EDIT)
    node = _one_node(draft, key)
    try:
        snapshot = node_delete(node=node, version=_version(request))
    except DraftError as exc:
        return _refused(request, draft, exc, key)
    request.session[_undo_key(draft)] = {"snapshot": snapshot, "label": node.label}
    parent = Node.objects.get(draft=draft, key=snapshot["parent"])
    return _changed(
        request, draft, groups=[parent], removed=[node.key], selected=parent.key, notice=f"Deleted “{node.label}”."
    )


@login_required
@require_POST
def undo_delete_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.EDIT)
    undo = request.session.get(_undo_key(draft))
    if not undo:
        return _answer(request, draft, status=422, error="There is no deletion to undo.")
    try:
        node = node_restore(draft=draft, version=_version(request), snapshot=undo["snapshot"])
    except DraftConflict as exc:
        return _refused(request, draft, exc, None)
    except (DraftError, KeyError, ValueError) as exc:
        del request.session[_undo_key(draft)]
        message = str(exc) if isinstance(exc, DraftError) else "That deletion can no longer be undone."
        return _answer(request, draft, status=422, error=message)
    del request.session[_undo_key(draft)]
    parent = _parent_of(node)
    return _changed(
        request, draft, place=[node], groups=[parent], selected=node.key, notice=f"Restored “{node.label}”."
    )


@login_required
@require_GET
def payload_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    payload = build_payload(draft_tree(draft=draft))
    return render(request, "designer/payload.html", {"draft": draft, "payload_json": payload.to_json()})


@login_required
@require_GET
def payload_download_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
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
    node's problem badges, which the editor puts on the rows (after a new process due date).
    """
    draft = _draft(request, pk, Action.VIEW)
    outline = build_outline(draft_tree(draft=draft))
    context = {
        "draft": draft,
        "outline": outline,
        "current_hash": outline.lazy_content_hash,
        "panels": _panels(request, draft, outline),
        "can_edit": can(request.user, draft, Action.EDIT),
        "oob": True,
        "badges": outline.badge_sync(draft.version) if request.GET.get("badges") else None,
    }
    return render(request, "designer/editor.html#status", context)
