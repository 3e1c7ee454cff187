"""Reads of comment threads."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, Prefetch

from designer.models import Comment, Draft


def comment_counts(draft: Draft) -> dict[UUID | None, int]:
    """Return ``{node key: open thread count}`` for the editor's comment markers (one query)."""
    rows = (
        Comment.objects.filter(draft=draft, parent__isnull=True, resolved=False, node_key__isnull=False)
        .values("node_key")
        .annotate(n=Count("id"))
    )
    return {row["node_key"]: row["n"] for row in rows}


def comment_threads(draft: Draft, *, node_key: UUID | None = None) -> list[Comment]:
    """Return the draft's threads (first comments with ``thread_replies``), open ones first."""
    threads = (
        Comment.objects.filter(draft=draft, parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author"), to_attr="thread_replies")
        )
        .order_by("resolved", "created", "id")
    )
    if node_key is not None:
        threads = threads.filter(node_key=node_key)
    return list(threads)
