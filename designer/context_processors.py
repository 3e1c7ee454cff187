"""Context for every page: what the header shows about the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from designer.selectors.reviews import inbox_count


def review_inbox(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """Add ``review_inbox_count``, the reviews waiting for the signed-in user (the header's badge).

    It is a callable, which the template resolves once with ``{% with %}``: the one COUNT query
    runs only on pages that show the header.
    """
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_inbox_count": lambda: inbox_count(user=user)}
