"""Sharing pages: members and roles, invitations (accept, decline, cancel), leaving, ownership."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from designer.errors import DraftError
from designer.models import Invitation, Membership
from designer.permissions import Action
from designer.selectors.reviews import (
    approval_gate_required,
)
from designer.selectors.sharing import invitations_for, invitations_pending, members
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
from designer.views.review_pages import refused_redirect, review_context, review_draft


@login_required
@require_GET
def members_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.VIEW)
    context = review_context(
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
    draft = review_draft(request, pk, Action.MANAGE_MEMBERS)
    identifier, role = request.POST.get("identifier", ""), request.POST.get("role", "")
    try:
        invitation = invitation_create(draft=draft, actor=request.user, identifier=identifier, role=role)
    except DraftError as error:
        return refused_redirect(request, error, "review-members", pk)
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
    draft = review_draft(request, pk, Action.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member_pk, draft=draft)
    try:
        membership_update(membership=membership, actor=request.user, role=request.POST.get("role", ""))
    except DraftError as error:
        return refused_redirect(request, error, "review-members", pk)
    messages.success(request, f"{membership.user.get_username()} is now {membership.role}.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def member_remove_view(request: Request, pk: int, member_pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=member_pk, draft=draft)
    membership_remove(membership=membership, actor=request.user)
    messages.success(request, f"{membership.user.get_username()} no longer has access.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def ownership_transfer_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.MANAGE_MEMBERS)
    membership = Membership.objects.filter(draft=draft, pk=whole_number(request.POST.get("member")) or 0).first()
    if membership is None:
        return refused_redirect(request, DraftError("Choose a member to hand the draft to."), "review-members", pk)
    try:
        ownership_transfer(draft=draft, actor=request.user, new_owner=membership.user)
    except DraftError as error:
        return refused_redirect(request, error, "review-members", pk)
    messages.success(request, f"{membership.user.get_username()} owns this draft now; you are an editor.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def invitation_cancel_view(request: Request, pk: int, invitation_pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.MANAGE_MEMBERS)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, draft=draft)
    invitation_cancel(invitation=invitation, actor=request.user)
    messages.success(request, f"Invitation to “{invitation.identifier}” cancelled.")
    return redirect("review-members", pk=pk)


@login_required
@require_POST
def member_leave_view(request: Request, pk: int) -> HttpResponse:
    draft = review_draft(request, pk, Action.VIEW)
    try:
        membership_leave(draft=draft, user=request.user)
    except DraftError as error:
        return refused_redirect(request, error, "review-members", pk)
    messages.success(request, f"You left “{draft}”; it is no longer in your drafts.")
    return redirect("draft-list")


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
