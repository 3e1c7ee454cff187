"""Tree diff between two snapshots of a draft (revisions or the current content), keyed by node key.

A snapshot is a payload with its path map (``{node key: payload path}``). Nodes are matched by key,
so a node that moved is "moved", not "removed and added". A node counts as moved when its parent
changed, or when its order among the siblings that stayed under the same parent changed; siblings
merely shifted by an insertion or a removal are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from designer.models import Draft
from designer.selectors.revisions import current_content
from processes_api import schema
from processes_api.payload import dumps
from processes_api.walk import walk

if TYPE_CHECKING:
    from designer.models import Revision
    from designer.selectors.trees import Tree

_MISSING = object()


@dataclass
class SnapNode:
    """One node of a snapshot, flattened."""

    key: str
    kind: str
    path: str
    parent: str | None
    position: int
    depth: int
    label: str
    fields: dict[str, Any]

    @property
    def shown(self) -> list[tuple[str, str]]:
        """Return the node as a reviewer reads it: ``(label, value)`` pairs from the registry.

        A group says how its children run (whether it is parallel) and its other settings; a job
        its type and every argument but the title (already the node's label), in the job type's
        order: assignee, due date and the rest.
        """
        if self.kind == "group":
            rows = [("Children run", schema.parallel_mode(self.fields.get("parallel") is True))]
            skip = {"name", "parallel", "children"}
        else:
            job_type = self.fields.get("type")
            known = schema.job_type(job_type) if isinstance(job_type, str) else None
            rows = [("Job type", known.label if known else str(job_type))]
            skip = {"type", "arguments.title"}
        names = sorted((n for n in self.fields if n not in skip), key=lambda n: _shown_order(n, self.fields))
        return rows + [(field_label(n), field_text(n, self.fields[n])) for n in names]

    @property
    def details(self) -> list[tuple[str, str]]:
        """Return the fields worth showing beside the label, as text, for read-only views."""
        hidden = {"type", "arguments.title", "name", "children"}
        return [(name, field_text(name, value)) for name, value in self.fields.items() if name not in hidden]


@dataclass
class Snapshot:
    """A draft's content as a flat, document-ordered list of nodes plus the process settings."""

    process: dict[str, Any]
    nodes: list[SnapNode]
    by_key: dict[str, SnapNode] = field(default_factory=dict)
    children_of: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {n.key: n for n in self.nodes}
        for n in self.nodes:
            if n.parent is not None:
                self.children_of.setdefault(n.parent, []).append(n.key)

    def children(self, key: str) -> list[str]:
        return self.children_of.get(key, [])


def snapshot(payload: Mapping[str, Any], paths: Mapping[str, str]) -> Snapshot:
    """Flatten ``payload`` into a :class:`Snapshot`, naming nodes by the keys of ``paths``."""
    key_by_path = {path: key for key, path in paths.items()}
    process = {k: v for k, v in payload.items() if k != "root"}
    nodes: list[SnapNode] = []
    key_of: dict[str, str] = {}
    for node, path, parent_path, kind, _, position, depth in walk(payload.get("root", {})):
        obj = node if isinstance(node, dict) else {}
        key = key_by_path.get(path) or f"path:{path}"
        parent = None if parent_path is None else key_of[parent_path]
        key_of[path] = key
        if kind == "group":
            fields = {name: v for name, v in obj.items() if name != "children"}
            label = str(obj.get("name") or "Untitled group")
        else:
            kind = "job"
            fields = _job_fields(obj)
            title = fields.get("arguments.title")
            label = title if isinstance(title, str) and title else "Untitled job"
        nodes.append(SnapNode(key, kind, path, parent, position, depth, label, fields))
    return Snapshot(process=process, nodes=nodes)


def _job_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    arguments = dict(obj.get("arguments", {}))
    job_type = arguments.pop("type", "")
    jt = schema.job_type(job_type) if isinstance(job_type, str) else None
    args_key = jt.args_key if jt else f"{job_type}Args"
    values = arguments.pop(args_key, {}) or {}
    fields: dict[str, Any] = {"type": job_type}
    fields.update({f"arguments.{name}": value for name, value in values.items()})
    fields.update({f"extra.{name}": value for name, value in arguments.items()})
    fields.update({name: value for name, value in obj.items() if name != "arguments"})
    return fields


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def before_text(self) -> str:
        return field_text(self.field, self.before)

    @property
    def after_text(self) -> str:
        return field_text(self.field, self.after)


@dataclass
class NodeChange:
    key: str
    kind: str
    label: str
    depth: int
    before: SnapNode | None = None
    after: SnapNode | None = None
    fields: list[FieldChange] = field(default_factory=list)
    parent_changed: bool = False

    @property
    def before_parent_label(self) -> str:
        return self._parent_label(self.before, self._old)

    @property
    def after_parent_label(self) -> str:
        return self._parent_label(self.after, self._new)

    _old: Snapshot | None = None
    _new: Snapshot | None = None

    @staticmethod
    def _parent_label(node: SnapNode | None, snap: Snapshot | None) -> str:
        if node is None or node.parent is None or snap is None:
            return ""
        parent = snap.by_key.get(node.parent)
        return parent.label if parent else ""


@dataclass
class TreeDiff:
    added: list[NodeChange] = field(default_factory=list)
    removed: list[NodeChange] = field(default_factory=list)
    moved: list[NodeChange] = field(default_factory=list)
    changed: list[NodeChange] = field(default_factory=list)
    process: list[FieldChange] = field(default_factory=list)
    # Names of the people and files the changed fields name, by id (``designer.picks.name_diff``).
    names: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.moved or self.changed or self.process)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.moved) + len(self.changed) + len(self.process)

    def keys(self, kind: str) -> set[str]:
        """Return the node keys in one section (``added``, ``removed``, ``moved``, ``changed``)."""
        changes: list[NodeChange] = getattr(self, kind)
        return {c.key for c in changes}


