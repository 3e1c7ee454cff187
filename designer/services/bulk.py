"""Bulk edit: change what several jobs share in one step (one operation, one undo, one activity line).

The shared fields are named for people, not per job type: a send-a-task job keeps its assignee in
``assigneeUser`` (a user id), a content request in ``assignee`` (``{"id": …, "type": "user"}``);
:data:`BULK_FIELDS` maps each to the arguments that hold it. A job whose type has no such field is
left as it is (and counted as skipped).

"Shift due dates" moves every date argument of the jobs by N days: calendar days, or the draft's
business days once a business calendar is registered (:func:`register_date_shifter`, for the
business calendar of issue 14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction

from designer.errors import TreeError
from designer.models import Draft, Node, Operation
from designer.services.operations import operation
from designer.services.opstates import rows_update
from processes_api import schema

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# The shared fields: bulk name → (label, the argument names that hold it, by job type).
BULK_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "assignee": ("Assignee", ("assigneeUser", "assignee")),
    "approver": ("Approver", ("approverUser", "approver")),
    "due_date": ("Due date", ("dueDate",)),
    "instructions": ("Instructions", ("instructions",)),
    "document": ("Document", ("document",)),
}
MAX_SHIFT_DAYS = 3660
_CHUNK = 900

DateShifter = Callable[[dt.date, int], dt.date]
_shifters: list[Callable[[Draft], DateShifter | None]] = []


def register_date_shifter(factory: Callable[[Draft], DateShifter | None]) -> None:
    """Register how to shift dates on a draft: ``factory(draft)`` returns ``shift(date, days)`` (e.g.
    by the draft's business days), or None to leave it to the next one and finally calendar days.
    The business calendar (issue 14) calls this once, from its AppConfig.ready()."""
    if factory not in _shifters:
        _shifters.append(factory)


def date_shifter(draft: Draft) -> tuple[DateShifter, str]:
    """Return the draft's date shift and how it counts ("business days" or "calendar days")."""
    for factory in _shifters:
        shift = factory(draft)
        if shift is not None:
            return shift, "business days"
    return (lambda date, days: date + dt.timedelta(days=days)), "calendar days"


def shared_argument(job_type: str, name: str) -> schema.ArgField | None:
    """Return the argument of ``job_type`` holding the bulk field ``name``, if it has one."""
    jt = schema.job_type(job_type)
    if jt is None:
        return None
    return next((jt.field_map[a] for a in BULK_FIELDS[name][1] if a in jt.field_map), None)


def shared_value(node: Node, name: str) -> Any:
    """Return what ``node`` has for the bulk field ``name``, as text ("" when unset), or None when
    its job type has no such field."""
    arg = shared_argument(node.job_type, name)
    if arg is None:
        return None
    value = node.arguments.get(arg.name) if isinstance(node.arguments, dict) else None
    if arg.kind == "principal":
        value = value.get("id") if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class BulkResult:
    changed: list[Node]
    skipped: int
    unit: str = ""


@transaction.atomic
def nodes_bulk_update(
    *,
    draft: Draft,
    version: int,
    keys: Iterable[UUID | str],
    changes: Mapping[str, str | None],
    shift_days: int = 0,
    actor: AbstractBaseUser | None = None,
) -> BulkResult:
    """Set the bulk fields ``changes`` (name → text; "" or None clears) on the jobs ``keys``, and
    move their dates by ``shift_days``; one operation. Groups among ``keys`` are left alone."""
    unknown = set(changes) - set(BULK_FIELDS)
    if unknown:
        raise TreeError(f"Bulk edit cannot change {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        if value is not None and not isinstance(value, str):
            raise TreeError(f"{BULK_FIELDS[name][0]} must be text.")
        if name == "due_date" and value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise TreeError(f"Due date must be a date as YYYY-MM-DD, not “{value}”.") from None
    if not isinstance(shift_days, int) or abs(shift_days) > MAX_SHIFT_DAYS:
        raise TreeError(f"Shift dates by at most {MAX_SHIFT_DAYS} days either way.")
    wanted = list(dict.fromkeys(str(_uuid(k)) for k in keys))
    if not wanted:
        raise TreeError("Select the jobs to change.")
    if not changes and not shift_days:
        raise TreeError("Nothing to change: change a field or shift the dates.")
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.BULK_EDIT) as op:
        jobs = [
            node
            for start in range(0, len(wanted), _CHUNK)
            for node in Node.objects.filter(draft=draft, key__in=wanted[start : start + _CHUNK], kind=Node.Kind.JOB)
        ]
        if not jobs:
            raise TreeError("None of the selected items is a job; bulk edit changes jobs.")
        op.watch([n.key for n in jobs])
        shift, unit = date_shifter(draft) if shift_days else (None, "")
        changed: list[Node] = []
        skipped = 0
        for node in jobs:
            args = dict(node.arguments) if isinstance(node.arguments, dict) else {}
            new = _apply(node, args, changes, shift, shift_days)
            if new is None:
                skipped += 1
            elif new != node.arguments:
                # A date set or shifted by hand no longer follows its business-day rule.
                old = node.arguments if isinstance(node.arguments, dict) else {}
                rules = node.date_rules or {}
                node.date_rules = {f: rule for f, rule in rules.items() if new.get(f) == old.get(f)}
                node.arguments = new
                changed.append(node)
        rows_update(changed, ["arguments", "date_rules"])
        what = ", ".join(BULK_FIELDS[n][0].lower() for n in changes)
        if shift_days:
            what = f"{what} and dates" if what else "dates"
        op.summary = f"bulk edit of {what} on {len(jobs)} job{'s' if len(jobs) != 1 else ''}"
    return BulkResult(changed=changed, skipped=skipped, unit=unit)


def _apply(
    node: Node, args: dict[str, Any], changes: Mapping[str, str | None], shift: DateShifter | None, days: int
) -> dict[str, Any] | None:
    """Return ``node``'s new arguments, or None when its type has none of the fields changed."""
    jt = schema.job_type(node.job_type)
    if jt is None or jt.generated:
        return None
    touched = False
    for name, value in changes.items():
        arg = shared_argument(node.job_type, name)
        if arg is None:
            continue
        touched = True
        if value in (None, ""):
            args.pop(arg.name, None)
        elif arg.kind == "principal":
            old = args.get(arg.name)
            args[arg.name] = (dict(old) if isinstance(old, dict) else {"type": "user"}) | {"id": value}
        else:
            args[arg.name] = value
    if shift is not None and days:
        for arg in jt.date_fields:
            value = args.get(arg.name)
            touched = True
            try:
                date = dt.date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                date = None  # a malformed date stays as it is: lint reports it
            if date is not None:
                try:
                    args[arg.name] = shift(date, days).isoformat()
                except OverflowError:
                    raise TreeError(f"Shifting {value} by {days} days leaves the calendar.") from None
                except ValueError as exc:  # a business calendar that cannot shift (no business day at all)
                    raise TreeError(str(exc)) from None
    return args if touched else None


def _uuid(key: UUID | str) -> UUID:
    try:
        return key if isinstance(key, UUID) else UUID(str(key))
    except ValueError:
        raise TreeError(f"“{key}” is not a node key.") from None
