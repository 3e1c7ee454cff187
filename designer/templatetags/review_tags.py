"""Template filters for review pages: comment counts, tree indents, job type and diff field labels.

They read only what they are given; the data comes from the views (and the header's inbox count
from :mod:`designer.context_processors`), so rendering runs no query.
"""

from __future__ import annotations

from typing import Any

from django import template

from designer import diff
from designer.services.activity import summary_lines as _summary_lines
from processes_api import schema

register = template.Library()


@register.filter
def open_comments(counts: dict[Any, int] | None, key: Any) -> int:
    """Return the open comment threads on node ``key`` from ``comment_counts(draft)`` (0 if none)."""
    if not counts:
        return 0
    return counts.get(key, 0) or counts.get(str(key), 0)


MAX_INDENT = 8


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
    """Return a diff field's name for people: ``arguments.dueDate`` -> "Due date" (the registry's label)."""
    return diff.field_label(name)


@register.filter
def field_text(value: Any, name: str) -> str:
    """Return a snapshot field's value as a reviewer reads it: ``{{ value|field_text:name }}``."""
    return diff.field_text(name, value)


@register.filter
def named(text: str, names: Any) -> str:
    """Return an id with the directory's name for it, "Ada Lovelace (userId1234)": ``{{ f.after_text|named:diff.names }}``."""
    name = names.get(text) if isinstance(names, dict) and isinstance(text, str) else None
    return f"{name} ({text})" if name else text


@register.filter
def parallel_mode(parallel: Any) -> str:
    """Return how a group's children run: "all at the same time" or "one after another"."""
    return schema.parallel_mode(bool(parallel))


@register.filter
def summary_lines(summary: str) -> list[tuple[str, int]]:
    """Return an activity summary's lines as ``(text, times)``: one per different change."""
    return _summary_lines(summary or "")
