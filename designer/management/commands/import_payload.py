"""Create a draft from a Process JSON file: ``manage.py import_payload FILE [--owner USERNAME]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.services.drafts import draft_import
from processes_api import schema
from processes_api.payload import PayloadError, parse_json


class Command(BaseCommand):
    help = "Create a draft from a Workiva Process JSON file and print the new draft's id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the JSON file.")
        parser.add_argument("--owner", help="Username of the new draft's owner (default: the first superuser).")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = _owner(options["owner"])
        path = options["file"]
        try:
            with Path(path).open("rb") as file:  # a byte past the limit is enough to refuse it
                raw = file.read(schema.MAX_BODY_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
        try:
            draft = draft_import(data=parse_json(raw), owner=owner)
        except PayloadError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)}", returncode=2) from None
        self.stdout.write(str(draft.pk))


def _owner(username: str | None) -> Any:
    users = get_user_model().objects
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f'there is no user "{username}"', returncode=2)
        return user
    user = users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError("no --owner given and there is no superuser to own the draft", returncode=2)
    return user
