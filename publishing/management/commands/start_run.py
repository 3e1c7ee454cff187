"""Start a run of a published draft's process: ``manage.py start_run DRAFT_ID [--user USERNAME]``; prints the run id."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.management.commands._common import get_draft, get_user
from publishing.services.runs import RunRefused, run_start


class Command(BaseCommand):
    help = "Start a run of the Workiva process a draft was last published as; print the run id (exit 2 if it cannot)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft_id")
        parser.add_argument("--user", help="Who starts it (default: the draft's owner).")

    def handle(self, *args: Any, **options: Any) -> None:
        draft = get_draft(options["draft_id"])
        user = get_user(options["user"], draft.owner)
        try:
            record, _ = run_start(draft=draft, user=user)
        except RunRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(record.run_id)
