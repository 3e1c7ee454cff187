"""Files that are no checklist: each refused with a message naming the problem, nothing written."""

from __future__ import annotations

import io
import zipfile

import pytest

from checklists import sheets
from checklists.sheets import SheetError, read_workbook
from tests.checklists.files import csv_bytes, xlsx


def _zip(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "close.xlsx is empty"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "old Excel 97–2003 (.xls) file or is encrypted; save it as .xlsx",
        ),
        (
            b"PK\x03\x04 this is not a zip at all",
            "close.xlsx is not a readable .xlsx workbook (the zip container is damaged)",
        ),
        (_zip({"hello.txt": b"hi"}), "close.xlsx is a zip file but not an .xlsx workbook"),
        (
            _zip({"xl/workbook.xml": b"<not-closed", "[Content_Types].xml": b"<x/>"}),
            "close.xlsx is not a readable .xlsx workbook",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "neither an .xlsx workbook nor CSV text"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_refused_by_name(data, message):
    with pytest.raises(SheetError) as refused:
        read_workbook(data, "close.xlsx")

    assert message in str(refused.value)


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = _zip({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"\x00" * (sheets.MAX_UNPACKED_BYTES + 1)})

    with pytest.raises(SheetError, match=r"would unpack to 60 MB; at most 60 MB is read"):
        read_workbook(bomb, "bomb.xlsx")

    assert len(bomb) < 200_000  # it really is a small file that would inflate


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_FILE_BYTES", 1000)

    with pytest.raises(SheetError, match=r"big.csv is 0.0 MB; a checklist file may be at most 0.001 MB"):
        read_workbook(b"Task\n" + b"x" * 1000, "big.csv")
    with pytest.raises(SheetError, match=r"big.csv is 12.3 MB; a checklist file may be at most 0.001 MB"):
        read_workbook(b"x" * 1001, "big.csv", size=12_300_000)  # only the first bytes were read


def test_xml_entity_expansion_is_refused():
    book = xlsx([["Task"], ["a"]])
    parts = {}
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    body = sheet[sheet.index("<worksheet") :]
    doctype = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    parts["xl/worksheets/sheet1.xml"] = (doctype + body.replace(">a<", ">&lol2;<")).encode()

    with pytest.raises(SheetError, match="not a readable .xlsx workbook"):
        read_workbook(_zip(parts), "laughs.xlsx")


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 5)

    with pytest.raises(SheetError, match="has more than 5 rows"):
        read_workbook(xlsx([["Task"], *([f"t{n}"] for n in range(6))]), "long.xlsx")
    with pytest.raises(SheetError, match="long.csv has more than 5 rows"):
        read_workbook(csv_bytes([["Task"], *([f"t{n}"] for n in range(6))]), "long.csv")


def test_a_row_too_wide_or_a_cell_too_long_is_refused():
    wide = [["Task", *(["x"] * sheets.MAX_COLUMNS)]]
    long_cell = [["Task"], ["x" * (sheets.MAX_CELL_CHARS + 1)]]

    with pytest.raises(SheetError, match=r"uses more than 100 columns \(row 1\)"):
        read_workbook(xlsx(wide), "wide.xlsx")
    with pytest.raises(SheetError, match=r"wide.csv uses more than 100 columns \(row 1\)"):
        read_workbook(csv_bytes(wide), "wide.csv")
    with pytest.raises(SheetError, match=r"row 2 of sheet “Checklist” has a cell of 10,001 characters"):
        read_workbook(xlsx(long_cell), "long.xlsx")
    with pytest.raises(SheetError, match=r"row 2 of long.csv has a cell of 10,001 characters"):
        read_workbook(csv_bytes(long_cell), "long.csv")


def test_an_unknown_sheet_is_named_with_the_sheets_there_are():
    workbook = read_workbook(xlsx([["Task"]], title="Close"), "c.xlsx")

    with pytest.raises(SheetError, match="there is no sheet “Other” in c.xlsx; its sheets are “Close”"):
        workbook.sheet("Other")


def test_utf16_csv_with_bom_is_read():
    workbook = read_workbook(b"\xff\xfe" + "Task\tOwner\r\nRéconcilier\tzoë\r\n".encode("utf-16-le"), "u16.csv")

    assert workbook.sheets[0].rows[1].cells == ["Réconcilier", "zoë"]


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        (
            "Phase;Task;Owner\nClose;Reconcile bank, cash, and AR, all of it;ann\n",
            ["Close", "Reconcile bank, cash, and AR, all of it", "ann"],
        ),
        ('Phase,Task,Owner\nClose,"Reconcile; then sign",ann\n', ["Close", "Reconcile; then sign", "ann"]),
        ("Phase\tTask\tOwner\nClose\tReconcile, sign\tann\n", ["Close", "Reconcile, sign", "ann"]),
        ("Task\nReconcile bank\n", ["Reconcile bank"]),
    ],
)
def test_the_csv_delimiter_is_the_one_that_splits_the_rows_evenly(text, cells):
    workbook = read_workbook(text.encode(), "list.csv")

    assert workbook.sheets[0].rows[1].cells == cells


def test_a_workbook_holding_too_much_text_is_refused(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_TEXT_CHARS", 50_000)
    rows = [["Task", "Notes"], *([f"t{n}", "x" * 5000] for n in range(20))]

    with pytest.raises(SheetError, match="shared.xlsx holds more than 0 million characters of text"):
        read_workbook(xlsx(rows), "shared.xlsx")


def test_merges_are_filled_only_within_the_limits(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 50)

    with pytest.raises(SheetError, match="has more than 50 rows once its merged cells are filled in"):
        read_workbook(xlsx([["Task"], ["a"]], merges=("A2:A2000",)), "tall.xlsx")
    monkeypatch.setattr(sheets, "MAX_MERGED_CELLS", 100)
    with pytest.raises(SheetError, match="merges more than 100 cells"):
        read_workbook(xlsx([["Task", "B", "C"], ["a", None, None]], merges=("A2:C45",)), "wide.xlsx")


def test_the_upload_keeps_the_cells_as_read_dates_and_formulas_included():
    import datetime as dt

    from checklists.sheets import workbook_from_json, workbook_to_json

    workbook = read_workbook(
        xlsx([["Task", "Due", "Owner"], ["a", dt.datetime(2027, 1, 4), "=A1"], ["b", 3.5, True]]), "k.xlsx"
    )

    again = workbook_from_json(workbook_to_json(workbook))

    assert again == workbook
