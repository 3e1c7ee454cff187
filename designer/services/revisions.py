"""Writes of revisions: freeze the current content, save points, restore an older revision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction

from designer.errors import DraftConflict, DraftError
from designer.models import Activity, Draft, Node, Revision
from designer.selectors.trees import draft_tree
from designer.services.activity import activity_record
from designer.services.locking import DRAFT_FIELDS, draft_lock
from processes_api import schema
from processes_api.payload import GROUP_KEYS, PROCESS_KEYS, Payload, build_payload, content_hash

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
    paths = {str(key): path for path, key in payload.paths.key_by_path.items()}
    last = Revision.objects.filter(draft=locked).order_by("-number").values_list("number", flat=True).first()
    return Revision.objects.create(
        draft=locked,
        number=(last or 0) + 1,
        draft_version=locked.version,
        payload=payload.data,
        paths=paths,
        content_hash=content_hash(payload.data, paths),
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
    locked = draft_lock(draft, version)
    fields, records = _parse_revision(revision)
    for attr in DRAFT_FIELDS:
        setattr(locked, attr, fields.get(attr))
    locked.name = fields.get("name") or ""
    locked.extra = fields.get("extra", {})
    locked.save()
    for attr in (*DRAFT_FIELDS, "extra", "version", "updated"):
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
            )
            for r in level
        ]
        for record, node in zip(level, Node.objects.bulk_create(nodes, batch_size=1000), strict=True):
            by_path[record["path"]] = node
        depth += 1
    activity_record(
        draft=draft,
        actor=actor,
        verb=Activity.Verb.RESTORED,
        summary=f"r{revision.number} (undo: restore r{undo.number})",
    )
    return undo


def _parse_revision(revision: Revision) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Invert ``build_payload`` leniently: draft fields and node records in document order.

    Unlike import this checks nothing: a revision was built from a draft, so what it holds is
    exactly what goes back, unknown fields included.
    """
    data = dict(revision.payload)  # shallow copies only: nothing below mutates what it reads
    key_by_path = {path: UUID(key) for key, path in revision.paths.items()}
    fields: dict[str, Any] = {}
    for attr, key in PROCESS_KEYS:
        if key in data:
            fields[attr] = data.pop(key)
    root = data.pop("root")
    fields["extra"] = data
    records: list[dict[str, Any]] = []

    def group(
        obj: dict[str, Any], path: str, parent_path: str | None, position: int, wrapper: dict[str, Any], depth: int
    ) -> None:
        obj = dict(obj)
        children = obj.pop("children", [])
        record: dict[str, Any] = {"kind": "group", "position": position, "parent_path": parent_path, "depth": depth}
        for attr, key in GROUP_KEYS:
            record[attr] = obj.pop(key, None)
        record["extra"] = {k: v for k, v in (("node", obj), ("wrapper", wrapper)) if v}
        record["key"] = key_by_path[path]
        record["path"] = path
        records.append(record)
        inner = path if parent_path is None else f"{path}.group"
        for index, child in enumerate(children):
            child = dict(child)
            child_path = f"{inner}.children[{index}]"
            kind = child.pop("type")
            body = child.pop(kind)
            if kind == "group":
                group(body, child_path, path, index, child, depth + 1)
            else:
                job(body, child_path, path, index, child, depth + 1)

    def job(
        obj: dict[str, Any], path: str, parent_path: str, position: int, wrapper: dict[str, Any], depth: int
    ) -> None:
        obj = dict(obj)
        arguments = dict(obj.pop("arguments"))
        job_type = arguments.pop("type")
        jt = schema.job_type(job_type)
        values = arguments.pop(jt.args_key if jt else f"{job_type}Args")
        records.append(
            {
                "kind": "job",
                "position": position,
                "parent_path": parent_path,
                "job_type": job_type,
                "arguments": values,
                "extra": {k: v for k, v in (("node", obj), ("arguments", arguments), ("wrapper", wrapper)) if v},
                "key": key_by_path[path],
                "path": path,
                "depth": depth,
            }
        )

    group(root, "root", None, 0, {}, 0)
    return fields, records
