"""The outline of a whole draft (rows, problems, content hash) and the patch of an edit (changed nodes only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING
from uuid import UUID

from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe

from designer.outline.records import BadgeSync, GroupHeader, NodeBadges, OutlinePatch, PlacedItem
from designer.outline.rows import RowRenderer, badges_html, render_rows
from designer.picks import assignee_names
from designer.selectors.comments import comment_counts
from designer.selectors.trees import child_counts, path_to, sibling_index, subtree
from processes_api.lint import Problem, lint_node, lint_tree, process_due_date
from processes_api.payload import Payload, build_payload

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from designer.models import Draft, Node
    from designer.selectors.trees import Tree

MAX_LISTED_PROBLEMS = 100


@dataclass
class Outline:
    """A draft's whole outline: its tree, payload, lint problems and open comment counts."""

    tree: Tree
    payload: Payload
    problems: list[Problem]
    comments: dict[UUID | None, int] = field(default_factory=dict)
    reported_count: int = 0  # how many of ``problems``, at the end, come from elsewhere (not lint)

    @property
    def lint_problems(self) -> list[Problem]:
        """The problems lint found: what must be fixed before publishing."""
        return self.problems[: len(self.problems) - self.reported_count]

    @cached_property
    def content_hash(self) -> str:
        return self.payload.content_hash()

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
            names=assignee_names(node for node, _ in self.tree.walk()),
        )


def build_outline(
    tree: Tree, *, comments: dict[UUID | None, int] | None = None, reported: Sequence[Problem] = ()
) -> Outline:
    """Return ``tree`` with its lint problems (building the payload once for both) and comment counts.

    ``reported`` are problems from elsewhere (what Workiva answered, through ``designer.panels``);
    they follow lint's and show on their nodes like them.
    """
    payload = build_payload(tree)
    problems = [*lint_tree(tree, payload), *reported]
    return Outline(tree=tree, payload=payload, problems=problems, comments=comments or {}, reported_count=len(reported))


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

    def renderer(problems: Iterable[Problem], names: dict[str, str] | None = None) -> RowRenderer:
        return RowRenderer(
            problems, selected=selected, can_edit=can_edit, comments=comments, comments_url=comments_url, names=names
        )

    placed = []
    for node in place:
        tree = subtree(node=node)
        problems = [
            problem
            for member in tree.by_id.values()
            for problem in lint_node(member, child_count=len(tree.children(member)), process_due=process_due)
        ]
        path = path_to(node)
        html = renderer(problems, assignee_names(tree.by_id.values())).rows(tree, root_level=len(path))
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
