"""The operation log: every edit of a draft's tree or settings is recorded as one ``Operation``.

Services record an edit with :func:`operation` (a context manager that also takes the draft's row
lock and checks the version), telling the :class:`Recording` what they are about to change
*before* they change it::

    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.MOVE) as op:
        op.watch([node.key], parents=[old_parent.key, new_parent.key])
        ...  # change the database
        op.created([new.key])  # nodes that did not exist before (their state "before" is absent)
        op.summary = f"move of “{node.label}”"

On leaving the block the recording reads the same things again and stores what changed: the
touched nodes (attributes and parent key) and the ordered child keys of the touched groups, before
and after, plus the draft settings watched. That is enough to invert any edit without code of its
own: :func:`operation_undo` puts the "before" state back and :func:`operation_redo` the "after"
state, each only when the draft's current state of those things is exactly the other side
(otherwise :class:`~designer.errors.OperationConflict`, naming who changed them since, and nothing
is written). Undo and redo are edits too: version checked and recorded like any other.

After the transaction commits, :data:`designer.signals.operation_committed` is sent with the row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypedDict
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from designer.errors import OperationConflict, TreeError
from designer.models import Draft, Node, Operation, depth_message
from designer.selectors.operations import done, redoable
from designer.selectors.trees import subtree
from designer.services.locking import draft_attrs, draft_lock, merge_check, node_attrs
from designer.signals import operation_committed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

_CHUNK = 900  # keys per IN (…) list: under SQLite's old 999-variable limit


class State(TypedDict, total=False):
    """What an operation touched, as it was before or after it (the shape of ``Operation.before``)."""

    nodes: dict[str, dict[str, Any] | None]
    children: dict[str, list[str] | None]
    settings: dict[str, Any]


# --- reading the current state -------------------------------------------------------------------


def _chunks(keys: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(keys), _CHUNK):
        yield keys[start : start + _CHUNK]


def read_nodes(
    draft: Draft, keys: Iterable[UUID | str], parents: Iterable[UUID | str] = ()
) -> tuple[dict[str, dict[str, Any] | None], dict[str, list[str] | None]]:
    """Return the records of the nodes ``keys`` (``{"parent": key, <attrs>}``, None for a key not in
    the draft) and the child keys, in order, of the groups ``parents`` (None for no such group).

    One query when both lists are short (an edit of one node reads its record and its group's list
    together), one per 900 keys otherwise.
    """
    wanted = list(dict.fromkeys(str(k) for k in keys))
    groups = list(dict.fromkeys(str(k) for k in parents))
    records: dict[str, dict[str, Any] | None] = dict.fromkeys(wanted)
    lists: dict[str, list[str] | None] = dict.fromkeys(groups)
    if len(wanted) + len(groups) <= _CHUNK:
        batches = [(wanted, groups)] if wanted or groups else []
    else:
        batches = [(chunk, []) for chunk in _chunks(wanted)] + [([], chunk) for chunk in _chunks(groups)]
    attrs = node_attrs()
    for some_keys, some_groups in batches:
        rows = (
            Node.objects.filter(draft=draft)
            .filter(Q(key__in=some_keys) | Q(key__in=some_groups) | Q(parent__key__in=some_groups))
            .order_by("parent_id", "position", "id")
            .values("key", "parent__key", *attrs)
        )
        wanted_keys, wanted_groups = set(some_keys), set(some_groups)
        children: list[tuple[str, str]] = []
        for row in rows:
            key, parent = str(row["key"]), str(row["parent__key"]) if row["parent__key"] else None
            if key in wanted_keys:
                records[key] = {"parent": parent, **{a: row[a] for a in attrs}}
            if key in wanted_groups and row["kind"] == Node.Kind.GROUP:
                lists[key] = []
            if parent in wanted_groups:
                children.append((parent, key))
        for parent, key in children:
            held = lists[parent]
            if held is not None:
                held.append(key)
    return records, lists


def node_records(draft: Draft, keys: Iterable[UUID | str]) -> dict[str, dict[str, Any] | None]:
    """Return each node's record (``{"parent": key, <attrs>}``), None for a key not in the draft."""
    return read_nodes(draft, keys)[0]


