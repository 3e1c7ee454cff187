"""Read an uploaded spreadsheet (.xlsx or .csv) into plain rows of cell values, trusting nothing in it.

Every refusal is a :class:`SheetError` whose message names the problem for the person who uploaded
the file. What is refused before any parsing: more than :data:`MAX_FILE_BYTES`, the old binary .xls
format, a zip whose parts would unpack to more than :data:`MAX_UNPACKED_BYTES` (a zip bomb: the sizes
a zip declares bound what Python's zipfile will inflate), anything that is neither a workbook nor
text. While reading: at most :data:`MAX_ROWS` non-blank rows and :data:`MAX_COLUMNS` columns a sheet,
cells of at most :data:`MAX_CELL_CHARS`, at most :data:`MAX_TEXT_CHARS` of text in all (shared strings
make a small file hold much) and at most :data:`MAX_MERGED_CELLS` cells filled from merges. Formulas are never evaluated: a formula
cell reads as a :class:`Formula` holding its text, and the import reports it. XML is parsed by
openpyxl through defusedxml (installed beside it), which refuses entity expansion.

Merged cells carry their top-left value into every cell of the range (what the reader sees);
openpyxl's read-only mode does not report merges, so its sheet parser is driven here directly
(openpyxl is pinned in pyproject.toml for that reason).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

MAX_FILE_BYTES = 5 * 1000 * 1000
MAX_UNPACKED_BYTES = 60 * 1000 * 1000
MAX_ZIP_ENTRIES = 2000
MAX_ROWS = 10_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 10_000
MAX_SHEETS = 100
# All the text of a workbook: a shared string of 10,000 characters in every cell of a sheet would be
# small in the file and enormous once read.
MAX_TEXT_CHARS = 20_000_000
MAX_MERGED_CELLS = 1_000_000

Value = str | int | float | bool | dt.date | dt.datetime | dt.time | None


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell: its text (``=SUM(A1:A3)``); never evaluated."""

    text: str

    def __str__(self) -> str:
        return self.text


CellValue = Value | Formula


class SheetError(ValueError):
    """A file that cannot be read as a checklist; the message says why, for the person who sent it."""


@dataclass(slots=True)
class Row:
    """One row of a sheet: its number as the spreadsheet shows it (1-based) and its cell values."""

    number: int
    cells: list[CellValue]

    def value(self, column: int) -> CellValue:
        return self.cells[column] if column < len(self.cells) else None

    @property
    def blank(self) -> bool:
        return all(_blank(c) for c in self.cells)


@dataclass(slots=True)
class Sheet:
    name: str
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Workbook:
    """A file's sheets in their order; a CSV file is one sheet named after the file."""

    filename: str
    sheets: list[Sheet]

    def sheet(self, name: str | None) -> Sheet:
        """Return the sheet called ``name`` (the first sheet when None), or raise :class:`SheetError`."""
        if name is None:
            return self.sheets[0]
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        names = ", ".join(f"“{s.name}”" for s in self.sheets)
        raise SheetError(f"there is no sheet “{name}” in {self.filename}; its sheets are {names}")


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(data: bytes, filename: str, *, size: int | None = None) -> Workbook:
    """Return the sheets of an uploaded file, or raise :class:`SheetError` naming what is wrong.

    ``size`` is the whole file's size when only its first ``MAX_FILE_BYTES + 1`` bytes were read.
    """
    name = PurePath(filename).name or "the file"
    size = max(size or 0, len(data))
    if size > MAX_FILE_BYTES:
        raise SheetError(f"{name} is {size / 1e6:.1f} MB; a checklist file may be at most {MAX_FILE_BYTES / 1e6:g} MB")
    if not data.strip():
        raise SheetError(f"{name} is empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            f"{name} is an old Excel 97–2003 (.xls) file or is encrypted; save it as .xlsx and upload it again"
        )
    if data.startswith(b"PK"):
        return Workbook(filename=name, sheets=_read_xlsx(data, name))
    return Workbook(filename=name, sheets=[_read_csv(data, name)])


# --- kept between requests -----------------------------------------------------------------------


