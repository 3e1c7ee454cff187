"""Problems in a draft that a process owner should fix before publishing.

Each problem is anchored to a node key (or to the process, when ``node_key`` is None) and says, in
the owner's words, what is wrong. ``error`` blocks publishing; ``warning`` does not.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from processes_api import schema
from processes_api.payload import Payload, build_payload

if TYPE_CHECKING:
    from processes_api.tree import ProcessNode, ProcessSettings, ProcessTree

Severity = Literal["error", "warning"]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    code: str
    message: str
    node_key: UUID | None = None
    field: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def parse_date(value: Any) -> dt.date | None:
    """Return the date a ``YYYY-MM-DD`` string names, or None when it is not one."""
    return _parse_date_text(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)
def _parse_date_text(value: str) -> dt.date | None:
    # A process repeats a few dates over thousands of jobs: parse each once.
    if not _DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def lint_tree(tree: ProcessTree, payload: Payload | None = None) -> list[Problem]:
    """Return every problem in ``tree``'s draft, process-level ones first, then in tree order."""
    draft = tree.draft
    problems: list[Problem] = []
    add = problems.append

    _lint_fields(problems, draft, "process", None)
    process_due = process_due_date(draft)

    jobs = deepest = 0
    children = tree.children
    for node, depth in tree.walk():
        deepest = max(deepest, depth)
        if node.is_group:
            _lint_group(problems, node, len(children(node)))
        else:
            jobs += 1
            _lint_job(problems, node, process_due)
    if jobs == 0:
        add(Problem("error", "process-empty", "The process has no jobs yet; add at least one."))
    if jobs > schema.MAX_JOBS:
        add(
            Problem(
                "error",
                "too-many-jobs",
                f"The process has {jobs:,} jobs; Workiva accepts at most {schema.MAX_JOBS:,} in one process.",
            )
        )
    if deepest > schema.MAX_DEPTH:  # a draft saved before the limit; the editor refuses to go deeper
        message = f"Groups are nested {deepest} levels deep; at most {schema.MAX_DEPTH} are allowed. Move some up."
        add(Problem("error", "too-deep", message))
    payload = payload or build_payload(tree)
    size = payload_size(payload)
    if size > schema.MAX_BODY_BYTES:
        add(
            Problem(
                "error",
                "payload-too-large",
                f"The process is {size / 1_000_000:.1f} MB as JSON; Workiva accepts at most "
                f"{schema.MAX_BODY_BYTES / 1_000_000:.0f} MB. Shorten instructions or split the process.",
            )
        )
    return problems


def lint_node(node: ProcessNode, *, child_count: int, process_due: dt.date | None) -> list[Problem]:
    """Return the problems :func:`lint_tree` finds on ``node`` itself, without the rest of the tree.

    A node's own problems depend only on its fields, on how many children it has (a group) and on
    the process due date (a job): an edit that changed a few nodes can show their badges exactly
    without linting the whole draft.
    """
    problems: list[Problem] = []
    if node.is_group:
        _lint_group(problems, node, child_count)
    else:
        _lint_job(problems, node, process_due)
    return problems


def process_due_date(draft: ProcessSettings) -> dt.date | None:
    """Return the process due date that jobs are checked against (None when unset or malformed)."""
    return parse_date(draft.due_date) if draft.due_date else None


def payload_size(payload: Payload) -> int:
    """Return the payload's size in bytes as compact JSON (key order does not change the size)."""
    return len(json.dumps(payload.data, separators=(",", ":"), ensure_ascii=False).encode())


def _date_field(problems: list[Problem], value: Any, field: str, label: str, key: UUID | None) -> dt.date | None:
    if value in (None, ""):
        return None
    parsed = parse_date(value)
    if parsed is None:
        problems.append(
            Problem("error", "date-malformed", f'{label} "{value}" is not a date (use YYYY-MM-DD).', key, field)
        )
    return parsed


