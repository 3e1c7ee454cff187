"""Reads of who is on a draft."""

from __future__ import annotations

from designer.models import Draft, Membership


def members(draft: Draft) -> list[Membership]:
    return list(Membership.objects.filter(draft=draft).select_related("user").order_by("role", "user__username"))