def child_lists(draft: Draft, parents: Iterable[UUID | str]) -> dict[str, list[str] | None]:
    """Return each group's child keys in order; None for a key that is not a group of the draft."""
    return read_nodes(draft, (), parents)[1]


def settings_record(draft: Draft, attrs: Iterable[str]) -> dict[str, Any]:
    names = list(dict.fromkeys(attrs))
    if not names:
        return {}
    row = Draft.objects.filter(pk=draft.pk).values(*names).get()
    return {name: row[name] for name in names}


def current_state(draft: Draft, like: State) -> State:
    """Return the draft's current state of the nodes, groups and settings that ``like`` has."""
    nodes, children = read_nodes(draft, like.get("nodes", {}), like.get("children", {}))
    return {"nodes": nodes, "children": children, "settings": settings_record(draft, like.get("settings", {}))}


def _differences(current: State, expected: State) -> tuple[set[str], set[str]]:
    """Return the node/group keys and the settings where ``current`` is not ``expected``."""
    keys = {k for k, v in expected.get("nodes", {}).items() if current.get("nodes", {}).get(k) != v}
    keys |= {k for k, v in expected.get("children", {}).items() if current.get("children", {}).get(k) != v}
    names = {k for k, v in expected.get("settings", {}).items() if current.get("settings", {}).get(k) != v}
    return keys, names


# --- recording ------------------------------------------------------------------------------------


