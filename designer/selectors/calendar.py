"""The business calendar of a draft: its days of the week, its holiday calendar, the organization's closures."""

from __future__ import annotations

from typing import Any

from designer.calendar import BusinessCalendar, CalendarError, describe_rule
from designer.models import ClosureDate, Draft, Node
from processes_api import schema


def organization_closures() -> dict[Any, str]:
    """Return every organization closure date with its name (one query; the list is short)."""
    return dict(ClosureDate.objects.values_list("date", "name"))


def draft_calendar(draft: Draft) -> BusinessCalendar:
    """Return ``draft``'s business calendar; an unknown stored holiday code counts as none."""
    try:
        return BusinessCalendar.build(
            business_days=draft.business_days, holiday_code=draft.holiday_calendar, closures=organization_closures()
        )
    except CalendarError:
        return BusinessCalendar.build(business_days=draft.business_days, closures=organization_closures())


def date_rule_rows(node: Node | None) -> list[dict[str, Any]]:
    """Return the inspector's rows for a job's dates: field, label, date, rule and the rule in words."""
    if node is None or node.is_group:
        return []
    jt = schema.job_type(node.job_type)
    if jt is None or jt.generated:
        return []
    args = node.arguments if isinstance(node.arguments, dict) else {}
    rules = node.date_rules or {}
    rows = []
    for arg in jt.date_fields:
        rule = rules.get(arg.name)
        days = int(rule["days"]) if rule else None
        rows.append(
            {
                "field": arg.name,
                "label": arg.label,
                "value": args.get(arg.name) or "",
                "rule": rule,
                "text": describe_rule(rule) if rule else "",
                "count": abs(days) if days is not None else "",
                "after": bool(days and days > 0),
            }
        )
    return rows


def calendar_context(draft: Draft) -> dict[str, Any]:
    """Return what the editor's calendar panel shows."""
    from designer.calendar import holiday_choices

    return {
        "holiday_choices": holiday_choices(),
        "holiday_code": draft.holiday_calendar,
        "closure_count": ClosureDate.objects.count(),
    }


def has_dated_jobs(draft: Draft) -> bool:
    """Whether any job of ``draft`` has a due date: then a move can add or clear the date lint's order
    warnings on rows it did not touch (a step due before the step before it), so the editor asks for
    every row's badges after it. One query."""
    return Node.objects.filter(draft=draft, kind=Node.Kind.JOB, arguments__has_key="dueDate").exists()
