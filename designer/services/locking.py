"""The draft row lock and version check that every write to a draft's content goes through."""

from __future__ import annotations

from designer.errors import DraftConflict
from designer.models import Draft
from processes_api import schema


def draft_attrs() -> tuple[str, ...]:
    """Return the ``Draft`` attributes that hold process settings and unknown fields (the registry's),
    and the designer's own holiday calendar."""
    return (*schema.model_attrs(schema.PROCESS_FIELDS), "extra", "holiday_calendar")


def draft_lock(draft: Draft, version: int) -> Draft:
    """Lock the draft row, refuse a stale ``version`` and bump it; return the locked draft.

    ``draft`` (the caller's instance) is brought up to date with the locked row, so that a tree
    a service returns is consistent with the draft and version the caller then shows.
    """
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.version != version:
        raise DraftConflict(expected=version, actual=locked.version)
    locked.version += 1
    locked.save(update_fields=["version", "updated"])
    for name in (*draft_attrs(), "version", "updated"):
        setattr(draft, name, getattr(locked, name))
    return locked
