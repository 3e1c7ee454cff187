"""Writes of dates by business-day rules: relative dates, suggested fixes, the draft's holiday calendar.

A relative date is kept on its job as a rule (``Node.date_rules``: ``{"dueDate": {"days": -3}}`` is
three business days before the process due date) and the job's argument holds the date it gives,
so the payload carries an absolute date. A new process due date, other business days or another
holiday calendar recompute every rule-based date inside the same service call (one edit, one
undo step).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction

from designer.calendar import CalendarError, rule_date, shift_business_days, validate_holiday_code
from designer.errors import TreeError
from designer.models import Draft, Node, Operation
from designer.selectors.calendar import draft_calendar
from designer.services.nodes import refresh
from designer.services.operations import operation
from designer.services.rows import nodes_write
from processes_api import schema
from processes_api.lint import parse_date

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MAX_RULE_DAYS = 366
# What a change of these settings does to the dates computed from rules: recompute them.
CALENDAR_SETTINGS = ("due_date", "business_days", "holiday_calendar")


def _date_field(node: Node, field: str) -> schema.ArgField:
    jt = schema.job_type(node.job_type) if not node.is_group else None
    arg = jt.field_map.get(field) if jt else None
    if arg is None or arg.kind != "date":
        raise TreeError(f'"{field}" is not a date of this item.')
    return arg


def _process_due(draft: Draft) -> dt.date:
    due = parse_date(draft.due_date)
    if due is None:
        raise TreeError("Set the process due date first: relative dates count from it.")
    return due


@transaction.atomic
def node_date_rule_set(
    *, node: Node, version: int, field: str, days: int | None, actor: AbstractBaseUser | None = None
) -> Node:
    """Make ``field`` of the job ``node`` follow a rule (``days`` business days from the process due
    date), or, with ``days`` None, drop its rule and keep the date it gave as an absolute date."""
    draft = node.draft
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.EDIT) as op:
        op.watch([node.key])
        locked = Draft.objects.get(pk=draft.pk)
        refresh(node)
        _date_field(node, field)
        op.summary = f"date rule of “{node.label}”"
        rules = dict(node.date_rules or {})
        if days is None:
            rules.pop(field, None)
        else:
            if not -MAX_RULE_DAYS <= days <= MAX_RULE_DAYS:
                raise TreeError(f"Choose at most {MAX_RULE_DAYS} business days before or after the process due date.")
            rule = {"days": days}
            try:
                value = rule_date(draft_calendar(locked), _process_due(locked), rule)
            except CalendarError as exc:
                raise TreeError(str(exc)) from None
            rules[field] = rule
            node.arguments = dict(node.arguments or {}) | {field: value.isoformat()}
        node.date_rules = rules
        node.save(update_fields=["arguments", "date_rules"])
    return node


def rule_node_keys(draft: Draft) -> list[UUID]:
    """Return the keys of the nodes with a date rule: what :func:`recompute_rule_dates` may change
    (for the operation log to watch before a settings change)."""
    return list(Node.objects.filter(draft=draft).exclude(date_rules={}).values_list("key", flat=True))


def recompute_rule_dates(draft: Draft) -> int:
    """Recompute every rule-based date of ``draft`` (locked by the caller); return how many changed.

    Called inside the service that changed the process due date or the calendar, so the new dates
    are part of that one edit. Without a valid due date, or on a calendar without business days,
    the dates are left as they were (lint says what is wrong).
    """
    due = parse_date(draft.due_date)
    if due is None:
        return 0
    calendar = draft_calendar(draft)
    changed = []
    for node in Node.objects.filter(draft=draft).exclude(date_rules={}).only("id", "arguments", "date_rules"):
        args = dict(node.arguments or {})
        try:
            new = {field: rule_date(calendar, due, rule).isoformat() for field, rule in node.date_rules.items()}
        except CalendarError:
            return 0
        if any(args.get(field) != value for field, value in new.items()):
            node.arguments = args | new
            changed.append(node)
    nodes_write(changed, ["arguments"])
    return len(changed)


@transaction.atomic
def date_fix_apply(
    *,
    draft: Draft,
    version: int,
    node_key: UUID | None,
    field: str,
    value: str,
    actor: AbstractBaseUser | None = None,
) -> Node | None:
    """Apply a suggested date fix: set ``field`` of the node ``node_key`` (or of the process when
    None) to ``value`` as an absolute date; a rule on that field is dropped (the user chose a date)."""
    day = parse_date(value)
    if day is None:
        raise TreeError(f'"{value}" is not a date (use YYYY-MM-DD).')
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.EDIT) as op:
        if node_key is None:
            fields = {f.key: f for f in schema.PROCESS_FIELDS if f.kind == "date"}
            if field not in fields:
                raise TreeError(f'"{field}" is not a date of the process.')
            attr = fields[field].attr or "extra"
            op.watch(rule_node_keys(draft) if field == "dueDate" else [], settings=[attr])
            op.summary = f"fix of the process {str(fields[field].label).lower()}"
            locked = Draft.objects.get(pk=draft.pk)
            schema.field_store(locked, fields[field], "process", day.isoformat())
            locked.save()
            if field == "dueDate":
                recompute_rule_dates(locked)
            for name in ("due_date", "business_start_date", "version", "updated"):
                setattr(draft, name, getattr(locked, name))
            return None
        node = Node.objects.filter(draft=draft, key=node_key).first()
        if node is None:
            raise TreeError(f"There is no node {node_key} in this draft.")
        _date_field(node, field)
        op.watch([node.key])
        op.summary = f"date fix of “{node.label}”"
        node.arguments = dict(node.arguments or {}) | {field: day.isoformat()}
        node.date_rules = {k: v for k, v in (node.date_rules or {}).items() if k != field}
        node.save(update_fields=["arguments", "date_rules"])
        node.draft = draft
    return node


@transaction.atomic
def draft_calendar_update(
    *, draft: Draft, version: int, holiday_calendar: str, actor: AbstractBaseUser | None = None
) -> int:
    """Set the draft's holiday calendar (``US``, ``US-CA``, ``NYSE`` or empty) and recompute its
    rule-based dates; return how many dates changed."""
    try:
        code = validate_holiday_code(holiday_calendar)
    except CalendarError as exc:
        raise TreeError(str(exc)) from None
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.SETTINGS) as op:
        op.watch(rule_node_keys(draft), settings=["holiday_calendar"])
        op.summary = "change of the holiday calendar"
        locked = Draft.objects.get(pk=draft.pk)
        locked.holiday_calendar = code
        locked.save(update_fields=["holiday_calendar"])
        draft.holiday_calendar = code
        changed = recompute_rule_dates(locked)
    return changed


def business_day_shifter(draft: Draft) -> Callable[[dt.date, int], dt.date] | None:
    """Shift dates on ``draft`` by its business days (bulk edit's "Shift due dates"); None when the
    draft has no business day, so the shift counts calendar days (lint says the calendar is empty)."""
    calendar = draft_calendar(draft)
    if not calendar.weekdays:
        return None

    def shift(day: dt.date, days: int) -> dt.date:
        try:
            return shift_business_days(calendar, day, days)
        except CalendarError as exc:
            raise TreeError(str(exc)) from None

    return shift
