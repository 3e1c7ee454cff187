"""A change's outline patch rendered once, when it commits, and pushed to the other editors with the
notice: an editor whose page is at the version just before applies it without asking (live.js), so a
change costs one render instead of one catch-up request per person watching.

The pushed patch is the part of a catch-up that is the same for everyone who may edit: the rows,
group headers and removals of that one operation. Nothing in it is the watcher's own — no
selection (its holder carries none: the editor keeps the watcher's), no inspector, no undo bar, no
flash. Anyone else (a reviewer sees rows without drag handles), anyone further behind, and anyone
whose selected item the change touched (their inspector must be fetched) asks for the changes as
before (live/views.py ``changes_view``). Large changes are not pushed (``LIVE_PUSH_MAX_NODES``,
``LIVE_PUSH_MAX_BYTES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from designer.models import Draft
from designer.outline import outline_patch
from designer.selectors.operations import changes_since
from designer.views.workspace import PAGE
from live.changes import patch_parts


@dataclass(frozen=True)
class Pushed:
    html: str
    touched: frozenset[UUID]


def pushed_patch(*, draft_id: int, since: int, version: int) -> Pushed | None:
    """Return the editors' outline patch of the change from ``since`` to ``version``, or None when it
    is not worth pushing (the draft moved on already, the log cannot say, or it is too large)."""
    draft = Draft.objects.filter(pk=draft_id).first()
    if draft is None or draft.version != version:
        return None
    changes = changes_since(draft, since)
    if changes is None or changes.version != version:
        return None
    if len(changes.touched) + len(changes.removed) > settings.LIVE_PUSH_MAX_NODES:
        return None
    place, groups, removed = patch_parts(draft, changes)
    record = outline_patch(
        draft,
        place=place,
        groups=groups,
        removed=removed,
        selected=None,
        all_badges=bool(changes.settings),  # a new process due date can change any job's badges
        can_edit=True,
        comments_url=reverse("review-page", args=[draft.pk]),
    )
    context = {"draft": draft, "patch": record, "oob": True, "can_edit": True, "pushed": True}
    html = render_to_string(f"{PAGE}#patch", context | {"inspector": False, "flash": False})
    if len(html.encode()) > settings.LIVE_PUSH_MAX_BYTES:
        return None
    return Pushed(html=html, touched=frozenset({*changes.touched, *changes.removed}))
