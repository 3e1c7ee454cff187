"""Writes to drafts as a whole: create (blank or from a Process document), settings, duplicate, delete."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from designer.errors import TreeError
from designer.models import Draft, Node
from designer.selectors.trees import draft_tree
from designer.services.locking import DRAFT_FIELDS, draft_lock
from designer.services.nodes import subtree_copy
from processes_api import schema
from processes_api.payload import ParsedNode, parse_payload

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def draft_create(*, owner: User, name: str, root_name: str | None = None) -> Draft:
    """Create an empty draft with its root group."""
    draft = Draft(owner=owner, name=name.strip())
    draft.full_clean()
    draft.save()
    Node.objects.create(
        draft=draft,
        kind=Node.Kind.GROUP,
        name=root_name or draft.name or "Process",
        parallel=False,
        read_only=False,
        trigger_type=schema.DEFAULT_TRIGGER_TYPE,
    )
    return draft


@transaction.atomic
def draft_update(*, draft: Draft, version: int, changes: Mapping[str, Any]) -> Draft:
    """Change process settings; keys of ``changes`` are ``Draft`` field names."""
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise TreeError(f"Cannot change {', '.join(sorted(unknown))} on a draft.")
    locked = draft_lock(draft, version)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["owner"])
    locked.save()
    for name in (*DRAFT_FIELDS, "version", "updated"):
        setattr(draft, name, getattr(locked, name))
    return draft


@transaction.atomic
def draft_duplicate(*, draft: Draft, owner: User, name: str | None = None) -> Draft:
    """Copy a draft and its whole tree with new keys; the copy belongs to ``owner``."""
    tree = draft_tree(draft=draft)
    copy_ = Draft.objects.create(
        owner=owner,
        name=name or f"Copy of {draft.name}"[:500],
        **{f: copy.deepcopy(getattr(draft, f)) for f in DRAFT_FIELDS if f != "name"},
        extra=copy.deepcopy(draft.extra),
    )
    subtree_copy(tree, tree.root, draft=copy_, parent=None, position=0)
    return copy_


@transaction.atomic
def draft_delete(*, draft: Draft) -> None:
    draft.delete()


@transaction.atomic
def draft_import(*, data: Any, owner: User) -> Draft:
    """Create a draft from a Process document; nothing is created when it is malformed."""
    fields, root = parse_payload(data)
    draft = Draft(owner=owner, **fields)
    draft.full_clean(exclude=["owner"])
    draft.save()
    level: list[tuple[ParsedNode, Node | None, int]] = [(root, None, 0)]
    while level:
        nodes = [
            Node(draft=draft, parent=parent, position=position, kind=parsed.kind, **parsed.fields)
            for parsed, parent, position in level
        ]
        created = Node.objects.bulk_create(nodes, batch_size=1000)
        level = [
            (child, node, index)
            for (parsed, _, _), node in zip(level, created, strict=True)
            for index, child in enumerate(parsed.children)
        ]
    return draft
