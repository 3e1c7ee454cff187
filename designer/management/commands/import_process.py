"""Create a draft from a process in Workiva: ``manage.py import_process PROCESS_ID [--owner USERNAME]``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.management.commands.import_payload import _owner
from designer.services.workiva_import import draft_import_process
from processes_api.client import ApiError
from processes_api.payload import PayloadError


class Command(BaseCommand):
    help = (
        "Fetch a Workiva process (GET /processes/{id}) and create a draft of it; print the new draft's id. "
        "Exits 2 with one line on an unknown id or a connection problem, writing nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("process_id", help="The Workiva process id.")
        parser.add_argument("--owner", help="Username of the new draft's owner (default: the first superuser).")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = _owner(options["owner"])
        process_id = options["process_id"].strip()
        if not process_id or "/" in process_id or len(process_id) > 200:
            raise CommandError(f'"{options["process_id"]}" is not a Workiva process id', returncode=2)
        try:
            imported = draft_import_process(process_id=process_id, owner=owner)
        except ApiError as exc:
            if exc.status == 404:
                raise CommandError(f"there is no Workiva process {process_id}", returncode=2) from None
            raise CommandError(exc.message, returncode=2) from None
        except PayloadError as exc:
            raise CommandError(f"process {process_id}: {exc}", returncode=2) from None
        except ValidationError as exc:
            raise CommandError(f"process {process_id}: {' '.join(exc.messages)}", returncode=2) from None
        if imported.lacking:
            count = len(imported.lacking)
            self.stderr.write(
                f"{count} job{'s' if count != 1 else ''} came without {'their' if count != 1 else 'its'} "
                "details: fill them in before publishing."
            )
        self.stdout.write(str(imported.draft.pk))
