"""Print a draft's problems: ``manage.py lint_draft DRAFT_ID``; exit 1 when any is an error."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from designer.datelint import calendar_problems
from designer.management.commands._common import get_draft
from designer.selectors.trees import draft_tree
from processes_api.lint import lint_tree
from processes_api.payload import build_payload


class Command(BaseCommand):
    help = "List the problems lint finds in a draft; exit 1 if any of them is an error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draft_id")

    def handle(self, *args: Any, **options: Any) -> None:
        draft = get_draft(options["draft_id"])
        tree = draft_tree(draft=draft)
        payload = build_payload(tree)
        problems = [*lint_tree(tree, payload), *calendar_problems(draft, tree)]
        paths = payload.paths.path_by_key
        for p in problems:
            where = paths.get(p.node_key, "process") if p.node_key else "process"
            field = f".{p.field}" if p.field else ""
            suggested = getattr(p, "fix", None)  # a calendar warning's suggested date
            fix = f" (fix: {suggested})" if suggested else ""
            self.stdout.write(f"{p.severity:7} {p.code:28} {where}{field}: {p.message}{fix}")
        errors = sum(p.is_error for p in problems)
        self.stdout.write(f"{errors} error(s), {len(problems) - errors} warning(s)")
        if errors:
            sys.exit(1)