def workbook_to_json(workbook: Workbook) -> dict[str, Any]:
    """Return ``workbook`` as JSON data (dates and formulas tagged), so a preview need not parse the file again."""
    return {
        "filename": workbook.filename,
        "sheets": [
            {"name": s.name, "rows": [[r.number, [_cell_json(c) for c in r.cells]] for r in s.rows]}
            for s in workbook.sheets
        ],
    }


def workbook_from_json(data: dict[str, Any]) -> Workbook:
    """Return the workbook :func:`workbook_to_json` wrote."""
    return Workbook(
        filename=data["filename"],
        sheets=[
            Sheet(name=s["name"], rows=[Row(number=n, cells=[_cell_value(c) for c in cells]) for n, cells in s["rows"]])
            for s in data["sheets"]
        ],
    )


def _cell_json(value: CellValue) -> Any:
    if isinstance(value, Formula):
        return {"f": value.text}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"t": value.isoformat()}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _cell_value(value: Any) -> CellValue:
    if isinstance(value, dict):
        if "f" in value:
            return Formula(value["f"])
        if "dt" in value:
            return dt.datetime.fromisoformat(value["dt"])
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
        if "t" in value:
            return dt.time.fromisoformat(value["t"])
    return value


# --- xlsx ---------------------------------------------------------------------------------------


class _Budget:
    """The characters of text a workbook may still hold (:data:`MAX_TEXT_CHARS`)."""

    def __init__(self, name: str) -> None:
        self.name, self.left = name, MAX_TEXT_CHARS

    def spend(self, value: object) -> None:
        if isinstance(value, str):
            self.left -= len(value)
            if self.left < 0:
                raise SheetError(
                    f"{self.name} holds more than {MAX_TEXT_CHARS // 1_000_000} million characters of text; "
                    "a checklist is far smaller"
                )


