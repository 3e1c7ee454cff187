"""Writes to a draft's tree: add, change, move, delete, restore and duplicate nodes.

Every service is keyword-only and atomic, takes the draft ``version`` the caller's change was based
on, refuses a stale one with :class:`DraftConflict`, and bumps the version when it writes."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from designer.errors import TreeError
from designer.models import Draft, Node, Operation, depth_message
from designer.selectors.trees import Tree, move_target, path_to, subtree, subtree_height
from designer.services.locking import node_attrs
from designer.services.operations import operation
from processes_api import schema

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def group_new(*, draft: Draft, parent: Node | None, name: str | None = None) -> Node:
    """Return an unsaved group with the registry's defaults, called ``name`` when given."""
    node = Node(draft=draft, parent=parent, kind=Node.Kind.GROUP)
    for f in schema.GROUP_FIELDS:
        if f.default is not None:
            schema.field_store(node, f, "group", f.default)
    if name is not None:
        node.name = name
    return node


def _copied(value: Any) -> Any:
    # Only JSON containers need a deep copy; a copy of every scalar costs a call per field per node.
    return copy.deepcopy(value) if isinstance(value, dict | list) else value


class Moved(NamedTuple):
    """What :func:`node_move` did: the moved node (with its new parent) and the parent it left."""

    node: Node
    old_parent: Node


def _insert_at(parent: Node, position: int) -> int:
    """Make room at ``position`` among ``parent``'s children; return the position clamped to the end."""
    position = max(0, min(position, Node.objects.filter(parent=parent).count()))
    Node.objects.filter(parent=parent, position__gte=position).update(position=F("position") + 1)
    return position


def _make_room_after(node: Node) -> int:
    """Shift the siblings after ``node`` down one place; return the position right after it.

    Exact whatever gaps the positions have (unlike an index among the siblings).
    """
    position = node.position + 1
    Node.objects.filter(parent_id=node.parent_id, position__gte=position).update(position=F("position") + 1)
    return position


def _parent_row(node: Node) -> Node:
    """Return the group holding ``node`` (not the root), with its draft set."""
    assert node.parent_id is not None  # only the root has none
    parent = Node.objects.get(pk=node.parent_id)
    parent.draft = node.draft
    return parent


def _close_gap(parent: Node, position: int) -> None:
    Node.objects.filter(parent=parent, position__gt=position).update(position=F("position") - 1)


def _clean_job_arguments(job_type: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    jt = schema.job_type(job_type)
    if jt is None:
        raise TreeError(f'Unknown job type "{job_type}".')
    if jt.generated:
        raise TreeError(f'"{job_type}" jobs are created by Workiva and cannot be added by hand.')
    if not isinstance(arguments, Mapping):
        raise TreeError("Job arguments must be an object.")
    return {k: v for k, v in arguments.items() if v not in (None, "")}


@transaction.atomic
def node_create(
    *,
    draft: Draft,
    version: int,
    parent_key: UUID | str | None = None,
    position: int = 0,
    after_key: UUID | str | None = None,
    kind: str,
    job_type: str = "",
    name: str | None = None,
    arguments: Mapping[str, Any] | None = None,
    actor: AbstractBaseUser | None = None,
) -> Node:
    """Add a group or a job under ``parent_key`` at ``position`` (clamped to the end), or right
    after the node ``after_key`` wherever it is when the draft is locked."""
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.ADD) as op:
        node = _create(draft, parent_key, position, after_key, kind, job_type, name, arguments, op.watch)
        op.created([node.key], groups=[node.key] if node.is_group else [])
        op.summary = f"addition of “{node.label}”"
    return node


def _create(
    draft: Draft,
    parent_key: UUID | str | None,
    position: int,
    after_key: UUID | str | None,
    kind: str,
    job_type: str,
    name: str | None,
    arguments: Mapping[str, Any] | None,
    watch: Any,
) -> Node:
    after = _row(draft, after_key) if after_key is not None else None
    if after is not None:
        if after.is_root:
            raise TreeError("Nothing can be added after the root group; add inside it.")
        parent = _parent_row(after)
    elif parent_key is not None:
        parent = _group_row(draft, parent_key)
    else:
        raise TreeError("Say where to add: a parent group, or the item to add after.")
    watch(parents=[parent.key])
    if kind == Node.Kind.GROUP:
        node = group_new(draft=draft, parent=parent, name=name)
    elif kind == Node.Kind.JOB:
        args = _clean_job_arguments(job_type, arguments or {})
        node = Node(draft=draft, parent=parent, kind=kind, job_type=job_type, arguments=args)
    else:
        raise TreeError(f'A node is a group or a job, not "{kind}".')
    node.position = _make_room_after(after) if after is not None else _insert_at(parent, position)
    try:
        node.full_clean()
    except ValidationError as exc:  # the depth limit, a name too long: the user's to fix
        raise TreeError(" ".join(exc.messages)) from None
    node.save()
    return node


