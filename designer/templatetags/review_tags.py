"""Template filters for review pages: comment counts, tree indents, job type and diff field labels.

They read only what they are given; the data comes from the views (and the header's inbox count
from :mod:`designer.context_processors`), so rendering runs no query.
"""

from __future__ import annotations

from typing import Any

from django import template

from processes_api import schema

register = template.Library()


@register.filter
def open_comments(counts: dict[Any, int] | None, key: Any) -> int:
    """Return the open comment threads on node ``key`` from ``comment_counts(draft)`` (0 if none)."""
    if not counts:
        return 0
    return counts.get(key, 0) or counts.get(str(key), 0)


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
