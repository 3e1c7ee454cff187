"""Builders of checklist files as a team would have them: .xlsx with merges and dates, CSV in several dialects."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

PHASES = ("Pre-close", "Close", "Reporting")
ENTITIES = ("US", "UK", "DE", "FR", "JP")


def xlsx(
    rows: list[list[Any]],
    *,
    title: str = "Checklist",
    merges: tuple[str, ...] = (),
    extra: dict[str, list[list[Any]]] | None = None,
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    for name, other in (extra or {}).items():
        ws = book.create_sheet(name)
        for row in other:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def close_checklist() -> bytes:
    """A 150-task quarter-end close: a merged title row, then Phase › Entity groups, blank separator rows,
    date cells and ISO text dates and WD offsets, a merged phase cell down its first rows."""
    rows: list[list[Any]] = [
        ["Q4 2026 close checklist — FINANCE ONLY"],
        ["Phase", "Entity", "Task", "Preparer", "Reviewer", "Due date", "Notes"],
    ]
    merges = ["A1:G1"]
    number = 0
    for phase in PHASES:
        for entity in ENTITIES:
            first = len(rows) + 1
            for index in range(10):
                number += 1
                due: Any = (
                    dt.datetime(2027, 1, 4 + index % 5)
                    if number % 3 == 0
                    else f"2027-01-{5 + index % 5:02d}"
                    if number % 3 == 1
                    else f"WD+{index % 4}"
                )
                rows.append(
                    [
                        phase,
                        entity,
                        f"{phase} {entity} task {index + 1}",
                        f"prep{number % 7}@example.com",
                        "Rita",
                        due,
                        f"Step {number}",
                    ]
                )
            if entity == "US":  # the phase written once, merged down its first entity's rows
                merges.append(f"A{first}:A{first + 9}")
                for row in rows[first - 1 + 1 : first - 1 + 10]:
                    row[0] = None
            rows.append([])  # a blank separator row
    return xlsx(rows, title="Close", merges=tuple(merges))


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join(delimiter.join(_quoted(c, delimiter) for c in row) for row in rows) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _quoted(cell: str, delimiter: str) -> str:
    return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in (delimiter, '"', "\n")) else cell
