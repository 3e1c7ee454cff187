"""Reads: drafts and their trees."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Q, QuerySet

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
        return self.children_of.get(node.pk, [])

    def walk(self, start: Node | None = None) -> Iterator[tuple[Node, int]]:
        """Yield ``(node, depth)`` in document order, starting at ``start`` (default: the root)."""
        stack: list[tuple[Node, int]] = [(start or self.root, 0)]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((child, depth + 1) for child in reversed(self.children(node)))

    def subtree_ids(self, node: Node) -> set[int]:
        return {n.pk for n, _ in self.walk(node)}

    @cached_property
    def by_key(self) -> dict[UUID, Node]:
        # Cached: services look up every token of a reorder by key.
        return {node.key: node for node in self.by_id.values()}

    def job_count(self) -> int:
        return sum(1 for node in self.by_id.values() if node.kind == Node.Kind.JOB)

    def parent(self, node: Node) -> Node | None:
        return self.by_id.get(node.parent_id) if node.parent_id is not None else None


def draft_tree(*, draft: Draft) -> Tree:
    """Return ``draft``'s tree from a single query."""
    nodes = list(Node.objects.filter(draft=draft).order_by("position", "id"))
    by_id = {node.pk: node for node in nodes}
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
