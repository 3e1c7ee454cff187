"""Presence: who has a draft open, what each has selected and which field each is typing in.

There is no presence store: each connection holds its own state and tells the draft's group when it
changes; a newcomer asks, and every connection answers it directly. A connection that closes says
goodbye; one whose process died stops sending its heartbeat and the editors drop it after
:data:`EXPIRES_SECONDS`. So presence needs nothing but the channel layer, with one process or many.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

HEARTBEAT_SECONDS = 15
EXPIRES_SECONDS = 40
# How many colours the markers cycle through (static/css/live.css: who-0 … who-7).
COLOURS = 8
_FIELD = re.compile(r"^[A-Za-z][\w.-]{0,63}$")


def member_of(user: Any) -> dict[str, Any]:
    """Return how ``user`` is shown to the others: id, name, initials and colour number."""
    name = (user.get_full_name() or "").strip() or user.get_username()
    words = [w for w in re.split(r"[\s._-]+", name) if w]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    return {"user": user.pk, "name": name, "initials": initials, "colour": user.pk % COLOURS}


def node_key(value: Any) -> str | None:
    """Return ``value`` as a node key string, None for none; raise ValueError for anything else."""
    if value in (None, ""):
        return None
    return str(UUID(str(value)))


def field_name(value: Any) -> str | None:
    """Return ``value`` as a form field name, None for none; raise ValueError for anything else."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _FIELD.match(value):
        raise ValueError("not a field name")
    return value
