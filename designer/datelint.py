"""Date lint that needs the draft's business calendar: warnings, each with a suggested fix.

``processes_api.lint`` checks what the API's facts say (malformed dates, a job due after the
process). What depends on holidays, the organization's closures and today lives here:

* ``date-non-business-day``: a date on a weekend, holiday or closure → the previous business day;
* ``date-in-past``: a job or the process due before today → the next business day from today;
* ``date-before-start``: a job due before the business start date → the first business day from it;
* ``step-before-previous``: in a group run one after another, a job due before the step before it
  is finished → the date that step finishes;
* ``group-after-next-step``: a job of a group due after the next step of its sequence is due →
  that step's due date (or the business day before it).

:func:`date_problems` is pure (tree, calendar, today); :func:`calendar_problems` is the problem
source the editor shows (``designer.panels``). A fix is one date for one field: the editor offers
it as a button, :func:`designer.services.dates.date_fix_apply` applies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils import timezone

from designer.calendar import BusinessCalendar, CalendarError
from processes_api import schema
from processes_api.lint import Problem, parse_date

if TYPE_CHECKING:
    from designer.models import Draft, Node
    from designer.selectors.trees import Tree


@dataclass(frozen=True, slots=True)
class DateProblem(Problem):
    """A date warning with the date that would fix it (``fix``, ISO text)."""

    fix: str | None = None

    @property
    def fix_label(self) -> str:
        return f"Use {self.fix}" if self.fix else ""


@dataclass(frozen=True, slots=True)
class _Span:
    """When a step of a sequence is due: its earliest and latest job due dates."""

    first: dt.date
    last: dt.date


def _due(node: Node) -> dt.date | None:
    args = node.arguments if isinstance(node.arguments, dict) else {}
    return parse_date(args.get("dueDate"))


def date_problems(tree: Tree, calendar: BusinessCalendar, today: dt.date) -> list[DateProblem]:
    """Return the calendar's warnings on ``tree``: the process's dates first, then in tree order."""
    draft = tree.draft
    out: list[DateProblem] = []
    add = out.append
    for f in schema.PROCESS_FIELDS:
        if f.kind != "date":
            continue
        day = parse_date(schema.field_value(draft, f, "process"))
        if day is None or _non_business(out, calendar, day, f"The process {f.label.lower()}", None, f.key):
            continue
        if f.key == "dueDate" and day < today:
            fix = _safe(calendar.next_business_day, today)
            message = f"The process due date {day} is in the past (to plan the next period, use Create next period…)."
            add(DateProblem("warning", "date-in-past", message, None, f.key, fix))
    start = parse_date(draft.business_start_date)
    for node, _ in tree.walk():
        if node.is_group:
            continue
        jt = schema.job_type(node.job_type)
        if jt is None:
            continue
        args = node.arguments if isinstance(node.arguments, dict) else {}
        for arg in jt.date_fields:
            day = parse_date(args.get(arg.name))
            if day is None:
                continue
            if _non_business(out, calendar, day, arg.label, node.key, arg.name):
                continue
            if day < today:
                fix = _safe(calendar.next_business_day, today)
                add(
                    DateProblem(
                        "warning", "date-in-past", f"{arg.label} {day} is in the past.", node.key, arg.name, fix
                    )
                )
            elif start is not None and day < start:
                fix = _safe(calendar.next_business_day, start)
                message = f"{arg.label} {day} is before the business start date {start}."
                add(DateProblem("warning", "date-before-start", message, node.key, arg.name, fix))
    _sequence_problems(out, tree, calendar)
    return out


def _safe(step: Any, day: dt.date) -> str | None:
    try:
        return str(step(day).isoformat())
    except CalendarError:
        return None


def _non_business(
    out: list[DateProblem], calendar: BusinessCalendar, day: dt.date, label: str, key: UUID | None, field: str
) -> bool:
    """Report ``day`` when it is not a business day; return whether it was reported."""
    if not calendar.weekdays:
        return False  # lint already says the process has no business day
    why = calendar.closed_because(day)
    if why is None:
        return False
    fix = _safe(calendar.previous_business_day, day)
    message = f"{label} {day} is not a business day ({why})."
    out.append(DateProblem("warning", "date-non-business-day", message, key, field, fix))
    return True


def _sequence_problems(out: list[DateProblem], tree: Tree, calendar: BusinessCalendar) -> None:
    """Report jobs due out of order in groups whose children run one after another."""
    spans: dict[int, _Span | None] = {}
    jobs_of: dict[int, list[Node]] = {}

    # Post-order: each group's span and jobs from its children's.
    for node, _ in reversed(list(tree.walk())):
        if not node.is_group:
            due = _due(node)
            spans[node.id] = _Span(due, due) if due else None
            jobs_of[node.id] = [node]
            continue
        kids = [spans[c.id] for c in tree.children(node) if spans.get(c.id)]
        spans[node.id] = _Span(min(s.first for s in kids if s), max(s.last for s in kids if s)) if kids else None
        jobs_of[node.id] = [job for c in tree.children(node) for job in jobs_of[c.id]]

    for group, _ in tree.walk():
        if not group.is_group or group.parallel:
            continue
        steps = tree.children(group)
        for before, after in zip(steps, steps[1:], strict=False):
            prev, nxt = spans.get(before.id), spans.get(after.id)
            if prev is None or nxt is None:
                continue
            if before.is_group:
                # The earlier step's jobs due after the next step starts.
                for job in jobs_of[before.id]:
                    due = _due(job)
                    if due and due > nxt.first:
                        fix = _safe(calendar.previous_business_day, nxt.first)
                        message = (
                            f"Due {due}, after the next step “{after.label}” is due ({nxt.first}); "
                            f"this group runs before it."
                        )
                        out.append(DateProblem("warning", "group-after-next-step", message, job.key, "dueDate", fix))
            else:
                # The next step's jobs due before the job before them.
                for job in jobs_of[after.id]:
                    due = _due(job)
                    if due and due < prev.last:
                        fix = _safe(calendar.next_business_day, prev.last)
                        message = f"Due {due}, before the step before it, “{before.label}” ({prev.last})."
                        out.append(DateProblem("warning", "step-before-previous", message, job.key, "dueDate", fix))


def calendar_problems(draft: Draft, tree: Tree) -> list[Problem]:
    """The editor's problem source: the calendar warnings of ``draft`` (whose loaded tree is ``tree``)."""
    from designer.selectors.calendar import draft_calendar

    return list(date_problems(tree, draft_calendar(draft), timezone.localdate()))