class Recording:
    """What one edit touches; see the module docstring. Made by :func:`operation`."""

    def __init__(self, *, draft: Draft, actor: AbstractBaseUser | None, kind: str, version: int) -> None:
        self.draft = draft
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.kind = kind
        self.version_before = version
        self.summary = ""
        self.reverts: Operation | None = None
        self.operation: Operation | None = None
        self._nodes: dict[str, dict[str, Any] | None] = {}
        self._children: dict[str, list[str] | None] = {}
        self._settings: dict[str, Any] = {}

    def watch(
        self, keys: Iterable[UUID | str] = (), *, parents: Iterable[UUID | str] = (), settings: Iterable[str] = ()
    ) -> None:
        """Remember, before changing them, the nodes ``keys``, the child lists of the groups
        ``parents`` and the draft ``settings`` (attribute names). A second watch of the same thing
        keeps the first (the state before the edit)."""
        new = [str(k) for k in keys if str(k) not in self._nodes]
        groups = [str(k) for k in parents if str(k) not in self._children]
        if new or groups:
            records, lists = read_nodes(self.draft, new, groups)
            self._nodes.update(records)
            self._children.update(lists)
        names = [n for n in settings if n not in self._settings]
        if names:
            self._settings.update(settings_record(self.draft, names))

    def watch_subtrees(self, trees: Iterable[Any]) -> None:
        """Watch every node of each :class:`~designer.selectors.trees.Tree` and its groups' child lists
        (what a deletion takes away, so that undoing it puts everything back in order)."""
        for tree in trees:
            nodes = list(tree.by_id.values())
            self.watch([n.key for n in nodes], parents=[n.key for n in nodes if n.is_group])

    def watch_state(self, state: State) -> None:
        """Watch everything ``state`` (an operation's before or after) has."""
        self.watch(state.get("nodes", {}), parents=state.get("children", {}), settings=state.get("settings", {}))

    def created(self, keys: Iterable[UUID | str], *, groups: Iterable[UUID | str] = ()) -> None:
        """Say that the nodes ``keys`` (among them the groups ``groups``) were made by this edit."""
        for key in keys:
            self._nodes.setdefault(str(key), None)
        for key in groups:
            self._children.setdefault(str(key), None)

    def created_subtree(self, node: Node) -> None:
        """Say that ``node`` and everything below it were made by this edit."""
        tree = subtree(node=node)
        nodes = list(tree.by_id.values())
        self.created([n.key for n in nodes], groups=[n.key for n in nodes if n.is_group])

    def finish(self) -> Operation:
        """Read what was watched again, and store the operation (sent out once committed)."""
        draft = self.draft
        nodes_after, children_after = read_nodes(draft, self._nodes, self._children)
        settings_after = settings_record(draft, self._settings)
        changed_nodes = [k for k, v in self._nodes.items() if nodes_after[k] != v]
        changed_groups = [k for k, v in self._children.items() if children_after[k] != v]
        changed_settings = [k for k, v in self._settings.items() if settings_after[k] != v]
        fields: dict[str, list[str]] = {}
        for key in changed_nodes:
            old, new = self._nodes[key], nodes_after[key]
            if old is not None and new is not None:
                fields[key] = _changed_fields(old, new)
        for key, old in self._nodes.items():  # moved among the same siblings: only its group's list changed
            new = nodes_after[key]
            if key in changed_nodes or old is None or new is None or old["parent"] not in changed_groups:
                continue
            before, after = self._children.get(old["parent"]) or [], children_after.get(old["parent"]) or []
            if key in before and key in after and before.index(key) != after.index(key):
                fields[key] = ["position"]
        touched = list(dict.fromkeys([*changed_nodes, *changed_groups, *fields]))
        changed_anything = bool(touched or changed_settings)
        operation = Operation.objects.create(
            draft=draft,
            actor_id=self.actor.pk if self.actor is not None else None,
            kind=self.kind,
            summary=(self.summary or str(Operation.Kind(self.kind).label).lower())[:600],
            version_before=self.version_before,
            version_after=draft.version,
            keys=touched,
            removed=[k for k in changed_nodes if nodes_after[k] is None],
            fields=fields,
            settings=changed_settings,
            before={
                "nodes": {k: self._nodes[k] for k in changed_nodes},
                "children": {k: self._children[k] for k in changed_groups},
                "settings": {k: self._settings[k] for k in changed_settings},
            },
            after={
                "nodes": {k: nodes_after[k] for k in changed_nodes},
                "children": {k: children_after[k] for k in changed_groups},
                "settings": {k: settings_after[k] for k in changed_settings},
            },
            # Undo and redo are not on the stacks themselves; an edit that changed nothing is on neither.
            state=Operation.State.DONE
            if changed_anything and self.kind not in (Operation.Kind.UNDO, Operation.Kind.REDO)
            else Operation.State.DROPPED,
            reverts=self.reverts,
        )
        self.operation = operation
        transaction.on_commit(lambda: operation_committed.send(sender=Operation, operation=operation))
        return operation


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Return the fields that differ: attribute names, ``arguments.<key>`` inside a job's arguments."""
    changed: list[str] = []
    for name in dict.fromkeys([*old, *new]):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        if name == "arguments" and isinstance(a, dict) and isinstance(b, dict):
            changed += [f"arguments.{k}" for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
        else:
            changed.append(name)
    return changed


@contextmanager
def operation(
    *, draft: Draft, version: int, actor: AbstractBaseUser | None, kind: str, summary: str = ""
) -> Iterator[Recording]:
    """Lock ``draft`` at ``version`` (bumping it) and record what the block changes as one operation.

    Use inside ``transaction.atomic``. An exception in the block records nothing. An older
    ``version`` is merged: the edit stands unless it touches what changed since
    (:func:`~designer.services.locking.merge_check`, which then refuses it and nothing is written).
    """
    draft_lock(draft, version, merge=True)
    recording = Recording(draft=draft, actor=actor, kind=kind, version=draft.version - 1)
    recording.summary = summary
    yield recording
    merge_check(draft, based_on=version, mine=recording.finish())


# --- applying a state: undo and redo ---------------------------------------------------------------


def apply_state(draft: Draft, target: State, *, expected: State) -> None:
    """Make the draft's state of what ``target`` has equal to ``target``, when it is ``expected`` now.

    Raise :class:`OperationConflict` (message without a subject: the caller says what failed)
    when it is not, or when the result would break the tree's rules; the caller's transaction is
    then rolled back, so nothing is half-applied.
    """
    current = current_state(draft, expected)
    keys, names = _differences(current, expected)
    if keys or names:
        raise _Mismatch(keys, names)
    if target.get("settings"):
        locked = Draft.objects.get(pk=draft.pk)
        for name, value in target["settings"].items():
            setattr(locked, name, value)
        locked.save(update_fields=[*target["settings"], "updated"])
        for name in (*draft_attrs(), "version", "updated"):
            setattr(draft, name, getattr(locked, name))
    nodes = target.get("nodes", {})
    now = current["nodes"]
    gone = [k for k, r in nodes.items() if r is None and now.get(k) is not None]
    for chunk in _chunks(gone):
        if Node.objects.filter(draft=draft, parent__key__in=chunk).exclude(key__in=gone).exists():
            raise OperationConflict("items have been added inside what it would remove since.")
    for chunk in _chunks(gone):
        Node.objects.filter(draft=draft, key__in=chunk).delete()
    records = {k: r for k, r in nodes.items() if r is not None}
    parent_keys = {r["parent"] for r in records.values() if r["parent"]}
    id_by_key = {str(k): pk for k, pk in _ids(draft, parent_keys)}
    _create(draft, {k: r for k, r in records.items() if now.get(k) is None}, id_by_key)
    _update(draft, {k: r for k, r in records.items() if now.get(k) is not None and now[k] != r}, now, id_by_key)
    _order(draft, {k: v for k, v in target.get("children", {}).items() if v is not None})


class _Mismatch(OperationConflict):
    def __init__(self, keys: set[str], names: set[str]) -> None:
        self.keys, self.names = keys, names
        super().__init__("what it changed has been changed since.")


def _ids(draft: Draft, keys: Iterable[str]) -> Iterator[tuple[UUID, int]]:
    for chunk in _chunks(list(keys)):
        yield from Node.objects.filter(draft=draft, key__in=chunk).values_list("key", "id")


def _create(draft: Draft, records: dict[str, dict[str, Any]], id_by_key: dict[str, int]) -> None:
    """Create the nodes ``records``, parents before children (positions come from the child lists)."""
    attrs = node_attrs()
    remaining = dict(records)
    while remaining:
        level = {k: r for k, r in remaining.items() if r["parent"] not in remaining}
        if not level:
            raise OperationConflict("the items it would put back form a loop.")
        for record in level.values():
            if record["parent"] is not None and record["parent"] not in id_by_key:
                raise OperationConflict("the group it was in has been deleted since.")
        created = Node.objects.bulk_create(
            [
                Node(
                    draft=draft,
                    key=uuid.UUID(key),
                    parent_id=id_by_key[record["parent"]] if record["parent"] is not None else None,
                    position=0,
                    **{a: record[a] for a in attrs if a in record},
                )
                for key, record in level.items()
            ],
            batch_size=500,
        )
        for key, node in zip(level, created, strict=True):
            id_by_key[key] = node.pk
            remaining.pop(key)
    _check_placement(draft, [k for k, r in records.items() if r["parent"] not in records])


def _update(
    draft: Draft,
    records: dict[str, dict[str, Any]],
    now: Mapping[str, dict[str, Any] | None],
    id_by_key: dict[str, int],
) -> None:
    if not records:
        return
    attrs = node_attrs()
    by_key = {
        str(n.key): n for chunk in _chunks(list(records)) for n in Node.objects.filter(draft=draft, key__in=chunk)
    }
    moved: list[str] = []
    for key, record in records.items():
        node = by_key[key]
        for a in attrs:
            if a in record:
                setattr(node, a, record[a])
        old = now[key]
        if old is not None and old["parent"] != record["parent"]:
            if record["parent"] is not None and record["parent"] not in id_by_key:
                raise OperationConflict("the group it was in has been deleted since.")
            node.parent_id = id_by_key[record["parent"]] if record["parent"] is not None else None
            moved.append(key)
    Node.objects.bulk_update(list(by_key.values()), [*attrs, "parent"], batch_size=500)
    _check_placement(draft, moved)


def _check_placement(draft: Draft, keys: list[str]) -> None:
    """Refuse a node put back where the tree's rules no longer allow (a loop, too deep, a job parent)."""
    for chunk in _chunks(keys):
        for node in Node.objects.filter(draft=draft, key__in=chunk).select_related("parent"):
            try:
                node.clean()
            except Exception as exc:  # ValidationError: the tree around it changed since
                message = " ".join(getattr(exc, "messages", [str(exc)]))
                if message == depth_message():
                    raise OperationConflict("it would nest groups too deeply now.") from None
                raise OperationConflict("the groups around it have changed since.") from None


def _order(draft: Draft, lists: Mapping[str, list[str]]) -> None:
    """Number each group's children in the order given (the list must be exactly its children)."""
    changed: list[Node] = []
    for chunk in _chunks(list(lists)):
        rows: dict[str, list[Node]] = {k: [] for k in chunk}
        for node in (
            Node.objects.filter(draft=draft, parent__key__in=chunk)
            .select_related("parent")
            .only("id", "key", "position", "parent__key")
        ):
            rows[str(node.parent.key)].append(node)  # type: ignore[union-attr]
        for parent, children in rows.items():
            order = {key: index for index, key in enumerate(lists[parent])}
            if set(order) != {str(n.key) for n in children}:
                raise OperationConflict("the items in a group it changed have changed since.")
            for node in children:
                if node.position != order[str(node.key)]:
                    node.position = order[str(node.key)]
                    changed.append(node)
    Node.objects.bulk_update(changed, ["position"], batch_size=500)


# --- undo and redo ---------------------------------------------------------------------------------


def undo_target(draft: Draft, actor: AbstractBaseUser) -> Operation | None:
    """Return ``actor``'s operation on ``draft`` that Undo would undo: their latest still done."""
    return done(draft, actor.pk).first()


def redo_target(draft: Draft, actor: AbstractBaseUser) -> Operation | None:
    """Return ``actor``'s operation on ``draft`` that Redo would redo: the one they undid last,
    unless they made a new edit since (which ends what can be redone, as in every editor)."""
    return redoable(draft, actor.pk).first()


@transaction.atomic
def operation_undo(*, draft: Draft, version: int, actor: AbstractBaseUser) -> Operation:
    """Undo ``actor``'s latest operation on ``draft``; return the undo's own operation.

    Refused with :class:`OperationConflict` (nothing written) when what it changed has been
    changed since, naming who changed it; with :class:`TreeError` when there is nothing to undo.
    """
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.UNDO) as op:
        target = undo_target(draft, actor)
        if target is None:
            raise TreeError("There is nothing of yours to undo on this draft.")
        _revert(draft, op, target, to=target.before, expected=target.after, verb="undo")
        op.summary = f"undo of {target.summary}"
    assert op.operation is not None
    target.state = Operation.State.UNDONE
    target.undone_by = op.operation
    target.save(update_fields=["state", "undone_by"])
    return op.operation


