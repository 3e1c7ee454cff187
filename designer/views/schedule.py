"""The schedule view (a timeline of every job by due date, or the same as a table) and roll forward."""

from __future__ import annotations

import datetime as dt
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
from designer.datelint import date_problems
from designer.errors import DraftError
from designer.forms import IsoDateField
from designer.permissions import Action, draft_for
from designer.schedule import HEAD, LABEL_WIDTH, ZOOMS, build_schedule, table_rows
from designer.selectors.calendar import draft_calendar
from designer.selectors.trees import draft_tree
from designer.services.periods import draft_roll_forward, roll_plan
from designer.views.http import Request
from processes_api.lint import lint_tree, parse_date


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
    editor_url = reverse("draft-editor", args=[draft.pk])
    process_due = parse_date(draft.due_date)
    schedule = build_schedule(
        tree,
        calendar,
        problems,
        today=today,
        process_due=process_due,
        zoom=request.GET.get("zoom"),
        editor_url=editor_url,
    )
    view = "table" if request.GET.get("view") == "table" else "timeline"
    context = {
        "draft": draft,
        "view": view,
        "zooms": list(ZOOMS),
        "schedule": schedule,
        "table_rows": table_rows(schedule, editor_url) if view == "table" else "",
        "label_width": LABEL_WIDTH,
        "head_h": HEAD,
        "today": today,
        "process_due": process_due,
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
