"""What changed in a draft since a version, as the parts of an outline patch.

The operation log (``designer.selectors.operations.changes_since``) says which nodes were touched,
removed, and which of their fields changed; this module turns that into the patch the editor
applies for its own edits: items to (re)place, group headers to redraw, items to remove.
"""

from __future__ import annotations

from uuid import UUID

from designer.models import Draft, Node
from designer.selectors.operations import Changes

# What only a group's header row shows: a change of these leaves the group's items where they are.
PLACE_FIELDS = frozenset({"parent", "position"})


def added_since(changes: Changes) -> set[UUID]:
    """Return the keys of the nodes that did not exist at ``changes.since`` (their first record is absent)."""
    first: dict[str, bool] = {}
    for op in changes.operations:
        for key, record in (op.before.get("nodes") or {}).items():
            first.setdefault(key, record is None)
    return {UUID(key) for key, absent in first.items() if absent}


def patch_parts(draft: Draft, changes: Changes) -> tuple[list[Node], list[Node], list[UUID]]:
    """Return the nodes an outline patch must ``place`` (with their subtrees), the groups whose header
    it must redraw, and the keys it ``removed``, for what changed since ``changes.since``.

    A job that changed is placed (its row shows its fields, and it may have moved); a group is placed
    when it is new or moved, and otherwise only its header is redrawn (its name, mode, size, badges),
    so a group's items are not sent again because one of them changed. Placed items come in their
    groups' order, so each lands at its index.
    """
    added = added_since(changes)
    nodes = Node.objects.filter(draft=draft, key__in=list(changes.touched)).order_by("parent_id", "position", "id")
    place: list[Node] = []
    groups: list[Node] = []
    for node in nodes:
        node.draft = draft
        moved = node.key in added or bool(changes.fields.get(node.key, set()) & PLACE_FIELDS)
        if node.is_group and (node.is_root or not moved):
            groups.append(node)
        else:
            place.append(node)
    return place, groups, sorted(changes.removed, key=str)
