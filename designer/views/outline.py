"""The editor's view of a tree: rows in document order, with problems, for one template loop."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from processes_api import schema
from processes_api.lint import Problem, lint_tree
from processes_api.payload import Payload, build_payload

if TYPE_CHECKING:
    from designer.models import Node
    from designer.selectors import Tree

OPEN, CLOSE, JOB = "open", "close", "job"
MAX_LISTED_PROBLEMS = 300


@dataclass(slots=True)
class Row:
    """One event of the outline: a group opening or closing, or a job."""

    kind: str
    node: Node
    depth: int
    errors: int = 0
    warnings: int = 0
    child_count: int = 0
    type_label: str = ""
    assignee: str = ""
    due: str = ""


@dataclass
class Outline:
    tree: Tree
    payload: Payload
    problems: list[Problem]
    rows: list[Row] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warning_count(self) -> int:
        return len(self.problems) - self.error_count

    @property
    def listed_problems(self) -> list[Problem]:
        return self.problems[:MAX_LISTED_PROBLEMS]

    @property
    def unlisted_problems(self) -> int:
        return max(0, len(self.problems) - MAX_LISTED_PROBLEMS)

    @property
    def root_errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error and p.node_key in (None, self.tree.root.key))

    @property
    def is_empty(self) -> bool:
        return not self.tree.children(self.tree.root)

    @property
    def problem_items(self) -> list[tuple[Problem, str]]:
        """Return the listed problems with the label of the node each one is about."""
        by_key = self.tree.by_key
        items = []
        for problem in self.listed_problems:
            node = by_key.get(problem.node_key) if problem.node_key else None
            items.append((problem, node.label if node else "Process settings"))
        return items


def _principal(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return value if isinstance(value, str) else ""


def build_outline(tree: Tree) -> Outline:
    """Return the outline rows of ``tree`` with lint problems, building the payload once."""
    payload = build_payload(tree)
    problems = lint_tree(tree, payload)
    errors = Counter(p.node_key for p in problems if p.is_error)
    warnings = Counter(p.node_key for p in problems if not p.is_error)
    rows: list[Row] = []
    open_groups: list[tuple[Node, int]] = []
    for node, depth in tree.walk():
        if depth == 0:
            continue
        while open_groups and open_groups[-1][1] >= depth:
            group, group_depth = open_groups.pop()
            rows.append(Row(CLOSE, group, group_depth))
        row = Row(OPEN if node.is_group else JOB, node, depth, errors[node.key], warnings[node.key])
        if node.is_group:
            row.child_count = len(tree.children(node))
            open_groups.append((node, depth))
        else:
            jt = schema.job_type(node.job_type)
            row.type_label = jt.label if jt else node.job_type
            args = node.arguments if isinstance(node.arguments, dict) else {}
            row.assignee = _principal(args.get("assigneeUser") or args.get("assignee"))
            due = args.get("dueDate")
            row.due = due if isinstance(due, str) else ""
        rows.append(row)
    while open_groups:
        group, group_depth = open_groups.pop()
        rows.append(Row(CLOSE, group, group_depth))
    return Outline(tree=tree, payload=payload, problems=problems, rows=rows)
