"""Pages for team review: members, the inbox, the review page, comments, revisions and activity.

Every view loads the draft through :func:`review_draft`, which asks ``designer.permissions`` (404 for a
draft the user may not see, 403 for an action their role does not allow). Forms post and redirect;
comment forms sent by htmx get the comments fragment back instead."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from designer.diff import Snapshot, diff_revisions, diff_snapshots, revision_snapshot, snapshot_of_tree
from designer.errors import DraftError
from designer.models import Comment, Draft, ReviewRequest
from designer.permissions import RULES, Action
from designer.selectors.comments import comment_threads
from designer.selectors.reviews import (
    FourEyes,
    accepted_revision,
    approval_status,
    decision_list,
    four_eyes,
    inbox,
    publish_gate,
    reviewers_from_ids,
)
from designer.selectors.revisions import current_content
from designer.selectors.sharing import members
from designer.selectors.trees import Tree, draft_tree
from designer.services.comments import comment_create, comment_reopen, comment_resolve
from designer.services.reviews import approval_gate_set, review_approve, review_request_changes, review_request_create
from designer.views.http import Request, whole_number
from designer.views.review_pages import posted_version, refused_redirect, review_context, review_draft
from designer.views.review_paging import diff_page
from designer.views.review_paging import node_options as paged_node_options


@login_required
@require_POST
def gate_set_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.SET_APPROVAL_GATE)
    required = request.POST.get("required") == "on"
    try:
        approval_gate_set(draft=draft, actor=request.user, required=required, reason=request.POST.get("reason", ""))
    except DraftError as error:
        return refused_redirect(request, error, "review-members", pk)
    messages.success(
        request, "Approval is now required before publishing." if required else "Approval gate turned off."
    )
    return redirect("review-members", pk=pk)


@login_required
@require_GET
def inbox_view(request: Request) -> HttpResponse:
    requests = list(inbox(user=request.user))
    return render(request, "review/inbox.html", {"requests": requests, "count": len(requests)})


def _node_labels(tree: Tree) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    options = [(str(node.key), node.label, depth) for node, depth in tree.walk()]
    return {key: label for key, label, _ in options}, options


@login_required
@require_GET
def review_page_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.VIEW)
    review_request = _chosen_request(request, draft)
    tree = draft_tree(draft=draft)
    _, _, current_hash = current_content(draft, tree=tree)
    status = approval_status(draft, current_hash=current_hash)
    labels, _ = _node_labels(tree)
    eyes = four_eyes(draft, current_hash=current_hash)
    compared = _review_diff(draft, review_request, eyes, tree, current_hash)
    changes = diff_page(compared["diff"], request.GET)
    node_options, picker_cut = paged_node_options(tree, changes.diff)
    context = review_context(
        request,
        draft,
        "review",
        **compared | {"diff": changes.diff, "changes": changes},
        review_request=review_request,
        status=status,
        gate=publish_gate(draft, current_hash=current_hash),
        decisions=decision_list(draft, eyes=eyes),
        my_change=request.user.pk in eyes.current_authors,
        reviewer_candidates=_reviewer_candidates(draft, request.user),
        node_options=node_options,
        picker_cut=picker_cut,
        **_comments_context(draft, labels, node_key=request.GET.get("node", "")),
    )
    return render(request, "review/review.html", context)


def _review_diff(
    draft: Draft, review_request: ReviewRequest | None, eyes: FourEyes, tree: Tree, current_hash: str
) -> dict[str, Any]:
    """Return what to review: the request's revision, else the draft, against the content last
    accepted before it (see ``accepted_revision``); ``stale`` when the draft changed since the request."""
    if review_request is not None:
        base = accepted_revision(draft, eyes=eyes, before=review_request.revision.number)
        diff = diff_revisions(base, review_request.revision)
        return {"base": base, "diff": diff, "stale": review_request.revision.content_hash != current_hash}
    base = accepted_revision(draft, eyes=eyes)
    diff = diff_snapshots(revision_snapshot(base) if base else Snapshot({}, []), snapshot_of_tree(tree))
    return {"base": base, "diff": diff, "stale": False}


def _reviewer_candidates(draft: Draft, user: User) -> list[User]:
    candidates = [m.user for m in members(draft) if Action.APPROVE in RULES[m.role] and m.user_id != user.pk]
    return [draft.owner, *candidates] if draft.owner_id != user.pk else candidates


def _chosen_request(request: Request, draft: Draft) -> ReviewRequest | None:
    requests = (
        ReviewRequest.objects.filter(draft=draft)
        .select_related("revision", "requested_by")
        .prefetch_related("reviewers")
    )
    chosen = whole_number(request.GET.get("request"))
    if chosen is not None:
        return get_object_or_404(requests, pk=chosen)
    return requests.filter(status=ReviewRequest.Status.OPEN).first()


@login_required
@require_POST
def review_request_create_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.REQUEST_REVIEW)
    try:
        reviewers = reviewers_from_ids(draft=draft, ids=request.POST.getlist("reviewers"))
        review_request = review_request_create(
            draft=draft,
            actor=request.user,
            reviewers=reviewers,
            note=request.POST.get("note", ""),
            notify_url=request.build_absolute_uri(reverse("review-page", args=[pk])),
        )
    except DraftError as error:
        return refused_redirect(request, error, "review-page", pk)
    if review_request.mail_error:
        messages.warning(request, MAIL_FAILED_MESSAGE)
    elif review_request.mailed:
        messages.success(request, "Review requested; the reviewers got an e-mail.")
    else:
        messages.success(request, "Review requested; it is in the reviewers' inbox.")
    return redirect("review-page", pk=pk)


MAIL_FAILED_MESSAGE = (
    "Review requested, but the e-mail to the reviewers could not be sent. "
    "The request is in their inbox; let them know yourself."
)


@login_required
@require_POST
def review_approve_view(request: Request, pk: int) -> HttpResponse:
    draft, note = review_draft(request, pk, Action.APPROVE), request.POST.get("note", "")
    try:
        approval = review_approve(draft=draft, actor=request.user, version=posted_version(request), note=note)
    except DraftError as error:
        return refused_redirect(request, error, "review-page", pk)
    if four_eyes(draft, current_hash=approval.content_hash).counts.get(approval.pk):
        messages.success(request, "Approved. The approval holds for exactly this content.")
    else:  # four eyes
        messages.warning(request, "Approval recorded, but you edited this change: it does not count for publishing.")
    return redirect("review-page", pk=pk)


@login_required
@require_POST
def review_request_changes_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.APPROVE)
    try:
        review_request_changes(
            draft=draft, actor=request.user, version=posted_version(request), note=request.POST.get("note", "")
        )
    except DraftError as error:
        return refused_redirect(request, error, "review-page", pk)
    messages.success(request, "Changes requested.")
    return redirect("review-page", pk=pk)


def _comments_context(draft: Draft, labels: dict[str, str] | None = None, node_key: str = "") -> dict[str, Any]:
    if labels is None:
        labels = _node_labels(draft_tree(draft=draft))[0]
    if node_key and node_key not in labels:
        node_key = ""
    threads = comment_threads(draft, node_key=UUID(node_key) if node_key else None)
    for thread in threads:
        thread.node_label = labels.get(str(thread.node_key), "a deleted node") if thread.node_key else ""  # type: ignore[attr-defined]
    return {
        "threads": threads,
        "open_threads": sum(1 for t in threads if not t.resolved),
        "scope": node_key,
        "scope_label": labels.get(node_key, ""),
    }


def _comments_response(request: Request, draft: Draft, error: str = "") -> HttpResponse:
    scope = request.POST.get("scope") or request.GET.get("node") or ""
    context = review_context(request, draft, "review", comment_error=error, **_comments_context(draft, node_key=scope))
    return render(request, "review/review.html#comments", context)


@login_required
@require_GET
def comments_view(request: Request, pk: int) -> HttpResponse:
    """Return the comments fragment, all of them or, with ``?node=<key>``, one node's (for the editor)."""
    draft = review_draft(request, pk, Action.VIEW)
    return _comments_response(request, draft)


