"""The editor's outline: the tree rendered as nested ARIA tree markup, with lint problems.

A 3,000-job tree must render in a few tens of milliseconds, which a template loop of that many
rows does not. So the rows are built here in one pass over ``tree.walk()``, every user-entered
value passed through ``escape()``; the page template places the result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe

from designer.selectors.comments import comment_counts
from designer.selectors.trees import child_counts, path_to, sibling_index, subtree
from processes_api import schema
from processes_api.lint import Problem, lint_node, lint_tree, process_due_date
from processes_api.payload import Payload, build_payload, content_hash

if TYPE_CHECKING:
    from collections.abc import Sequence

    from designer.models import Draft, Node
    from designer.selectors.trees import Tree

MAX_LISTED_PROBLEMS = 100
HANDLE = '<span class="handle" title="Drag to move" aria-hidden="true">⠿</span>'
TYPE_LABELS = {name: escape(jt.label) for name, jt in schema.JOB_TYPES.items()}
GROUP = "group"  # Node.Kind.GROUP, compared as a plain string in the row loop


@dataclass
class Outline:
    tree: Tree
    payload: Payload
    problems: list[Problem]
    comments: dict[UUID | None, int] = field(default_factory=dict)

    @cached_property
    def content_hash(self) -> str:
        paths = {str(key): path for path, key in self.payload.paths.key_by_path.items()}
        return content_hash(self.payload.data, paths)

    @property
    def lazy_content_hash(self) -> str:
        """:attr:`content_hash`, computed only when the string is first used (compared, rendered)."""
        return lazy(lambda: self.content_hash, str)()

    @cached_property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @cached_property
    def warning_count(self) -> int:
        return len(self.problems) - self.error_count

    @property
    def unlisted_problems(self) -> int:
        return max(0, len(self.problems) - MAX_LISTED_PROBLEMS)

    @property
    def is_empty(self) -> bool:
        return not self.tree.children(self.tree.root)

    @property
    def problem_items(self) -> list[tuple[Problem, str]]:
        """Return the listed problems with the label of the node each one is about."""
        by_key = self.tree.by_key
        items = []
        for problem in self.problems[:MAX_LISTED_PROBLEMS]:
            node = by_key.get(problem.node_key) if problem.node_key else None
            items.append((problem, node.label if node else "Process"))
        return items

    def badges(self) -> list[tuple[UUID, SafeString]]:
        """Return ``(node key, badges markup)`` for every node with problems, as the rows show them."""
        errors = Counter(p.node_key for p in self.problems if p.is_error and p.node_key)
        warnings = Counter(p.node_key for p in self.problems if not p.is_error and p.node_key)
        return [
            (key, mark_safe(_badges(errors.get(key, 0), warnings.get(key, 0))))  # noqa: S308 - numbers only
            for key in dict.fromkeys([*errors, *warnings])
        ]

    def rows_html(self, *, selected: UUID | None, can_edit: bool, comments_url: str = "") -> SafeString:
        return render_rows(
            self.tree,
            self.problems,
            selected=selected,
            can_edit=can_edit,
            comments=self.comments,
            comments_url=comments_url,
        )


def build_outline(tree: Tree, *, comments: dict[UUID | None, int] | None = None) -> Outline:
    """Return ``tree`` with its lint problems (building the payload once for both) and comment counts."""
    payload = build_payload(tree)
    return Outline(tree=tree, payload=payload, problems=lint_tree(tree, payload), comments=comments or {})


def _principal(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return value if isinstance(value, str) else ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _badges(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return ""
    out = '<span class="badges">'
    if errors:
        out += f'<span class="badge badge-error" title="{_plural(errors, "error")}">{errors}</span>'
    if warnings:
        out += f'<span class="badge badge-warning" title="{_plural(warnings, "warning")}">{warnings}</span>'
    return out + "</span>"


def _comment_marker(count: int, key: str, comments_url: str) -> str:
    """Return the node's open-comment marker: a link to its comments on the review page when possible."""
    if not count:
        return ""
    label = _plural(count, "open comment")
    if not comments_url:
        return f'<span class="comment-marker" title="{label}" aria-label="{label}">{count}</span>'
    href = f"{escape(comments_url)}?node={key}#comments"
    return (
        f'<a class="comment-marker" href="{href}" tabindex="-1" title="{label}: read them" '
        f'aria-label="{label}">{count}</a>'
    )


def group_row(node: Node, *, child_count: int, badges: str, handle: str, label_link: str) -> str:
    """Return a group's ``<div class="row">``: its handle, toggle, name, mode, size and badges."""
    mode = "all at the same time" if node.parallel else "one after another"
    return (
        f'<div class="row">{handle}'
        '<button type="button" class="toggle" tabindex="-1" aria-hidden="true" title="Collapse or expand"></button>'
        f'{label_link}<span class="mode">{mode}</span>'
        f'<span class="meta">{_plural(child_count, "item")}</span>{badges}</div>'
    )


def _label_link(key: str, label: str) -> str:
    return f'<a class="label" href="?node={key}#node-{key}" tabindex="-1">{escape(label)}</a>'


