"""Who may do what on a draft: the one table of role × action, and the checks built on it."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from designer.models import Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from designer.models import Draft


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    COMMENT = "comment"
    REQUEST_REVIEW = "request_review"
    APPROVE = "approve"
    PUBLISH = "publish"
    MANAGE_MEMBERS = "manage_members"
    SET_APPROVAL_GATE = "set_approval_gate"
    DELETE = "delete"


Role = Membership.Role

# The single source of the rules. Every view and endpoint asks `can()`.
RULES: dict[str, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.EDITOR: frozenset({Action.VIEW, Action.EDIT, Action.COMMENT, Action.REQUEST_REVIEW, Action.PUBLISH}),
    Role.REVIEWER: frozenset({Action.VIEW, Action.COMMENT, Action.APPROVE}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


def role_of(user: AbstractBaseUser | AnonymousUser, draft: Draft) -> str | None:
    """Return ``user``'s role on ``draft``, or None when they have none."""
    if not user.is_authenticated:
        return None
    if draft.owner_id == user.pk:
        return Role.OWNER
    cached = getattr(draft, "_role_cache", {})
    if user.pk not in cached:
        cached[user.pk] = Membership.objects.filter(draft=draft, user_id=user.pk).values_list("role", flat=True).first()
        draft._role_cache = cached  # type: ignore[attr-defined]
    role: str | None = cached[user.pk]
    return role


def can(user: AbstractBaseUser | AnonymousUser, draft: Draft, action: Action) -> bool:
    role = role_of(user, draft)
    return role is not None and action in RULES[role]


def draft_for(user: AbstractBaseUser | AnonymousUser, pk: int, action: Action) -> Draft:
    """Return draft ``pk`` if ``user`` may take ``action`` on it; 404 if they may not see it, else 403."""
    from django.shortcuts import get_object_or_404

    from designer.models import Draft

    draft = get_object_or_404(Draft.objects.select_related("owner"), pk=pk)
    require(user, draft, action)
    return draft


def require(user: AbstractBaseUser | AnonymousUser, draft: Draft, action: Action) -> None:
    """Raise 404 when ``user`` may not see ``draft`` at all, 403 when they may not take ``action``."""
    role = role_of(user, draft)
    if role is None:
        raise Http404("No such draft.")
    if action not in RULES[role]:
        raise PermissionDenied(f"Your role on this draft ({role}) does not allow this.")
