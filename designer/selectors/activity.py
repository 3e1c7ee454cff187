"""Reads of a draft's activity log."""

from __future__ import annotations

from designer.models import Activity, Draft


def activity_list(draft: Draft, *, limit: int = 200) -> list[Activity]:
    return list(Activity.objects.filter(draft=draft).select_related("actor").order_by("-created", "-id")[:limit])