def _lint_fields(problems: list[Problem], obj: Any, level: schema.Level, key: UUID | None) -> None:
    """Report the registry's rules on a process's or a group's own fields: required, dates,
    weekdays and values outside the known ones."""
    add = problems.append
    owner, whose = ("The process", "The process") if level == "process" else ("This group", "This group's")
    for f in schema.fields_of(level):
        value = schema.field_value(obj, f, level)
        if f.required and not (value.strip() if isinstance(value, str) else value):
            add(Problem("error", f"{level}-{f.key}-missing", f"{owner} needs a {f.label.lower()}.", key, f.key))
        elif f.kind == "date":
            _date_field(problems, value, f.key, f"{whose} {f.label.lower()}", key)
        elif f.kind == "weekdays" and value is not None:
            _weekdays(problems, value, f.key, key)
        elif f.known and value is not None and value not in f.known:
            add(
                Problem(
                    "warning",
                    f"{_kebab(f.key)}-unknown",
                    f'The {f.label.lower()} "{value}" is not one we know Workiva accepts '
                    f"(known: {', '.join(f.known)}).",
                    key,
                    f.key,
                )
            )


def _weekdays(problems: list[Problem], days: Any, field: str, key: UUID | None) -> None:
    if not days:
        problems.append(Problem("error", "no-business-days", "Choose at least one business day.", key, field))
    bad = [d for d in days if d not in schema.WEEKDAYS]
    if bad:
        problems.append(
            Problem(
                "error",
                "business-day-unknown",
                f"{', '.join(map(str, bad))} is not a weekday name (use monday … sunday in lower case).",
                key,
                field,
            )
        )


def _kebab(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", key).lower()


def _lint_group(problems: list[Problem], node: ProcessNode, child_count: int) -> None:
    _lint_fields(problems, node, "group", node.key)
    if not node.is_root and not child_count:
        problems.append(
            Problem("warning", "group-empty", "This group is empty; add jobs to it or delete it.", node.key)
        )


def _lint_job(problems: list[Problem], node: ProcessNode, process_due: dt.date | None) -> None:
    add = problems.append
    key = node.key
    jt = schema.job_type(node.job_type)
    if jt is None:
        add(Problem("error", "job-type-unknown", f'"{node.job_type}" is not a job type Workiva knows.', key))
        return
    args = node.arguments if isinstance(node.arguments, dict) else {}
    for arg in jt.required_fields:
        if not _present(args.get(arg.name)):
            if arg.name == "title":
                add(Problem("error", "title-missing", "This job needs a title.", key, "title"))
            elif arg.kind in ("user", "principal"):
                add(
                    Problem(
                        "error",
                        "assignee-missing",
                        f"Choose who this job goes to ({arg.label.lower()}).",
                        key,
                        arg.name,
                    )
                )
            else:
                add(Problem("error", "argument-missing", f"{arg.label} is required for this job.", key, arg.name))
    due = None
    for arg in jt.date_fields:
        value = args.get(arg.name)
        if value is None:
            continue
        parsed = _date_field(problems, value, arg.name, arg.label, key)
        if arg.name == "dueDate":
            due = parsed
        if parsed and process_due and parsed > process_due:
            add(
                Problem(
                    "error",
                    "due-after-process",
                    f"{arg.label} {parsed.isoformat()} is after the process due date {process_due.isoformat()}.",
                    key,
                    arg.name,
                )
            )
    if node.job_type == "sendTask":
        _lint_approver(problems, args, due, key)
    if jt.certainty == "inferred":
        add(Problem("warning", "arguments-unconfirmed", jt.note, key))


def _lint_approver(problems: list[Problem], args: dict[str, Any], due: dt.date | None, key: UUID) -> None:
    """Report a send-task's approver without a due date, a due date without an approver, or one due too early."""
    add = problems.append
    approver = _present(args.get("approverUser"))
    approver_due = parse_date(args.get("approverDueDate"))
    if approver and not _present(args.get("approverDueDate")):
        add(Problem("warning", "approver-due-date-missing", "The approver has no due date.", key, "approverDueDate"))
    if _present(args.get("approverDueDate")) and not approver:
        add(Problem("error", "approver-missing", "An approver due date is set but no approver.", key, "approverUser"))
    if approver_due and due and approver_due < due:
        add(
            Problem(
                "error",
                "approver-due-before-task",
                f"The approver is due {approver_due.isoformat()}, before the task itself ({due.isoformat()}).",
                key,
                "approverDueDate",
            )
        )


def _present(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value.get("id"))
    return value not in (None, "")
