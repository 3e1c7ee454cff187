"""What the review pages share: the draft with a role check, the tab context, a refusal redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from designer.errors import DraftError
from designer.models import Draft
from designer.permissions import RULES, Action, draft_for, role_of
from designer.views.http import Request, whole_number


def review_draft(request: Request, pk: int, action: Action) -> Draft:
    return draft_for(request.user, pk, action)


def review_context(request: Request, draft: Draft, tab: str, **extra: Any) -> dict[str, Any]:
    role = role_of(request.user, draft)
    assert role is not None
    allowed = {action.value: action in RULES[role] for action in Action}
    return {"draft": draft, "my_role": role, "can": allowed, "tab": tab} | extra


def refused_redirect(request: Request, error: DraftError, to: str, pk: int) -> HttpResponse:
    messages.error(request, str(error))
    return redirect(to, pk=pk)


def posted_version(request: Request) -> int:
    """Return the draft version a decision or restore form says it was made on, or refuse."""
    value = whole_number(request.POST.get("version"))
    if value is None:
        raise DraftError("The form did not say which version you reviewed; reload the page.")
    return value
