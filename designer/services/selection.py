"""Writes to several nodes at once (the editor's multi-selection): move them, delete them.

Each service is one call, one transaction, one version bump, recorded as one operation
(:func:`designer.services.operations.operation`): the activity log shows one line and Undo takes it
back in one step. The nodes act in document order, keeping their
relative order; a node inside another selected group goes with that group (it is not acted on by
itself). Like :mod:`designer.services.nodes`, every service is keyword-only, takes the draft
``version`` the change was based on and refuses a stale one with :class:`DraftConflict`.

The tree is loaded once (one query: for a move only keys, kinds and places) and the new order worked out in memory: the positions
of the groups touched are rewritten densely (``0..n-1``) in one ``bulk_update``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from django.db import transaction

from designer.errors import TreeError
from designer.models import Draft, Node, Operation, depth_message
from designer.selectors.trees import Tree, draft_tree
from designer.services.nodes import _group_row, _snapshot
from designer.services.operations import operation
from processes_api import schema

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

DIRECTIONS = ("up", "down", "indent", "outdent")
MAX_KEYS = schema.MAX_JOBS * 2  # more than any draft holds: a bigger request is not a selection


class Place(NamedTuple):
    """Where a node was: its key, its parent's key and its position (index) among the parent's children."""

    key: UUID
    parent: UUID
    position: int


class MovedMany(NamedTuple):
    """What :func:`nodes_move` did: the moved nodes in their new order, their new parent, the groups
    they left (the new parent not included) and where each one was before (document order)."""

    nodes: list[Node]
    parent: Node
    old_parents: list[Node]
    before: list[Place]


def parse_keys(value: str | Iterable[str]) -> list[UUID]:
    """Return the node keys of a request (space-separated, or a list), or raise :class:`TreeError`."""
    items = value.split() if isinstance(value, str) else list(value)
    if not items:
        raise TreeError("Select at least one item.")
    if len(items) > MAX_KEYS:
        raise TreeError(f"At most {MAX_KEYS} items can be changed at once.")
    try:
        return [UUID(str(item)) for item in items]
    except ValueError:
        raise TreeError("The selection names an item that is not a node key; reload the page.") from None


def _selected(tree: Tree, keys: Sequence[UUID | str]) -> list[Node]:
    """Return the nodes of ``keys`` in document order, those inside another selected group left out."""
    wanted = set()
    for key in keys:
        node = tree.by_key.get(key if isinstance(key, UUID) else UUID(str(key)))
        if node is None:
            raise TreeError(f"There is no node {key} in this draft; reload the page.")
        if node is tree.root:
            raise TreeError("The root group cannot be moved or deleted.")
        wanted.add(node.id)
    out: list[Node] = []
    stack = [tree.root]
    while stack:  # document order; a selected group's subtree is not entered
        node = stack.pop()
        if node.id in wanted:
            out.append(node)
            continue
        stack.extend(reversed(tree.children(node)))
    return out


def _depth(tree: Tree, node: Node) -> int:
    """Return ``node``'s depth (the root is 0)."""
    depth = 0
    while node.parent_id is not None:
        node = tree.by_id[node.parent_id]
        depth += 1
    return depth


def _height(tree: Tree, node: Node) -> int:
    """Return how many levels lie below ``node`` (0 for a job or an empty group)."""
    return max((depth for _, depth in tree.walk(node)), default=0)


