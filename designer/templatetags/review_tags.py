"""Template tags for review: the header's inbox and invitations links with their counts."""

from __future__ import annotations

from typing import Any

from django import template

from designer.models import Draft
from designer.selectors.reviews import approval_status, inbox_count, publish_gate
from designer.selectors.revisions import current_content
from designer.selectors.sharing import invitation_count
from processes_api import schema

register = template.Library()


@register.inclusion_tag("review/_inbox_link.html", takes_context=True)
def review_inbox_link(context: dict[str, Any]) -> dict[str, Any]:
    """Render the "Reviews (n)" header link, and "Invitations (n)" when some wait (two COUNT queries)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    count = inbox_count(user=user) if user is not None else 0
    invitations = invitation_count(user=user) if user is not None else 0
    return {"count": count, "invitations": invitations, "show": bool(user and user.is_authenticated)}


@register.filter
def open_comments(counts: dict[Any, int] | None, key: Any) -> int:
    """Return the open comment threads on node ``key`` from ``comment_counts(draft)`` (0 if none)."""
    if not counts:
        return 0
    return counts.get(key, 0) or counts.get(str(key), 0)


@register.inclusion_tag("review/_approval_banner.html")
def approval_banner(draft: Draft, current_hash: str | None = None) -> dict[str, Any]:
    """Render the review state for the editor: approved / changed since approval (with a diff link) / …

    Pass ``current_hash`` when the page has computed it (``review.current_content``) to save a tree load.
    """
    if current_hash is None:
        current_hash = current_content(draft)[2]
    status = approval_status(draft, current_hash=current_hash)
    allowed, reason = publish_gate(draft, current_hash=current_hash)
    return {"draft": draft, "status": status, "publish_allowed": allowed, "publish_reason": reason}


MAX_INDENT = 8
_FIELD_LABELS = {
    "name": "Name",
    "type": "Job type",
    "parallel": "All at the same time",
    "readOnly": "Read-only",
    "triggerType": "Starts",
}


@register.filter
def indent(depth: Any) -> int:
    """Return a tree depth capped for the stylesheet's ``data-depth`` rules (no inline styles)."""
    try:
        return max(0, min(int(depth), MAX_INDENT))
    except (TypeError, ValueError):
        return 0


@register.filter
def job_type_label(name: str) -> str:
    """Return a job type's label from the schema registry ("sendTask" -> "Send a task")."""
    job_type = schema.job_type(name)
    return job_type.label if job_type else name


@register.filter
def field_label(name: str) -> str:
    """Return a diff field's name for people: ``arguments.dueDate`` -> "Due date" (the schema's label)."""
    if name in _FIELD_LABELS:
        return _FIELD_LABELS[name]
    if name.startswith("arguments."):
        argument = name.removeprefix("arguments.")
        for job_type in schema.JOB_TYPES.values():
            if argument in job_type.field_map:
                return job_type.field_map[argument].label
        return argument
    return name
