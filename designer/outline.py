"""The editor's outline: its rows, and the patch an edit answers with, for ``static/js/editor.js``.

A 3,000-job tree must render in a few tens of milliseconds, which a template loop of that many rows
does not: :func:`render_rows` builds the rows in one pass over ``tree.walk()``, every user-entered
value through ``escape()``. An accepted edit is answered with an :class:`OutlinePatch` instead of
the outline; editor.js applies it in place.

The contract with editor.js
===========================

This is the one description of the markup editor.js reads; ``tests/designer/test_outline.py``
checks that the attributes below are exactly the ``data-*`` attributes editor.js reads, and that
the records render them.

Rows (:func:`render_rows`)
    ``<li class="node group|job …" id="node-<key>" data-key="<key>" role="treeitem"
    aria-level aria-selected tabindex>``, its first child ``<div class="row">`` (``.handle`` when
    the user may edit, ``.toggle`` for a group, ``a.label``, ``.badges``, ``.comment-marker``). A
    group also has ``aria-expanded`` (editor.js keeps collapsed groups in localStorage), the class
    ``parallel`` when its items run at the same time, and ``<ul class="children [is-empty]"
    role="group" data-key="<key>">`` holding its items. The root has no row: its items sit in
    ``ul.tree[data-key="<root key>"]``.

Page (``designer/editor.html``)
    ``.editor[data-draft]``; ``#workspace[data-version][data-editable]``, swapped whole when a
    write is refused; ``#outline-form[data-node-base][data-status-url][data-focus]``;
    ``#selected-key`` (the selected node's key, sent with every write); problem links
    ``[data-problem-key]``; empty holders ``#outline-patch`` and ``#badge-sync`` that the answers
    below replace out of band.

Patch (:class:`OutlinePatch`, the answer to an accepted edit, swapped into ``#outline-patch``)
    ``data-version`` (the draft's new version), ``data-focus`` (the key to focus after a keyboard
    move), ``data-selected`` (the selected key, empty for none), ``data-badges="all"`` (ask the
    status for every row's badges) and ``data-removed`` (space-separated keys of deleted items);
    inside its ``<template>``: one ``div[data-parent][data-index]`` per :class:`PlacedItem` holding
    the item's ``<li>`` (insert it there, replacing its old markup), and one
    ``div[data-group][data-size][data-parallel]`` per :class:`GroupHeader` holding the group's new
    ``.row`` (empty for the root, whose size only decides the empty-outline hint ``#outline-empty``).

Badges (:class:`BadgeSync`, in the status answer when asked with ``?badges=1``, into ``#badge-sync``)
    ``data-version``; inside its ``<template>`` one ``div[data-for="<key>"]`` per node with
    problems, holding that row's ``.badges``. Rows not listed have none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from designer.selectors.comments import comment_counts
from designer.selectors.trees import child_counts, path_to, sibling_index, subtree
from processes_api import schema
from processes_api.lint import Problem, lint_node, lint_tree, process_due_date
from processes_api.payload import Payload, build_payload, content_hash

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from designer.models import Draft, Node
    from designer.selectors.trees import Tree

MAX_LISTED_PROBLEMS = 100
HANDLE = '<span class="handle" title="Drag to move" aria-hidden="true">⠿</span>'
TOGGLE = '<button type="button" class="toggle" tabindex="-1" aria-hidden="true" title="Collapse or expand"></button>'
TYPE_LABELS = {name: escape(jt.label) for name, jt in schema.JOB_TYPES.items()}
GROUP = "group"  # Node.Kind.GROUP, compared as a plain string in the row loop
CLOSE_GROUP = "</ul></li>"

# Every data-* attribute editor.js reads, by the element that carries it (see the module docstring).
CONTRACT = {
    "row": ("data-key",),
    "page": (
        "data-draft",
        "data-version",
        "data-editable",
        "data-node-base",
        "data-status-url",
        "data-focus",
        "data-problem-key",
    ),
    "patch": (
        "data-version",
        "data-focus",
        "data-selected",
        "data-badges",
        "data-removed",
        "data-parent",
        "data-index",
        "data-group",
        "data-size",
        "data-parallel",
    ),
    "badges": ("data-version", "data-for"),
}


# --- rows -------------------------------------------------------------------------------------------


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
    ) -> None:
        problems = list(problems)
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
        count = self.comments.get(node_key, 0)
        if not count:
            return out
        label = _plural(count, "open comment")
        if not self.comments_url:
            return out + f'<span class="comment-marker" title="{label}" aria-label="{label}">{count}</span>'
        return out + (
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
        mode = "all at the same time" if node.parallel else "one after another"
        return (
            f'<div class="row">{self.handle}{TOGGLE}'
            f'<a class="label" href="?node={key}#node-{key}" tabindex="-1">{escape(node.label)}</a>'
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
            meta = f'<span class="meta assignee" title="Assignee">{self._escape(assignee)}</span>'
        due = args.get("dueDate")
        if isinstance(due, str) and due:
            meta += f'<span class="meta due" title="Due date">due {self._escape(due)}</span>'
        is_selected = node.key == self.selected  # _item, inlined: this runs for thousands of rows
        return (
            f'<li class="node job jt-{job_type}{" is-selected" if is_selected else ""}" id="node-{key}" '
            f'data-key="{key}" role="treeitem" aria-level="{level}" '
            f'aria-selected="{"true" if is_selected else "false"}" tabindex="-1">'
            f'<div class="row">{self.handle}<span class="type">{TYPE_LABELS.get(node.job_type) or job_type}</span>'
            f'<a class="label" href="?node={key}#node-{key}" tabindex="-1">{escape(node.label)}</a>'
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
) -> SafeString:
    """Return the rows of ``tree`` (see :meth:`RowRenderer.rows`); comment markers link to ``comments_url``."""
    renderer = RowRenderer(problems, selected=selected, can_edit=can_edit, comments=comments, comments_url=comments_url)
    return renderer.rows(tree, root_level=root_level)


class Markup:
    """A record that renders itself: ``{{ record }}`` in a template puts its markup, unescaped."""

    __slots__ = ()

    def __html__(self) -> SafeString:
        raise NotImplementedError

    def __str__(self) -> SafeString:
        return self.__html__()


# --- the whole outline ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeBadges(Markup):
    """One row's problem badges, as :class:`BadgeSync` carries them."""

    key: UUID
    html: SafeString

    def __html__(self) -> SafeString:
        return format_html('<div data-for="{}">{}</div>', self.key, self.html)