def diff_snapshots(old: Snapshot, new: Snapshot) -> TreeDiff:
    """Compare two snapshots node by node (by key) and field by field."""
    result = TreeDiff()
    for node in new.nodes:
        if node.key not in old.by_key:
            result.added.append(NodeChange(node.key, node.kind, node.label, node.depth, after=node, _new=new))
    for node in old.nodes:
        if node.key not in new.by_key:
            result.removed.append(NodeChange(node.key, node.kind, node.label, node.depth, before=node, _old=old))
    reordered = _reordered(old, new)
    for node in new.nodes:
        before = old.by_key.get(node.key)
        if before is None:
            continue
        parent_changed = before.parent != node.parent
        if parent_changed or node.key in reordered:
            result.moved.append(
                NodeChange(
                    node.key,
                    node.kind,
                    node.label,
                    node.depth,
                    before=before,
                    after=node,
                    parent_changed=parent_changed,
                    _old=old,
                    _new=new,
                )
            )
        fields = _field_changes(before.fields, node.fields)
        if fields:
            result.changed.append(
                NodeChange(node.key, node.kind, node.label, node.depth, before=before, after=node, fields=fields)
            )
    result.process = _field_changes(old.process, new.process)
    return result


def _field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    names = list(before) + [name for name in after if name not in before]
    changes = []
    for name in sorted(names, key=_field_order):
        a, b = before.get(name, _MISSING), after.get(name, _MISSING)
        if a is _MISSING or b is _MISSING or dumps(a) != dumps(b):
            changes.append(FieldChange(name, None if a is _MISSING else a, None if b is _MISSING else b))
    return changes


def _field_order(name: str) -> tuple[int, str]:
    if name == "type" or any(f.key == name for f in schema.GROUP_FIELDS):
        return (0, name)
    if name == "arguments.title":
        return (1, name)
    return (2 if name.startswith("arguments.") else 3, name)


def _reordered(old: Snapshot, new: Snapshot) -> set[str]:
    """Return keys whose order among siblings that stayed under the same parent changed.

    The siblings kept in order form the longest increasing run of old positions; the rest moved.
    Among runs as long, the one keeping the most content stays: when a job and a group swap, the
    job is reported as moved, not the group (people move the small thing past the big one).
    """
    moved: set[str] = set()
    weight = _subtree_sizes(new)
    for parent in (n.key for n in new.nodes if n.kind == "group" and n.key in old.by_key):
        stayed_new = [k for k in new.children(parent) if k in old.by_key and old.by_key[k].parent == parent]
        if len(stayed_new) < 2:
            continue
        stayed = set(stayed_new)
        old_rank = {k: i for i, k in enumerate(k for k in old.children(parent) if k in stayed)}
        keep = _heaviest_longest_increasing(stayed_new, [old_rank[k] for k in stayed_new], weight)
        moved.update(k for k in stayed_new if k not in keep)
    return moved


