"""Reads: drafts and their trees."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
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


def _json(text: Any) -> Any:
    if text is None or not isinstance(text, str):
        return text  # a backend that decodes JSON itself
    return {} if text == "{}" else json.loads(text)


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
    db = rows.db
    nodes: list[Node] = []
    if post_init.has_listeners(Node):  # keep the signal's contract if anything ever listens
        nodes = list(Node.objects.filter(draft=draft).order_by("position", "id"))
    else:
        new = Node.__new__
        plain = _PLAIN_COLUMNS
        for *values, arguments, extra in rows:
            node = new(Node)
            state = ModelState()
            state.adding = False
            state.db = db
            attrs = node.__dict__
            attrs["_state"] = state
            attrs.update(zip(plain, values, strict=True))
            attrs["arguments"] = _json(arguments)
            attrs["extra"] = _json(extra)
            nodes.append(node)
    by_id = {node.id: node for node in nodes}
    children_of: dict[int, list[Node]] = {}
    root: Node | None = None
    cache_draft = Node.draft.field.set_cached_value
    for node in nodes:
        cache_draft(node, draft)  # no query per node when code reads node.draft
        if node.parent_id is None:
            root = node
        else:
            children_of.setdefault(node.parent_id, []).append(node)
    if root is None:
        raise Node.DoesNotExist(f"Draft {draft.pk} has no root group.")
    return Tree(draft=draft, root=root, by_id=by_id, children_of=children_of)


def draft_list(*, user: AbstractBaseUser, search: str = "") -> QuerySet[Draft]:
    """Return the drafts ``user`` owns or is a member of, newest first."""
    drafts = Draft.objects.filter(Q(owner=user) | Q(memberships__user=user)).distinct()
    if search:
        drafts = drafts.filter(name__icontains=search)
    return drafts.select_related("owner").order_by("-updated", "-id")
