"""Delete old operations: ``manage.py prune_operations [--days 90]``; prints how many went."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from designer.services.operations import operations_prune


class Command(BaseCommand):
    help = "Delete operations (the undo history and live-update log) older than --days days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90, help="Keep this many days of history (default 90).")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = operations_prune(before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} operation(s) older than {days} day(s).")
