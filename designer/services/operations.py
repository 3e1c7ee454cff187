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
The states themselves (read, compare, apply) are in :mod:`designer.services.opstates`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction

from designer.errors import OperationConflict, TreeError
from designer.models import Draft, Node, Operation
from designer.selectors.operations import done, redoable
from designer.selectors.trees import subtree
from designer.services.locking import draft_lock, merge_check
from designer.services.opstates import (
    State,
    StateMismatch,
    apply_state,
    read_nodes,
    reordered,
    settings_record,
)
from designer.signals import operation_committed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

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
        for group in changed_groups:  # an undo of a reorder watched only the list: find who moved
            before, after = self._children[group] or [], children_after[group] or []
            if not any(self._nodes.get(k) and self._nodes[k]["parent"] == group for k in fields):  # type: ignore[index]
                for key in reordered(before, after):
                    fields.setdefault(key, []).append("position")
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


# --- undo and redo ---------------------------------------------------------------------------------


def undo_target(draft: Draft, actor: AbstractBaseUser) -> Operation | None:
    """Return ``actor``'s operation on ``draft`` that Undo would undo: their latest still done."""
    return done(draft, actor.pk).first()


def redo_target(draft: Draft, actor: AbstractBaseUser) -> Operation | None:
    """Return ``actor``'s operation on ``draft`` that Redo would redo: the one they undid last,
    unless they made a new edit since (which ends what can be redone, as in every editor)."""
    return redoable(draft, actor.pk).first()


def operation_undo(*, draft: Draft, version: int, actor: AbstractBaseUser) -> Operation:
    """Undo ``actor``'s latest operation on ``draft``; return the undo's own operation.

    Refused with :class:`OperationConflict` when what it changed has been changed since, naming
    who changed it: nothing of the draft is written, and that operation leaves the user's undo
    list (the next Undo goes on to the one before it). :class:`TreeError` when there is nothing
    to undo; :class:`~designer.errors.DraftConflict` for a stale ``version``.
    """
    try:
        return _step(draft=draft, version=version, actor=actor, undo=True)
    except OperationConflict as refused:
        raise _skipping(refused, Operation.State.DONE, "undo") from None


@transaction.atomic
def _step(*, draft: Draft, version: int, actor: AbstractBaseUser, undo: bool) -> Operation:
    """Undo (``undo``) or redo ``actor``'s operation: apply its states the one way or the other."""
    verb = "undo" if undo else "redo"
    with operation(
        draft=draft, version=version, actor=actor, kind=Operation.Kind.UNDO if undo else Operation.Kind.REDO
    ) as op:
        target = undo_target(draft, actor) if undo else redo_target(draft, actor)
        if target is None:
            raise TreeError(f"There is nothing of yours to {verb} on this draft.")
        to, expected = (target.before, target.after) if undo else (target.after, target.before)
        _revert(draft, op, target, to=to, expected=expected, verb=verb)
        op.summary = f"{verb} of {target.summary}"
    assert op.operation is not None
    target.state = Operation.State.UNDONE if undo else Operation.State.DONE
    target.undone_by = op.operation if undo else None
    target.save(update_fields=["state", "undone_by"])
    return op.operation


def operation_redo(*, draft: Draft, version: int, actor: AbstractBaseUser) -> Operation:
    """Redo the operation ``actor`` undid last on ``draft``; return the redo's own operation.

    Refused like :func:`operation_undo`; a refused one leaves the redo list.
    """
    try:
        return _step(draft=draft, version=version, actor=actor, undo=False)
    except OperationConflict as refused:
        raise _skipping(refused, Operation.State.UNDONE, "redo") from None


def _revert(draft: Draft, op: Recording, target: Operation, *, to: State, expected: State, verb: str) -> None:
    op.reverts = target
    op.watch_state(expected)
    op.watch_state(to)
    try:
        apply_state(draft, to, expected=expected)
    except StateMismatch as exc:
        message = conflict_message(draft, target, exc.keys, exc.names, verb=verb)
        raise OperationConflict(message, operation_id=target.pk) from None
    except OperationConflict as exc:
        message = f"Cannot {verb} the {target.summary}: {exc} Nothing was changed."
        raise OperationConflict(message, operation_id=target.pk) from None


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


def _skipping(refused: OperationConflict, state: str, what: str) -> OperationConflict:
    """Take the operation that could not be undone (redone) off the user's list, so the next Undo
    (Redo) goes on to the one before it instead of being refused again; return the refusal to raise."""
    if refused.operation_id is not None:
        Operation.objects.filter(pk=refused.operation_id, state=state).update(state=Operation.State.DROPPED)
    return OperationConflict(f"{refused} It is off your {what} list now.", operation_id=refused.operation_id)


# --- keeping the log small ----------------------------------------------------------------------------


def operations_prune(*, before: Any) -> int:
    """Delete the operations recorded before ``before`` (a datetime); return how many.

    Undo and redo then stop at the oldest operation kept, and :func:`changes_since` answers None
    (reload) for a version older than it: nothing else reads the log. Each operation holds the
    before/after states of what it touched (a bulk edit of 3,000 jobs about 2 MB), so a deployment
    runs ``manage.py prune_operations --days N`` from cron.
    """
    deleted, _ = Operation.objects.filter(created__lt=before).delete()
    return deleted
