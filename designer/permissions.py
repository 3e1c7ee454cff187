"""Who may do what on a draft: the one rule for a user's role, the role × action table, the checks."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from designer.models import Draft, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


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


# A user's role on a draft: ``owner`` for ``Draft.owner`` (never a Membership row), else the role of
# their Membership, else none. `role_of` applies it to one draft, `with_my_role` to a queryset in SQL;
# `role_of` answers from that annotation when it was made for the same user.


def role_of(user: AbstractBaseUser | AnonymousUser, draft: Draft) -> str | None:
    """Return ``user``'s role on ``draft``, or None when they have none."""
    if not user.is_authenticated:
        return None
    if draft.owner_id == user.pk:
        return Role.OWNER
    if draft.__dict__.get("my_role_user_id") == user.pk:
        annotated: str | None = draft.__dict__["my_role"]
        return annotated
    cached = getattr(draft, "_role_cache", {})
    if user.pk not in cached:
        cached[user.pk] = Membership.objects.filter(draft=draft, user_id=user.pk).values_list("role", flat=True).first()
        draft._role_cache = cached  # type: ignore[attr-defined]
    role: str | None = cached[user.pk]
    return role


def with_my_role(drafts: QuerySet[Draft], *, user: AbstractBaseUser) -> QuerySet[Draft]:
    """Annotate each draft with ``my_role``, ``user``'s role on it, in the same query (none per draft)."""
    membership = Membership.objects.filter(draft=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    return drafts.annotate(
        my_role=Case(
            When(owner_id=user.pk, then=Value(Role.OWNER)),
            default=Subquery(membership),
            output_field=CharField(),
        ),
        my_role_user_id=Value(user.pk),
    )


def forget_roles(draft: Draft) -> None:
    """Drop the roles remembered on ``draft`` (after its owner or members change)."""
    for name in ("_role_cache", "my_role", "my_role_user_id"):
        draft.__dict__.pop(name, None)


def can(user: AbstractBaseUser | AnonymousUser, draft: Draft, action: Action) -> bool:
    role = role_of(user, draft)
    return role is not None and action in RULES[role]


def draft_for(user: AbstractBaseUser | AnonymousUser, pk: int, action: Action) -> Draft:
    """Return draft ``pk`` if ``user`` may take ``action`` on it; 404 if they may not see it, else 403."""
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
