"""Turn a checklist's rows and a column mapping into a process: the preview's rows and the Process JSON.

One pass over the rows builds a :class:`Plan`: every row with what it became and its problems, the
group tree (groups in order of first appearance, nested by the grouping columns), and the job
count. :meth:`Plan.process` writes the Process document that the designer imports exactly like a
payload file (``designer.services.drafts.draft_import``), so a checklist creates nothing a payload
could not.

Row rules: a blank row is skipped silently (separator rows); a row naming only groups declares
them (a phase header row; it may set the group's mode); a row with other content but no title is
skipped and reported. Problems never stop the import: a date that is not one, a formula, an owner
not matched to a Workiva user, a value the job type has no field for — each is reported on its row
and the job is created without it (an owner is kept as typed). The file-level refusals (no title
column, more jobs than Workiva accepts) are :class:`PlanError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from checklists.dates import calendar_for, parse_due
from checklists.mapping import Mapping
from checklists.owners import Owners, match_owners
from checklists.safety import unsafe_text
from checklists.sheets import CellValue, Formula, Row
from designer.calendar import BusinessCalendar
from processes_api import schema

MAX_NAME = 500

# The API's job types as a checklist may spell them (normalized: lower case, letters only).
TYPE_NAMES: dict[str, str] = {
    "sendtask": "sendTask",
    "task": "sendTask",
    "sendatask": "sendTask",
    "contentrequest": "contentRequest",
    "requestcontent": "contentRequest",
    "content": "contentRequest",
    "certification": "certification",
    "certify": "certification",
    "cert": "certification",
}
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x", "parallel", "all at the same time", "at the same time", "✓", "✔"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "sequential", "one after another", "in order", "serial"})
ROLE_LABELS = {
    "assignee": "owner",
    "approver": "reviewer",
    "due": "due date",
    "approver_due": "reviewer due date",
    "instructions": "instructions",
    "document": "document",
    "section": "section",
}


class PlanError(ValueError):
    """A checklist that cannot become a process at all (no title column, too many jobs)."""


def arg_for(role: str, jt: schema.JobType) -> schema.ArgField | None:
    """Return the argument of job type ``jt`` that a column role fills, or None when it has none."""
    for f in jt.fields:
        if role == "title" and f.name == "title":
            return f
        if role == "instructions" and f.name == "instructions":
            return f
        if role == "due" and f.name == "dueDate":
            return f
        if role == "approver_due" and f.name == "approverDueDate":
            return f
        if role == "section" and f.name == "section":
            return f
        if role == "document" and f.kind == "file":
            return f
        if role in ("assignee", "approver") and f.kind in ("user", "principal") and f.name.startswith(role):
            return f
    return None


def role_for(arg: str, jt: schema.JobType) -> str | None:
    """Return the column role that fills argument ``arg`` of ``jt`` (the inverse of :func:`arg_for`)."""
    for role in ("title", "instructions", "due", "approver_due", "section", "document", "assignee", "approver"):
        f = arg_for(role, jt)
        if f is not None and f.name == arg:
            return role
    return None


@dataclass
class GroupPlan:
    name: str
    path: tuple[str, ...]
    parallel: bool | None = None
    parallel_row: int | None = None  # the row that set ``parallel`` from the Parallel column
    children: list[GroupPlan | JobPlan] = field(default_factory=list)

    @property
    def mode_id(self) -> str:
        """A short stable id of this group's path, for the preview's per-group choice."""
        return hashlib.sha1("\x1f".join(self.path).encode()).hexdigest()[:12]

    def walk(self) -> list[GroupPlan]:
        """Return this group and every group below it, in document order."""
        found: list[GroupPlan] = []
        stack: list[GroupPlan] = [self]
        while stack:
            group = stack.pop()
            found.append(group)
            stack.extend(reversed([c for c in group.children if isinstance(c, GroupPlan)]))
        return found


@dataclass
class JobPlan:
    row: int
    job_type: str
    arguments: dict[str, Any]
    rules: dict[str, dict[str, int]] = field(default_factory=dict)  # date argument → {"days": n} (a WD/BD offset)


@dataclass
class RowPlan:
    """One row of the sheet as the preview shows it."""

    number: int
    title: str
    path: tuple[str, ...]
    job_type: str | None
    values: dict[str, str]  # role → the value shown (due dates as the date they became)
    problems: list[str] = field(default_factory=list)
    status: str = "job"  # job | group | skipped
    arguments: dict[str, Any] = field(default_factory=dict, repr=False)  # the job's, when status is "job"
    rules: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)  # its date rules (Node.date_rules)

    @property
    def type_label(self) -> str:
        jt = schema.job_type(self.job_type or "")
        return jt.label if jt else ""


@dataclass
class Plan:
    root: GroupPlan
    rows: list[RowPlan]
    jobs: int
    mapping: Mapping

    @property
    def problems(self) -> list[tuple[int, str]]:
        return [(row.number, problem) for row in self.rows for problem in row.problems]

    @property
    def groups(self) -> list[GroupPlan]:
        return self.root.walk()[1:]

    def process(
        self, *, name: str, settings: dict[str, Any] | None = None, top_name: str | None = None
    ) -> dict[str, Any]:
        """Return the Process document: ``settings`` (API keys) and ``name``, with the tree as the root group."""
        data: dict[str, Any] = dict(settings or {})
        data["name"] = name
        data["root"] = _group_object(self.root, name=top_name or name)
        return data

    def date_rules(self) -> list[dict[str, dict[str, int]]]:
        """Return each job's date rules (``Node.date_rules``), the jobs in document order as in :meth:`process`."""
        found: list[dict[str, dict[str, int]]] = []
        stack: list[GroupPlan | JobPlan] = [self.root]
        while stack:
            item = stack.pop()
            if isinstance(item, JobPlan):
                found.append(item.rules)
            else:
                stack.extend(reversed(item.children))
        return found


