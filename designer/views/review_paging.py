"""Long reviews in pages: the tree diff and the comment form's node picker of a large draft.

A first review of a 3,000-job draft lists every node as added: ~1 MB of HTML, most of it below
the fold. :func:`diff_page` cuts the diff into pages of :data:`PER_PAGE` changes (added, then
removed, moved, changed; the process settings always on the first page), linked with plain
``?changes=N`` links, so the page works the same without JavaScript. The section headings keep
the whole diff's counts.

The node picker lists every node of a draft up to :data:`PICKER_ALL`; above that it lists the
groups and the nodes on the shown page of changes (an item elsewhere is commented on from its
comment marker in the editor, or from ``?node=<key>``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from designer.diff import TreeDiff

if TYPE_CHECKING:
    from django.http import QueryDict

    from designer.selectors.trees import Tree

PER_PAGE = 200
PICKER_ALL = 300
SECTIONS = ("added", "removed", "moved", "changed")


@dataclass(frozen=True)
class DiffPage:
    """One page of a diff: ``diff`` holds only this page's changes; ``totals`` the whole diff's counts."""

    diff: TreeDiff
    totals: dict[str, int]
    number: int
    pages: int
    first: int  # 1-based index of the first change shown (0 when there are none)
    last: int
    total: int
    previous_url: str
    next_url: str

    @property
    def is_paged(self) -> bool:
        return self.pages > 1


def page_number(value: str | None) -> int:
    """Return the page asked for (1 for anything that is not a whole number ≥ 1)."""
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def diff_page(diff: TreeDiff, query: QueryDict, *, per_page: int | None = None, anchor: str = "#changes") -> DiffPage:
    """Return the page ``query["changes"]`` of ``diff`` (clamped to the last page)."""
    per_page = per_page or PER_PAGE
    totals = {name: len(getattr(diff, name)) for name in SECTIONS}
    total = sum(totals.values())
    pages = max(1, -(-total // per_page))
    number = min(page_number(query.get("changes")), pages)
    start, stop = (number - 1) * per_page, number * per_page
    sliced: dict[str, list] = {}
    offset = 0
    for name in SECTIONS:
        changes = getattr(diff, name)
        sliced[name] = changes[max(0, start - offset) : max(0, stop - offset)]
        offset += len(changes)
    shown = replace(diff, **sliced, process=diff.process if number == 1 else [])

    def url(n: int) -> str:
        params = query.copy()
        params["changes"] = str(n)
        return f"?{params.urlencode()}{anchor}"

    return DiffPage(
        diff=shown,
        totals=totals,
        number=number,
        pages=pages,
        first=start + 1 if total else 0,
        last=min(stop, total),
        total=total,
        previous_url=url(number - 1) if number > 1 else "",
        next_url=url(number + 1) if number < pages else "",
    )


def node_options(tree: Tree, shown: TreeDiff, *, limit: int | None = None) -> tuple[list[tuple[str, str, int]], bool]:
    """Return the node picker's ``(key, label, depth)`` options in tree order, and whether it is cut.

    Up to ``limit`` nodes, all of them; above, the groups and the nodes on the shown page of changes.
    """
    walked = list(tree.walk())
    if len(walked) <= (limit or PICKER_ALL):
        return [(str(node.key), node.label, depth) for node, depth in walked], False
    on_page = {c.key for name in SECTIONS for c in getattr(shown, name)}
    options = []
    for node, depth in walked:
        key = str(node.key)
        if node.is_group or key in on_page:
            options.append((key, node.label, depth))
    return options, True
