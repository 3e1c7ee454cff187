"""Revision pages: the list, save points, one revision, a diff of two, restore; and the activity log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from designer.diff import TreeDiff, diff_revisions, revision_snapshot
from designer.errors import DraftError
from designer.models import Activity, Draft, Revision
from designer.permissions import Action
from designer.selectors.activity import activity_list
from designer.selectors.revisions import revision_list
from designer.services.revisions import revision_restore, revision_save_point
from designer.views.http import Request, whole_number
from designer.views.review_pages import posted_version, refused_redirect, review_context, review_draft
from designer.views.review_paging import diff_page


@login_required
@require_GET
def revisions_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.VIEW)
    context = review_context(request, draft, "revisions", revisions=revision_list(draft))
    return render(request, "review/revisions.html", context)


@login_required
@require_POST
def revision_save_point_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.EDIT)
    try:
        revision = revision_save_point(draft=draft, actor=request.user, note=request.POST.get("note", ""))
    except DraftError as error:
        return refused_redirect(request, error, "review-revisions", pk)
    messages.success(request, f"Saved as revision {revision.number}.")
    return redirect("review-revisions", pk=pk)


@login_required
@require_GET
def revision_detail_view(request: Request, pk: int, number: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.VIEW)
    revision = get_object_or_404(Revision.objects.select_related("author"), draft=draft, number=number)
    snap = revision_snapshot(revision)
    context = review_context(request, draft, "revisions", revision=revision, snapshot=snap)
    return render(request, "review/revision.html", context)


def _revision_or_current(draft: Draft, value: str) -> Revision | Draft:
    if value in ("", "current"):
        return draft
    number = whole_number(value)
    if number is None:
        raise DraftError(f'"{value}" is not a revision number.')
    revision = Revision.objects.filter(draft=draft, number=number).first()
    if revision is None:
        raise DraftError(f"This draft has no revision {value}.")
    return revision


@login_required
@require_GET
def revision_diff_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.VIEW)
    try:
        old = _revision_or_current(draft, request.GET.get("a", ""))
        new = _revision_or_current(draft, request.GET.get("b", "current"))
    except DraftError as error:
        return refused_redirect(request, error, "review-revisions", pk)
    context = review_context(
        request,
        draft,
        "revisions",
        old=old,
        new=new,
        **_paged(diff_revisions(old, new), request),
        numbers=list(draft.revisions.values_list("number", flat=True)),
    )
    return render(request, "review/diff.html", context)


def _paged(diff: TreeDiff, request: Request) -> dict[str, Any]:
    """The diff's shown page (``diff``) and the page's numbers and links (``changes``): a compare
    of two large revisions lists its changes 200 at a time, like the review page."""
    changes = diff_page(diff, request.GET)
    return {"diff": changes.diff, "changes": changes}


@login_required
@require_POST
def revision_restore_view(request: Request, pk: int, number: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.EDIT)
    revision = get_object_or_404(Revision, draft=draft, number=number)
    try:
        undo = revision_restore(draft=draft, actor=request.user, version=posted_version(request), revision=revision)
    except DraftError as error:
        return refused_redirect(request, error, "review-revisions", pk)
    messages.success(
        request, f"Restored revision {number}. To undo, restore revision {undo.number} (the content before)."
    )
    return redirect("review-revisions", pk=pk)


@login_required
@require_GET
def activity_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.VIEW)
    entries = activity_list(draft)
    verbs = dict(Activity.Verb.choices)
    for entry in entries:
        entry.verb_label = verbs.get(entry.verb, entry.verb.replace("_", " ").capitalize())  # type: ignore[attr-defined]
    return render(request, "review/activity.html", review_context(request, draft, "activity", entries=entries))