def _group_object(root: GroupPlan, *, name: str) -> dict[str, Any]:
    defaults = {f.key: f.default for f in schema.GROUP_FIELDS if f.default is not None}
    top: dict[str, Any] = {}
    stack: list[tuple[GroupPlan, dict[str, Any], str]] = [(root, top, name)]
    while stack:
        group, obj, group_name = stack.pop()
        obj.update(defaults)
        obj["name"] = group_name
        obj["parallel"] = bool(group.parallel)
        children: list[dict[str, Any]] = []
        for child in group.children:
            if isinstance(child, JobPlan):
                jt = schema.JOB_TYPES[child.job_type]
                arguments = {"type": child.job_type, jt.args_key: child.arguments}
                children.append({"type": "job", "job": {"arguments": arguments}})
            else:
                body: dict[str, Any] = {}
                children.append({"type": "group", "group": body})
                stack.append((child, body, child.name))
        obj["children"] = children
    return top


@dataclass
class Options:
    """What the person importing chose beside the mapping."""

    process_due: dt.date | None = None
    weekdays: Sequence[str] | None = None  # used only without ``calendar``: Monday–Friday when None
    calendar: BusinessCalendar | None = None  # the draft-to-be's business calendar (holidays, closures)
    modes: dict[str, bool] = field(default_factory=dict)  # GroupPlan.mode_id → parallel, overriding the column
    root_parallel: bool | None = None


