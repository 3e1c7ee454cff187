"""Reads of who is on a draft, and of invitations waiting for an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from designer.models import Draft, Invitation, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def members(draft: Draft) -> list[Membership]:
    return list(Membership.objects.filter(draft=draft).select_related("user").order_by("role", "user__username"))


def invitations_pending(draft: Draft) -> list[Invitation]:
    """Return the invitations to ``draft`` nobody has answered, as the sharer typed them."""
    return list(Invitation.objects.filter(draft=draft).order_by("created", "id"))


def invitations_for(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Invitation]:
    """Return the invitations waiting for ``user``'s answer, oldest first."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(user_id=user.pk).select_related("draft", "invited_by").order_by("created", "id")


def invitation_count(*, user: AbstractBaseUser | AnonymousUser) -> int:
    """Return how many invitations wait for ``user`` (the header badge)."""
    return invitations_for(user=user).count() if user.is_authenticated else 0
