"""Pages for team review: members, the inbox, the review page, comments, revisions and activity.

Every view loads the draft through :func:`_draft`, which asks ``designer.permissions`` (404 for a
draft the user may not see, 403 for an action their role does not allow). Forms post and redirect;
comment forms sent by htmx get the comments fragment back instead.
"""

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
from designer.models import Activity, Comment, Draft, Invitation, Membership, ReviewRequest, Revision
from designer.permissions import RULES, Action, draft_for, role_of
from designer.selectors.activity import activity_list
from designer.selectors.comments import comment_threads
from designer.selectors.reviews import (
    FourEyes,
    accepted_revision,
    approval_gate_required,
    approval_status,
    decision_list,
    four_eyes,
    inbox,
    publish_gate,
    reviewers_from_ids,
)
from designer.selectors.revisions import current_content, revision_list
from designer.selectors.sharing import invitations_for, invitations_pending, members
from designer.selectors.trees import Tree, draft_tree
from designer.services.comments import comment_create, comment_reopen, comment_resolve
from designer.services.reviews import approval_gate_set, review_approve, review_request_changes, review_request_create
from designer.services.revisions import revision_restore, revision_save_point
from designer.services.sharing import (
    MEMBER_ROLES,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_decline,
    membership_leave,
    membership_remove,
    membership_update,
    ownership_transfer,
)
from designer.views.http import Request, whole_number


def _draft(request: Request, pk: int, action: Action) -> Draft:
    return draft_for(request.user, pk, action)


def _context(request: Request, draft: Draft, tab: str, **extra: Any) -> dict[str, Any]:
    role = role_of(request.user, draft)
    assert role is not None
    allowed = {action.value: action in RULES[role] for action in Action}
    return {"draft": draft, "my_role": role, "can": allowed, "tab": tab} | extra


def _refused(request: Request, error: DraftError, to: str, pk: int) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(to, pk=pk)


# --- members --------------------------------------------------------------------------------------


@login_required
@require_GET
def members_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    context = _context(
        request,
        draft,
        "members",
        members=members(draft),
        invitations=invitations_pending(draft),
        roles=MEMBER_ROLES,
        gate_required=approval_gate_required(draft),
        gate_log=draft.gate_changes.select_related("actor")[:20],
    )
    return render(request, "review/members.html", context)


@login_required
@require_POST
def member_add_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.MANAGE_MEMBERS)
    identifier, role = request.POST.get("identifier", ""), request.POST.get("role", "")
    try:
        invitation = invitation_create(draft=draft, actor=request.user, identifier=identifier, role=role)
    except DraftError as error:
        return _refused(request, error, "review-members", pk)
    # The same words whether or not the identifier names an account (invitation_create).
    messages.success(request, INVITED_MESSAGE.format(identifier=invitation.identifier, role=invitation.role))
    return redirect("review-members", pk=pk)


INVITED_MESSAGE = (
    "Invitation to “{identifier}” as {role} recorded. If it names an account here, that person sees it "
    "under Invitations and can accept or decline it."
)


