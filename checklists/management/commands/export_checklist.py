"""Write a draft as a checklist workbook: ``manage.py export_checklist DRAFT_ID --output FILE.xlsx``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from checklists.export import checklist_workbook
from designer.models import Draft


class Command(BaseCommand):
    help = "Write a draft as an .xlsx checklist (one row per group and job, the settings on a second sheet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft_id", help="The draft's id.")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        draft_id = options["draft_id"]
        if not str(draft_id).isdigit():
            raise CommandError(f"“{draft_id}” is not a draft id (a whole number)", returncode=2)
        draft = Draft.objects.filter(pk=int(draft_id)).first()
        if draft is None:
            raise CommandError(f"there is no draft {draft_id}", returncode=2)
        data = checklist_workbook(draft)
        output = Path(options["output"])
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"{output} ({len(data):,} bytes)")
