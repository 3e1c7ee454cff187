"""Writes to comment threads on a draft or on one of its nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from designer.errors import DraftError
from designer.models import Activity, Comment, Draft, Node
from designer.services.activity import activity_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User

COMMENT_MAX = 10_000


@transaction.atomic
def comment_create(
    *,
    draft: Draft,
    actor: User,
    body: str,
    node_key: UUID | str | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Comment on the draft, on the node ``node_key``, or reply to the thread of ``parent``."""
    body = body.strip()
    if not body:
        raise DraftError("The comment is empty; write something first.")
    if len(body) > COMMENT_MAX:
        raise DraftError(f"The comment is too long ({len(body)} characters; at most {COMMENT_MAX}).")
    key: UUID | None = None
    if parent is not None:
        if parent.draft_id != draft.pk:
            raise DraftError("That comment belongs to another draft.")
        thread = parent.parent or parent
        key = thread.node_key
        parent = thread
    elif node_key not in (None, ""):
        try:
            key = node_key if isinstance(node_key, UUID) else UUID(str(node_key))
        except ValueError:
            raise DraftError(f"There is no node {node_key} in this draft.") from None
        if not Node.objects.filter(draft=draft, key=key).exists():
            raise DraftError(f"There is no node {node_key} in this draft.")
    comment = Comment.objects.create(draft=draft, node_key=key, parent=parent, author=actor, body=body)
    if parent is not None and parent.resolved:
        _set_resolved(parent, actor=None, resolved=False)
    where = "a reply" if parent else ("on a node" if key else "on the draft")
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.COMMENTED, summary=f"{where}: {body[:120]}")
    return comment


def _set_resolved(thread: Comment, *, actor: User | None, resolved: bool) -> None:
    thread.resolved = resolved
    thread.resolved_by = actor if resolved else None
    thread.resolved_at = timezone.now() if resolved else None
    thread.save(update_fields=["resolved", "resolved_by", "resolved_at"])


@transaction.atomic
def comment_resolve(*, comment: Comment, actor: User) -> Comment:
    """Resolve the thread ``comment`` belongs to."""
    thread = comment.parent or comment
    if thread.resolved:
        raise DraftError("That comment thread is already resolved.")
    _set_resolved(thread, actor=actor, resolved=True)
    activity_record(draft=thread.draft, actor=actor, verb=Activity.Verb.COMMENT_RESOLVED, summary=thread.body[:120])
    return thread


@transaction.atomic
def comment_reopen(*, comment: Comment, actor: User) -> Comment:
    """Reopen the resolved thread ``comment`` belongs to."""
    thread = comment.parent or comment
    if not thread.resolved:
        raise DraftError("That comment thread is open already.")
    _set_resolved(thread, actor=actor, resolved=False)
    activity_record(draft=thread.draft, actor=actor, verb=Activity.Verb.COMMENT_REOPENED, summary=thread.body[:120])
    return thread
