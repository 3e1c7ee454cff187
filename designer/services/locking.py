"""The draft row lock and version check that every write to a draft's content goes through, and the
merge of an edit based on an older version with what changed since (:func:`merge_check`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from designer.errors import DraftConflict, EditConflict
from designer.models import Draft, Node, Operation
from processes_api import schema


def draft_attrs() -> tuple[str, ...]:
    """Return the ``Draft`` attributes that hold process settings and unknown fields (the registry's),
    and the designer's own holiday calendar."""
    return (*schema.model_attrs(schema.PROCESS_FIELDS), "extra", "holiday_calendar")


def node_attrs() -> tuple[str, ...]:
    """Return the ``Node`` attributes a copy of a node carries over: its kind, the registry's group
    fields, the job's type, arguments and unknown fields, and its date rules."""
    return ("kind", *schema.model_attrs(schema.GROUP_FIELDS), "job_type", "arguments", "extra", "date_rules")


def draft_lock(draft: Draft, version: int, *, merge: bool = False) -> Draft:
    """Lock the draft row, check ``version`` and bump it; return the locked draft.

    A ``version`` other than the draft's is refused (:class:`DraftConflict`), except an older one
    with ``merge``: the caller records the edit as an operation and then calls :func:`merge_check`,
    which lets it through unless it touches what changed since (issue 16, "merge instead of refuse").
    ``draft`` (the caller's instance) is brought up to date with the locked row, so that a tree
    a service returns is consistent with the draft and version the caller then shows.
    """
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.version != version and not (merge and version < locked.version):
        raise DraftConflict(expected=version, actual=locked.version)
    locked.version += 1
    locked.save(update_fields=["version", "updated"])
    for name in (*draft_attrs(), "version", "updated"):
        setattr(draft, name, getattr(locked, name))
    return locked


# --- merging an edit based on an older version ---------------------------------------------------------
#
# An edit based on version V, recorded as the operation ``mine``, is kept when none of the
# operations after V (theirs) touched what it touched:
# - the same field of the same node (a job's arguments field by field: the title and the assignee
#   of one job are different fields; a node's place — its group and its position — is one field);
# - the same process setting;
# - an item it deletes that someone added or changed since (their work would go unseen).
# Edits of different nodes never clash, even in one group: concurrent inserts and moves into a group
# all land, each at its index in the group as it is when its turn under the row lock comes (one
# order, the same for everyone). A move or an add into a group deleted since fails in the service
# itself (the group is not there). A whole revision restored on an older version is refused.

PLACE = "place"


def _fields(names: Iterable[str]) -> set[str]:
    return {PLACE if name in ("parent", "position") else name for name in names}


def merge_check(draft: Draft, *, based_on: int, mine: Operation) -> None:
    """Refuse (:class:`EditConflict`, rolling the caller's transaction back) the edit ``mine``, based on
    version ``based_on``, when it touches what an operation since touched; else let it stand."""
    if based_on == mine.version_before:
        return
    actual = mine.version_before
    theirs = list(
        Operation.objects.filter(draft=draft, version_after__gt=based_on, version_after__lte=actual)
        .select_related("actor")
        .order_by("version_after")
    )
    chain = [based_on, *(op.version_after for op in theirs)]
    unbroken = all(op.version_before == before for op, before in zip(theirs, chain, strict=False))
    if mine.kind == Operation.Kind.REVISION_RESTORE or not theirs or not unbroken or chain[-1] != actual:
        raise DraftConflict(expected=based_on, actual=actual)
    mine_fields = {key: _fields(names) for key, names in mine.fields.items()}
    deleting = set(mine.removed)
    for op in reversed(theirs):  # the latest change first: its value is the one the draft has
        settings = set(mine.settings) & set(op.settings)
        if settings:  # first: a process rename also renames the root group
            raise EditConflict(_setting_message(op, min(settings)), expected=based_on, actual=actual)
        for key, names in op.fields.items():
            clash = mine_fields.get(key, set()) & _fields(names)
            if clash:
                raise EditConflict(_clash_message(op, key, min(clash)), expected=based_on, actual=actual)
        # Deleting an item someone added or changed since would throw their work away unseen.
        added = {key for key, record in (op.before.get("nodes") or {}).items() if record is None}
        for key in sorted(deleting & (set(op.fields) | added)):
            raise EditConflict(_deleted_message(op, key), expected=based_on, actual=actual)


def _who(op: Operation) -> str:
    if op.actor is None:
        return "Someone"
    return op.actor.get_full_name().strip() or op.actor.get_username()


def _record(op: Operation, key: str) -> dict[str, Any]:
    """Return the node ``key`` as ``op`` left it; as it is now when ``op`` only reordered its group."""
    record = (op.after.get("nodes") or {}).get(key)
    if record:
        return dict(record)
    now = Node.objects.filter(draft_id=op.draft_id, key=key).values("kind", "name", "job_type", "arguments").first()
    return dict(now) if now else {}


def _clash_message(op: Operation, key: str, field: str) -> str:
    record = _record(op, key)
    label = _node_label(record)
    if field == PLACE:
        return (
            f"{_who(op)} moved “{label}” while you were working on it, so your move was not made. "
            "Here is where it is now: move it again if it should go elsewhere."
        )
    value = _value(record, field)
    now = f" (it is now “{value}”)" if value else " (it is now empty)"
    return (
        f"{_who(op)} changed {_field_label(record, field)} of “{label}” while you were editing it{now}. "
        "Your value was not saved and is kept in the form below: save again to replace theirs, "
        "or select the item again to keep theirs."
    )


def _deleted_message(op: Operation, key: str) -> str:
    label = _node_label(_record(op, key))
    return (
        f"{_who(op)} changed “{label}” while you were deleting it, so nothing was deleted. "
        "Here is how it is now: delete it again if it should go."
    )


def _setting_message(op: Operation, attr: str) -> str:
    labels = {f.attr: f.label for f in schema.PROCESS_FIELDS if f.attr}
    value = (op.after.get("settings") or {}).get(attr)
    now = f" (it is now “{value}”)" if value not in (None, "") else " (it is now empty)"
    return (
        f"{_who(op)} changed the process setting “{labels.get(attr, attr)}” while you were editing it{now}. "
        "Your value was not saved and is kept in the form below: save again to replace theirs."
    )


def _node_label(record: dict[str, Any]) -> str:
    if record.get("kind") == "group":
        return str(record.get("name") or "Untitled group")
    return str((record.get("arguments") or {}).get("title") or "Untitled job")


def _field_label(record: dict[str, Any], field: str) -> str:
    if field.startswith("arguments."):
        name = field.removeprefix("arguments.")
        jt = schema.job_type(str(record.get("job_type") or ""))
        arg = jt.field_map.get(name) if jt else None
        return f"“{arg.label if arg else name}”"
    labels = {f.name: f.label for f in schema.GROUP_FIELDS}
    return f"“{labels.get(field, field)}”"


def _value(record: dict[str, Any], field: str) -> str:
    if field.startswith("arguments."):
        value = (record.get("arguments") or {}).get(field.removeprefix("arguments."))
    else:
        value = record.get(field)
    if value in (None, ""):
        return ""
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 80 else text[:79] + "…"
