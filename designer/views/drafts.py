"""The drafts list: search, create, import, duplicate and delete drafts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from designer import ratelimit
from designer.forms import MAX_IMPORT_BYTES, ImportForm, NewDraftForm
from designer.permissions import Action, draft_for, with_my_role
from designer.selectors.drafts import draft_list
from designer.services.drafts import draft_create, draft_delete, draft_duplicate, draft_import
from designer.views.http import Request
from processes_api.payload import PayloadError, parse_json


def _list_context(request: Request, **extra: Any) -> dict[str, Any]:
    search = request.GET.get("q", "").strip()
    drafts = with_my_role(draft_list(user=request.user, search=search), user=request.user)[:200]
    return {
        "drafts": drafts,
        "search": search,
        "new_form": extra.pop("new_form", None) or NewDraftForm(),
        "import_form": extra.pop("import_form", None) or ImportForm(),
        **extra,
    }


@login_required
@require_GET
def draft_list_view(request: Request) -> HttpResponse:
    template = (
        "designer/draft_list.html#draft-table"
        if request.htmx and request.GET.get("q") is not None
        else "designer/draft_list.html"
    )
    return render(request, template, _list_context(request))


def _too_many(request: Request, limited: ratelimit.Limited, **extra: Any) -> HttpResponse:
    """Answer 429: the drafts page with the limit's message, and when to try again."""
    messages.error(request, str(limited))
    response = render(request, "designer/draft_list.html", _list_context(request, **extra), status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


@login_required
@require_POST
def draft_create_view(request: Request) -> HttpResponse:
    form = NewDraftForm(request.POST)
    if not form.is_valid():
        return render(request, "designer/draft_list.html", _list_context(request, new_form=form), status=422)
    draft = draft_create(owner=request.user, name=form.cleaned_data["name"])
    return redirect("draft-editor", pk=draft.pk)


@login_required
@require_POST
def draft_import_view(request: Request) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    try:
        ratelimit.limit(user_id=request.user.pk, action="import")
    except ratelimit.Limited as limited:
        return _too_many(request, limited, import_form=form)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise PayloadError("", "the file is larger than the 10 MB Workiva accepts")
            draft = draft_import(data=parse_json(upload.read()), owner=request.user)
        except PayloadError as exc:
            form.add_error("file", f"This file cannot be imported: {exc}")
        except ValidationError as exc:
            form.add_error("file", f"This file cannot be imported: {' '.join(exc.messages)}")
        else:
            messages.success(request, f"Imported “{draft.name}”.")
            return redirect("draft-editor", pk=draft.pk)
    return render(request, "designer/draft_list.html", _list_context(request, import_form=form), status=422)


@login_required
@require_POST
def draft_duplicate_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.VIEW)
    try:
        ratelimit.limit(user_id=request.user.pk, action="duplicate")
    except ratelimit.Limited as limited:
        return _too_many(request, limited)
    copy = draft_duplicate(draft=draft, owner=request.user)
    messages.success(request, f"Created “{copy.name}”; you are editing the copy.")
    return redirect("draft-editor", pk=copy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete_view(request: Request, pk: int) -> HttpResponse:
    draft = draft_for(request.user, pk, Action.DELETE)
    if request.method == "GET":
        return render(request, "designer/draft_delete.html", {"draft": draft})
    name = str(draft)
    draft_delete(draft=draft)
    messages.success(request, f"Deleted “{name}”.")
    return redirect("draft-list")
