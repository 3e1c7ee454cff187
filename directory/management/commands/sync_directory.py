"""``manage.py sync_directory``: fill the directory from Workiva; print one line of counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory.services import SyncError, directory_sync


class Command(BaseCommand):
    help = (
        "Fill the directory (users, documents, spreadsheets) from Workiva's platform API. Prints one line of "
        "counts; exits 2 with one line on a connection or permission problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-users", action="store_true", help="Leave the users as they are.")
        parser.add_argument("--no-files", action="store_true", help="Leave the files as they are.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = directory_sync(users=not options["no_users"], files=not options["no_files"])
        except SyncError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(result.line())
