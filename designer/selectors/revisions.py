"""Reads of a draft's content and its frozen revisions."""

from __future__ import annotations

from typing import Any

from designer.models import Draft, Revision
from designer.selectors.trees import Tree, draft_tree
from processes_api.payload import build_payload, content_hash


def current_content(draft: Draft, *, tree: Tree | None = None) -> tuple[dict[str, Any], dict[str, str], str]:
    """Return the draft's current ``(payload, paths, content_hash)``; pass ``tree`` if loaded."""
    payload = build_payload(tree if tree is not None else draft_tree(draft=draft))
    paths = payload.paths.stored()
    return payload.data, paths, content_hash(payload.data, paths)


def revision_list(draft: Draft) -> list[Revision]:
    return list(Revision.objects.filter(draft=draft).select_related("author").defer("payload", "paths"))
