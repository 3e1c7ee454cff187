"""Create a draft from a checklist spreadsheet: ``manage.py import_checklist FILE [--sheet NAME] [--owner USERNAME] [--due YYYY-MM-DD]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from checklists.dates import parse_process_due
from checklists.plan import Options, PlanError
from checklists.services import business_calendar, checklist_create, checklist_preview, process_settings
from checklists.sheets import MAX_FILE_BYTES, SheetError, read_workbook
from designer.calendar import CalendarError, validate_holiday_code
from designer.management.commands.import_payload import _owner


class Command(BaseCommand):
    help = (
        "Create a draft from a checklist (.xlsx or .csv) with the proposed column mapping; print the new "
        "draft's id, and each row's problems on stderr as 'row N: problem'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the .xlsx or .csv file.")
        parser.add_argument(
            "--sheet", help="The sheet to import (default: “Checklist” if there is one, else the first)."
        )
        parser.add_argument("--owner", help="Username of the new draft's owner (default: the first superuser).")
        parser.add_argument("--due", help="The process due date, YYYY-MM-DD; WD+n / BD-n offsets count from it.")
        parser.add_argument(
            "--holidays",
            help="The holiday calendar (US, US-CA, NYSE …; default: the file's “Process” sheet, else none); "
            "WD/BD offsets skip its holidays.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            due = parse_process_due(options["due"])
        except ValueError as exc:
            raise CommandError(f"--due: {exc}", returncode=2) from None
        try:
            holidays = validate_holiday_code(options["holidays"] or "") if options["holidays"] is not None else None
        except CalendarError as exc:
            raise CommandError(f"--holidays: {exc}", returncode=2) from None
        owner = _owner(options["owner"])
        try:
            with Path(path).open("rb") as file:  # a byte past the limit is enough to refuse it
                data = file.read(MAX_FILE_BYTES + 1)
                size = Path(path).stat().st_size
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
        try:
            workbook = read_workbook(data, path, size=size)
            found = process_settings(workbook)
            settings = dict(found.settings)
            if due is not None:
                settings["dueDate"] = due.isoformat()
            elif settings.get("dueDate"):
                due = _due_or_none(settings["dueDate"])
            if holidays is None:
                holidays = found.holiday_calendar
            weekdays = settings.get("businessDaysOfWeek")
            preview = checklist_preview(
                workbook,
                sheet=options["sheet"],
                mapping=None,
                options=Options(
                    process_due=due,
                    weekdays=weekdays,
                    calendar=business_calendar(weekdays, holidays),
                    root_parallel=found.top_parallel,
                ),
            )
            if preview.plan is None:
                raise PlanError(preview.error or "nothing to import")
            name = settings.pop("name", None) or Path(path).stem
            draft = checklist_create(
                plan=preview.plan,
                name=name,
                owner=owner,
                settings=settings,
                top_name=found.top_name,
                holiday_calendar=holidays,
            )
        except (SheetError, PlanError) as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        for number, problem in preview.plan.problems:
            self.stderr.write(f"row {number}: {problem}")
        self.stdout.write(str(draft.pk))


def _due_or_none(text: str) -> Any:
    try:
        return parse_process_due(text)
    except ValueError:
        return None