def refresh(node: Node) -> None:
    """Re-read ``node`` under the draft's lock; refused (nothing written) when someone deleted it
    after the request found it."""
    try:
        node.refresh_from_db()
    except Node.DoesNotExist:
        raise TreeError(f"“{node.label}” was deleted meanwhile; nothing was changed.") from None


@transaction.atomic
def node_update(*, node: Node, version: int, changes: Mapping[str, Any], actor: AbstractBaseUser | None = None) -> Node:
    """Change a node's own fields.

    For a group the keys are the registry's names (``schema.GROUP_FIELDS``); for a job,
    ``arguments``, whose unknown fields (not in the schema registry) are kept.
    """
    with operation(draft=node.draft, version=version, actor=actor, kind=Operation.Kind.EDIT) as op:
        op.watch([node.key])
        refresh(node)
        op.summary = f"edit of “{node.label}”"  # by the name it had: the one the user knew it by
        _update(node, changes)
    return node


def _update(node: Node, changes: Mapping[str, Any]) -> None:
    if node.is_group:
        fields = {f.name: f for f in schema.GROUP_FIELDS}
        unknown = set(changes) - set(fields)
        if unknown:
            raise TreeError(f"A group has no field {', '.join(sorted(unknown))}.")
        for name, value in changes.items():
            schema.field_store(node, fields[name], "group", value)
    else:
        unknown = set(changes) - {"arguments"}
        if unknown:
            raise TreeError(f"A job has no field {', '.join(sorted(unknown))}; change its arguments.")
        if "arguments" in changes:
            jt = schema.job_type(node.job_type)
            known = set(jt.field_map) if jt else set()
            kept = {k: v for k, v in node.arguments.items() if k not in known}
            old = node.arguments
            node.arguments = kept | _clean_job_arguments(node.job_type, changes["arguments"])
            # A date typed over a rule-based one is the user's choice: the rule no longer applies.
            rules = node.date_rules or {}
            node.date_rules = {f: r for f, r in rules.items() if node.arguments.get(f) == old.get(f)}
    node.full_clean()
    node.save()


@transaction.atomic
def node_move(
    *, node: Node, version: int, parent_key: UUID | str, position: int, actor: AbstractBaseUser | None = None
) -> Moved:
    """Move ``node`` (and its subtree) under ``parent_key`` at ``position`` among its new siblings.

    Reads only the node, the new parent and the new parent's ancestors (to refuse a move into the
    node's own subtree), never the whole tree: a move on a 3,000-job draft costs what one on a
    ten-job draft costs.
    """
    draft = node.draft
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.MOVE) as op:
        node = _row(draft, node.key)
        moved = _move(draft, node, parent_key, position, op.watch)
        op.summary = f"move of “{node.label}”"
    return moved


def _move(draft: Draft, node: Node, parent_key: UUID | str, position: int, watch: Any) -> Moved:
    if node.is_root:
        raise TreeError("The root group cannot be moved.")
    parent = _group_row(draft, parent_key)
    above = path_to(parent)
    if parent.pk == node.pk or any(a.pk == node.pk for a in above):
        raise TreeError("A group cannot be moved into itself or into one of its own groups.")
    if len(above) + 1 + (subtree_height(node) if node.is_group else 0) > schema.MAX_DEPTH:
        raise TreeError(depth_message())
    old_parent = _parent_row(node)
    watch([node.key], parents=[old_parent.key, parent.key])
    _close_gap(old_parent, node.position)
    others = Node.objects.filter(parent=parent).exclude(pk=node.pk)
    new_position = max(0, min(position, others.count()))
    others.filter(position__gte=new_position).update(position=F("position") + 1)
    node.parent = parent
    node.position = new_position
    node.save(update_fields=["parent", "position"])
    return Moved(node, old_parent)


def node_move_by_direction(*, node: Node, version: int, direction: str, actor: AbstractBaseUser | None = None) -> Moved:
    """Move ``node`` one step by keyboard: ``up``, ``down``, ``indent`` or ``outdent``.

    The step is taken among the node's neighbours as they are now (a version older than the
    draft's is merged like any edit: :func:`node_move` checks it under the draft's lock).
    """
    parent, position = move_target(node, direction)
    return node_move(node=node, version=version, parent_key=parent.key, position=position, actor=actor)


def _group_row(draft: Draft, key: UUID | str) -> Node:
    node = _row(draft, key)
    if not node.is_group:
        raise TreeError("A job cannot hold other nodes; choose a group.")
    return node