@transaction.atomic
def operation_redo(*, draft: Draft, version: int, actor: AbstractBaseUser) -> Operation:
    """Redo the operation ``actor`` undid last on ``draft``; return the redo's own operation."""
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.REDO) as op:
        target = redo_target(draft, actor)
        if target is None:
            raise TreeError("There is nothing of yours to redo on this draft.")
        _revert(draft, op, target, to=target.after, expected=target.before, verb="redo")
        op.summary = f"redo of {target.summary}"
    assert op.operation is not None
    target.state = Operation.State.DONE
    target.undone_by = None
    target.save(update_fields=["state", "undone_by"])
    return op.operation


def _revert(draft: Draft, op: Recording, target: Operation, *, to: State, expected: State, verb: str) -> None:
    op.reverts = target
    op.watch_state(expected)
    op.watch_state(to)
    try:
        apply_state(draft, to, expected=expected)
    except _Mismatch as exc:
        raise OperationConflict(conflict_message(draft, target, exc.keys, exc.names, verb=verb)) from None
    except OperationConflict as exc:
        raise OperationConflict(f"Cannot {verb} the {target.summary}: {exc}") from None


def conflict_message(draft: Draft, target: Operation, keys: set[str], names: set[str], *, verb: str) -> str:
    """Say why ``target`` cannot be undone (or redone): who changed what it changed, and how."""
    later = Operation.objects.filter(draft=draft, version_after__gt=target.version_after).select_related("actor")
    culprit: Operation | None = None
    for candidate in later.order_by("-version_after").iterator(chunk_size=200):
        if keys & set(candidate.keys) or names & set(candidate.settings):
            culprit = candidate
            break
    head = f"Cannot {verb} the {target.summary}"
    if culprit is None:
        return f"{head}: what it changed has been changed since."
    who = (
        "you" if culprit.actor_id == target.actor_id else (culprit.actor.get_username() if culprit.actor else "someone")
    )
    return f"{head}: {who} changed the same items since ({culprit.summary}). Nothing was changed."
