"""Reads of a draft's tree: the whole tree in one query, a subtree, ancestors, sizes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from uuid import UUID

from django.db import connection
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.base import ModelState
from django.db.models.expressions import ExpressionWrapper, F, RawSQL
from django.db.models.signals import post_init

from designer.errors import TreeError
from designer.models import Draft, Node


@dataclass
class Tree:
    """A draft's whole tree, loaded in one query and assembled in memory."""

    draft: Draft
    root: Node
    by_id: dict[int, Node]
    children_of: dict[int, list[Node]] = field(default_factory=dict)

    def children(self, node: Node) -> list[Node]:
        return self.children_of.get(node.id, [])  # .id, not .pk: this runs for every node, often

    def walk(self, start: Node | None = None) -> Iterator[tuple[Node, int]]:
        """Yield ``(node, depth)`` in document order, starting at ``start`` (default: the root)."""
        stack: list[tuple[Node, int]] = [(start or self.root, 0)]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((child, depth + 1) for child in reversed(self.children(node)))

    @cached_property
    def by_key(self) -> dict[UUID, Node]:
        # Cached: looked up once per problem, row and selected node.
        return {node.key: node for node in self.by_id.values()}

    def parent(self, node: Node) -> Node | None:
        return self.by_id.get(node.parent_id) if node.parent_id is not None else None


def _children_of(nodes: Iterable[Node]) -> dict[int, list[Node]]:
    """Return ``{parent id: children}``, each list in ``(position, id)`` order like the query's."""
    children_of: dict[int, list[Node]] = {}
    for node in sorted(nodes, key=_order):
        if node.parent_id is not None:
            children_of.setdefault(node.parent_id, []).append(node)
    return children_of


def _order(node: Node) -> tuple[int, int]:
    return node.position, node.id


# Every concrete column but the two JSON ones, which are read as text and decoded below.
_JSON_COLUMNS = ("arguments", "extra")


_PLAIN_COLUMNS = tuple(f.attname for f in Node._meta.concrete_fields if f.attname not in _JSON_COLUMNS)


def draft_tree(*, draft: Draft) -> Tree:
    """Return ``draft``'s tree from a single query.

    A 3,000-job tree is read on every editor request, so the rows come from ``values_list`` and
    become ``Node`` instances the way ``Model.from_db`` makes them, without ``Model.__init__``'s
    per-field work (several times faster); the JSON columns are decoded once, ``{}`` without a
    parse. The nodes are ordinary saved instances (``_state.adding`` False, ``draft`` cached).
    """
    return _tree(draft, Node.objects.filter(draft=draft), root_id=None)


def subtree(*, node: Node) -> Tree:
    """Return the tree below ``node`` (itself included, as the tree's root) from a single query.

    For answers that show only what an edit changed: a moved group's rows, without the draft's
    other nodes. ``tree.draft`` is ``node.draft``.
    """
    below = Node.objects.filter(draft_id=node.draft_id, pk__in=_recursive(_SUBTREE_SQL, node.pk))
    return _tree(node.draft, below, root_id=node.pk)


def path_to(node: Node) -> list[Node]:
    """Return ``node``'s ancestors, the draft's root first, from a single query (``[]`` for the root)."""
    if node.parent_id is None:
        return []
    up = Node.objects.filter(draft_id=node.draft_id, pk__in=_recursive(_ANCESTORS_SQL, node.parent_id))
    by_id = {n.id: n for n in up}
    path: list[Node] = []
    current = by_id.get(node.parent_id)
    while current is not None:
        path.append(current)
        current = by_id.get(current.parent_id) if current.parent_id is not None else None
    path.reverse()
    return path


# Recursive queries over the adjacency list; both SQLite and PostgreSQL run them as written.
_SUBTREE_SQL = (
    "WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE id = %s UNION ALL "
    "SELECT n.id FROM {table} n JOIN below ON n.parent_id = below.id) SELECT id FROM below"
)


_ANCESTORS_SQL = (
    "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id = %s UNION ALL "
    "SELECT n.id, n.parent_id FROM {table} n JOIN up ON n.id = up.parent_id) SELECT id FROM up"
)


_HEIGHT_SQL = (
    "WITH RECURSIVE below(id, depth) AS (SELECT id, 0 FROM {table} WHERE id = %s UNION ALL "
    "SELECT n.id, below.depth + 1 FROM {table} n JOIN below ON n.parent_id = below.id) SELECT MAX(depth) FROM below"
)