def _row(draft: Draft, key: UUID | str) -> Node:
    """Return the node ``key`` of ``draft`` as it is in the database, or refuse with TreeError."""
    try:
        node = Node.objects.get(draft=draft, key=key if isinstance(key, UUID) else UUID(str(key)))
    except (Node.DoesNotExist, ValueError):
        raise TreeError(f"There is no node {key} in this draft.") from None
    node.draft = draft
    return node


@transaction.atomic
def node_delete(*, node: Node, version: int, actor: AbstractBaseUser | None = None) -> dict[str, Any]:
    """Delete ``node`` and its subtree; return a snapshot that :func:`node_restore` can put back."""
    draft = node.draft
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.DELETE) as op:
        node = _row(draft, node.key)
        if node.is_root:
            raise TreeError("The root group cannot be deleted.")
        parent = _parent_row(node)
        tree = subtree(node=node)
        op.watch([], parents=[parent.key])
        op.watch_subtrees([tree])
        snapshot = _snapshot(tree, parent)
        Node.objects.filter(pk__in=list(tree.by_id)).delete()
        _close_gap(parent, node.position)
        op.summary = f"deletion of “{node.label}”"
    return snapshot


def _snapshot(tree: Tree, parent: Node) -> dict[str, Any]:
    """Return what :func:`node_restore` needs to put ``tree`` (a subtree) back under ``parent``."""
    node = tree.root
    keys = {n.id: str(n.key) for n in tree.by_id.values()} | {parent.id: str(parent.key)}
    attrs = node_attrs()
    nodes = [
        {
            "key": str(n.key),
            "parent": keys[n.parent_id] if n.parent_id else None,
            "position": n.position,
            **{attr: getattr(n, attr) for attr in attrs},
        }
        for n, _ in tree.walk(node)
    ]
    return {"parent": str(parent.key), "position": node.position, "nodes": nodes}


@transaction.atomic
def node_restore(
    *, draft: Draft, version: int, snapshot: Mapping[str, Any], actor: AbstractBaseUser | None = None
) -> Node:
    """Put back a subtree deleted by :func:`node_delete`, with its keys, where it was."""
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.RESTORE) as op:
        first = _restore(draft, snapshot, op.watch)
        op.created(
            [r["key"] for r in snapshot["nodes"]],
            groups=[r["key"] for r in snapshot["nodes"] if r.get("kind") == "group"],
        )
        op.summary = f"restoration of “{first.label}”"
    return first


def _restore(draft: Draft, snapshot: Mapping[str, Any], watch: Any) -> Node:
    parent = _group_row(draft, snapshot["parent"])
    records = snapshot["nodes"]
    if Node.objects.filter(key__in=[r["key"] for r in records]).exists():
        raise TreeError("That deletion was already undone.")
    watch(parents=[parent.key])
    position = _insert_at(parent, snapshot["position"])
    by_key: dict[str, Node] = {str(parent.key): parent}
    first: Node | None = None
    attrs = node_attrs()
    for record in records:  # document order: a parent always comes before its children
        node = Node.objects.create(
            draft=draft,
            parent=by_key[record["parent"]],
            position=position if first is None else record["position"],
            key=record["key"],
            **{attr: record[attr] for attr in attrs if attr in record},
        )
        by_key[record["key"]] = node
        first = first or node
    assert first is not None
    return first


@transaction.atomic
def node_duplicate(*, node: Node, version: int, actor: AbstractBaseUser | None = None) -> Node:
    """Copy ``node`` and its subtree, with new keys, right after the original."""
    draft = node.draft
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.DUPLICATE) as op:
        node = _row(draft, node.key)
        if node.is_root:
            raise TreeError("The root group cannot be duplicated; duplicate the draft instead.")
        parent = _parent_row(node)
        op.watch(parents=[parent.key])
        position = _make_room_after(node)
        tree = subtree(node=node)
        copy_ = subtree_copy(tree, tree.root, draft=draft, parent=parent, position=position)
        op.created_subtree(copy_)
        op.summary = f"duplication of “{node.label}”"
    return copy_


def subtree_copy(tree: Tree, start: Node, *, draft: Draft, parent: Node | None, position: int) -> Node:
    """Copy ``start`` and its descendants under ``parent`` with new keys, level by level."""
    new_by_old: dict[int, Node] = {}
    attrs = node_attrs()
    level = [(start, parent, position)]
    first: Node | None = None
    while level:
        created = Node.objects.bulk_create(
            [
                Node(
                    draft=draft,
                    parent=new_parent,
                    position=pos,
                    key=uuid.uuid4(),
                    **{attr: _copied(getattr(old, attr)) for attr in attrs},
                )
                for old, new_parent, pos in level
            ]
        )
        if first is None:
            first = created[0]
        for (old, _, _), new in zip(level, created, strict=True):
            new_by_old[old.pk] = new
        level = [(child, new_by_old[old.pk], child.position) for old, _, _ in level for child in tree.children(old)]
    assert first is not None
    return first
