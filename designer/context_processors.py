"""Context for every page: what the header shows about the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from designer.selectors.reviews import inbox_count
from designer.selectors.sharing import invitation_count


def review_inbox(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Add ``review_inbox_count`` and ``review_invitation_count``: what waits for the signed-in user.

    They are callables, which the template resolves once with ``{% with %}``: each COUNT query runs
    only on pages that show the header.
    """
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "review_inbox_count": lambda: inbox_count(user=user),
        "review_invitation_count": lambda: invitation_count(user=user),
    }