def _read_xlsx(data: bytes, name: str) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise SheetError(f"{name} is not a readable .xlsx workbook (the zip container is damaged)") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise SheetError(f"{name} holds {len(infos):,} parts; a workbook this complex is not a checklist we can read")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(
            f"{name} would unpack to {unpacked / 1e6:,.0f} MB; at most {MAX_UNPACKED_BYTES // 1_000_000} MB is read"
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise SheetError(f"{name} is a zip file but not an .xlsx workbook")
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
            try:
                worksheets = [ws for ws in book.worksheets if hasattr(ws, "_get_source")]  # charts sheets aside
                if not worksheets:
                    raise SheetError(f"{name} has no worksheet")
                budget = _Budget(name)
                return [_read_worksheet(book, ws, name, budget) for ws in worksheets[:MAX_SHEETS]]
            finally:
                book.close()
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged or hostile XML; none may escape as a 500
        raise SheetError(f"{name} is not a readable .xlsx workbook ({type(exc).__name__})") from None


def _read_worksheet(book: Any, ws: Any, name: str, budget: _Budget) -> Sheet:
    from openpyxl.worksheet._reader import WorkSheetParser

    sheet = Sheet(name=str(ws.title))
    by_number: dict[int, list[CellValue]] = {}
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=False,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        kept = 0
        for number, cells in parser.parse():
            values: list[CellValue] = []
            for cell in cells:
                column = cell["column"]
                if column > MAX_COLUMNS:
                    if not _blank(cell["value"]):
                        raise SheetError(
                            f"sheet “{sheet.name}” of {name} uses more than {MAX_COLUMNS} columns (row {number})"
                        )
                    continue
                values.extend([None] * (column - len(values)))
                values[column - 1] = value = _xlsx_value(cell, sheet.name, number)
                budget.spend(value)
            if any(not _blank(v) for v in values):
                kept += 1
                if kept > MAX_ROWS:
                    raise SheetError(f"sheet “{sheet.name}” of {name} has more than {MAX_ROWS:,} rows")
                by_number[number] = values
        merged = parser.merged_cells
    if merged is not None:
        _fill_merged(by_number, [str(cell.ref) for cell in merged.mergeCell], budget)
    sheet.rows = [Row(number=n, cells=by_number[n]) for n in sorted(by_number)]
    return sheet


def _xlsx_value(cell: dict[str, Any], sheet: str, row: int) -> CellValue:
    value, kind = cell["value"], cell["data_type"]
    if kind == "f":
        text = value.text if hasattr(value, "text") else value  # array formulas come as objects
        return Formula(str(text or "="))
    if kind == "e":  # an error value such as #REF!
        return None
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise SheetError(
            f"row {row} of sheet “{sheet}” has a cell of {len(value):,} characters; at most {MAX_CELL_CHARS:,} are read"
        )
    if isinstance(value, dt.timedelta):
        return str(value)
    if value is not None and not isinstance(value, str | int | float | bool | dt.date | dt.time):
        return str(value)  # rich text and other objects: their text
    return value


def _fill_merged(rows: dict[int, list[CellValue]], ranges: list[str], budget: _Budget) -> None:
    """Copy each merged range's top-left value into its other cells, within the rows and cells a sheet may have."""
    from openpyxl.utils.cell import range_boundaries

    filled = 0
    for ref in ranges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except ValueError:
            continue
        if min_col is None or min_row is None or max_col is None or max_row is None:
            continue
        top = rows.get(min_row, [])
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        if _blank(value):
            continue
        for number in range(min_row, min(max_row, min_row + MAX_ROWS) + 1):
            cells = rows.get(number)
            if cells is None:  # a row blank but for the merge: it belongs to the merge, so it exists
                cells = rows[number] = []
                if len(rows) > MAX_ROWS:
                    raise SheetError(
                        f"{budget.name} has more than {MAX_ROWS:,} rows once its merged cells are filled in"
                    )
            for column in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                cells.extend([None] * (column - len(cells)))
                cells[column - 1] = value
                budget.spend(value)
                filled += 1
                if filled > MAX_MERGED_CELLS:
                    raise SheetError(
                        f"{budget.name} merges more than {MAX_MERGED_CELLS:,} cells; a checklist has far fewer"
                    )


# --- csv ----------------------------------------------------------------------------------------

_DELIMITERS = ",;\t|"


def _read_csv(data: bytes, name: str) -> Sheet:
    text = _decode(data, name)
    if "\x00" in text:
        raise SheetError(f"{name} is neither an .xlsx workbook nor CSV text (it holds binary data)")
    dialect = csv.excel
    dialect_delimiter = _delimiter(text)
    sheet = Sheet(name=PurePath(name).stem or "CSV")
    reader = csv.reader(io.StringIO(text, newline=""), dialect, delimiter=dialect_delimiter)
    kept = 0
    try:
        for number, values in enumerate(reader, start=1):  # rows as a spreadsheet program numbers them
            if len(values) > MAX_COLUMNS and any(v.strip() for v in values[MAX_COLUMNS:]):
                raise SheetError(f"{name} uses more than {MAX_COLUMNS} columns (row {number})")
            cells: list[CellValue] = list(values[:MAX_COLUMNS])
            for value in cells:
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise SheetError(
                        f"row {number} of {name} has a cell of {len(value):,} characters; at most {MAX_CELL_CHARS:,} are read"
                    )
            if any(not _blank(v) for v in cells):
                kept += 1
                if kept > MAX_ROWS:
                    raise SheetError(f"{name} has more than {MAX_ROWS:,} rows")
                sheet.rows.append(Row(number=number, cells=cells))
    except csv.Error as exc:
        raise SheetError(f"{name} is not readable CSV (line {reader.line_num}: {exc})") from None
    return sheet


def _delimiter(text: str) -> str:
    """Return the delimiter of a CSV text: the one of ``, ; tab |`` that splits its first lines most evenly.

    Each candidate scores the number of lines holding it exactly as often as most lines do (a
    row has as many separators as the header); commas inside a task's text vary from line to line
    and do not outvote the real delimiter. No candidate at all: a one-column file, read with commas.
    """
    lines = [line for line in text[:50_000].splitlines()[:20] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        used = [c for c in counts if c]
        if not used:
            continue
        usual = Counter(used).most_common(1)[0][0]
        score = (counts.count(usual), usual)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _decode(data: bytes, name: str) -> str:
    """Return the text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SheetError(f"{name} is not readable UTF-16 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) // 100 + 1 or any(ord(c) < 9 for c in text[:4096]):
        raise SheetError(f"{name} is neither an .xlsx workbook nor CSV text")
    return text
