"""Outline rows: the ``<li role="treeitem">`` markup of a tree or subtree, as :mod:`designer.outline` describes it.

A 3,000-job tree must render in a few tens of milliseconds, which a template loop of that many
rows does not: the rows are built in one pass over ``tree.walk()``, every user-entered value
through ``escape()``.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString, mark_safe

from processes_api import schema

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from uuid import UUID

    from designer.models import Node
    from designer.selectors.trees import Tree
    from processes_api.lint import Problem

HANDLE = '<span class="handle" title="Drag to move" aria-hidden="true">⠿</span>'
TOGGLE = '<button type="button" class="toggle" tabindex="-1" aria-hidden="true" title="Collapse or expand"></button>'
TYPE_LABELS = {name: escape(jt.label) for name, jt in schema.JOB_TYPES.items()}
GROUP = "group"  # Node.Kind.GROUP, compared as a plain string in the row loop
# Every group's list ends with a drop target for "the end of this group" (shown only while dragging;
# not a tree item, hidden from assistive technology: the keyboard moves items with Alt+arrows).
END_DROP = '<li class="end-drop" aria-hidden="true">End of group</li>'
CLOSE_GROUP = END_DROP + "</ul></li>"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _principal(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return value if isinstance(value, str) else ""


def badges_html(errors: int, warnings: int) -> str:
    """Return a row's ``.badges`` (problem counts; numbers only), or "" without problems."""
    if not errors and not warnings:
        return ""
    out = '<span class="badges">'
    if errors:
        out += f'<span class="badge badge-error" title="{_plural(errors, "error")}">{errors}</span>'
    if warnings:
        out += f'<span class="badge badge-warning" title="{_plural(warnings, "warning")}">{warnings}</span>'
    return out + "</span>"