def subtree_height(node: Node) -> int:
    """Return how many levels lie below ``node`` (0 for a job or an empty group; one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_HEIGHT_SQL.format(table=connection.ops.quote_name(Node._meta.db_table)), [node.pk])
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


def _recursive(sql: str, node_id: int) -> RawSQL:
    """Return one of the recursive queries above, for ``node_id``, as a subquery of node ids."""
    return RawSQL(sql.format(table=connection.ops.quote_name(Node._meta.db_table)), [node_id])


def _tree(draft: Draft, nodes: QuerySet[Node], *, root_id: int | None) -> Tree:
    """Load ``nodes`` (one query) as a :class:`Tree` rooted at ``root_id`` (None: the parentless node)."""
    rows = (
        nodes.order_by("position", "id")
        .annotate(**{f"{name}_text": ExpressionWrapper(F(name), output_field=TextField()) for name in _JSON_COLUMNS})
        .values_list(*_PLAIN_COLUMNS, *(f"{name}_text" for name in _JSON_COLUMNS))
    )
    if post_init.has_listeners(Node):  # keep the signal's contract if anything ever listens
        return _assemble(draft, list(nodes.order_by("position", "id")), root_id=root_id)
    db = rows.db
    names = (*_PLAIN_COLUMNS, *_JSON_COLUMNS)
    draft_cache = Node.draft.field.cache_name
    new = Node.__new__
    loads = json.loads
    by_id: dict[int, Node] = {}
    children_of: dict[int, list[Node]] = {}
    root: Node | None = None
    for row in rows:
        node = new(Node)
        attrs = node.__dict__
        attrs.update(zip(names, row, strict=True))
        for name in _JSON_COLUMNS:  # text from the database, or already decoded by the driver
            value = attrs[name]
            if isinstance(value, str):
                attrs[name] = {} if value == "{}" else loads(value)
        state = ModelState()
        state.adding = False
        state.db = db
        state.fields_cache = {draft_cache: draft}  # no query per node when code reads node.draft
        attrs["_state"] = state
        node_id = attrs["id"]
        by_id[node_id] = node
        parent_id = attrs["parent_id"]
        if node_id == root_id or (root_id is None and parent_id is None):
            root = node
        else:
            children_of.setdefault(parent_id, []).append(node)
    if root is None:
        raise Node.DoesNotExist(f"Draft {draft.pk} has no root group.")
    return Tree(draft=draft, root=root, by_id=by_id, children_of=children_of)


def _assemble(draft: Draft, nodes: list[Node], *, root_id: int | None = None) -> Tree:
    cache_draft = Node.draft.field.set_cached_value
    for node in nodes:
        cache_draft(node, draft)
    root = next((node for node in nodes if node.id == root_id or (root_id is None and node.parent_id is None)), None)
    if root is None:
        raise Node.DoesNotExist(f"Draft {draft.pk} has no root group.")
    children_of = _children_of(node for node in nodes if node is not root)
    return Tree(draft=draft, root=root, by_id={node.id: node for node in nodes}, children_of=children_of)


def sibling_index(node: Node) -> int:
    """Return ``node``'s index among its parent's children, in the tree's (position, id) order."""
    before = Q(position__lt=node.position) | Q(position=node.position, id__lt=node.pk)
    return Node.objects.filter(parent_id=node.parent_id).filter(before).count()


def child_counts(groups: Iterable[Node]) -> dict[int, int]:
    """Return ``{group id: number of children}`` for ``groups`` (one query; absent means none)."""
    ids = [group.pk for group in groups]
    if not ids:
        return {}
    rows = Node.objects.filter(parent_id__in=ids).values("parent_id").annotate(n=Count("id"))
    return {row["parent_id"]: row["n"] for row in rows}


def subtree_size(node: Node) -> int:
    """Return how many nodes are below ``node`` (its descendants; one query)."""
    return Node.objects.filter(pk__in=_recursive(_SUBTREE_SQL, node.pk)).count() - 1


def move_target(node: Node, direction: str) -> tuple[Node, int]:
    """Return the new parent and index of a keyboard move of ``node``, or raise :class:`TreeError`.

    ``direction`` is ``up`` or ``down`` (among its siblings), ``indent`` (to the end of the group
    just above it) or ``outdent`` (just after its group, in that group's parent). Reads only the
    node's neighbourhood (a few small queries), never the whole tree.
    """
    if node.parent_id is None:
        raise TreeError("The root group cannot be moved.")
    parent = Node.objects.get(pk=node.parent_id)
    siblings = list(Node.objects.filter(parent_id=node.parent_id).order_by("position", "id").only("pk", "key", "kind"))
    index = [s.pk for s in siblings].index(node.pk)
    if direction == "up":
        if index == 0:
            raise TreeError(f"“{node.label}” is already first in its group.")
        return parent, index - 1
    if direction == "down":
        if index == len(siblings) - 1:
            raise TreeError(f"“{node.label}” is already last in its group.")
        return parent, index + 1
    if direction == "indent":
        above = siblings[index - 1] if index else None
        if above is None or above.kind != Node.Kind.GROUP:
            raise TreeError(f"To indent “{node.label}”, the node just above it must be a group.")
        return above, Node.objects.filter(parent_id=above.pk).count()
    if parent.parent_id is None:
        raise TreeError(f"“{node.label}” is already at the top level.")
    grandparent = Node.objects.get(pk=parent.parent_id)
    aunts = list(Node.objects.filter(parent_id=grandparent.pk).order_by("position", "id").values_list("pk", flat=True))
    return grandparent, aunts.index(parent.pk) + 1
