"""Reads of drafts: the list a user sees (their role on each comes from ``permissions.with_my_role``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from designer.models import Draft

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def draft_list(*, user: AbstractBaseUser, search: str = "") -> QuerySet[Draft]:
    """Return the drafts ``user`` owns or is a member of, newest first."""
    drafts = Draft.objects.filter(Q(owner=user) | Q(memberships__user=user)).distinct()
    if search:
        drafts = drafts.filter(name__icontains=search)
    return drafts.select_related("owner").order_by("-updated", "-id")
