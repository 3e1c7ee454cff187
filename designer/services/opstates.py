"""The states an operation records, and how to read, compare and put one back.

A state (``Operation.before`` / ``Operation.after``) is what an edit touched: node records
(``{"parent": key, <attrs>}``, None for "does not exist"), groups' ordered child keys (None for "no
such group") and draft settings. :func:`apply_state` makes the draft's state equal to one, when the
current state is exactly the expected other side; :mod:`designer.services.operations` records the
states and undoes and redoes with them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypedDict
from uuid import UUID

from django.db import connection, models
from django.db.models import Q

from designer.errors import OperationConflict
from designer.models import Draft, Node, depth_message
from designer.services.locking import draft_attrs, node_attrs

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


def rows_update(nodes: list[Node], fields: Iterable[str]) -> None:
    """Write ``fields`` of ``nodes`` (saved rows), one prepared UPDATE run for all of them.

    What ``bulk_update`` does, without its CASE expression per row: building that costs about a
    second of Python for 3,000 rows, while the driver's ``executemany`` runs the one statement for
    each row in C (and pipelines on PostgreSQL).
    """
    names = list(fields)
    if not nodes or not names:
        return
    model_fields = [field for name in names if isinstance(field := Node._meta.get_field(name), models.Field)]
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(str(f.column))} = %s" for f in model_fields)
    sql = f"UPDATE {quote(Node._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"  # noqa: S608 - names only
    params = [
        [f.get_db_prep_save(getattr(node, f.attname), connection) for f in model_fields] + [node.pk] for node in nodes
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def reordered(before: list[str], after: list[str]) -> set[str]:
    """Return the fewest items of ``after`` that moved relative to the others since ``before``
    (those outside a longest run that kept its order); items added or removed do not count."""
    old_index = {key: i for i, key in enumerate(before)}
    common = [key for key in after if key in old_index]
    # Longest increasing subsequence of the old indices, in the new order (patience sorting).
    tails: list[int] = []  # positions in ``common``
    previous: list[int] = [-1] * len(common)
    for i, key in enumerate(common):
        value = old_index[key]
        low, high = 0, len(tails)
        while low < high:
            mid = (low + high) // 2
            if old_index[common[tails[mid]]] < value:
                low = mid + 1
            else:
                high = mid
        previous[i] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(i)
        else:
            tails[low] = i
    kept: set[str] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        kept.add(common[i])
        i = previous[i]
    return set(common) - kept


# --- applying a state ---------------------------------------------------------------


def apply_state(draft: Draft, target: State, *, expected: State) -> None:
    """Make the draft's state of what ``target`` has equal to ``target``, when it is ``expected`` now.

    Raise :class:`OperationConflict` (message without a subject: the caller says what failed)
    when it is not, or when the result would break the tree's rules; the caller's transaction is
    then rolled back, so nothing is half-applied.
    """
    current = current_state(draft, expected)
    keys, names = _differences(current, expected)
    if keys or names:
        raise StateMismatch(keys, names)
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


class StateMismatch(OperationConflict):
    """The current state is not the one expected: ``keys`` (nodes, groups) and ``names`` (settings) differ."""

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
    fields: set[str] = set()
    for key, record in records.items():
        node = by_key[key]
        old = now[key]
        for a in attrs:
            if a in record and (old is None or old.get(a) != record[a]):
                setattr(node, a, record[a])
                fields.add(a)
        if old is not None and old["parent"] != record["parent"]:
            if record["parent"] is not None and record["parent"] not in id_by_key:
                raise OperationConflict("the group it was in has been deleted since.")
            node.parent_id = id_by_key[record["parent"]] if record["parent"] is not None else None
            moved.append(key)
            fields.add("parent")
    if fields:  # only the columns that change: a bulk edit undone rewrites one column, not nine
        rows_update(list(by_key.values()), sorted(fields))
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
    rows_update(changed, ["position"])
