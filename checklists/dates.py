"""Due dates in a checklist: date cells, ISO text, and "WD+3" / "BD-2" business-day offsets.

An offset counts business days after (+) or before (−) the process due date on the draft's business
calendar (``designer.calendar.BusinessCalendar``: the process's ``businessDaysOfWeek``, Monday–Friday
when unset, the chosen holiday calendar and the organization's closure dates), the same counting
as the editor's relative dates. The offset is kept as the job's date rule (``{"days": 3}``), so a
later change of the process due date or calendar moves the date; the preview shows the text the
user typed beside the date it became.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from checklists.sheets import CellValue, Formula
from designer.calendar import BusinessCalendar, CalendarError, shift_business_days

# The editor's range for dates (designer.forms.DATE_MIN/MAX), repeated here to keep this module free of Django forms.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
MAX_OFFSET = 366

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_OFFSET = re.compile(r"^(WD|BD)\s*([+\-\u2212\u2013]?)\s*(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Due:
    """What a due-date cell became: an ISO date, or None with the problem that kept it empty."""

    date: str | None = None
    problem: str | None = None
    offset: str | None = None  # the "WD+3" text when the date was computed from an offset
    days: int | None = None  # the offset in business days (the job's date rule), when there is one


def calendar_for(weekdays: Sequence[str] | None = None, holiday_code: str = "") -> BusinessCalendar:
    """Return the calendar of ``weekdays`` (None: Monday–Friday) and a holiday calendar, with no closures
    (callers that know the organization's closures build their own: ``designer.selectors.calendar``)."""
    return BusinessCalendar.build(business_days=weekdays, holiday_code=holiday_code)


def business_days_from(start: dt.date, days: int, calendar: BusinessCalendar) -> dt.date:
    """Return the date ``days`` business days after (or, negative, before) ``start`` on ``calendar``.

    ``designer.calendar.shift_business_days`` counts: ``start`` itself is never counted, and 0 days is
    ``start``, or the business day before it. Raises CalendarError when the calendar has no business day.
    """
    return shift_business_days(calendar, start, days)


def parse_due(
    value: CellValue,
    *,
    process_due: dt.date | None,
    calendar: BusinessCalendar | None = None,
    label: str = "due date",
) -> Due:
    """Return the due date a cell holds, or the problem that keeps it empty; an empty cell is no date.

    ``label`` names the column in the problem ("due date", "reviewer due date").
    """
    due = _parse_due(value, process_due, calendar or calendar_for())
    if due.problem and label != "due date":
        return Due(
            date=due.date, problem=due.problem.replace("the due date", f"the {label}"), offset=due.offset, days=due.days
        )
    return due


def _parse_due(value: CellValue, process_due: dt.date | None, calendar: BusinessCalendar) -> Due:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Due()
    if isinstance(value, Formula):
        return Due(
            problem=f"the due date is a formula ({value.text}); formulas are not evaluated, so it was left empty"
        )
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), str(value.date()))
    if isinstance(value, dt.date):
        return _in_range(value, str(value))
    if isinstance(value, bool | int | float):
        return Due(
            problem=f"the due date “{_number(value)}” is a number, not a date; use a date cell, YYYY-MM-DD or WD+3"
        )
    text = str(value).strip()
    if match := _ISO.match(text):
        try:
            date = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return Due(problem=f"the due date “{text}” does not exist; it was left empty")
        return _in_range(date, text)
    if match := _OFFSET.match(text):
        return _offset(text, match, process_due, calendar)
    return Due(
        problem=f"the due date “{text}” is not a date: use a date cell, YYYY-MM-DD, or WD+3 / BD-2 "
        "(business days after or before the process due date); it was left empty"
    )


def _offset(text: str, match: re.Match[str], process_due: dt.date | None, calendar: BusinessCalendar) -> Due:
    if not match[2]:
        return Due(
            problem=f"“{text}”: write {match[1].upper()}+{match[3]} or {match[1].upper()}-{match[3]} (business days after or before the process due date); it was left empty"
        )
    days = int(match[3])
    if days > MAX_OFFSET:
        return Due(problem=f"“{text}” is more than {MAX_OFFSET} business days away; it was left empty")
    if process_due is None:
        return Due(problem=f"“{text}” counts from the process due date, which is not set; set it and the date follows")
    days *= 1 if match[2] == "+" else -1
    try:
        date = business_days_from(process_due, days, calendar)
    except CalendarError as exc:
        return Due(problem=f"“{text}” cannot be counted: {exc} It was left empty")
    result = _in_range(date, text)
    return Due(date=result.date, problem=result.problem, offset=text, days=days if result.date else None)


def _in_range(date: dt.date, text: str) -> Due:
    if not DATE_MIN <= date <= DATE_MAX:
        return Due(problem=f"the due date “{text}” is outside {DATE_MIN.year}–{DATE_MAX.year}; it was left empty")
    return Due(date=date.isoformat())


def _number(value: float | int | bool) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def parse_process_due(text: str | None) -> dt.date | None:
    """Return the process due date ``text`` names (YYYY-MM-DD), or None; raise ValueError when malformed."""
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"“{text}” is not a date as YYYY-MM-DD")
    date = dt.date.fromisoformat(text.strip())
    if not DATE_MIN <= date <= DATE_MAX:
        raise ValueError(f"“{text}” is outside {DATE_MIN.year}–{DATE_MAX.year}")
    return date
