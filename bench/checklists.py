"""Benchmark: a 3,000-row checklist read from .xlsx and CSV, previewed, created as a draft, exported again.

Run: .venv/bin/python bench/checklists.py [--rows 3000] (DATABASE_URL selects PostgreSQL).
Prints medians with the load average: the machine is shared, so figures are indicative only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import time

from _setup import median_ms, start


def _rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = [["Phase", "Entity", "Task", "Preparer", "Reviewer", "Due date", "Notes"]]
    for n in range(count):
        due: object = dt.datetime(2027, 1, 4 + n % 5) if n % 2 else f"WD+{n % 5}"
        rows.append(
            [
                f"Phase {n // 300}",
                f"Entity {n // 30 % 10}",
                f"Task {n}",
                f"p{n % 40}@example.com",
                "rita",
                due,
                f"Step {n}",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    stop = start()
    try:
        from django.contrib.auth.models import User
        from django.test import Client
        from openpyxl import Workbook

        from checklists.export import checklist_workbook
        from checklists.models import Upload
        from checklists.plan import Options
        from checklists.services import checklist_create, checklist_preview
        from checklists.sheets import read_workbook, workbook_to_json

        rows = _rows(args.rows)
        book = Workbook()
        for row in rows:
            book.active.append(row)  # type: ignore[union-attr]
        out = io.BytesIO()
        book.save(out)
        xlsx = out.getvalue()
        csv = "\n".join(
            ",".join(str(c.date() if isinstance(c, dt.datetime) else c) for c in row) for row in rows
        ).encode()
        owner = User.objects.create(username="bench")
        options = Options(process_due=dt.date(2027, 1, 8))
        workbook = read_workbook(xlsx, "bench.xlsx")
        preview = checklist_preview(workbook, sheet=None, mapping=None, options=options)
        draft = checklist_create(plan=preview.plan, name="Bench", owner=owner)  # type: ignore[arg-type]
        upload = Upload.objects.create(owner=owner, filename="bench.xlsx", sheets=workbook_to_json(workbook))
        client = Client()
        client.force_login(owner)
        page = client.get(f"/checklists/{upload.pk}/")
        assert page.status_code == 200, page.status_code

        figures = {
            "read .xlsx": median_ms(lambda: read_workbook(xlsx, "bench.xlsx"), args.repeat),
            "read CSV": median_ms(lambda: read_workbook(csv, "bench.csv"), args.repeat),
            "plan (mapping, dates, groups)": median_ms(
                lambda: checklist_preview(workbook, sheet=None, mapping=None, options=options), args.repeat
            ),
            "preview page (read + plan + HTML)": median_ms(
                lambda: client.get(f"/checklists/{upload.pk}/"), args.repeat
            ),
            "create the draft (draft_import)": median_ms(
                lambda: checklist_create(plan=preview.plan, name="Bench", owner=owner),
                args.repeat,  # type: ignore[arg-type]
            ),
            "export .xlsx": median_ms(lambda: checklist_workbook(draft), args.repeat),
        }
        print(f"preview page: {len(page.content) / 1e6:.1f} MB of HTML")
        print(
            f"{args.rows:,} rows; .xlsx {len(xlsx) / 1e3:,.0f} kB, CSV {len(csv) / 1e3:,.0f} kB; load average {os.getloadavg()[0]:.1f} at {time.strftime('%H:%M')}"
        )
        for name, ms in figures.items():
            print(f"  {name:<34} {ms:8.1f} ms")
    finally:
        stop()


if __name__ == "__main__":
    main()