def text_of(value: CellValue) -> str:
    """Return a cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, formulas as typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return unsafe_text(str(value).strip())


def build_plan(rows: Sequence[Row], mapping: Mapping, options: Options | None = None) -> Plan:
    """Return the plan of ``rows`` (the rows below the header) under ``mapping``; raise :class:`PlanError`."""
    options = options or Options()
    if "title" not in mapping.columns:
        raise PlanError("no title column: name a column Task, Title or Description")
    root = GroupPlan(name="", path=())
    groups: dict[tuple[str, ...], GroupPlan] = {(): root}
    owner_cells = [mapping.columns[r] for r in ("assignee", "approver") if r in mapping.columns]
    name_cells = [c for r, c in mapping.columns.items() if c in owner_cells and r not in mapping.ids]
    id_cells = [c for c in owner_cells if c not in name_cells]
    owners = match_owners(
        (text_of(row.value(c)) for row in rows for c in name_cells),
        (text_of(row.value(c)) for row in rows for c in id_cells),
    )
    if options.calendar is None:  # the weekdays alone (no holidays, no closures): a copy, the caller's is left alone
        options = replace(options, calendar=calendar_for(options.weekdays))
    planned: list[RowPlan] = []
    jobs = 0
    for row in rows:
        if row.blank:
            continue
        result = _row(row, mapping, options, owners)
        if result.status == "skipped" and not result.path and not result.values and not result.problems:
            continue  # blank in every mapped column: nothing the import reads
        planned.append(result)
        group = _ensure(groups, result.path)
        _parallel(group, row, mapping, result)
        if result.status != "job":
            continue
        jobs += 1
        if jobs > schema.MAX_JOBS:
            raise PlanError(
                f"the sheet holds more than {schema.MAX_JOBS:,} tasks (row {row.number} is task {jobs:,}); "
                f"a Workiva process takes at most {schema.MAX_JOBS:,} jobs — split the checklist"
            )
        group.children.append(
            JobPlan(
                row=row.number, job_type=result.job_type or "sendTask", arguments=result.arguments, rules=result.rules
            )
        )
    for group in root.walk():
        if group.mode_id in options.modes:
            group.parallel = options.modes[group.mode_id]
    if options.root_parallel is not None and root.mode_id not in options.modes:
        root.parallel = options.root_parallel
    return Plan(root=root, rows=planned, jobs=jobs, mapping=mapping)


def _ensure(groups: dict[tuple[str, ...], GroupPlan], path: tuple[str, ...]) -> GroupPlan:
    for depth in range(1, len(path) + 1):
        key = path[:depth]
        if key not in groups:
            group = GroupPlan(name=key[-1], path=key)
            groups[key[:-1]].children.append(group)
            groups[key] = group
    return groups[path]


def _parallel(group: GroupPlan, row: Row, mapping: Mapping, result: RowPlan) -> None:
    column = mapping.columns.get("parallel")
    if column is None:
        return
    value = row.value(column)
    text = text_of(value).lower()
    if not text:
        return
    if isinstance(value, Formula) or (text not in TRUE_WORDS and text not in FALSE_WORDS):
        result.problems.append(
            f"Parallel “{text_of(value)}” is neither yes nor no; the group’s mode was left as it was"
        )
        return
    parallel = text in TRUE_WORDS
    where = f"group “{group.name}”" if group.path else "the process’s top level"
    if group.parallel is not None and group.parallel != parallel:
        result.problems.append(
            f"Parallel says “{text_of(value)}” but row {group.parallel_row} set {where} the other way; row {group.parallel_row} counts"
        )
        return
    group.parallel, group.parallel_row = parallel, group.parallel_row or row.number
    result.values["parallel"] = "Yes" if parallel else "No"


def _row(row: Row, mapping: Mapping, options: Options, owners: Owners) -> RowPlan:
    problems: list[str] = []
    path: list[str] = []
    for level, column in enumerate(mapping.groups, start=1):
        value = row.value(column)
        if isinstance(value, Formula):
            problems.append(f"the group (level {level}) is a formula ({value.text}); formulas are not evaluated")
            continue
        name = text_of(value)
        if len(name) > MAX_NAME:
            problems.append(f"the group name is {len(name):,} characters long; it was cut to {MAX_NAME}")
            name = name[:MAX_NAME]
        if name:
            path.append(name)
    title_cell = row.value(mapping.columns["title"])
    title = "" if isinstance(title_cell, Formula) else text_of(title_cell)
    job_type, type_problem = _job_type(row, mapping)
    result = RowPlan(number=row.number, title=title, path=tuple(path), job_type=job_type, values={}, problems=problems)
    if type_problem:
        problems.append(type_problem)
    others = {
        role: row.value(column)
        for role, column in mapping.columns.items()
        if role not in ("title", "type", "parallel") and text_of(row.value(column))
    }
    if not title:
        if isinstance(title_cell, Formula):
            problems.append(
                f"the title is a formula ({title_cell.text}); formulas are not evaluated, so the row was skipped"
            )
            result.status = "skipped"
        elif others:
            problems.append("the title is empty, so the row was skipped")
            result.status = "skipped"
        else:
            result.status = "group" if path else "skipped"
        return result
    if len(title) > MAX_NAME:
        problems.append(f"the title is {len(title):,} characters long; it was cut to {MAX_NAME}")
        title = result.title = title[:MAX_NAME]
    jt = schema.JOB_TYPES[job_type or "sendTask"]
    arguments: dict[str, Any] = {"title": title}
    for role, value in others.items():
        arg = arg_for(role, jt)
        label = ROLE_LABELS[role]
        if arg is None:
            problems.append(f"a “{jt.label}” job has no {label}; “{text_of(value)}” was left out")
            continue
        if arg.kind == "date":
            due = parse_due(value, process_due=options.process_due, calendar=options.calendar, label=label)
            if due.problem:
                problems.append(due.problem)
            if due.date:
                arguments[arg.name] = due.date
                if due.days is not None:
                    result.rules[arg.name] = {"days": due.days}
                result.values[role] = f"{due.date} ({due.offset})" if due.offset else due.date
            continue
        if isinstance(value, Formula):
            problems.append(
                f"the {label} cell holds a formula ({value.text}); formulas are not evaluated, so it was left empty"
            )
            continue
        text = text_of(value)
        result.values[role] = text
        if arg.kind in ("user", "principal"):
            user_id, problem = owners.resolve(text, label, typed_id=role in mapping.ids)
            if problem:
                problems.append(problem)
            if user_id and user_id != text:
                result.values[role] = f"{text} → {owners.shown(text)}"
            text = user_id or text
            arguments[arg.name] = {"id": text, "type": "user"} if arg.kind == "principal" else text
        else:
            arguments[arg.name] = text
    result.arguments = arguments
    return result


def _job_type(row: Row, mapping: Mapping) -> tuple[str | None, str | None]:
    column = mapping.columns.get("type")
    if column is None:
        return "sendTask", None
    text = text_of(row.value(column))
    if not text:
        return "sendTask", None
    key = "".join(c for c in text.lower() if c.isalpha())
    if key in TYPE_NAMES:
        return TYPE_NAMES[key], None
    for jt in schema.EDITABLE_JOB_TYPES:
        if key in (jt.name.lower(), "".join(c for c in jt.label.lower() if c.isalpha())):
            return jt.name, None
    labels = ", ".join(jt.label for jt in schema.EDITABLE_JOB_TYPES)
    return "sendTask", f"type “{text}” is not a job type ({labels}); it was made a “Send a task” job"
