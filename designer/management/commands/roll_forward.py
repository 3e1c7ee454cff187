"""Create the next period's draft: ``manage.py roll_forward DRAFT_ID --due YYYY-MM-DD [--owner USERNAME] [--no-rename]``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.errors import DraftError
from designer.management.commands._common import get_draft
from designer.services.periods import draft_roll_forward


class Command(BaseCommand):
    help = "Roll a draft forward to a new process due date (dates by business days, period names advanced); print the new draft id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft_id")
        parser.add_argument("--due", required=True, help="The new process due date, YYYY-MM-DD.")
        parser.add_argument("--owner", help="Username of the new draft's owner (default: the draft's owner).")
        parser.add_argument("--no-rename", action="store_true", help="Keep every name as it is.")

    def handle(self, *args: Any, **options: Any) -> None:
        draft = get_draft(options["draft_id"])
        try:
            due = dt.date.fromisoformat(options["due"])
        except ValueError:
            raise CommandError(f'"{options["due"]}" is not a date (use YYYY-MM-DD)', returncode=2) from None
        owner = draft.owner
        if options["owner"]:
            named = get_user_model().objects.filter(username=options["owner"], is_active=True).first()
            if named is None:
                raise CommandError(f"there is no active user {options['owner']}", returncode=2)
            owner = named
        try:
            new = draft_roll_forward(
                draft=draft, owner=owner, new_due=due, replacements={} if options["no_rename"] else None
            )
        except DraftError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(str(new.pk))