class RowRenderer:
    """Render outline rows for one answer: the problems, comment counts and options they share.

    Job types, assignees and due dates repeat across thousands of rows: each value is escaped once.
    """

    def __init__(
        self,
        problems: Iterable[Problem],
        *,
        selected: UUID | None,
        can_edit: bool,
        comments: dict[UUID | None, int] | None = None,
        comments_url: str = "",
        names: Mapping[str, str] | None = None,
    ) -> None:
        problems = list(problems)
        # Assignees' display names by user id (designer.picks.assignee_names); ids it lacks show as ids.
        self.names = names or {}
        self.errors = Counter(p.node_key for p in problems if p.is_error)
        self.warnings = Counter(p.node_key for p in problems if not p.is_error)
        self.selected = selected
        self.handle = HANDLE if can_edit else ""
        self.comments = comments or {}
        self.comments_url = escape(comments_url)
        self._marked = {*self.errors, *self.warnings, *(key for key, count in self.comments.items() if count)}
        self._escaped: dict[str, str] = {}

    def _escape(self, value: str) -> str:
        html = self._escaped.get(value)
        if html is None:
            html = self._escaped[value] = escape(value)
        return html

    def _extras(self, node_key: UUID, key: str) -> str:
        """Return the row's problem badges and open-comment marker (a link to the review page if known)."""
        if node_key not in self._marked:  # most rows: skip the lookups
            return ""
        out = badges_html(self.errors.get(node_key, 0), self.warnings.get(node_key, 0))
        return out + self.comment_marker(node_key, key)

    def comment_marker(self, node_key: UUID, key: str) -> str:
        """Return the row's open-comment marker ("" for none): a link to the review page if known."""
        count = self.comments.get(node_key, 0)
        if not count:
            return ""
        label = _plural(count, "open comment")
        if not self.comments_url:
            return f'<span class="comment-marker" title="{label}" aria-label="{label}">{count}</span>'
        return (
            f'<a class="comment-marker" href="{self.comments_url}?node={key}#comments" tabindex="-1" '
            f'title="{label}: read them" aria-label="{label}">{count}</a>'
        )

    def _item(self, node: Node, key: str, level: int, classes: str, more: str = "") -> str:
        is_selected = node.key == self.selected
        return (
            f'<li class="{classes}{" is-selected" if is_selected else ""}{more}" id="node-{key}" data-key="{key}" '
            f'role="treeitem" aria-level="{level}" aria-selected="{"true" if is_selected else "false"}" tabindex="-1"'
        )

    def group_row(self, node: Node, child_count: int) -> str:
        """Return a group's ``.row``: handle, toggle, name, mode, size, badges, comment marker."""
        key = str(node.key)
        label = escape(node.label)  # the title attribute: the whole name where the row truncates it
        mode = schema.parallel_mode(node.parallel)
        return (
            f'<div class="row">{self.handle}{TOGGLE}'
            f'<a class="label" href="?node={key}#node-{key}" tabindex="-1" title="{label}">{label}</a>'
            f'<span class="mode">{mode}</span><span class="meta">{_plural(child_count, "item")}</span>'
            f"{self._extras(node.key, key)}</div>"
        )

    def group_open(self, node: Node, level: int, child_count: int) -> str:
        """Return a group's ``<li>`` with its row and its open ``ul.children`` (closed by the caller)."""
        key = str(node.key)
        return (
            f'{self._item(node, key, level, "node group", " parallel" if node.parallel else "")} aria-expanded="true">{self.group_row(node, child_count)}'
            f'<ul class="children{"" if child_count else " is-empty"}" role="group" data-key="{key}">'
        )

    def job(self, node: Node, level: int) -> str:
        """Return a job's ``<li>``: handle, type, title, assignee, due date, badges, comment marker."""
        key = str(node.key)
        job_type = self._escape(node.job_type)
        args = node.arguments if isinstance(node.arguments, dict) else {}
        meta = ""
        assignee = _principal(args.get("assigneeUser") or args.get("assignee"))
        if assignee:
            name = self.names.get(assignee)
            if name:
                title = f"Assignee ({self._escape(assignee)})"
                meta = f'<span class="meta assignee" title="{title}">{self._escape(name)}</span>'
            else:
                meta = f'<span class="meta assignee" title="Assignee">{self._escape(assignee)}</span>'
        due = args.get("dueDate")
        if isinstance(due, str) and due:
            meta += f'<span class="meta due" title="Due date">due {self._escape(due)}</span>'
        is_selected = node.key == self.selected  # _item, inlined: this runs for thousands of rows
        label = escape(node.label)  # the title attribute: the whole title where the row truncates it
        return (
            f'<li class="node job jt-{job_type}{" is-selected" if is_selected else ""}" id="node-{key}" '
            f'data-key="{key}" role="treeitem" aria-level="{level}" '
            f'aria-selected="{"true" if is_selected else "false"}" tabindex="-1">'
            f'<div class="row">{self.handle}<span class="type">{TYPE_LABELS.get(node.job_type) or job_type}</span>'
            f'<a class="label" href="?node={key}#node-{key}" tabindex="-1" title="{label}">{label}</a>'
            f"{meta}{self._extras(node.key, key)}</div></li>"
        )

    def rows(self, tree: Tree, *, root_level: int | None = None) -> SafeString:
        """Return the ``<li role="treeitem">`` markup of every node below ``tree``'s root, in order.

        With ``root_level``, ``tree`` is a subtree (:func:`designer.selectors.trees.subtree`) and
        its root is rendered too, at that ``aria-level``: the markup of one placed item.
        """
        offset = root_level or 0
        out: list[str] = []
        open_depths: list[int] = []
        for node, depth in tree.walk():
            if depth == 0 and root_level is None:
                continue
            while open_depths and open_depths[-1] >= depth:
                open_depths.pop()
                out.append(CLOSE_GROUP)
            if node.kind != GROUP:
                out.append(self.job(node, depth + offset))
                continue
            size = len(tree.children(node))
            out.append(self.group_open(node, depth + offset, size))
            if size:
                open_depths.append(depth)
            else:
                out.append(CLOSE_GROUP)
        out.extend(CLOSE_GROUP for _ in open_depths)
        return mark_safe("".join(out))  # noqa: S308 - every user value went through escape()


def render_rows(
    tree: Tree,
    problems: Iterable[Problem],
    *,
    selected: UUID | None,
    can_edit: bool,
    comments: dict[UUID | None, int] | None = None,
    comments_url: str = "",
    root_level: int | None = None,
    names: Mapping[str, str] | None = None,
) -> SafeString:
    """Return the rows of ``tree`` (see :meth:`RowRenderer.rows`); comment markers link to ``comments_url``."""
    renderer = RowRenderer(
        problems, selected=selected, can_edit=can_edit, comments=comments, comments_url=comments_url, names=names
    )
    return renderer.rows(tree, root_level=root_level)
