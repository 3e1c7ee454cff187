"""Writes to who may do what with a draft: invitations, members, roles and ownership.

Sharing is by invitation and needs the other person's consent: the sharer types a username or an
e-mail address and gets the same answer whether or not it names an account (no enumeration, and
an address never reveals its username); the person invited sees the invitation and accepts or
declines it. Only an accepted invitation is a ``Membership``, the one thing that grants a role.
A member may leave a draft at any time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from designer import permissions
from designer.errors import DraftError
from designer.models import Activity, Draft, Invitation, Membership, ReviewRequest
from designer.permissions import Action, forget_roles
from designer.services.activity import activity_record, display_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Role = Membership.Role
MEMBER_ROLES = (Role.EDITOR, Role.REVIEWER, Role.VIEWER)
IDENTIFIER_MAX_LENGTH = 254


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
    """Make the user named by username or e-mail ``identifier`` a member in ``role`` at once.

    For support and tests: it answers whether the identifier names an account, and asks nobody's
    consent. The members page invites instead (:func:`invitation_create`).
    """
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


def _invitee(identifier: str) -> User | None:
    """Return the one active user ``identifier`` names (username, else e-mail address), or None."""
    users = get_user_model()._default_manager.filter(is_active=True)
    matches = list(users.filter(username__iexact=identifier)[:2])
    if not matches and "@" in identifier:
        matches = list(users.filter(email__iexact=identifier)[:2])
    user: User | None = matches[0] if len(matches) == 1 else None
    return user


def _clean_identifier(identifier: str) -> str:
    identifier = identifier.strip()
    if not identifier:
        raise DraftError("Enter a username or an e-mail address.")
    if len(identifier) > IDENTIFIER_MAX_LENGTH:
        raise DraftError(f"A username or e-mail address has at most {IDENTIFIER_MAX_LENGTH} characters.")
    if any(not ch.isprintable() for ch in identifier):
        raise DraftError("A username or e-mail address cannot contain control characters or line breaks.")
    return identifier


@transaction.atomic
def invitation_create(*, draft: Draft, actor: User, identifier: str, role: str) -> Invitation:
    """Invite whoever ``identifier`` (a username or e-mail address) names to ``draft`` in ``role``.

    The answer is the same whether the identifier names an account or not: an unknown identifier
    gets an invitation that nobody can see or accept. Refusals depend only on what the sharer
    typed or can already see (their own account, the members listed on the page).
    """
    role = _check_role(role)
    identifier = _clean_identifier(identifier)
    user = _invitee(identifier)
    if user is not None and user.pk == draft.owner_id:
        raise DraftError("You own this draft already." if user.pk == actor.pk else "That is the draft's owner.")
    if user is not None and Membership.objects.filter(draft=draft, user=user).exists():
        raise DraftError(f"{display_name(user)} is a member already; change their role instead.")
    if Invitation.objects.filter(draft=draft, identifier__iexact=identifier).exists():
        raise DraftError(f"“{identifier}” is invited already; cancel that invitation to invite again.")
    return Invitation.objects.create(draft=draft, identifier=identifier, user=user, role=role, invited_by=actor)


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, actor: User) -> None:
    """Withdraw an invitation not answered yet."""
    invitation.delete()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Make ``user``, the person invited, a member in the invitation's role."""
    if invitation.user_id != user.pk:
        raise DraftError("This invitation is not for you.")
    draft = Draft.objects.select_for_update().get(pk=invitation.draft_id)
    # Every invitation of this person to this draft (by username and by address) is answered at once.
    Invitation.objects.filter(draft=draft, user=user).delete()
    if draft.owner_id == user.pk:
        raise DraftError("You own this draft already.")
    membership, created = Membership.objects.get_or_create(draft=draft, user=user, defaults={"role": invitation.role})
    if created:
        activity_record(
            draft=draft,
            actor=user,
            verb=Activity.Verb.MEMBER_JOINED,
            summary=f"{display_name(user)} as {membership.role}",
        )
    forget_roles(invitation.draft)
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> None:
    """Turn the invitation down: it is deleted and the draft never appears for ``user``."""
    if invitation.user_id != user.pk:
        raise DraftError("This invitation is not for you.")
    Invitation.objects.filter(draft_id=invitation.draft_id, user=user).delete()


@transaction.atomic
def membership_leave(*, draft: Draft, user: User) -> None:
    """Take ``user`` off a draft shared with them, by their own choice."""
    if draft.owner_id == user.pk:
        raise DraftError("You own this draft: transfer ownership to a member before leaving it.")
    membership = Membership.objects.filter(draft=draft, user=user).first()
    if membership is None:
        raise DraftError("You are not a member of this draft.")
    membership.delete()
    for request in ReviewRequest.objects.filter(draft=draft, reviewers=user):
        request.reviewers.remove(user)
    activity_record(draft=draft, actor=user, verb=Activity.Verb.MEMBER_LEFT, summary=f"{display_name(user)}")
    forget_roles(draft)


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
