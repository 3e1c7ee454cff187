"""Which column of a checklist holds what: the roles, the header row, and the proposed mapping.

The proposal reads English header names (case, punctuation and a trailing "(…)" ignored): Task,
Title or Description → title; Owner, Assignee or Preparer → assignee; Reviewer or Approver →
approver; Due, Due date or Deadline → due date; Phase, Section, Group or Category → groups (a
second grouping column nests inside the first, e.g. Phase › Entity); Type → job type; Instructions
or Notes → instructions; Document or File → document; Section → the document's section when a
Document column exists (else Section groups); Parallel → how a group runs. The person importing
checks it in the preview and may change any column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checklists.sheets import Row, Sheet

MAX_GROUP_LEVELS = 20
HEADER_SCAN_ROWS = 30

# role → (label, header names in priority order). Groups are handled apart (several levels).
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("Title", ("task", "title", "task name", "task title", "name", "step", "activity", "description")),
    "assignee": (
        "Assignee (owner)",
        ("owner", "assignee", "preparer", "prepared by", "assigned to", "responsible", "owner email", "owner e mail"),
    ),
    "approver": ("Approver (reviewer)", ("reviewer", "approver", "reviewed by", "approved by", "review")),
    "due": ("Due date", ("due", "due date", "deadline", "due day", "date due", "target date", "due on")),
    "approver_due": (
        "Approver due date",
        ("reviewer due date", "reviewer due", "approver due date", "approver due", "review due date", "review due"),
    ),
    "type": ("Job type", ("type", "job type", "task type", "kind")),
    "instructions": ("Instructions", ("instructions", "notes", "note", "comments", "details", "description")),
    "document": ("Document", ("document", "file", "doc", "document id", "file id", "letter")),
    "section": ("Document section", ("section", "section id", "document section")),
    "parallel": ("Parallel", ("parallel", "runs in parallel", "in parallel", "mode")),
}
GROUP_NAMES = (
    "phase",
    "section",
    "group",
    "category",
    "stage",
    "workstream",
    "entity",
    "subgroup",
    "sub phase",
    "level",
)
ROLE_ORDER = (
    "title",
    "assignee",
    "approver",
    "approver_due",
    "due",
    "type",
    "instructions",
    "document",
    "section",
    "parallel",
)


def normalize(header: object) -> str:
    """Return a header as compared: lower case, "(…)" dropped, punctuation as spaces, spaces collapsed."""
    text = re.sub(r"\(.*?\)", " ", str(header or "").lower())
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _group_name(name: str) -> bool:
    base = re.sub(r"\s*\d+$", "", name)
    return base in GROUP_NAMES or name in GROUP_NAMES


@dataclass
class Mapping:
    """Column indexes by role, and the grouping columns from the outermost level in."""

    columns: dict[str, int] = field(default_factory=dict)
    groups: list[int] = field(default_factory=list)
    # Owner/reviewer roles whose header says the column holds Workiva user ids ("Owner (user id)", as
    # the export writes): taken as they are, neither looked up nor flagged. See :func:`id_roles`.
    ids: set[str] = field(default_factory=set)

    def role_of(self, column: int) -> str:
        """Return the role of ``column`` as the preview's select names it ("group2", "title", "" …)."""
        if column in self.groups:
            return f"group{self.groups.index(column) + 1}"
        for role, index in self.columns.items():
            if index == column:
                return role
        return ""

    @classmethod
    def from_roles(cls, roles: dict[int, str]) -> Mapping:
        """Build a mapping from ``{column: role}`` as the preview's form sends it; later duplicates lose."""
        mapping = cls()
        levels: dict[int, int] = {}
        for column in sorted(roles):
            role = roles[column]
            if role.startswith("group") and role[5:].isdigit():
                levels.setdefault(int(role[5:]), column)
            elif role in ROLES and role not in mapping.columns:
                mapping.columns[role] = column
        mapping.groups = [levels[level] for level in sorted(levels)]
        return mapping


_ID_HEADER = re.compile(r"\b(user ?)?id\b", re.IGNORECASE)


def id_roles(mapping: Mapping, header: Row | None) -> set[str]:
    """Return the person roles of ``mapping`` whose column header says it holds user ids."""
    if header is None:
        return set()
    return {
        role
        for role in ("assignee", "approver")
        if role in mapping.columns and _ID_HEADER.search(str(header.value(mapping.columns[role]) or ""))
    }


def role_choices(levels: int) -> list[tuple[str, str]]:
    """Return the preview's choices for a column: nothing, each role, and ``levels`` group levels."""
    groups = [(f"group{n}", "Group" if n == 1 else f"Group, level {n}") for n in range(1, levels + 1)]
    return [("", "— not imported —"), *((role, ROLES[role][0]) for role in ROLE_ORDER), *groups]


def find_header(sheet: Sheet) -> int | None:
    """Return the index (in ``sheet.rows``) of the header row: the first best-matching of the first rows."""
    best, best_score = None, 0
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        names = [normalize(c) for c in row.cells if isinstance(c, str)]
        score = sum(1 for n in names if n and (_known(n) is not None))
        has_title = any(n in ROLES["title"][1] or _starts(n, ROLES["title"][1]) for n in names)
        score += 10 if has_title else 0
        if score > best_score:
            best, best_score = index, score
    return best


def _starts(name: str, options: tuple[str, ...]) -> bool:
    return any(name.startswith(option + " ") for option in options)


def _known(name: str) -> str | None:
    for role, (_, names) in ROLES.items():
        if name in names or _starts(name, names):
            return role
    return "group" if _group_name(name) else None


def propose(header: Row) -> Mapping:
    """Return the mapping the header names suggest."""
    names = {i: normalize(c) for i, c in enumerate(header.cells) if c is not None and normalize(c)}
    mapping = Mapping()
    taken: set[int] = set()
    has_document = any(n in ROLES["document"][1] or _starts(n, ROLES["document"][1]) for n in names.values())
    for exact in (True, False):
        for role in ROLE_ORDER:
            if role in mapping.columns or (role == "section" and not has_document):
                continue
            for option in ROLES[role][1]:
                column = next(
                    (
                        i
                        for i, n in names.items()
                        if i not in taken and (n == option if exact else n.startswith(option + " "))
                    ),
                    None,
                )
                if column is not None:
                    mapping.columns[role] = column
                    taken.add(column)
                    break
    mapping.groups = [i for i, n in sorted(names.items()) if i not in taken and _group_name(n)][:MAX_GROUP_LEVELS]
    return mapping


def header_labels(header: Row | None, width: int) -> list[str]:
    """Return a label for each column: its header text, else its letter."""
    labels = []
    for index in range(width):
        value = header.value(index) if header is not None else None
        text = str(value).strip() if value is not None else ""
        labels.append(text or f"Column {_letter(index)}")
    return labels


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
