"""``{% publish_state draft problems current_hash as pub %}`` for the editor's publish area."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import Promise

from processes_api import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def publish_state(
    context: template.Context, draft: Any, problems: Any = None, current_hash: Any = None
) -> dict[str, Any]:
    """Return the publish area's state; ``current_hash`` (the page's, possibly lazy) saves a tree load.

    A page without it passes a missing variable, which templates resolve to "".
    """
    if not isinstance(current_hash, Promise) and not current_hash:
        current_hash = None
    request = context.get("request")
    user = request.user if request is not None else context.get("user")
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return selectors.publish_state(draft=draft, problems=problems, user=user, current_hash=current_hash)