@login_required
@require_POST
def comment_create_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.COMMENT)
    parent = None
    if request.POST.get("parent"):
        parent = get_object_or_404(Comment, pk=whole_number(request.POST["parent"]) or 0, draft=draft)
    try:
        comment_create(
            draft=draft,
            actor=request.user,
            body=request.POST.get("body", ""),
            node_key=request.POST.get("node") or None,
            parent=parent,
        )
    except DraftError as error:
        if request.htmx:
            return _comments_response(request, draft, error=str(error))
        return refused_redirect(request, error, "review-page", pk)
    if request.htmx:
        return _comments_response(request, draft)
    return redirect(reverse("review-page", args=[pk]) + "#comments")


def _comment_toggle(request: Request, pk: int, comment_pk: int, *, resolve: bool) -> HttpResponse:
    draft = review_draft(request, pk, Action.COMMENT)
    comment = get_object_or_404(Comment, pk=comment_pk, draft=draft)
    try:
        if resolve:
            comment_resolve(comment=comment, actor=request.user)
        else:
            comment_reopen(comment=comment, actor=request.user)
    except DraftError as error:
        if request.htmx:
            return _comments_response(request, draft, error=str(error))
        return refused_redirect(request, error, "review-page", pk)
    if request.htmx:
        return _comments_response(request, draft)
    return redirect(reverse("review-page", args=[pk]) + "#comments")


@login_required
@require_POST
def comment_resolve_view(request: Request, pk: int, comment_pk: int) -> HttpResponse:
    return _comment_toggle(request, pk, comment_pk, resolve=True)


@login_required
@require_POST
def comment_reopen_view(request: Request, pk: int, comment_pk: int) -> HttpResponse:
    return _comment_toggle(request, pk, comment_pk, resolve=False)
