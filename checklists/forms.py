"""The checklist import's form data: the upload, and the preview's choices (sheet, columns, name, due, modes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django import forms
from django.http import QueryDict

from checklists.dates import parse_process_due
from checklists.mapping import MAX_GROUP_LEVELS, Mapping
from checklists.plan import Options
from checklists.services import ProcessSheet, business_calendar, default_sheet
from checklists.sheets import MAX_COLUMNS, MAX_FILE_BYTES, Workbook
from designer.calendar import CalendarError, validate_holiday_code
from designer.views.http import whole_number


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Checklist file",
        help_text=f".xlsx or .csv, at most {MAX_FILE_BYTES // 1_000_000} MB: one row per task.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
    )


MODE_CHOICES = (("", "as the Parallel column says"), ("seq", "one after another"), ("par", "all at the same time"))


@dataclass
class Choices:
    """What the preview form asked for; ``mapping`` is None when the proposal should be used."""

    sheet: str
    mapping: Mapping | None
    name: str
    due: str
    options: Options
    modes: dict[str, str] = field(default_factory=dict)  # mode id → "", "seq" or "par", as chosen
    top_mode: str = ""
    holidays: str = ""  # the holiday calendar chosen (a valid code or empty)
    errors: dict[str, str] = field(default_factory=dict)


def read_choices(params: QueryDict, workbook: Workbook, found: ProcessSheet) -> Choices:
    """Return the preview's choices from a GET or POST; absent ones take the file's defaults."""
    names = [s.name for s in workbook.sheets]
    sheet = params.get("sheet") or default_sheet(workbook)
    if sheet not in names:
        sheet = default_sheet(workbook)
    mapping = None
    if params.get("mapped") == sheet:  # the columns were chosen for this sheet (not for the one before)
        roles: dict[int, str] = {}
        for key in params:
            column = whole_number(key[4:]) if key.startswith("col-") else None
            value = params.get(key)
            if column is not None and column < MAX_COLUMNS and isinstance(value, str) and value:
                roles[column] = value
        mapping = Mapping.from_roles(roles)
        mapping.groups = mapping.groups[:MAX_GROUP_LEVELS]
    default_name = str(found.settings.get("name") or PurePath(workbook.filename).stem)
    name = (params.get("name", default_name) or "").strip()[:500]
    due = (params.get("due", found.settings.get("dueDate") or "") or "").strip()
    errors: dict[str, str] = {}
    try:
        process_due = parse_process_due(due)
    except ValueError as exc:
        errors["due"] = f"{exc}."
        process_due = None
    modes = {key[5:]: value for key, value in params.items() if key.startswith("mode-") and value in ("seq", "par")}
    top_mode = params.get("top", "")
    if "top" not in params and found.top_parallel is not None:
        top_mode = "par" if found.top_parallel else "seq"
    holidays = (params.get("holidays", found.holiday_calendar) or "").strip()
    try:
        holidays = validate_holiday_code(holidays)
    except CalendarError as exc:
        errors["holidays"] = str(exc)
        holidays = ""
    weekdays = found.settings.get("businessDaysOfWeek")
    options = Options(
        process_due=process_due,
        weekdays=weekdays,
        calendar=business_calendar(weekdays, holidays),
        modes={key: value == "par" for key, value in modes.items()},
        root_parallel={"par": True, "seq": False}.get(top_mode),
    )
    return Choices(
        sheet=sheet,
        mapping=mapping,
        name=name,
        due=due,
        options=options,
        modes=modes,
        top_mode=top_mode,
        holidays=holidays,
        errors=errors,
    )


def settings_for(choices: Choices, found: ProcessSheet) -> dict[str, Any]:
    """Return the process settings to create with: the Process sheet's, with the chosen due date."""
    settings = {k: v for k, v in found.settings.items() if k not in ("name", "dueDate")}
    if choices.options.process_due is not None:
        settings["dueDate"] = choices.options.process_due.isoformat()
    return settings
