"""The one request type that every view of the designer and of publishing receives.

Every view is behind ``login_required`` (or ``staff_member_required``), so ``user`` is a real
:class:`User`; django-htmx's middleware adds ``htmx``.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class Request(HttpRequest):
    htmx: HtmxDetails
    user: User


def whole_number(value: str | None) -> int | None:
    """Return ``value`` as an id or a version: ASCII digits only (not ``²``, ``1.5``), under 2**63; else None."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value)
