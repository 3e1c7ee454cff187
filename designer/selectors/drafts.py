"""Reads of drafts: the list a user sees, with their role on each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When

from designer.models import Draft, Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def draft_list(*, user: AbstractBaseUser, search: str = "") -> QuerySet[Draft]:
    """Return the drafts ``user`` owns or is a member of, newest first."""
    drafts = Draft.objects.filter(Q(owner=user) | Q(memberships__user=user)).distinct()
    if search:
        drafts = drafts.filter(name__icontains=search)
    return drafts.select_related("owner").order_by("-updated", "-id")


def with_my_role(drafts: QuerySet[Draft], *, user: AbstractBaseUser) -> QuerySet[Draft]:
    """Annotate each draft with ``my_role`` for ``user`` in the same query (no query per draft)."""
    role = Membership.objects.filter(draft=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    return drafts.annotate(
        my_role=Case(
            When(owner_id=user.pk, then=Value(Membership.Role.OWNER)),
            default=Subquery(role),
            output_field=CharField(),
        )
    )
