"""Reads: drafts and their trees."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet, TextField
from django.db.models.base import ModelState
from django.db.models.expressions import ExpressionWrapper, F
from django.db.models.signals import post_init

from designer.models import Draft, Node

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


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

    def subtree_ids(self, node: Node) -> set[int]:
        return {n.id for n, _ in self.walk(node)}

    @cached_property
    def by_key(self) -> dict[UUID, Node]:
        # Cached: services look up every token of a reorder by key.
        return {node.key: node for node in self.by_id.values()}

    def job_count(self) -> int:
        return sum(1 for node in self.by_id.values() if node.kind == Node.Kind.JOB)

    def parent(self, node: Node) -> Node | None:
        return self.by_id.get(node.parent_id) if node.parent_id is not None else None

    @cached_property
    def by_key_text(self) -> dict[str, Node]:
        """Nodes by the text of their key as the editor posts it (``str(uuid)``)."""
        return {str(key): node for key, node in self.by_key.items()}

    def reassemble(self) -> None:
        """Rebuild the children lists from every node's ``parent_id`` and ``position``.

        For services that changed nodes in memory exactly as they changed them in the database: the
        tree is then what :func:`draft_tree` would load, without loading it again.
        """
        self.children_of = _children_of(self.by_id.values())


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
    rows = (
        Node.objects.filter(draft=draft)
        .order_by("position", "id")
        .annotate(**{f"{name}_text": ExpressionWrapper(F(name), output_field=TextField()) for name in _JSON_COLUMNS})
        .values_list(*_PLAIN_COLUMNS, *(f"{name}_text" for name in _JSON_COLUMNS))
    )
    if post_init.has_listeners(Node):  # keep the signal's contract if anything ever listens
        return _assemble(draft, list(Node.objects.filter(draft=draft).order_by("position", "id")))
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
        by_id[attrs["id"]] = node
        parent_id = attrs["parent_id"]
        if parent_id is None:
            root = node
        else:
            children_of.setdefault(parent_id, []).append(node)
    if root is None:
        raise Node.DoesNotExist(f"Draft {draft.pk} has no root group.")
    return Tree(draft=draft, root=root, by_id=by_id, children_of=children_of)


def _assemble(draft: Draft, nodes: list[Node]) -> Tree:
    cache_draft = Node.draft.field.set_cached_value
    for node in nodes:
        cache_draft(node, draft)
    root = next((node for node in nodes if node.parent_id is None), None)
    if root is None:
        raise Node.DoesNotExist(f"Draft {draft.pk} has no root group.")
    return Tree(draft=draft, root=root, by_id={node.id: node for node in nodes}, children_of=_children_of(nodes))


def draft_list(*, user: AbstractBaseUser, search: str = "") -> QuerySet[Draft]:
    """Return the drafts ``user`` owns or is a member of, newest first."""
    drafts = Draft.objects.filter(Q(owner=user) | Q(memberships__user=user)).distinct()
    if search:
        drafts = drafts.filter(name__icontains=search)
    return drafts.select_related("owner").order_by("-updated", "-id")
