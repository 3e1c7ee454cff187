"""Helpers shared by the designer's management commands."""

from __future__ import annotations

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
