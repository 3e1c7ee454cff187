"""A draft as a checklist workbook (.xlsx) that imports back to an equal draft.

Sheet "Checklist": one row per group (its path and how it runs, no title: the import reads such a
row as the group's header) and one row per job (its group path, type, title, owner, reviewer, due
dates, instructions, document, section), in the tree's order, with the headers the import proposes
by itself. Sheet "Process": the process settings as Setting / Value rows, read back on import.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe, so opening the file never runs anything; the
import drops that apostrophe again. Fields the registry does not know (kept from a payload file) are
not in the workbook: the payload JSON is the lossless copy.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from checklists.plan import role_for
from checklists.safety import safe_text
from designer.models import Draft
from designer.selectors.trees import draft_tree
from processes_api import schema
from processes_api.lint import parse_date
from processes_api.payload import build_payload

JOB_HEADERS: tuple[tuple[str, str], ...] = (
    ("title", "Task"),
    ("assignee", "Owner (user id)"),
    ("approver", "Reviewer (user id)"),
    ("due", "Due date"),
    ("approver_due", "Reviewer due date"),
    ("instructions", "Instructions"),
    ("document", "Document"),
    ("section", "Section"),
)
CHECKLIST_SHEET = "Checklist"
PROCESS_SHEET = "Process"
TOP_LEVEL_LABEL = "Top level runs in parallel"
TOP_NAME_LABEL = "Top-level group"
HOLIDAY_LABEL = "Holiday calendar"


def checklist_rows(draft: Draft) -> tuple[list[str], list[list[Any]], list[tuple[str, Any]]]:
    """Return the Checklist sheet's headers and rows, and the Process sheet's settings, of ``draft``."""
    tree = draft_tree(draft=draft)
    payload = build_payload(tree).data
    # Each job's date rules, in document order (the payload's jobs are in the same order).
    rules = iter([node.date_rules or {} for node, _ in tree.walk() if not node.is_group])
    rows: list[tuple[list[str], str | None, dict[str, Any] | None]] = []  # (path, parallel, job)
    stack: list[tuple[Iterator[dict[str, Any]], list[str]]] = [(iter(payload["root"].get("children", [])), [])]
    while stack:  # document order, without recursion (a tree may be 100 groups deep)
        children, path = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif child.get("type") == "group":
            body = child["group"]
            group_path = [*path, str(body.get("name") or "Group")]
            rows.append((group_path, "Yes" if body.get("parallel") else "No", None))
            stack.append((iter(body.get("children", [])), group_path))
        else:
            rows.append((path, None, child["job"]))
    depth = max((len(path) for path, _, _ in rows), default=0)
    headers = [*(f"Group {n}" for n in range(1, depth + 1)), "Parallel", "Type", *(h for _, h in JOB_HEADERS)]
    table = [_row(path, parallel, job, depth, next(rules) if job is not None else {}) for path, parallel, job in rows]
    return headers, table, _settings(draft, payload["root"])


def offset_text(rule: dict[str, Any]) -> str:
    """Return a date rule as the checklist writes it: ``{"days": -3}`` → ``WD-3``."""
    days = int(rule["days"])
    return f"WD{'-' if days < 0 else '+'}{abs(days)}"


def _row(
    path: list[str], parallel: str | None, job: dict[str, Any] | None, depth: int, rules: dict[str, Any]
) -> list[Any]:
    cells: list[Any] = [*path, *([None] * (depth - len(path))), parallel]
    values: dict[str, Any] = {}
    job_label = None
    if job is not None:
        arguments = job.get("arguments") or {}
        jt = schema.job_type(str(arguments.get("type")))
        if jt is not None:
            job_label = jt.label
            for name, value in (arguments.get(jt.args_key) or {}).items():
                role = role_for(name, jt)
                if role is None:
                    continue
                if isinstance(value, dict):  # a principal: {"id": …, "type": "user"}
                    value = value.get("id")
                field = jt.field_map.get(name)
                if field is not None and field.kind == "date" and name in rules:
                    value = offset_text(rules[name])  # a relative date stays relative
                elif field is not None and field.kind == "date" and isinstance(value, str) and parse_date(value):
                    value = parse_date(value)
                values[role] = value
    cells.append(job_label)
    cells.extend(values.get(role) for role, _ in JOB_HEADERS)
    return cells


def _settings(draft: Draft, root: dict[str, Any]) -> list[tuple[str, Any]]:
    settings: list[tuple[str, Any]] = []
    for f in schema.PROCESS_FIELDS:
        value = schema.field_value(draft, f, "process")
        if f.kind == "weekdays" and isinstance(value, list):
            value = ", ".join(str(day).title() for day in value)
        elif f.kind == "bool" and value is not None:
            value = "Yes" if value else "No"
        elif f.kind == "date" and isinstance(value, str) and parse_date(value):
            value = parse_date(value)
        settings.append((f.label, value))
    settings.append((HOLIDAY_LABEL, draft.holiday_calendar or None))
    settings.append((TOP_NAME_LABEL, root.get("name")))
    settings.append((TOP_LEVEL_LABEL, "Yes" if root.get("parallel") else "No"))
    return settings


def checklist_workbook(draft: Draft) -> bytes:
    """Return ``draft`` as an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    headers, table, settings = checklist_rows(draft)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = CHECKLIST_SHEET
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in table:
        sheet.append([_cell(value) for value in row])
    _date_format(sheet)
    process = book.create_sheet(PROCESS_SHEET)
    process.append(["Setting", "Value"])
    for cell in process[1]:
        cell.font = Font(bold=True)
    for label, value in settings:
        process.append([label, _cell(value)])
    _date_format(process)
    for ws, widths in ((sheet, {}), (process, {"A": 36, "B": 40})):
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
    for index, header in enumerate(headers, start=1):
        from openpyxl.utils import get_column_letter

        sheet.column_dimensions[get_column_letter(index)].width = 44 if header in ("Task", "Instructions") else 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    return value


def _date_format(ws: Any) -> None:
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