def _target_of(tree: Tree, moving: list[Node], direction: str) -> tuple[Node, int]:
    """Return where a keyboard move of the selection goes: a parent and an index among the parent's
    children that are not moving. The selection moves as a block, led by its first item (its last
    for ``down``): up before the item above it, down after the item below it, indent to the end of
    the group just above the first item, outdent right after the first item's group."""
    moving_ids = {n.id for n in moving}
    lead = moving[-1] if direction == "down" else moving[0]
    parent = tree.by_id[lead.parent_id]  # type: ignore[index]  # never the root: _selected refused it
    siblings = tree.children(parent)
    index = siblings.index(lead)
    staying = [s for s in siblings if s.id not in moving_ids]
    if direction == "up":
        if index == 0:
            raise TreeError(f"“{lead.label}” is already first in its group.")
        return parent, staying.index(siblings[index - 1])
    if direction == "down":
        if index == len(siblings) - 1:
            raise TreeError(f"“{lead.label}” is already last in its group.")
        return parent, staying.index(siblings[index + 1]) + 1
    if direction == "indent":
        above = siblings[index - 1] if index else None
        if above is None or not above.is_group:
            raise TreeError(f"To indent “{lead.label}”, the node just above it must be a group.")
        return above, len(tree.children(above))
    if parent.parent_id is None:
        raise TreeError(f"“{lead.label}” is already at the top level.")
    grandparent = tree.by_id[parent.parent_id]
    aunts = [s for s in tree.children(grandparent) if s.id not in moving_ids]
    return grandparent, aunts.index(parent) + 1


def _renumber(lists: Mapping[int, list[Node]]) -> None:
    """Write dense positions ``0..n-1`` (and the parent) for each ``{parent id: children in order}``."""
    changed = []
    for parent_id, children in lists.items():
        for position, child in enumerate(children):
            if child.position != position or child.parent_id != parent_id:
                child.position = position
                child.parent_id = parent_id
                changed.append(child)
    Node.objects.bulk_update(changed, ["parent", "position"], batch_size=500)


@transaction.atomic
def nodes_move(
    *,
    draft: Draft,
    version: int,
    keys: Sequence[UUID | str],
    parent_key: UUID | str | None = None,
    position: int = 0,
    direction: str = "",
    actor: AbstractBaseUser | None = None,
) -> MovedMany:
    """Move the nodes ``keys`` (with their subtrees), keeping their relative order, as one block.

    Either to the group ``parent_key`` at ``position`` — an index among that group's children that
    are not moving, clamped to its end — or one keyboard step in ``direction`` (``up``, ``down``,
    ``indent``, ``outdent``: see :func:`_target_of`).
    """
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.MOVE) as op:
        moved = _move_many(draft, _shape(draft), keys, parent_key, position, direction)
        op.watch([n.key for n in moved.nodes], parents=[*(p.key for p in moved.old_parents), moved.parent.key])
        _renumber(moved.lists)
        op.summary = _summary("move", moved.nodes)
    for node in moved.nodes:
        node.parent = moved.parent
    return MovedMany(moved.nodes, moved.parent, moved.old_parents, moved.before)


def _summary(what: str, nodes: Sequence[Node]) -> str:
    """Return the operation's summary: "move of “Cash”", "deletion of 3 items"."""
    return f"{what} of “{nodes[0].label}”" if len(nodes) == 1 else f"{what} of {len(nodes)} items"


class _Plan(NamedTuple):
    nodes: list[Node]
    parent: Node
    old_parents: list[Node]
    before: list[Place]
    lists: dict[int, list[Node]]  # the new order of each group touched: {group id: children}


