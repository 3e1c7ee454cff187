"""Checklist imports: read a file, preview it under a mapping, create the draft; keep an upload between steps.

Creating goes through the designer's own import of a Process document
(``designer.services.drafts.draft_import``): one transaction, the same checks and limits as a
payload file, and nothing written when anything is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from checklists.export import CHECKLIST_SHEET, HOLIDAY_LABEL, PROCESS_SHEET, TOP_LEVEL_LABEL, TOP_NAME_LABEL
from checklists.mapping import Mapping, find_header, header_labels, id_roles, propose
from checklists.models import Upload
from checklists.plan import FALSE_WORDS, TRUE_WORDS, Options, Plan, PlanError, build_plan, text_of
from checklists.sheets import Row, Sheet, Workbook, read_workbook, workbook_from_json, workbook_to_json
from designer.calendar import BusinessCalendar, CalendarError, validate_holiday_code
from designer.models import Draft
from designer.selectors.calendar import organization_closures
from designer.services.drafts import draft_import
from processes_api import schema
from processes_api.payload import PayloadError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

UPLOAD_TTL = dt.timedelta(days=1)


@dataclass
class Preview:
    """A sheet read under a mapping: the header, each column's label, and the plan (or why there is none)."""

    sheet: Sheet
    header: Row | None
    labels: list[str]
    mapping: Mapping
    rows: list[Row]
    plan: Plan | None = None
    error: str | None = None
    samples: list[str] = field(default_factory=list)  # a first value of each column, for the mapping form


def checklist_preview(workbook: Workbook, *, sheet: str | None, mapping: Mapping | None, options: Options) -> Preview:
    """Return the preview of ``sheet`` (the checklist sheet when None) under ``mapping`` (proposed when None)."""
    chosen = workbook.sheet(sheet or default_sheet(workbook))
    index = find_header(chosen)
    header = chosen.rows[index] if index is not None else None
    rows = chosen.rows[index + 1 :] if index is not None else chosen.rows
    width = max((len(r.cells) for r in chosen.rows), default=0)
    if mapping is None:
        mapping = propose(header) if header is not None else Mapping()
    mapping.ids = id_roles(mapping, header)
    preview = Preview(sheet=chosen, header=header, labels=header_labels(header, width), mapping=mapping, rows=rows)
    preview.samples = [next((text_of(r.value(c)) for r in rows if text_of(r.value(c))), "") for c in range(width)]
    try:
        preview.plan = build_plan(rows, mapping, options)
    except PlanError as exc:
        preview.error = str(exc)
    return preview


def default_sheet(workbook: Workbook) -> str:
    """Return the sheet to start with: "Checklist" when there is one (our export), else the first."""
    names = [s.name for s in workbook.sheets]
    return CHECKLIST_SHEET if CHECKLIST_SHEET in names else names[0]


@dataclass
class ProcessSheet:
    """What a "Process" sheet says: settings by API key, and the top-level group's name and mode."""

    settings: dict[str, Any] = field(default_factory=dict)
    top_name: str | None = None
    top_parallel: bool | None = None
    holiday_calendar: str = ""  # a valid code (US, US-CA, NYSE) or empty


def process_settings(workbook: Workbook) -> ProcessSheet:
    """Return the process settings from a "Process" sheet of Setting / Value rows (empty without one).

    The sheet is optional (our export writes it); labels it does not know and values that do not
    fit their field are ignored: the checklist sheet is what is imported.
    """
    sheet = next((s for s in workbook.sheets if s.name == PROCESS_SHEET), None)
    found = ProcessSheet()
    if sheet is None:
        return found
    by_label = {f.label.lower(): f for f in schema.PROCESS_FIELDS}
    settings = found.settings
    for row in sheet.rows:
        label, value = text_of(row.value(0)).lower(), row.value(1)
        text = text_of(value)
        if label == TOP_LEVEL_LABEL.lower():
            found.top_parallel = _yes_no(text)
            continue
        if label == TOP_NAME_LABEL.lower():
            found.top_name = text[:500] or None
            continue
        if label == HOLIDAY_LABEL.lower():
            with contextlib.suppress(CalendarError):  # an unknown code counts as none, as on a draft
                found.holiday_calendar = validate_holiday_code(text.partition(" ")[0])
            continue
        f = by_label.get(label)
        if f is None or not text:
            continue
        if f.kind == "bool":
            if (flag := _yes_no(text)) is not None:
                settings[f.key] = flag
        elif f.kind == "weekdays":
            days = [d.strip().lower() for d in text.split(",")]
            if all(d in schema.WEEKDAYS for d in days):
                settings[f.key] = days
        elif f.kind in ("string", "date"):
            settings[f.key] = text[: f.max_length]
    return found


def business_calendar(weekdays: list[str] | None, holiday_code: str) -> BusinessCalendar:
    """Return the calendar a draft with these weekdays and holiday calendar will have (with the
    organization's closure dates), for counting WD/BD offsets as the editor will."""
    return BusinessCalendar.build(business_days=weekdays, holiday_code=holiday_code, closures=organization_closures())


def _yes_no(text: str) -> bool | None:
    lowered = text.lower()
    return True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else None


def checklist_create(
    *,
    plan: Plan,
    name: str,
    owner: User,
    settings: dict[str, Any] | None = None,
    top_name: str | None = None,
    source: str = "",
    holiday_calendar: str = "",
) -> Draft:
    """Create the draft ``plan`` describes, in one transaction; raise :class:`PlanError` when it is refused.

    The top-level group is named like the process (as a new draft's is) unless ``top_name`` says
    otherwise; ``source`` (the file and sheet) goes into the activity log. Dates given as WD/BD
    offsets stay rules on their jobs (``Node.date_rules``) on the draft's ``holiday_calendar``.
    """
    name = name.strip()[:500] or "Imported checklist"
    summary = f"Imported from the checklist {source}." if source else "Imported from a checklist."
    try:
        return draft_import(
            data=plan.process(name=name, settings=settings, top_name=top_name),
            owner=owner,
            summary=summary[:500],
            holiday_calendar=validate_holiday_code(holiday_calendar),
            date_rules=plan.date_rules(),
        )
    except CalendarError as exc:
        raise PlanError(f"the holiday calendar: {exc}") from None
    except PayloadError as exc:
        raise PlanError(f"the checklist cannot become a process: {exc}") from None
    except ValidationError as exc:
        raise PlanError(f"the checklist cannot become a process: {' '.join(exc.messages)}") from None


# --- uploads kept between the steps of the web preview ---------------------------------------------


@transaction.atomic
def upload_create(*, owner: User, filename: str, data: bytes, size: int | None = None) -> tuple[Upload, Workbook]:
    """Read ``data`` (raising SheetError when it is no checklist) and keep it for the preview's next steps.

    Uploads older than a day (anyone's) are deleted on the way: nobody finishes an import later.
    """
    workbook = read_workbook(data, filename, size=size)
    Upload.objects.filter(created__lt=timezone.now() - UPLOAD_TTL).delete()
    upload = Upload.objects.create(owner=owner, filename=workbook.filename[:255], sheets=workbook_to_json(workbook))
    return upload, workbook


def upload_workbook(upload: Upload) -> Workbook:
    """Return the sheets of ``upload`` as they were read when it was uploaded."""
    return workbook_from_json(upload.sheets)


def upload_delete(*, upload: Upload) -> None:
    upload.delete()
