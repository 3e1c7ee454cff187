"""The template gallery's pages: the gallery, one template (with "New draft from this template"), and
"Save as template" on a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from designer import ratelimit
from designer.calendar import describe_rule
from designer.errors import DraftError
from designer.forms import IsoDateField
from designer.permissions import Action, draft_for
from designer.views.http import Request
from gallery.models import ProcessTemplate
from gallery.services import draft_from_template, template_save


@login_required
@require_http_methods(["GET"])
def gallery_view(request: Request) -> HttpResponse:
    """Every template family, at its latest version, for the whole organization."""
    latest: dict[Any, ProcessTemplate] = {}
    versions: dict[Any, int] = {}
    for template in ProcessTemplate.objects.select_related("created_by").order_by("name", "-version"):
        latest.setdefault(template.family, template)
        versions[template.family] = versions.get(template.family, 0) + 1
    items = [(t, versions[t.family]) for t in latest.values()]
    return render(request, "gallery/gallery.html", {"items": items})


def _outline(node: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
    """Return the template's tree as rows: label, depth, kind, and each date rule in words."""
    fields = node.get("fields") or {}
    args = fields.get("arguments") or {}
    if node.get("kind") == "group":
        label, how = (
            fields.get("name") or "Untitled group",
            "at the same time" if fields.get("parallel") else "in order",
        )
    else:
        label, how = (args.get("title") if isinstance(args, dict) else None) or "Untitled job", ""
    rules = [f"{field}: {describe_rule(rule)}" for field, rule in (node.get("date_rules") or {}).items()]
    rows = [{"label": label, "depth": range(depth), "kind": node.get("kind"), "how": how, "rules": rules}]
    for child in node.get("children") or []:
        rows += _outline(child, depth + 1)
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def template_detail_view(request: Request, pk: int) -> HttpResponse:
    """One template version, read-only; its form makes a new draft from it."""
    template = get_object_or_404(ProcessTemplate.objects.select_related("created_by"), pk=pk)
    context: dict[str, Any] = {
        "template": template,
        "rows": _outline(template.content.get("root") or {})[1:],
        "versions": ProcessTemplate.objects.filter(family=template.family).order_by("-version"),
        "name": request.POST.get("name", ""),
        "due": request.POST.get("due", ""),
    }
    if request.method == "POST":
        try:
            due = dt.date.fromisoformat(str(IsoDateField(required=True).clean(context["due"])))
            ratelimit.limit(user_id=request.user.pk, action="duplicate")
            draft = draft_from_template(template=template, owner=request.user, name=context["name"], due=due)
        except ValidationError as exc:
            context["error"] = f"Process due date: {' '.join(exc.messages)}"
        except ratelimit.Limited as limited:
            context["error"] = str(limited)
            response = render(request, "gallery/template.html", context, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        except DraftError as exc:
            context["error"] = str(exc)
        else:
            messages.success(request, f"Created “{draft.name}” from the template; every date is computed.")
            return redirect("draft-editor", pk=draft.pk)
    return render(request, "gallery/template.html", context, status=422 if context.get("error") else 200)


@login_required
@require_http_methods(["GET", "POST"])
def template_save_view(request: Request, pk: int) -> HttpResponse:
    """Save a draft as a template (its editors and owner): a new one, or the next version of one so named."""
    draft = draft_for(request.user, pk, Action.EDIT)
    context: dict[str, Any] = {
        "draft": draft,
        "name": request.POST.get("name", draft.name),
        "description": request.POST.get("description", ""),
    }
    if request.method == "POST":
        try:
            template = template_save(
                draft=draft, actor=request.user, name=context["name"], description=context["description"]
            )
        except DraftError as exc:
            context["error"] = str(exc)
        else:
            messages.success(request, f"Saved “{template.name}” (version {template.version}) to the template gallery.")
            return redirect("gallery-template", pk=template.pk)
    return render(request, "gallery/save.html", context, status=422 if context.get("error") else 200)
