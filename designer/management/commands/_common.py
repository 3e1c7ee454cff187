"""Helpers shared by the designer's management commands."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from designer.models import Draft


def get_draft(draft_id: str) -> Draft:
    """Return the draft with id ``draft_id`` or stop with exit code 2."""
    text = str(draft_id)
    if not (text.isascii() and text.isdigit()):  # 0-9 only: int() would take "١" but not "²"
        raise CommandError(f'"{draft_id}" is not a draft id (a whole number)', returncode=2)
    draft = Draft.objects.filter(pk=int(text)).first() if len(text) < 19 else None  # ids fit in 64 bits
    if draft is None:
        raise CommandError(f"there is no draft {draft_id}", returncode=2)
    return draft


def get_user(username: str | None, default: Any) -> Any:
    """Return the user named ``username``, or ``default`` when none is given; stop with exit code 2
    when there is no such user."""
    if not username:
        return default
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f'there is no user "{username}"', returncode=2)
    return user
