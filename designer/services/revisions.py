"""Writes of revisions: freeze the current content, save points, restore an older revision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction

from designer.errors import DraftConflict, DraftError
from designer.models import Activity, Draft, Node, Operation, Revision, depth_message
from designer.selectors.trees import draft_tree
from designer.services.activity import activity_record
from designer.services.locking import draft_attrs
from designer.services.operations import operation
from processes_api import schema
from processes_api.payload import Payload, build_payload
from processes_api.walk import Step, walk

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def revision_freeze(
    *, draft: Draft, author: User, reason: str, note: str = "", payload: Payload | None = None
) -> Revision:
    """Freeze the draft's current content as a new revision, numbered after the last one.

    ``payload`` saves building it again when the caller already built it from the draft while
    holding its row lock.
    """
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if payload is None:
        payload = build_payload(draft_tree(draft=locked))
    paths = payload.paths.stored()
    if max((path.count("children[") for path in paths.values()), default=0) > schema.MAX_DEPTH:
        raise DraftError(depth_message())  # a draft saved before the limit: too deep to store as JSON
    last = Revision.objects.filter(draft=locked).order_by("-number").values_list("number", flat=True).first()
    return Revision.objects.create(
        draft=locked,
        number=(last or 0) + 1,
        draft_version=locked.version,
        payload=payload.data,
        paths=paths,
        content_hash=payload.content_hash(),  # the same hash as content_hash(payload.data, paths), kept once
        designer=_designer_state(locked),
        author=author,
        reason=reason,
        note=note,
    )


@transaction.atomic
def revision_save_point(*, draft: Draft, actor: User, note: str = "") -> Revision:
    """Freeze the current content as a manual save point."""
    revision = revision_freeze(draft=draft, author=actor, reason=Revision.Reason.SAVE_POINT, note=note.strip()[:2000])
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.SAVE_POINT, summary=f"r{revision.number}")
    return revision


@transaction.atomic
def revision_restore(*, draft: Draft, actor: User, version: int, revision: Revision) -> Revision:
    """Replace the draft's content with ``revision``'s, as a new change that can be undone.

    The current content is frozen first as a "restore" revision (returned): restoring that one
    undoes this. Node keys come back from the revision's path map, so comments stay on their nodes.
    """
    if revision.draft_id != draft.pk:
        raise DraftError("That revision belongs to another draft.")
    current = Draft.objects.select_for_update().get(pk=draft.pk)
    if current.version != version:
        raise DraftConflict(expected=version, actual=current.version)
    undo = revision_freeze(
        draft=current,
        author=actor,
        reason=Revision.Reason.RESTORE,
        note=f"Content before restoring r{revision.number}",
    )
    kind = Operation.Kind.REVISION_RESTORE
    with operation(
        draft=draft, version=version, actor=actor, kind=kind, summary=f"restore of r{revision.number}"
    ) as op:
        present = list(Node.objects.filter(draft=draft).values_list("key", "kind"))
        op.watch([k for k, _ in present], parents=[k for k, what in present if what == Node.Kind.GROUP])
        op.watch(settings=draft_attrs())
        locked = Draft.objects.get(pk=draft.pk)
        fields, records = _parse_revision(revision)
        if any(r["depth"] > schema.MAX_DEPTH for r in records):  # a revision saved before the limit
            raise DraftError(depth_message())
        for f in schema.PROCESS_FIELDS:
            if f.attr:
                value = fields.get(f.attr)
                setattr(locked, f.attr, "" if value is None and f.required else value)
        locked.extra = fields.get("extra", {})
        kept = revision.designer or {}  # empty for a revision frozen before it kept these
        locked.holiday_calendar = kept.get("holiday_calendar", locked.holiday_calendar)
        rules = kept.get("date_rules", {})
        locked.save()
        for attr in (*draft_attrs(), "version", "updated"):
            setattr(draft, attr, getattr(locked, attr))
        # One DELETE statement: nodes are referenced only by their own parent links (all going now)
        # and comments anchor by key, so the ORM's per-object cascade collection is pure cost here.
        old_nodes = Node.objects.filter(draft=locked)
        old_nodes._raw_delete(old_nodes.db)
        by_path: dict[str, Node] = {}
        depth = 0
        while True:  # level by level, so each level's parents exist: one insert per tree level
            level = [r for r in records if r["depth"] == depth]
            if not level:
                break
            nodes = [
                Node(
                    draft=locked,
                    parent=by_path[r["parent_path"]] if r["parent_path"] else None,
                    **{k: v for k, v in r.items() if k not in ("parent_path", "path", "depth")},
                    date_rules=rules.get(str(r["key"]), {}),
                )
                for r in level
            ]
            for record, node in zip(level, Node.objects.bulk_create(nodes, batch_size=1000), strict=True):
                by_path[record["path"]] = node
            depth += 1
        op.created([n.key for n in by_path.values()], groups=[n.key for n in by_path.values() if n.is_group])
    activity_record(
        draft=draft,
        actor=actor,
        verb=Activity.Verb.RESTORED,
        summary=f"r{revision.number} (undo: restore r{undo.number})",
    )
    return undo


def _designer_state(draft: Draft) -> dict[str, Any]:
    """Return what a revision keeps beside the payload (which carries only computed dates): each
    rule-based date's rule by node key, and the holiday calendar the rules count on."""
    rules = Node.objects.filter(draft=draft).exclude(date_rules={}).values_list("key", "date_rules")
    return {"date_rules": {str(key): value for key, value in rules}, "holiday_calendar": draft.holiday_calendar}


def _parse_revision(revision: Revision) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Invert ``build_payload`` leniently: draft fields and node records in document order.

    Unlike import this checks nothing: a revision was built from a draft, so what it holds is
    exactly what goes back, unknown fields included.
    """
    data = dict(revision.payload)  # shallow copies only: nothing below mutates what it reads
    key_by_path = {path: UUID(key) for key, path in revision.paths.items()}
    fields: dict[str, Any] = {}
    for f in schema.PROCESS_FIELDS:
        if f.attr and f.key in data:
            fields[f.attr] = data.pop(f.key)
    root = data.pop("root")
    fields["extra"] = data
    group_fields = [(f.attr, f.key) for f in schema.GROUP_FIELDS if f.attr]
    records = [_node_record(step, key_by_path, group_fields) for step in walk(root)]
    return fields, records


def _node_record(step: Step, key_by_path: dict[str, UUID], group_fields: list[tuple[str, str]]) -> dict[str, Any]:
    """Return the ``Node`` fields of one revision node, with its path, parent path and depth."""
    node, path, parent, kind, wrapper, position, depth = step
    key = key_by_path[path]
    obj = dict(node)
    rest = {k: v for k, v in wrapper.items() if k != "type" and k != kind} if wrapper else None
    if kind == "group":
        del obj["children"]
        record = {"kind": kind, "position": position, "parent_path": parent, "key": key, "path": path, "depth": depth}
        for attr, name in group_fields:
            record[attr] = obj.pop(name, None)
        record["extra"] = {k: v for k, v in (("node", obj), ("wrapper", rest)) if v}
        return record
    arguments = dict(obj.pop("arguments"))
    job_type = arguments.pop("type")
    jt = schema.job_type(job_type)
    return {
        "kind": kind,
        "position": position,
        "parent_path": parent,
        "job_type": job_type,
        "arguments": arguments.pop(jt.args_key if jt else f"{job_type}Args"),
        "extra": {k: v for k, v in (("node", obj), ("arguments", arguments), ("wrapper", rest)) if v},
        "key": key,
        "path": path,
        "depth": depth,
    }