def _move_many(
    draft: Draft,
    tree: Tree,
    keys: Sequence[UUID | str],
    parent_key: UUID | str | None,
    position: int,
    direction: str,
) -> _Plan:
    """Work out a move of ``keys`` in memory (nothing written); refuse an impossible one."""
    moving = _selected(tree, keys)
    if direction:
        if direction not in DIRECTIONS:
            raise TreeError("Choose up, down, indent or outdent.")
        parent, position = _target_of(tree, moving, direction)
    elif parent_key is not None:
        parent = tree.by_id[_group_row(draft, parent_key).id]
    else:
        raise TreeError("Say where to move the items: a group and a position, or a direction.")
    moving_ids = {n.id for n in moving}
    above = parent
    while True:  # the target and its ancestors: none of them may be moving
        if above.id in moving_ids:
            raise TreeError("A group cannot be moved into itself or into one of its own groups.")
        if above.parent_id is None:
            break
        above = tree.by_id[above.parent_id]
    depth = _depth(tree, parent) + 1
    if any(depth + (_height(tree, n) if n.is_group else 0) > schema.MAX_DEPTH for n in moving):
        raise TreeError(depth_message())
    before = []
    old_parents: dict[int, Node] = {}
    for node in moving:
        old = tree.by_id[node.parent_id]  # type: ignore[index]
        before.append(Place(node.key, old.key, tree.children(old).index(node)))
        if old.id != parent.id:
            old_parents[old.id] = old
    staying = [c for c in tree.children(parent) if c.id not in moving_ids]
    position = max(0, min(position, len(staying)))
    lists = {parent.id: [*staying[:position], *moving, *staying[position:]]}
    for old in old_parents.values():
        lists[old.id] = [c for c in tree.children(old) if c.id not in moving_ids]
    return _Plan(moving, parent, list(old_parents.values()), before, lists)


@transaction.atomic
def nodes_delete(
    *, draft: Draft, version: int, keys: Sequence[UUID | str], actor: AbstractBaseUser | None = None
) -> list[dict[str, Any]]:
    """Delete the nodes ``keys`` and their subtrees; return, in document order, what was deleted:
    :func:`designer.services.nodes.node_delete`'s snapshot of each (its ``position`` the node's index
    among its siblings then). Undo (the operation log) puts everything back."""
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.DELETE) as op:
        tree = draft_tree(draft=draft)
        doomed = _selected(tree, keys)
        doomed_ids = {n.id for n in doomed}
        snapshots = []
        ids: list[int] = []
        parents: dict[int, Node] = {}
        subtrees = []
        for node in doomed:
            parent = tree.by_id[node.parent_id]  # type: ignore[index]
            parents[parent.id] = parent
            below = _subtree_of(tree, node)
            subtrees.append(below)
            snapshot = _snapshot(below, parent)
            snapshot["position"] = tree.children(parent).index(node)
            snapshots.append(snapshot)
            ids.extend(below.by_id)
        op.watch([], parents=[p.key for p in parents.values()])
        op.watch_subtrees(subtrees)
        for start in range(0, len(ids), 500):  # SQLite's limit on query parameters
            Node.objects.filter(pk__in=ids[start : start + 500]).delete()
        _renumber({pid: [c for c in tree.children(p) if c.id not in doomed_ids] for pid, p in parents.items()})
        op.summary = _summary("deletion", doomed)
    return snapshots


def _shape(draft: Draft) -> Tree:
    """Return ``draft``'s tree with only what a move reads (keys, kinds, places), in one query: no
    JSON decoded. A label (an error message) loads its node's name and arguments when asked."""
    nodes = list(Node.objects.filter(draft=draft).only("id", "key", "draft_id", "parent_id", "position", "kind"))
    root = next((n for n in nodes if n.parent_id is None), None)
    if root is None:
        raise Node.DoesNotExist(f"Draft {draft.pk} has no root group.")
    children_of: dict[int, list[Node]] = {}
    for node in sorted(nodes, key=lambda n: (n.position, n.id)):
        node.draft = draft
        if node.parent_id is not None:
            children_of.setdefault(node.parent_id, []).append(node)
    return Tree(draft=draft, root=root, by_id={n.id: n for n in nodes}, children_of=children_of)


def _subtree_of(tree: Tree, node: Node) -> Tree:
    """Return ``node``'s subtree of the in-memory ``tree`` (no query)."""
    by_id = {n.id: n for n, _ in tree.walk(node)}
    children_of = {nid: tree.children_of[nid] for nid in by_id if nid in tree.children_of}
    return Tree(draft=tree.draft, root=node, by_id=by_id, children_of=children_of)
