"""Publish a draft: ``manage.py publish_draft DRAFT_ID [--user USERNAME]``.

Prints the process id and exits 0; on rejection prints each error with its node path and exits 1;
bad input (an unknown draft or user, lint errors) prints one line on stderr and exits 2.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.management.commands._common import get_draft, get_user
from publishing.models import Submission
from publishing.services.submissions import PublishBlocked, draft_publish


class Command(BaseCommand):
    help = "Publish a draft to the Workiva Processes API (or the sandbox) and print the process id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft_id")
        parser.add_argument("--user", help="Who publishes (default: the draft's owner).")

    def handle(self, *args: Any, **options: Any) -> None:
        draft = get_draft(options["draft_id"])
        user = get_user(options["user"], draft.owner)
        try:
            submission = draft_publish(draft=draft, user=user).submission
        except PublishBlocked as exc:
            raise CommandError(str(exc), returncode=2) from None
        if submission.process_id:
            self.stdout.write(submission.process_id)
            for error in submission.errors.all():  # validation findings on a created process
                self.stderr.write(f"warning {error.path or 'process'}: {error.code}: {error.message}")
            return
        if submission.status == Submission.Status.REJECTED:
            for error in submission.errors.all():
                self.stdout.write(f"{error.path or 'process'}: {error.code}: {error.message}")
        else:
            self.stderr.write(f"{submission.get_status_display()}: {submission.message}")
        sys.exit(1)
