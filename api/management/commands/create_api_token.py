"""Create a personal access token for a user and print it (for scripts and tests)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.tokens import TokenError, token_create


class Command(BaseCommand):
    help = "Create a personal access token for USERNAME and print it; it is shown only this once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument("--expires-days", type=int, default=None, help="Days until it expires (default: never).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {options['username']!r}.") from None
        try:
            _, secret = token_create(user=user, name=options["name"], expires_days=options["expires_days"])
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(secret)
