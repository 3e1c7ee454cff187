"""The editor's workspace and the two answers an editor write gets.

Every write carries the draft version it was based on. An accepted write is answered with only
what it changed (:func:`patch_response`: an outline patch, the flash, the inspector); a refused one
(:class:`DraftConflict`, 409, or invalid input, 422) with the authoritative workspace
(:func:`workspace_response`), which keeps what the user typed in the form so nothing is lost.
Without htmx, an accepted write redirects back to the editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import reswap, trigger_client_event

from designer.errors import DraftConflict, DraftError, TreeError
from designer.forms import DraftSettingsForm, GroupForm, JobForm
from designer.models import Activity, Draft, Node
from designer.outline import Outline, build_outline, outline_patch
from designer.panels import editor_panels, editor_problems
from designer.permissions import Action, can
from designer.picks import directory_problems, form_problems
from designer.selectors.calendar import calendar_context, date_rule_rows
from designer.selectors.comments import comment_counts
from designer.selectors.operations import undo_state
from designer.selectors.reviews import approval_status, publish_gate
from designer.selectors.trees import child_counts, draft_tree, path_to, subtree_size
from designer.services.activity import activity_record
from designer.views.http import Request, whole_number
from processes_api import schema
from processes_api.lint import Problem, lint_node, process_due_date

NO_VERSION = "The form did not say which version of the draft it was based on; reload the page and try again."
PAGE = "designer/editor.html"


# --- what a request says ----------------------------------------------------------------------------


def version_of(request: Request) -> int:
    """Return the draft version the posted form was based on, or raise :class:`TreeError`."""
    version = whole_number(request.POST.get("version"))
    if version is None:
        raise TreeError(NO_VERSION)
    return version


def selected_of(request: Request) -> UUID | None:
    """Return the key of the node the user has selected (posted, or ``?node=``), if it is one."""
    try:
        return UUID(str(request.POST.get("selected") or request.GET.get("node")))
    except ValueError:
        return None


def node_of(draft: Draft, key: UUID) -> Node:
    """Return one node of ``draft`` without loading the tree (the services load it when they write)."""
    node = Node.objects.filter(draft=draft, key=key).first()
    if node is None:
        raise Http404("No such node in this draft.")
    node.draft = draft
    return node


def parent_of(node: Node) -> Node:
    """Return the group holding ``node`` (not the root): the services leave it cached, so no query."""
    parent = node.parent
    assert parent is not None
    parent.draft = node.draft
    return parent


def is_autosave(request: Request) -> bool:
    """Return whether the editor saved one field as the user left it (not the form's Save button)."""
    return bool(request.htmx) and request.POST.get("autosave") == "1"


def not_saved_response(form: Any) -> HttpResponse:
    """Answer an autosave the form refused: nothing is swapped (the user is typing elsewhere); the
    editor shows each message by its field (event ``pd:notSaved``: ``{"fields": {name: [messages]}}``)."""
    fields = {form.add_prefix(name): [str(m) for m in errors] for name, errors in form.errors.items()}
    fields = {name if name != form.add_prefix("__all__") else "": messages for name, messages in fields.items()}
    response = reswap(HttpResponse(status=422), "none")
    return trigger_client_event(response, "pd:notSaved", {"fields": fields})


# --- what the workspace shows ------------------------------------------------------------------------


def node_form(node: Node | None, data: Any = None) -> GroupForm | JobForm | None:
    """Return the inspector's form for ``node`` (bound to ``data`` when given)."""
    if node is None:
        return None
    return GroupForm.for_node(node, data) if node.is_group else JobForm.for_node(node, data)


def publish_area(request: Request, draft: Draft, outline: Outline) -> dict[str, Any]:
    """Return what the publish area shows: the review state's banner and the panels of the apps above.

    The content hash is lazy: computed (a JSON dump of the whole payload) only if the review state
    needs it (an approval to compare with), and then once.
    """
    current_hash = outline.lazy_content_hash
    allowed, _ = publish_gate(draft, current_hash=current_hash)
    return {
        "approval": {"status": approval_status(draft, current_hash=current_hash), "publish_allowed": allowed},
        "panels": editor_panels(
            request=request, draft=draft, problems=outline.lint_problems, current_hash=current_hash
        ),
    }


def status_context(request: Request, draft: Draft, *, badges: bool = False) -> dict[str, Any]:
    """Return what the ``#status`` fragment shows (problems, counts, publish area; with ``badges``,
    every row's badges too): the whole draft loaded, built and linted once."""
    tree = draft_tree(draft=draft)
    outline = build_outline(tree, reported=[*editor_problems(draft, tree), *directory_problems(tree)])
    return {
        "draft": draft,
        "outline": outline,
        **publish_area(request, draft, outline),
        "can_edit": can(request.user, draft, Action.EDIT),
        "oob": True,
        "badges": outline.badge_sync(draft.version) if badges else None,
    }


def wants_status(request: Request) -> bool:
    """Whether the edit's answer should carry the status too (``with_status=1``: the editor sends it
    with a write that has no other write queued behind it, saving the follow-up request)."""
    return request.POST.get("with_status") == "1"


def inspector_context(draft: Draft, node: Node | None, reported: Sequence[Problem] | None = None) -> dict[str, Any]:
    """Return what the inspector shows besides the form, from a few queries about ``node`` alone.

    The path of groups above it, what deleting it takes with it, its own problems (exactly what
    the whole-draft lint finds on it) and its open comment threads. Nothing in it depends on the
    node's siblings ("add after this job" names the job, not an index), so a move elsewhere in its
    group leaves the inspector, and whatever the user is typing there, as it is.
    """
    form = node_form(node)
    context: dict[str, Any] = {"job_types": schema.EDITABLE_JOB_TYPES, "selected": node, "node_form": form}
    context["date_rules"] = date_rule_rows(node)
    if node is None:
        return context | {"ancestors": [], "subtree_size": 0, "node_problems": [], "node_comments": 0}
    children = child_counts([node]).get(node.pk, 0) if node.is_group else 0
    problems = lint_node(node, child_count=children, process_due=process_due_date(draft))
    # ``reported``: the sources' problems the caller found with the tree (None: those without it).
    problems += [p for p in (editor_problems(draft) if reported is None else reported) if p.node_key == node.key]
    problems += form_problems(form, node.key) if form is not None and not node.is_group else []
    # The pickers' warnings come from the form and, when the caller had the tree, from the directory
    # source too: each once.
    problems = list(dict.fromkeys(problems))
    note = getattr(getattr(form, "job_type", None), "note", "")
    return context | {
        "ancestors": path_to(node),
        "subtree_size": subtree_size(node) if children else 0,
        "node_problems": problems,
        # The job type's note, unless lint already lists it as this item's problem (said once).
        "type_note": "" if any(p.message == note for p in problems) else note,
        "node_comments": comment_counts(draft).get(node.key, 0),
    }


def workspace_context(request: Request, draft: Draft, *, selected: UUID | None = None, **extra: Any) -> dict[str, Any]:
    """Return the whole workspace's context; ``extra`` (forms, notice, error, focus) goes in last."""
    tree = draft_tree(draft=draft)
    reported = [*editor_problems(draft, tree), *directory_problems(tree)]
    outline = build_outline(tree, comments=comment_counts(draft), reported=reported)
    node = tree.by_key.get(selected) if selected else None
    can_edit = can(request.user, draft, Action.EDIT)
    rows = outline.rows_html(
        selected=node.key if node else None, can_edit=can_edit, comments_url=reverse("review-page", args=[draft.pk])
    )
    context = inspector_context(draft, node, reported) | publish_area(request, draft, outline)
    context |= {
        "draft": draft,
        "outline": outline,
        "outline_rows": rows,
        "root": tree.root,
        "settings_form": DraftSettingsForm.for_draft(draft),
        "can_edit": can_edit,
        "undo": undo_state(draft, request.user) if can_edit else None,
        "focus": node.key if node else None,
        **calendar_context(draft),
    }
    return context | {name: value for name, value in extra.items() if value is not None}


# --- the answers ------------------------------------------------------------------------------------


def _recorded(request: Request, draft: Draft, notice: str, key: UUID | None) -> HttpResponse | None:
    """Record a successful edit; without htmx, return the redirect back to the editor (at ``key``)."""
    summary = notice or "Rearranged the outline."
    activity_record(draft=draft, actor=request.user, verb=Activity.Verb.EDITED, summary=summary)
    if request.htmx:
        return None
    if notice:
        messages.success(request, notice)
    url = reverse("draft-editor", args=[draft.pk])
    return redirect(f"{url}?node={key}#node-{key}" if key else url)


def workspace_response(
    request: Request, draft: Draft, *, selected: UUID | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    """Answer with the whole workspace (htmx) or the page: for refused writes, which must show the
    authoritative current draft, and the few edits that change more than a patch carries.
    """
    if request.method == "POST" and status == 200 and not extra.get("error"):
        back = _recorded(request, draft, extra.get("notice", ""), selected)
        if back is not None:
            return back
    draft.refresh_from_db()
    context = workspace_context(request, draft, selected=selected, **extra) | {"retitle": bool(request.htmx)}
    return render(request, f"{PAGE}#workspace" if request.htmx else PAGE, context, status=status)


def refused_response(
    request: Request, draft: Draft, exc: DraftError, selected: UUID | None, **extra: Any
) -> HttpResponse:
    """Answer a write the services refused: 409 for a stale version, 422 otherwise."""
    status = 409 if isinstance(exc, DraftConflict) else 422
    return workspace_response(request, draft, selected=selected, status=status, error=str(exc), **extra)


def patch_response(
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
    flash: bool = True,
    undo_label: str = "",
) -> HttpResponse:
    """Record a successful edit and answer it: for htmx, with only what it changed.

    The answer holds the :class:`~designer.outline.OutlinePatch` (``place``d items with their
    subtrees, ``groups``' header rows, ``removed`` items), the flash and, when ``inspector``, the
    inspector for ``selected``. The editor applies it in place; the status (problems, counts, publish
    area; with ``all_badges`` every row's badges too) follows in the same answer when the editor
    asked (:func:`wants_status`: the last of its queued writes), else it asks ``draft-status``. Without
    ``flash`` the flash is left as it is (a field saved as the user left it says so by the field,
    and a notice appearing above the outline would move the rows under a drag that just started).
    ``undo_label`` names what was just deleted, for the flash's "Deleted “…”. Undo".
    The Undo and Redo buttons are always brought up to date (:func:`undo_state`).
    """
    back = _recorded(request, draft, notice, redirect_to or selected)
    if back is not None:
        return back
    can_edit = can(request.user, draft, Action.EDIT)
    try:
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
    except Node.DoesNotExist:
        # Someone deleted what this edit changed in the moment since it was saved: the answer is the
        # whole workspace as it is now (the edit stands, and is in the log).
        draft.refresh_from_db()
        whole = workspace_context(request, draft, selected=None, notice=notice) | {"retitle": bool(request.htmx)}
        return render(request, f"{PAGE}#workspace" if request.htmx else PAGE, whole)
    context: dict[str, Any] = {
        "draft": draft,
        "patch": patch,
        "oob": True,
        "can_edit": can_edit,
        "notice": notice,
        "undo_label": undo_label,
        "undo": undo_state(draft, request.user) if can_edit else None,
        "inspector": inspector,
        "flash": flash,
    }
    if inspector:
        node = Node.objects.filter(draft=draft, key=selected).first() if selected else None
        context |= inspector_context(draft, node)
    response = render(request, f"{PAGE}#patch", context)
    if wants_status(request):
        # The status in the same answer, after the patch (whose rows its badges land on); the editor
        # asked for it, so it asks for no status of its own after this answer.
        draft.refresh_from_db()
        badges = all_badges or request.POST.get("with_badges") == "1"  # an earlier write of the run's
        status = render(request, f"{PAGE}#status", status_context(request, draft, badges=badges))
        response.content = response.content + status.content
    return reswap(response, "none")
