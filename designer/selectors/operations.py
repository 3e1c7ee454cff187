"""Reads of the operation log (``designer.models.Operation``): what changed since a version, and
what Undo and Redo would do for a user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import F, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from designer.models import Draft, Operation

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass
class Changes:
    """What changed on a draft between two versions (the net effect of the operations between).

    ``touched``: keys of nodes that exist now and were added, edited, moved or had their items
    changed; ``removed``: keys of nodes that existed at ``since`` and do not now; ``fields``: for a
    touched node, the fields that changed (``name``, ``parent``, ``position``,
    ``arguments.<api key>`` …; a node added since has none listed); ``settings``: the process
    settings (``Draft`` attributes) that changed; ``operations``: the operations, oldest first.
    """

    since: int
    version: int
    touched: set[UUID] = field(default_factory=set)
    removed: set[UUID] = field(default_factory=set)
    fields: dict[UUID, set[str]] = field(default_factory=dict)
    settings: set[str] = field(default_factory=set)
    operations: list[Operation] = field(default_factory=list)


def changes_since(draft: Draft, version: int) -> Changes | None:
    """Return what changed on ``draft`` since ``version``, or None when the log cannot say (a
    version it has no unbroken record from, e.g. older than the log or a future one)."""
    current = Draft.objects.filter(pk=draft.pk).values_list("version", flat=True).first()
    if current is None or version > current:
        return None
    changes = Changes(since=version, version=current)
    if version == current:
        return changes
    ops = list(Operation.objects.filter(draft=draft, version_after__gt=version).order_by("version_after"))
    expected = version
    for op in ops:
        if op.version_before != expected:
            return None
        expected = op.version_after
    if expected != current:
        return None
    for op in ops:
        removed = {UUID(k) for k in op.removed}
        for key in map(UUID, op.keys):
            if key in removed:
                changes.touched.discard(key)
                changes.fields.pop(key, None)
                changes.removed.add(key)
            else:
                changes.removed.discard(key)
                changes.touched.add(key)
                changes.fields.setdefault(key, set()).update(op.fields.get(str(key), []))
        changes.settings.update(op.settings)
    changes.operations = ops
    return changes


@dataclass(frozen=True)
class UndoState:
    """What the Undo and Redo buttons say for one user: the summary of what each would do, or ""."""

    undo: str = ""
    redo: str = ""


def undo_state(draft: Draft, user: AbstractBaseUser | AnonymousUser) -> UndoState:
    """Return what Undo and Redo would do for ``user`` on ``draft``, in one query."""
    if not user.is_authenticated:
        return UndoState()
    undo = done(draft, user.pk).values("summary")[:1]
    redo = redoable(draft, user.pk).values("summary")[:1]
    row = Draft.objects.filter(pk=draft.pk).values_list(Subquery(undo), Subquery(redo)).first()
    return UndoState(undo=(row and row[0]) or "", redo=(row and row[1]) or "")


def done(draft: Draft, user_id: int) -> QuerySet[Operation]:
    """``user_id``'s operations on ``draft`` that are done (undoable), the latest first."""
    return Operation.objects.filter(draft=draft, actor_id=user_id, state=Operation.State.DONE).order_by(
        "-version_after"
    )


def redoable(draft: Draft, user_id: int) -> QuerySet[Operation]:
    """``user_id``'s operations on ``draft`` that Redo can redo, the one undone last first: those they
    undid after their latest edit still done (a new edit ends what can be redone)."""
    latest = done(draft, user_id).values("version_after")[:1]
    return (
        Operation.objects.filter(draft=draft, actor_id=user_id, state=Operation.State.UNDONE)
        .annotate(latest_done=Coalesce(Subquery(latest), Value(0)))
        .filter(undone_by__version_after__gt=F("latest_done"))
        .order_by("-undone_by__version_after")
    )
