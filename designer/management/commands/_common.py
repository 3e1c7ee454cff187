"""Helpers shared by the designer's management commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from designer.models import Draft


def get_draft(draft_id: str) -> Draft:
    """Return the draft with id ``draft_id`` or stop with exit code 2."""
    if not str(draft_id).isdigit():
        raise CommandError(f'"{draft_id}" is not a draft id (a whole number)', returncode=2)
    draft = Draft.objects.filter(pk=int(draft_id)).first()
    if draft is None:
        raise CommandError(f"there is no draft {draft_id}", returncode=2)
    return draft