@dataclass(frozen=True, slots=True)
class BadgeSync(Markup):
    """Every row's problem badges after an edit that can change any of them (a new process due date)."""

    version: int
    badges: tuple[NodeBadges, ...]

    def __html__(self) -> SafeString:
        return format_html(
            '<div id="badge-sync" hidden hx-swap-oob="true" data-version="{}"><template>{}</template></div>',
            self.version,
            format_html_join("", "{}", ((b,) for b in self.badges)),
        )


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

    def badge_sync(self, version: int) -> BadgeSync:
        """Return the badges of every node with problems, as the rows show them."""
        errors = Counter(p.node_key for p in self.problems if p.is_error and p.node_key)
        warnings = Counter(p.node_key for p in self.problems if not p.is_error and p.node_key)
        badges = tuple(
            NodeBadges(key, mark_safe(badges_html(errors.get(key, 0), warnings.get(key, 0))))  # noqa: S308 - numbers
            for key in dict.fromkeys([*errors, *warnings])
        )
        return BadgeSync(version=version, badges=badges)

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


# --- the patch ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlacedItem(Markup):
    """A moved, added, restored or edited item: its ``<li>`` (with its subtree) and where it now sits."""

    parent: UUID
    index: int
    html: SafeString

    def __html__(self) -> SafeString:
        return format_html('<div data-parent="{}" data-index="{}">{}</div>', self.parent, self.index, self.html)


@dataclass(frozen=True, slots=True)
class GroupHeader(Markup):
    """A group whose size, badges, name or mode may have changed: its new ``.row`` ("" for the root)."""

    key: UUID
    size: int
    parallel: bool
    row: SafeString

    def __html__(self) -> SafeString:
        return format_html(
            '<div data-group="{}" data-size="{}" data-parallel="{}">{}</div>',
            self.key,
            self.size,
            "true" if self.parallel else "false",
            self.row,
        )


@dataclass(frozen=True, slots=True)
class OutlinePatch(Markup):
    """What an accepted edit changed in the outline, built from the changed nodes only."""

    version: int
    selected: UUID | None = None
    focus: UUID | None = None
    placed: tuple[PlacedItem, ...] = ()
    groups: tuple[GroupHeader, ...] = ()
    removed: tuple[UUID, ...] = ()
    all_badges: bool = False

    def __html__(self) -> SafeString:
        return format_html(
            '<div id="outline-patch" hidden hx-swap-oob="true" data-version="{}" data-focus="{}" '
            'data-selected="{}"{} data-removed="{}"><template>{}{}</template></div>',
            self.version,
            self.focus or "",
            self.selected or "",
            mark_safe(' data-badges="all"') if self.all_badges else "",
            " ".join(str(key) for key in self.removed),
            format_html_join("", "{}", ((item,) for item in self.placed)),
            format_html_join("", "{}", ((group,) for group in self.groups)),
        )


def outline_patch(
    draft: Draft,
    *,
    place: Sequence[Node] = (),
    groups: Sequence[Node] = (),
    removed: Sequence[UUID] = (),
    selected: UUID | None,
    focus: UUID | None = None,
    all_badges: bool = False,
    can_edit: bool,
    comments_url: str = "",
) -> OutlinePatch:
    """Return the :class:`OutlinePatch` showing ``place`` (each with its subtree) and ``groups``' rows.

    Badges come from :func:`lint_node`, which finds on each node exactly what the whole-draft lint
    finds on it; the problems list and counts are refreshed separately (``draft-status``).
    """
    process_due = process_due_date(draft)
    comments = comment_counts(draft)

    def renderer(problems: Iterable[Problem]) -> RowRenderer:
        return RowRenderer(problems, selected=selected, can_edit=can_edit, comments=comments, comments_url=comments_url)

    placed = []
    for node in place:
        tree = subtree(node=node)
        problems = [
            problem
            for member in tree.by_id.values()
            for problem in lint_node(member, child_count=len(tree.children(member)), process_due=process_due)
        ]
        path = path_to(node)
        html = renderer(problems).rows(tree, root_level=len(path))
        placed.append(PlacedItem(parent=path[-1].key, index=sibling_index(node), html=html))
    sizes = child_counts(groups)
    headers = []
    for group in groups:
        size = sizes.get(group.pk, 0)
        if group.is_root:  # the root has no row: only whether the outline is empty changes
            headers.append(GroupHeader(key=group.key, size=size, parallel=False, row=mark_safe("")))
            continue
        row = renderer(lint_node(group, child_count=size, process_due=process_due)).group_row(group, size)
        headers.append(GroupHeader(key=group.key, size=size, parallel=bool(group.parallel), row=mark_safe(row)))  # noqa: S308
    return OutlinePatch(
        version=draft.version,
        selected=selected,
        focus=focus,
        placed=tuple(placed),
        groups=tuple(headers),
        removed=tuple(removed),
        all_badges=all_badges,
    )