def _subtree_sizes(snap: Snapshot) -> dict[str, int]:
    """Return each node's weight: twice its subtree's node count, plus one for a group."""
    size = {n.key: 2 + (n.kind == "group") for n in snap.nodes}
    for n in reversed(snap.nodes):  # document order: children come after their parent
        if n.parent is not None:
            size[n.parent] += size[n.key]
    return size


def _heaviest_longest_increasing(keys: list[str], ranks: list[int], weight: Mapping[str, int]) -> set[str]:
    """Return the keys of the longest run of increasing ``ranks`` (a permutation), heaviest on ties.

    A Fenwick tree over ranks holds the best ``(length, weight, index)`` of a run ending at each
    rank, so this is O(n log n) like the plain longest increasing subsequence.
    """
    n = len(ranks)
    tree: list[tuple[int, int, int]] = [(0, 0, -1)] * (n + 1)
    previous = [-1] * n
    best: tuple[int, int, int] = (0, 0, -1)
    for i, rank in enumerate(ranks):
        prior: tuple[int, int, int] = (0, 0, -1)
        j = rank  # the best run ending at a rank below ``rank``: prefix [0, rank)
        while j > 0:
            prior = max(prior, tree[j])
            j -= j & -j
        mine = (prior[0] + 1, prior[1] + weight.get(keys[i], 1), i)
        previous[i] = prior[2]
        best = max(best, mine)
        j = rank + 1
        while j <= n:
            tree[j] = max(tree[j], mine)
            j += j & -j
    kept: set[str] = set()
    i = best[2]
    while i != -1:
        kept.add(keys[i])
        i = previous[i]
    return kept


def _shown_order(name: str, fields: Mapping[str, Any]) -> tuple[int, int, str]:
    """Order a node's fields as the editor does: group settings, then arguments in the job type's order."""
    settings = [f.key for f in schema.GROUP_FIELDS]
    if name in settings:
        return (0, settings.index(name), name)
    job_type = fields.get("type")
    known = schema.job_type(job_type) if isinstance(job_type, str) else None
    order = [f.name for f in known.fields] if known else []
    argument = name.removeprefix("arguments.")
    if name.startswith("arguments.") and argument in order:
        return (1, order.index(argument), name)
    return (2, 0, name)


def field_label(name: str) -> str:
    """Return a snapshot field's name for people from the registry: ``arguments.dueDate`` -> "Due date"."""
    if name == "type":
        return "Job type"
    if name.startswith("arguments."):
        arg = _argument(name)
        return arg.label if arg else name.removeprefix("arguments.")
    f = _setting(name)
    return f.label if f else name


def field_text(name: str, value: Any) -> str:
    """Return a snapshot field's value as a reviewer reads it, shown as the registry says for its kind."""
    if name.startswith("arguments."):
        arg = _argument(name)
        return schema.shown(arg.kind if arg else None, value)
    f = _setting(name)
    return schema.shown(f.kind if f else None, value)


def _setting(key: str) -> schema.Field | None:
    # Process and group fields share one name space in a snapshot; a key means the same in both.
    return next((f for f in (*schema.PROCESS_FIELDS, *schema.GROUP_FIELDS) if f.key == key), None)


def _argument(name: str) -> schema.ArgField | None:
    argument = name.removeprefix("arguments.")
    return next((jt.field_map[argument] for jt in schema.JOB_TYPES.values() if argument in jt.field_map), None)


def revision_snapshot(revision: Revision) -> Snapshot:
    return snapshot(revision.payload, revision.paths)


def draft_snapshot(draft: Draft) -> Snapshot:
    payload, paths, _ = current_content(draft)
    return snapshot(payload, paths)


def snapshot_of_tree(tree: Tree) -> Snapshot:
    payload, paths, _ = current_content(tree.draft, tree=tree)
    return snapshot(payload, paths)


def diff_revisions(old: Revision | Draft | None, new: Revision | Draft) -> TreeDiff:
    """Diff two revisions, or a revision and a draft's current content (``None``: an empty tree)."""
    return diff_snapshots(_as_snapshot(old), _as_snapshot(new))


def _as_snapshot(source: Revision | Draft | None) -> Snapshot:
    if source is None:
        return Snapshot(process={}, nodes=[])
    if isinstance(source, Draft):
        return draft_snapshot(source)
    return revision_snapshot(source)


def walk_labels(snap: Snapshot) -> Iterator[tuple[SnapNode, int]]:
    """Yield ``(node, depth)`` in document order, for a read-only rendering."""
    for node in snap.nodes:
        yield node, node.depth