@login_required
@require_POST
def member_update_view(request: Request, pk: int, member_pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member_pk, draft=draft)
    try:
        membership_update(membership=membership, actor=request.user, role=request.POST.get("role", ""))
    except DraftError as error:
        return _refused(request, error, "review-members", pk)
    messages.success(request, f"{membership.user.get_username()} is now {membership.role}.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def member_remove_view(request: Request, pk: int, member_pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member_pk, draft=draft)
    membership_remove(membership=membership, actor=request.user)
    messages.success(request, f"{membership.user.get_username()} no longer has access.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def ownership_transfer_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.MANAGE_MEMBERS)
    membership = Membership.objects.filter(draft=draft, pk=whole_number(request.POST.get("member")) or 0).first()
    if membership is None:
        return _refused(request, DraftError("Choose a member to hand the draft to."), "review-members", pk)
    try:
        ownership_transfer(draft=draft, actor=request.user, new_owner=membership.user)
    except DraftError as error:
        return _refused(request, error, "review-members", pk)
    messages.success(request, f"{membership.user.get_username()} owns this draft now; you are an editor.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def gate_set_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.SET_APPROVAL_GATE)
    required = request.POST.get("required") == "on"
    try:
        approval_gate_set(draft=draft, actor=request.user, required=required, reason=request.POST.get("reason", ""))
    except DraftError as error:
        return _refused(request, error, "review-members", pk)
    messages.success(
        request, "Approval is now required before publishing." if required else "Approval gate turned off."
    )
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def invitation_cancel_view(request: Request, pk: int, invitation_pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.MANAGE_MEMBERS)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, draft=draft)
    invitation_cancel(invitation=invitation, actor=request.user)
    messages.success(request, f"Invitation to “{invitation.identifier}” cancelled.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def member_leave_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    try:
        membership_leave(draft=draft, user=request.user)
    except DraftError as error:
        return _refused(request, error, "review-members", pk)
    messages.success(request, f"You left “{draft}”; it is no longer in your drafts.")
    return redirect("draft-list")


# --- invitations (the invited person's side) ------------------------------------------------------


@login_required
@require_GET
def invitation_list_view(request: Request) -> HttpResponse:
    invitations = list(invitations_for(user=request.user))
    return render(request, "review/invitations.html", {"invitations": invitations})


@login_required
@require_POST
def invitation_accept_view(request: Request, invitation_pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("draft"), pk=invitation_pk, user=request.user)
    try:
        membership = invitation_accept(invitation=invitation, user=request.user)
    except DraftError as error:
        messages.error(request, str(error))
        return redirect("invitation-list")
    messages.success(request, f"You are now {membership.role} of “{invitation.draft}”.")
    return redirect("draft-editor", pk=invitation.draft_id)


@login_required
@require_POST
def invitation_decline_view(request: Request, invitation_pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("draft"), pk=invitation_pk, user=request.user)
    invitation_decline(invitation=invitation, user=request.user)
    messages.success(request, f"Invitation to “{invitation.draft}” declined.")
    return redirect("invitation-list")


# --- inbox and review page ------------------------------------------------------------------------


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
    draft = _draft(request, pk, Action.VIEW)
    review_request = _chosen_request(request, draft)
    tree = draft_tree(draft=draft)
    _, _, current_hash = current_content(draft, tree=tree)
    status = approval_status(draft, current_hash=current_hash)
    labels, node_options = _node_labels(tree)
    eyes = four_eyes(draft, current_hash=current_hash)
    context = _context(
        request,
        draft,
        "review",
        **_review_diff(draft, review_request, eyes, tree, current_hash),
        review_request=review_request,
        status=status,
        gate=publish_gate(draft, current_hash=current_hash),
        decisions=decision_list(draft, eyes=eyes),
        my_change=request.user.pk in eyes.current_authors,
        reviewer_candidates=_reviewer_candidates(draft, request.user),
        node_options=node_options,
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
    draft = _draft(request, pk, Action.REQUEST_REVIEW)
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
        return _refused(request, error, "review-page", pk)
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


def _version(request: Request) -> int:
    value = whole_number(request.POST.get("version"))
    if value is None:
        raise DraftError("The form did not say which version you reviewed; reload the page.")
    return value


@login_required
@require_POST
def review_approve_view(request: Request, pk: int) -> HttpResponse:
    draft, note = _draft(request, pk, Action.APPROVE), request.POST.get("note", "")
    try:
        approval = review_approve(draft=draft, actor=request.user, version=_version(request), note=note)
    except DraftError as error:
        return _refused(request, error, "review-page", pk)
    if four_eyes(draft, current_hash=approval.content_hash).counts.get(approval.pk):
        messages.success(request, "Approved. The approval holds for exactly this content.")
    else:  # four eyes
        messages.warning(request, "Approval recorded, but you edited this change: it does not count for publishing.")
    return redirect("review-page", pk=pk)


@login_required
@require_POST
def review_request_changes_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.APPROVE)
    try:
        review_request_changes(
            draft=draft, actor=request.user, version=_version(request), note=request.POST.get("note", "")
        )
    except DraftError as error:
        return _refused(request, error, "review-page", pk)
    messages.success(request, "Changes requested.")
    return redirect("review-page", pk=pk)


# --- comments -------------------------------------------------------------------------------------


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
    context = _context(request, draft, "review", comment_error=error, **_comments_context(draft, node_key=scope))
    return render(request, "review/review.html#comments", context)


@login_required
@require_GET
def comments_view(request: Request, pk: int) -> HttpResponse:
    """Return the comments fragment, all of them or, with ``?node=<key>``, one node's (for the editor)."""
    draft = _draft(request, pk, Action.VIEW)
    return _comments_response(request, draft)


@login_required
@require_POST
def comment_create_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.COMMENT)
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
        return _refused(request, error, "review-page", pk)
    if request.htmx:
        return _comments_response(request, draft)
    return redirect(reverse("review-page", args=[pk]) + "#comments")


def _comment_toggle(request: Request, pk: int, comment_pk: int, *, resolve: bool) -> HttpResponse:
    draft = _draft(request, pk, Action.COMMENT)
    comment = get_object_or_404(Comment, pk=comment_pk, draft=draft)
    try:
        if resolve:
            comment_resolve(comment=comment, actor=request.user)
        else:
            comment_reopen(comment=comment, actor=request.user)
    except DraftError as error:
        if request.htmx:
            return _comments_response(request, draft, error=str(error))
        return _refused(request, error, "review-page", pk)
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


# --- revisions and activity -----------------------------------------------------------------------


@login_required
@require_GET
def revisions_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    context = _context(request, draft, "revisions", revisions=revision_list(draft))
    return render(request, "review/revisions.html", context)


@login_required
@require_POST
def revision_save_point_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.EDIT)
    try:
        revision = revision_save_point(draft=draft, actor=request.user, note=request.POST.get("note", ""))
    except DraftError as error:
        return _refused(request, error, "review-revisions", pk)
    messages.success(request, f"Saved as revision {revision.number}.")
    return redirect("review-revisions", pk=pk)


@login_required
@require_GET
def revision_detail_view(request: Request, pk: int, number: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    revision = get_object_or_404(Revision.objects.select_related("author"), draft=draft, number=number)
    snap = revision_snapshot(revision)
    context = _context(request, draft, "revisions", revision=revision, snapshot=snap)
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
    draft = _draft(request, pk, Action.VIEW)
    try:
        old = _revision_or_current(draft, request.GET.get("a", ""))
        new = _revision_or_current(draft, request.GET.get("b", "current"))
    except DraftError as error:
        return _refused(request, error, "review-revisions", pk)
    context = _context(
        request,
        draft,
        "revisions",
        old=old,
        new=new,
        diff=diff_revisions(old, new),
        numbers=list(draft.revisions.values_list("number", flat=True)),
    )
    return render(request, "review/diff.html", context)


@login_required
@require_POST
def revision_restore_view(request: Request, pk: int, number: int) -> HttpResponse:
    draft = _draft(request, pk, Action.EDIT)
    revision = get_object_or_404(Revision, draft=draft, number=number)
    try:
        undo = revision_restore(draft=draft, actor=request.user, version=_version(request), revision=revision)
    except DraftError as error:
        return _refused(request, error, "review-revisions", pk)
    messages.success(
        request, f"Restored revision {number}. To undo, restore revision {undo.number} (the content before)."
    )
    return redirect("review-revisions", pk=pk)


@login_required
@require_GET
def activity_view(request: Request, pk: int) -> HttpResponse:
    draft = _draft(request, pk, Action.VIEW)
    entries = activity_list(draft)
    verbs = dict(Activity.Verb.choices)
    for entry in entries:
        entry.verb_label = verbs.get(entry.verb, entry.verb.replace("_", " ").capitalize())  # type: ignore[attr-defined]
    return render(request, "review/activity.html", _context(request, draft, "activity", entries=entries))
