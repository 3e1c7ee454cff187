"""``{% publish_state draft problems as pub %}`` for the editor's publish area."""

from __future__ import annotations

from typing import Any

from django import template

from processes_api import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def publish_state(context: template.Context, draft: Any, problems: Any = None) -> dict[str, Any]:
    request = context.get("request")
    user = request.user if request is not None else context.get("user")
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return selectors.publish_state(draft=draft, problems=problems, user=user)
