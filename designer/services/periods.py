"""Roll a draft forward to the next period: every date moved by business days, period names advanced.

The date rule (issue 14, exactly): with D the old process due date, D′ the new one and d a date of
the draft, k is the number of business days in (d, D] (minus those in (D, d] when d > D); d′ is the
business day k business days before D′ (k = 0: D′, or the business day before it when D′ is not
one) — :func:`designer.calendar.roll_date`. Dates that follow a rule are recomputed from their rule.

Names: period tokens (``Q4 2026``, ``FY2026``, ``December 2026``, ``Dec 2026``) advance by the
months between D and D′; :func:`roll_plan` lists every date change and every replacement before
anything is written, and :func:`draft_roll_forward` takes the (possibly edited) replacements.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction

from designer.calendar import BusinessCalendar, CalendarError, roll_date, rule_date
from designer.errors import TreeError
from designer.models import Activity, Draft, Node
from designer.selectors.calendar import draft_calendar
from designer.selectors.trees import draft_tree
from designer.services.activity import activity_record
from designer.services.drafts import draft_duplicate
from designer.services.rows import nodes_write
from processes_api import schema
from processes_api.lint import parse_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_MONTHS = [m for m in std_calendar.month_name if m]
_MONTH_ABBR = [m for m in std_calendar.month_abbr if m]
_TOKEN = re.compile(
    r"\b(?:Q(?P<q>[1-4])(?P<qsep>[\s-]*)(?P<qy>(?:19|20)\d\d)"
    r"|FY(?P<fsep>[\s-]?)(?P<fy>(?:19|20)\d\d|\d\d)"
    r"|(?P<month>" + "|".join(_MONTHS + _MONTH_ABBR) + r")(?P<msep>\s+)(?P<my>(?:19|20)\d\d))\b"
)


@dataclass(frozen=True, slots=True)
class DateChange:
    node_key: UUID | None  # None: the process
    where: str
    field: str  # the API key
    label: str
    old: str
    new: str
    by_rule: bool


@dataclass
class RollPlan:
    """What rolling forward would do, listed before anything is created."""

    old_due: dt.date
    new_due: dt.date
    months: int
    dates: list[DateChange] = field(default_factory=list)
    replacements: dict[str, str] = field(default_factory=dict)  # token → its next-period token, in order found
    order: list[UUID] = field(default_factory=list)  # every node's key, in document order


def advance_token(token: str, months: int, years: int | None = None) -> str:
    """Return the period ``token`` moved by ``months`` (Q4 2026 +3 → Q1 2027; FY26 +12 → FY27).

    A fiscal year moves by ``years`` (default: whole years in ``months``); roll forward passes the
    year change of the draft's quarter or month names, and the preview lets the user correct it.
    """
    match = _TOKEN.fullmatch(token)
    if match is None:
        return token
    if match["q"]:
        index = int(match["qy"]) * 4 + int(match["q"]) - 1 + round(months / 3)
        return f"Q{index % 4 + 1}{match['qsep']}{index // 4}"
    if match["fy"]:
        years = round(months / 12) if years is None else years
        year = int(match["fy"])
        if len(match["fy"]) == 2:
            return f"FY{match['fsep']}{(year + years) % 100:02d}"
        return f"FY{match['fsep']}{year + years}"
    name = match["month"]
    names = _MONTHS if name in _MONTHS else _MONTH_ABBR
    index = int(match["my"]) * 12 + names.index(name) + months
    return f"{names[index % 12]}{match['msep']}{index // 12}"


def period_tokens(text: str) -> list[str]:
    """Return the period tokens in ``text``, in order."""
    return [m.group(0) for m in _TOKEN.finditer(text or "")]


def renamed(text: str, replacements: Mapping[str, str]) -> str:
    """Return ``text`` with each period token replaced as ``replacements`` says (one pass, no chains)."""
    return _TOKEN.sub(lambda m: replacements.get(m.group(0), m.group(0)), text)


def _months_between(old: dt.date, new: dt.date) -> int:
    return (new.year * 12 + new.month) - (old.year * 12 + old.month)


def roll_plan(draft: Draft, new_due: dt.date) -> RollPlan:
    """Return every date change and name replacement rolling ``draft`` forward to ``new_due`` makes."""
    old_due = parse_date(draft.due_date)
    if old_due is None:
        raise TreeError("The draft has no valid process due date to roll forward from.")
    calendar = draft_calendar(draft)
    if not calendar.weekdays:
        raise TreeError("The draft has no business days: check at least one day of the week first.")
    months = _months_between(old_due, new_due)
    plan = RollPlan(old_due=old_due, new_due=new_due, months=months)
    tree = draft_tree(draft=draft)
    plan.order = [node.key for node, _ in tree.walk()]
    try:
        _plan_dates(plan, draft, tree, calendar)
    except CalendarError as exc:
        raise TreeError(str(exc)) from None
    tokens = [
        token for text in (draft.name, *(_name(node) for node, _ in tree.walk())) for token in period_tokens(text)
    ]
    years = _fiscal_years(tokens, months)
    for token in tokens:
        plan.replacements.setdefault(token, advance_token(token, months, years))
    return plan


def _fiscal_years(tokens: list[str], months: int) -> int:
    """Return how many years a fiscal-year token moves: as the draft's first quarter or month name
    does (Q4 2026 → Q1 2027: one year), else the whole years in ``months`` (a calendar fiscal year)."""
    for token in tokens:
        if not token.startswith("FY"):
            year = int(token[-4:])
            return int(advance_token(token, months)[-4:]) - year
    return round(months / 12)


def _name(node: Node) -> str:
    if node.is_group:
        return node.name or ""
    title = node.arguments.get("title") if isinstance(node.arguments, dict) else None
    return title if isinstance(title, str) else ""


def _plan_dates(plan: RollPlan, draft: Draft, tree: Any, calendar: BusinessCalendar) -> None:
    add = plan.dates.append
    add(
        DateChange(
            None, "The process", "dueDate", "Due date", plan.old_due.isoformat(), plan.new_due.isoformat(), False
        )
    )
    for f in schema.PROCESS_FIELDS:
        if f.kind != "date" or f.key == "dueDate":
            continue
        day = parse_date(schema.field_value(draft, f, "process"))
        if day is not None:
            new = roll_date(calendar, day, plan.old_due, plan.new_due)
            add(DateChange(None, "The process", f.key, f.label, day.isoformat(), new.isoformat(), False))
    for node, _ in tree.walk():
        jt = None if node.is_group else schema.job_type(node.job_type)
        if jt is None:
            continue
        args = node.arguments if isinstance(node.arguments, dict) else {}
        rules = node.date_rules or {}
        for arg in jt.date_fields:
            day = parse_date(args.get(arg.name))
            rule = rules.get(arg.name)
            if rule:
                new = rule_date(calendar, plan.new_due, rule)
            elif day is not None:
                new = roll_date(calendar, day, plan.old_due, plan.new_due)
            else:
                continue
            old = args.get(arg.name) or ""
            add(DateChange(node.key, node.label, arg.name, arg.label, str(old), new.isoformat(), bool(rule)))


@transaction.atomic
def draft_roll_forward(
    *, draft: Draft, owner: User, new_due: dt.date, replacements: Mapping[str, str] | None = None
) -> Draft:
    """Create the next period's draft from ``draft`` (left untouched) as :func:`roll_plan` lists it.

    ``replacements`` are the period-token replacements to make in names (None: the plan's own;
    an empty mapping: names kept).
    """
    plan = roll_plan(draft, new_due)  # refuses a draft that cannot roll before anything is created
    swaps = dict(plan.replacements if replacements is None else replacements)
    name = renamed(draft.name, swaps) if swaps else f"{draft.name} (next period)"
    new = draft_duplicate(draft=draft, owner=owner, name=name[:500])
    # The copy's nodes in document order are the original's: carry the plan over by position.
    _apply_plan(new, plan, swaps, plan.order)
    activity_record(
        draft=new,
        actor=owner,
        verb=Activity.Verb.CREATED,
        summary=f"Rolled forward from “{draft}” to the process due date {new_due.isoformat()}.",
    )
    return new


def roll_in_place(draft: Draft, new_due: dt.date, replacements: Mapping[str, str]) -> None:
    """Move every date of ``draft`` (a new draft its creator is still making) to ``new_due`` by
    :func:`roll_plan`, and make the period-name ``replacements`` in its names."""
    _apply_plan(draft, roll_plan(draft, new_due), replacements, None)


def _apply_plan(draft: Draft, plan: RollPlan, replacements: Mapping[str, str], keys: list[UUID] | None) -> None:
    """Write ``plan``'s dates and the name ``replacements`` to ``draft``; ``keys`` are the keys the
    plan names each of ``draft``'s nodes by, in document order (None: the nodes' own)."""
    process_fields = {f.key: f for f in schema.PROCESS_FIELDS}
    by_key: dict[UUID, dict[str, str]] = {}
    for change in plan.dates:
        if change.node_key is None:
            schema.field_store(draft, process_fields[change.field], "process", change.new)
        else:
            by_key.setdefault(change.node_key, {})[change.field] = change.new
    draft.save()
    nodes = [node for node, _ in draft_tree(draft=draft).walk()]
    changed: list[Node] = []
    for node, key in zip(nodes, keys if keys is not None else [n.key for n in nodes], strict=True):
        dates = by_key.get(key, {})
        if node.is_group:
            if not (replacements and node.name):
                continue
            node.name = renamed(node.name, replacements)[:500]
        else:
            title = node.arguments.get("title") if isinstance(node.arguments, dict) else None
            if not dates and not (replacements and isinstance(title, str)):
                continue
            args = dict(node.arguments or {}) | dates
            if replacements and isinstance(title, str):
                args["title"] = renamed(title, replacements)
            node.arguments = args
        changed.append(node)
    nodes_write(changed, ["name", "arguments"])
