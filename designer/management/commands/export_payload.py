"""Print a draft as the API's Process JSON: ``manage.py export_payload DRAFT_ID [--output FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.management.commands._common import get_draft
from designer.selectors.trees import draft_tree
from processes_api.payload import build_payload


class Command(BaseCommand):
    help = "Print the POST /processes body of a draft, or write it to --output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft_id")
        parser.add_argument("--output", help="Write the JSON to this file instead of printing it.")

    def handle(self, *args: Any, **options: Any) -> None:
        draft = get_draft(options["draft_id"])
        text = build_payload(draft_tree(draft=draft)).to_json() + "\n"
        if options["output"]:
            try:
                Path(options["output"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {options['output']}: {exc.strerror}", returncode=2) from None
        else:
            self.stdout.write(text, ending="")