def render_rows(
    tree: Tree,
    problems: list[Problem],
    *,
    selected: UUID | None,
    can_edit: bool,
    comments: dict[UUID | None, int] | None = None,
    comments_url: str = "",
    root_level: int | None = None,
) -> SafeString:
    """Return the ``<li role="treeitem">`` markup of every node below the root, in document order.

    With ``root_level``, ``tree`` is a subtree (:func:`designer.selectors.subtree`) and its root is
    rendered too, at that ``aria-level``: the markup that replaces one moved or edited item.
    A node's comment marker links to ``comments_url?node=<key>`` (the review page) when given.
    """
    errors = Counter(p.node_key for p in problems if p.is_error)
    warnings = Counter(p.node_key for p in problems if not p.is_error)
    comments = comments or {}
    handle = HANDLE if can_edit else ""
    offset = root_level or 0
    out: list[str] = []
    append = out.append
    open_depths: list[int] = []
    close = "</ul></li>"
    # Job types, assignees and due dates repeat across thousands of rows: escape each value once.
    escaped: dict[str, str] = {}
    for node, depth in tree.walk():
        if depth == 0 and root_level is None:
            continue
        while open_depths and open_depths[-1] >= depth:
            open_depths.pop()
            append(close)
        node_key = node.key
        is_selected = node_key == selected
        key = str(node_key)
        common = (
            f'id="node-{key}" data-key="{key}" role="treeitem" aria-level="{depth + offset}" '
            f'aria-selected="{"true" if is_selected else "false"}" tabindex="-1"'
        )
        badges = _badges(errors.get(node_key, 0), warnings.get(node_key, 0)) + _comment_marker(
            comments.get(node_key, 0), key, comments_url
        )
        link = _label_link(key, node.label)
        classes = " is-selected" if is_selected else ""
        if node.kind == GROUP:
            children = tree.children(node)
            classes += " parallel" if node.parallel else ""
            row = group_row(node, child_count=len(children), badges=badges, handle=handle, label_link=link)
            append(
                f'<li class="node group{classes}" {common} aria-expanded="true">{row}'
                f'<ul class="children{"" if children else " is-empty"}" role="group" data-key="{key}">'
            )
            if children:
                open_depths.append(depth)
            else:
                append(close)
            continue
        args = node.arguments if isinstance(node.arguments, dict) else {}
        job_type = node.job_type
        job_type_html = escaped.get(job_type)
        if job_type_html is None:
            job_type_html = escaped[job_type] = escape(job_type)
        type_label = TYPE_LABELS.get(job_type) or job_type_html
        assignee = _principal(args.get("assigneeUser") or args.get("assignee"))
        due = args.get("dueDate")
        meta = ""
        if assignee:
            assignee_html = escaped.get(assignee)
            if assignee_html is None:
                assignee_html = escaped[assignee] = escape(assignee)
            meta = f'<span class="meta assignee" title="Assignee">{assignee_html}</span>'
        if isinstance(due, str) and due:
            due_html = escaped.get(due)
            if due_html is None:
                due_html = escaped[due] = escape(due)
            meta += f'<span class="meta due" title="Due date">due {due_html}</span>'
        append(
            f'<li class="node job jt-{job_type_html}{classes}" {common}>'
            f'<div class="row">{handle}<span class="type">{type_label}</span>{link}{meta}{badges}</div></li>'
        )
    out.extend(close for _ in open_depths)
    return mark_safe("".join(out))  # noqa: S308 - every user value above went through escape()


@dataclass
class Patch:
    """What an edit changed in the outline, for the editor to apply in place (see ``editor.js``).

    ``placed``: the markup of each moved or new item with where it now sits (parent key, index);
    ``groups``: each group whose size, badges, name or mode may have changed, with its size,
    whether it runs in parallel and its header row (none for the root); ``removed``:
    keys of items that are gone. Built from the changed nodes only, never from the whole tree.
    """

    placed: list[tuple[SafeString, UUID, int]] = field(default_factory=list)
    groups: list[tuple[UUID, int, bool, SafeString]] = field(default_factory=list)
    removed: list[UUID] = field(default_factory=list)


def outline_patch(
    draft: Draft,
    *,
    place: Sequence[Node] = (),
    groups: Sequence[Node] = (),
    removed: Sequence[UUID] = (),
    selected: UUID | None,
    can_edit: bool,
    comments_url: str = "",
) -> Patch:
    """Return the :class:`Patch` showing ``place`` (each with its subtree) and ``groups``' rows.

    Badges come from :func:`lint_node`, which finds on each node exactly what the whole-draft lint
    finds on it; the problems list and counts are refreshed separately (``draft-status``).
    """
    process_due = process_due_date(draft)
    comments = comment_counts(draft)
    handle = HANDLE if can_edit else ""
    patch = Patch(removed=list(removed))
    for node in place:
        tree = subtree(node=node)
        problems = [
            problem
            for member in tree.by_id.values()
            for problem in lint_node(member, child_count=len(tree.children(member)), process_due=process_due)
        ]
        path = path_to(node)
        html = render_rows(
            tree,
            problems,
            selected=selected,
            can_edit=can_edit,
            comments=comments,
            comments_url=comments_url,
            root_level=len(path),
        )
        patch.placed.append((html, path[-1].key, sibling_index(node)))
    sizes = child_counts(groups)
    for group in groups:
        size = sizes.get(group.pk, 0)
        if group.is_root:  # the root has no row: only whether the outline is empty changes
            patch.groups.append((group.key, size, False, mark_safe("")))
            continue
        own = lint_node(group, child_count=size, process_due=process_due)
        errors = sum(1 for p in own if p.is_error)
        key = str(group.key)
        badges = _badges(errors, len(own) - errors) + _comment_marker(comments.get(group.key, 0), key, comments_url)
        row = group_row(group, child_count=size, badges=badges, handle=handle, label_link=_label_link(key, group.label))
        patch.groups.append((group.key, size, bool(group.parallel), mark_safe(row)))  # noqa: S308 - built from escaped values
    return patch
