"""Writes to who may do what with a draft: members, roles and ownership."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from designer import permissions
from designer.errors import DraftError
from designer.models import Activity, Draft, Membership, ReviewRequest
from designer.permissions import Action, forget_roles
from designer.services.activity import activity_record, display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Role = Membership.Role
MEMBER_ROLES = (Role.EDITOR, Role.REVIEWER, Role.VIEWER)


def _find_user(identifier: str) -> User:
    identifier = identifier.strip()
    if not identifier:
        raise DraftError("Enter a username or an e-mail address.")
    users = get_user_model()._default_manager.filter(is_active=True)
    matches = list(users.filter(username__iexact=identifier)[:2])
    if not matches and "@" in identifier:
        matches = list(users.filter(email__iexact=identifier)[:2])
    if len(matches) > 1:
        raise DraftError(f'More than one user has "{identifier}"; use their username instead.')
    if not matches:
        raise DraftError(f'There is no user "{identifier}". Check the username or e-mail address.')
    user: User = matches[0]
    return user


def _check_role(role: str) -> str:
    if role == Role.OWNER:
        raise DraftError("A draft has one owner; use “Transfer ownership” to hand it over.")
    if role not in MEMBER_ROLES:
        raise DraftError(f'"{role}" is not a role; choose editor, reviewer or viewer.')
    return role


@transaction.atomic
def membership_add(*, draft: Draft, actor: User, identifier: str, role: str) -> Membership:
    """Share ``draft`` with the user named by username or e-mail ``identifier``, in ``role``."""
    role = _check_role(role)
    user = _find_user(identifier)
    if user.pk == draft.owner_id:
        raise DraftError(f"{display_name(user)} owns this draft already.")
    existing = Membership.objects.filter(draft=draft, user=user).first()
    if existing is not None:
        raise DraftError(f"{display_name(user)} is already {existing.role} of this draft; change their role instead.")
    membership = Membership.objects.create(draft=draft, user=user, role=role)
    activity_record(
        draft=draft, actor=actor, verb=Activity.Verb.MEMBER_ADDED, summary=f"{display_name(user)} as {role}"
    )
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, actor: User, role: str) -> Membership:
    """Change a member's role."""
    role = _check_role(role)
    before = membership.role
    if before == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    if Action.APPROVE not in permissions.RULES[role]:
        for request in ReviewRequest.objects.filter(draft=membership.draft, reviewers=membership.user):
            request.reviewers.remove(membership.user)
    activity_record(
        draft=membership.draft,
        actor=actor,
        verb=Activity.Verb.MEMBER_CHANGED,
        summary=f"{display_name(membership.user)}: {before} → {role}",
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Take a member off the draft; their open review assignments go with it."""
    draft, user = membership.draft, membership.user
    membership.delete()
    for request in ReviewRequest.objects.filter(draft=draft, reviewers=user):
        request.reviewers.remove(user)
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.MEMBER_REMOVED, summary=f"{display_name(user)}")


@transaction.atomic
def ownership_transfer(*, draft: Draft, actor: User, new_owner: User) -> Draft:
    """Make member ``new_owner`` the owner; the previous owner stays on as an editor."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if new_owner.pk == locked.owner_id:
        raise DraftError(f"{display_name(new_owner)} owns this draft already.")
    membership = Membership.objects.filter(draft=locked, user=new_owner).first()
    if membership is None:
        raise DraftError(f"{display_name(new_owner)} is not a member of this draft; share it with them first.")
    previous = locked.owner
    membership.delete()
    Membership.objects.create(draft=locked, user=previous, role=Role.EDITOR)
    locked.owner = new_owner
    locked.save(update_fields=["owner"])
    draft.owner = new_owner
    forget_roles(draft)
    activity_record(
        draft=locked,
        actor=actor,
        verb=Activity.Verb.OWNER_CHANGED,
        summary=f"{display_name(previous)} → {display_name(new_owner)} ({display_name(previous)} is now an editor)",
    )
    return draft
