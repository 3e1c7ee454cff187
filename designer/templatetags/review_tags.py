"""Template tags for review: the header's inbox link with its count."""

from __future__ import annotations

from typing import Any

from django import template

from designer.review_selectors import inbox_count

register = template.Library()


@register.inclusion_tag("review/_inbox_link.html", takes_context=True)
def review_inbox_link(context: dict[str, Any]) -> dict[str, Any]:
    """Render the "Reviews (n)" header link for the signed-in user (one COUNT query)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    count = inbox_count(user=user) if user is not None else 0
    return {"count": count, "show": bool(user and user.is_authenticated)}
