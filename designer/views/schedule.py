"""The schedule view (a timeline of every job by due date, or the same as a table) and roll forward."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from designer import ratelimit
from designer.calendar import BusinessCalendar
from designer.datelint import date_problems
from designer.errors import DraftError
from designer.forms import IsoDateField
from designer.permissions import Action, draft_for
from designer.selectors.calendar import draft_calendar
from designer.selectors.trees import Tree, draft_tree
from designer.services.periods import draft_roll_forward, roll_plan
from designer.views.http import Request
from processes_api.lint import lint_tree, parse_date

ZOOMS = {"week": 24, "month": 6}  # pixels per day
ROW = 22
HEAD = 34
LABEL_WIDTH = 300
MAX_DAYS = 1100  # the timeline's span is clamped to about three years around the process due date


@dataclass(frozen=True, slots=True)
class JobRow:
    key: UUID
    title: str
    lane: str
    due: dt.date | None
    problems: tuple[str, ...]
    y: int
    x: int | None
    closed: str | None


@dataclass(frozen=True, slots=True)
class LaneRow:
    label: str
    parallel: bool
    depth: int
    y: int


def _rows(tree: Tree, problems: dict[UUID, list[str]], calendar: BusinessCalendar) -> tuple[list[Any], list[JobRow]]:
    """Return the lanes (groups in tree order) and job rows, before x positions are known."""
    rows: list[Any] = []
    jobs: list[JobRow] = []
    lane_of: dict[int, str] = {}
    y = 0
    for node, depth in tree.walk():
        if node.is_group:
            lane_of[node.id] = node.label
            rows.append(LaneRow(node.label, bool(node.parallel), depth, y))
            y += ROW
            continue
        args = node.arguments if isinstance(node.arguments, dict) else {}
        due = parse_date(args.get("dueDate"))
        closed = calendar.closed_because(due) if due and calendar.weekdays else None
        assert node.parent_id is not None
        job = JobRow(
            node.key,
            node.label,
            lane_of.get(node.parent_id, ""),
            due,
            tuple(problems.get(node.key, ())),
            y,
            None,
            closed,
        )
        rows.append(job)
        jobs.append(job)
        y += ROW
    return rows, jobs


@login_required
@require_http_methods(["GET"])
def schedule_view(request: Request, pk: int) -> HttpResponse:
    """Every job on a timeline by due date (``?zoom=week|month``), or as a table (``?view=table``)."""
    draft = draft_for(request.user, pk, Action.VIEW)
    tree = draft_tree(draft=draft)
    calendar = draft_calendar(draft)
    today = timezone.localdate()
    problems: dict[UUID, list[str]] = {}
    for p in [*lint_tree(tree), *date_problems(tree, calendar, today)]:
        if p.node_key is not None:
            problems.setdefault(p.node_key, []).append(p.message)
    rows, jobs = _rows(tree, problems, calendar)
    process_due = parse_date(draft.due_date)
    dues = [j.due for j in jobs if j.due]
    anchor = process_due or today
    first = max(min([*dues, today, anchor]), anchor - dt.timedelta(days=MAX_DAYS // 2)) - dt.timedelta(days=3)
    last = min(max([*dues, today, anchor]), anchor + dt.timedelta(days=MAX_DAYS // 2)) + dt.timedelta(days=3)
    span = (last - first).days + 1
    zoom = request.GET.get("zoom")
    if zoom not in ZOOMS:
        zoom = "week" if span <= 70 else "month"
    px = ZOOMS[zoom]

    def x_of(day: dt.date | None) -> int | None:
        if day is None or not first <= day <= last:
            return None
        return (day - first).days * px

    placed = []
    for row in rows:
        if isinstance(row, JobRow):
            row = JobRow(**{**{f: getattr(row, f) for f in JobRow.__slots__}, "x": x_of(row.due)})
        placed.append(row)
    days = [first + dt.timedelta(days=i) for i in range(span)]
    reasons = [(d, calendar.closed_because(d)) for d in days] if calendar.weekdays else []
    shaded = [(x_of(d), why, d) for d, why in reasons if why]
    ticks = [(x_of(d), d) for d in days if (d.weekday() == 0 if zoom == "week" else d.day == 1)]
    height = ROW * len(rows) + 8
    context = {
        "draft": draft,
        "view": "table" if request.GET.get("view") == "table" else "timeline",
        "zoom": zoom,
        "zooms": list(ZOOMS),
        "rows": placed,
        "jobs": jobs,
        "job_count": len(jobs),
        "undated": sum(1 for j in jobs if j.due is None),
        "problem_count": sum(1 for j in jobs if j.problems),
        "width": span * px + 20,
        "head_h": HEAD,
        "focus_x": max(0, (x_of(min(dues)) or 0) - 8 * px) if dues else max(0, (x_of(today) or 0) - 8 * px),
        "height": height,
        "px": px,
        "row_h": ROW - 6,
        "label_width": LABEL_WIDTH,
        "shaded": shaded,
        "ticks": ticks,
        "today_x": x_of(today),
        "today": today,
        "due_x": x_of(process_due),
        "process_due": process_due,
        "first": first,
        "last": last,
        "holiday_code": draft.holiday_calendar,
    }
    return render(request, "designer/schedule.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def roll_forward_view(request: Request, pk: int) -> HttpResponse:
    """Create next period's draft: pick the new process due date, see every change, then create it."""
    draft = draft_for(request.user, pk, Action.VIEW)
    context: dict[str, Any] = {"draft": draft, "due": request.POST.get("due") or request.GET.get("due") or ""}
    field = IsoDateField(required=True)
    if context["due"]:
        try:
            new_due = dt.date.fromisoformat(str(field.clean(context["due"])))
            plan = roll_plan(draft, new_due)
        except DraftError as exc:
            context["error"] = str(exc)
        except Exception as exc:  # noqa: BLE001 -- a ValidationError from the date field: its message is the user's
            context["error"] = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            context["plan"] = plan
            context["replacements"] = list(plan.replacements.items())
            if request.method == "POST" and request.POST.get("create"):
                swaps = {}
                for i, (token, proposed) in enumerate(plan.replacements.items()):
                    value = request.POST.get(f"to-{i}", proposed).strip()[:100]
                    if value:
                        swaps[token] = value
                if request.POST.get("no_rename"):
                    swaps = {}
                try:
                    ratelimit.limit(user_id=request.user.pk, action="duplicate")
                except ratelimit.Limited as limited:
                    context["error"] = str(limited)
                    response = render(request, "designer/roll_forward.html", context, status=429)
                    response["Retry-After"] = str(limited.retry_after)
                    return response
                new = draft_roll_forward(draft=draft, owner=request.user, new_due=new_due, replacements=swaps)
                messages.success(request, f"Created “{new.name}” for the next period; you are editing it.")
                return redirect(reverse("draft-editor", args=[new.pk]))
    return render(request, "designer/roll_forward.html", context, status=422 if context.get("error") else 200)
