"""Copy and paste of outline items, within a draft and across drafts.

The clipboard carries Workiva Process JSON: ``{"children": [...]}`` in the API's own node shape
(:func:`processes_api.payload.build_fragment`), so a copy pastes into another draft, another tab or a
text editor and back. Pasting parses it with the import's strict checks
(:func:`processes_api.payload.parse_fragment`): bad input is refused with the path and the problem,
and nothing is written. Pasted items get new keys. A paste is one operation (one undo step).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.db.models import F

from designer.errors import TreeError
from designer.models import Draft, Node, Operation, depth_message
from designer.selectors.trees import draft_tree, path_to
from designer.services.nodes import _group_row, _row
from designer.services.operations import operation
from processes_api import schema
from processes_api.payload import ParsedNode, build_fragment, parse_fragment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def nodes_copy(*, draft: Draft, keys: Iterable[UUID | str]) -> dict[str, Any]:
    """Return the clipboard fragment of the nodes ``keys`` of ``draft``, in document order, each
    with its subtree; a node inside another one copied goes with it, not twice."""
    wanted = {_uuid(k) for k in keys}
    if not wanted:
        raise TreeError("Select the items to copy.")
    tree = draft_tree(draft=draft)
    missing = wanted - set(tree.by_key)
    if missing:
        raise TreeError(f"There is no node {sorted(map(str, missing))[0]} in this draft.")
    if tree.root.key in wanted:
        return build_fragment(tree, list(tree.children(tree.root)))
    top: list[Node] = []
    inside: set[int] = set()
    for node, _ in tree.walk():
        parent = tree.parent(node)
        if parent is not None and parent.id in inside:
            inside.add(node.id)
            continue
        if node.key in wanted:
            top.append(node)
            inside.add(node.id)
    return build_fragment(tree, top)


def _uuid(key: UUID | str) -> UUID:
    try:
        return key if isinstance(key, UUID) else UUID(str(key))
    except ValueError:
        raise TreeError(f"“{key}” is not a node key.") from None


def _height(nodes: list[ParsedNode]) -> int:
    """Return how many levels of groups ``nodes`` add below where they land (0 for jobs only)."""
    height, level = 0, [n for n in nodes if n.kind == "group"]
    while level:
        height += 1
        level = [c for n in level for c in n.children if c.kind == "group"]
    return height


def _count_jobs(nodes: list[ParsedNode]) -> int:
    count, stack = 0, list(nodes)
    while stack:
        node = stack.pop()
        count += node.kind == "job"
        stack.extend(node.children)
    return count


@transaction.atomic
def nodes_paste(
    *,
    draft: Draft,
    version: int,
    data: Any,
    after_key: UUID | str | None = None,
    parent_key: UUID | str | None = None,
    actor: AbstractBaseUser | None = None,
) -> list[Node]:
    """Paste the clipboard fragment ``data`` (parsed JSON) into ``draft``; return the new top-level nodes.

    Where: right after ``after_key`` (into it when it is an empty group; at the end of the process
    for the root), else at the end of ``parent_key``, else at the end of the process. Raises
    :class:`~processes_api.payload.PayloadError` on a malformed fragment (before anything is
    locked or written) and :class:`TreeError` when the paste breaks the tree's limits.
    """
    parsed = parse_fragment(data)
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.PASTE) as op:
        parent, position = _target(draft, after_key, parent_key)
        if len(path_to(parent)) + 1 + _height(parsed) > schema.MAX_DEPTH:
            raise TreeError(depth_message())
        jobs = Node.objects.filter(draft=draft, kind=Node.Kind.JOB).count() + _count_jobs(parsed)
        if jobs > schema.MAX_JOBS:
            raise TreeError(f"The draft would hold {jobs:,} jobs; Workiva accepts at most {schema.MAX_JOBS:,}.")
        op.watch(parents=[parent.key])
        Node.objects.filter(parent=parent, position__gte=position).update(position=F("position") + len(parsed))
        top, created = _create(draft, parsed, parent, position)
        op.created([n.key for n in created], groups=[n.key for n in created if n.is_group])
        op.summary = f"paste of “{top[0].label}”" if len(top) == 1 else f"paste of {len(top)} items"
    return top


def _target(draft: Draft, after_key: UUID | str | None, parent_key: UUID | str | None) -> tuple[Node, int]:
    """Return the group to paste into and the position there."""
    if after_key is not None:
        after = _row(draft, after_key)
        empty_group = after.is_group and not Node.objects.filter(parent=after).exists()
        if after.is_root or empty_group:
            return after, _end(after)
        assert after.parent_id is not None
        parent = Node.objects.get(pk=after.parent_id)
        parent.draft = draft
        return parent, after.position + 1
    if parent_key is not None:
        parent = _group_row(draft, parent_key)
    else:
        parent = Node.objects.get(draft=draft, parent__isnull=True)
        parent.draft = draft
    return parent, _end(parent)


def _end(parent: Node) -> int:
    last = Node.objects.filter(parent=parent).order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _create(draft: Draft, parsed: list[ParsedNode], parent: Node, position: int) -> tuple[list[Node], list[Node]]:
    """Create ``parsed`` under ``parent`` from ``position`` on, level by level; return (top, all)."""
    level: list[tuple[ParsedNode, Node, int]] = [(p, parent, position + i) for i, p in enumerate(parsed)]
    created_all: list[Node] = []
    top: list[Node] = []
    while level:
        created = Node.objects.bulk_create(
            [
                Node(draft=draft, parent=under, position=pos, kind=p.kind, key=uuid.uuid4(), **p.fields)
                for p, under, pos in level
            ],
            batch_size=500,
        )
        for node in created:
            node.draft = draft
        if not top:
            top = list(created)
        created_all += created
        level = [
            (child, node, index)
            for (p, _, _), node in zip(level, created, strict=True)
            for index, child in enumerate(p.children)
        ]
    return top, created_all
