"""The import_checklist / export_checklist commands, the export round trip and its formula safety."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from checklists.export import checklist_workbook
from checklists.plan import Options
from checklists.services import business_calendar, checklist_create, checklist_preview, process_settings
from checklists.sheets import read_workbook
from designer.models import Draft, Node
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_update
from processes_api.payload import build_payload
from tests.checklists.files import close_checklist, csv_bytes, xlsx
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_checklist", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def test_the_command_prints_the_draft_id_and_each_row_problem_on_stderr(admin, tmp_path):
    path = tmp_path / "close.csv"
    path.write_bytes(
        csv_bytes([["Phase", "Task", "Owner", "Due"], ["Close", "Reconcile", "", "WD+1"], ["Close", "", "ann", ""]])
    )

    out, err = _run(str(path), "--due", "2027-01-08")

    draft = Draft.objects.get()
    assert out.strip() == str(draft.pk)
    assert err.splitlines() == ["row 3: the title is empty, so the row was skipped"]
    assert draft.name == "close"
    assert draft.due_date == "2027-01-08"
    assert Node.objects.get(kind="job").arguments == {"title": "Reconcile", "dueDate": "2027-01-11"}


def test_the_command_picks_a_sheet_and_an_owner(db, tmp_path):
    owner = UserFactory(username="olivia")
    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx([["Readme"]], title="About", extra={"Tasks": [["Task"], ["One"], ["Two"]]}))

    out, err = _run(str(path), "--sheet", "Tasks", "--owner", "olivia")

    draft = Draft.objects.get(pk=int(out))
    assert draft.owner == owner
    assert draft.nodes.filter(kind="job").count() == 2
    assert err == ""


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, (), "cannot read {path}: No such file or directory"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", (), "{path}: {name} is neither an .xlsx workbook nor CSV text"),
        (
            csv_bytes([["Owner", "Due"], ["ann", "2027-01-01"]]),
            (),
            "{path}: no title column: name a column Task, Title or Description",
        ),
        (
            csv_bytes([["Task"], ["a"]]),
            ("--sheet", "Nope"),
            "{path}: there is no sheet “Nope” in {name}; its sheets are “list”",
        ),
        (csv_bytes([["Task"], ["a"]]), ("--due", "31/02/2027"), "--due: “31/02/2027” is not a date as YYYY-MM-DD"),
        (csv_bytes([["Task"], ["a"]]), ("--owner", "ghost"), 'there is no user "ghost"'),
    ],
)
def test_the_command_exits_2_with_one_line_and_writes_nothing(admin, tmp_path, content, args, message):
    path = tmp_path / "list.csv"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError) as failed:
        _run(str(path), *args)

    assert failed.value.returncode == 2
    assert str(failed.value) == message.format(path=path, name=path.name)
    assert "\n" not in str(failed.value)
    assert Draft.objects.count() == 0


def test_the_command_refuses_more_than_3000_jobs(admin, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([["Task"], *([f"t{n}"] for n in range(3001))]))

    with pytest.raises(CommandError, match=r"more than 3,000 tasks \(row 3002 is task 3,001\)") as failed:
        _run(str(path))

    assert failed.value.returncode == 2
    assert Draft.objects.count() == 0


# --- export ---------------------------------------------------------------------------------------


def _shape(draft: Draft) -> dict:
    """The draft's payload without what a round trip may change: nothing but the keys, which payloads do not carry."""
    return build_payload(draft_tree(draft=draft)).data


def _reimport(data: bytes, owner) -> Draft:
    workbook = read_workbook(data, "export.xlsx")
    found = process_settings(workbook)
    due = found.settings.get("dueDate")
    import datetime as dt

    weekdays = found.settings.get("businessDaysOfWeek")
    options = Options(
        process_due=dt.date.fromisoformat(due) if due else None,
        calendar=business_calendar(weekdays, found.holiday_calendar),
        root_parallel=found.top_parallel,
    )
    preview = checklist_preview(workbook, sheet=None, mapping=None, options=options)
    assert preview.plan is not None
    settings = {k: v for k, v in found.settings.items() if k != "name"}
    return checklist_create(
        plan=preview.plan,
        name=found.settings["name"],
        owner=owner,
        settings=settings,
        top_name=found.top_name,
        holiday_calendar=found.holiday_calendar,
    )


def test_export_then_import_gives_the_same_tree_and_fields(db):
    owner = UserFactory()
    draft = make_draft(owner, "Q4 close")
    draft = draft_update(
        draft=draft,
        version=draft.version,
        changes={"due_date": "2027-01-08", "relative_dates": True, "business_days": ["monday", "tuesday", "wednesday"]},
    )
    root = root_of(draft)
    add_job(Draft.objects.get(pk=draft.pk), root, "Kick-off", dueDate="2027-01-04", instructions="Line one\nline two")
    phase = add_group(Draft.objects.get(pk=draft.pk), root, "Close")
    entity = add_group(Draft.objects.get(pk=draft.pk), phase, "US")
    Node.objects.filter(pk=entity.pk).update(parallel=True)
    add_job(
        Draft.objects.get(pk=draft.pk),
        entity,
        "=SUM(A1:A9)",
        approverUser="rita",
        approverDueDate="2027-01-06",
        document="f" * 32,
    )
    add_job(
        Draft.objects.get(pk=draft.pk),
        entity,
        "Collect",
        job_type="contentRequest",
        assignee={"id": "u2", "type": "user"},
        document="d" * 32,
        section="s_1",
    )
    add_group(Draft.objects.get(pk=draft.pk), phase, "Empty group")
    add_job(
        Draft.objects.get(pk=draft.pk), phase, "Sign", job_type="certification", letter="l" * 32, dueDate="2027-01-08"
    )
    add_job(Draft.objects.get(pk=draft.pk), root, "Wrap up")
    draft.refresh_from_db()

    copy = _reimport(checklist_workbook(draft), owner)

    assert _shape(copy) == _shape(draft)


def test_a_150_row_checklist_survives_import_export_import(db):
    owner = UserFactory()
    workbook = read_workbook(close_checklist(), "close.xlsx")
    import datetime as dt

    plan = checklist_preview(workbook, sheet=None, mapping=None, options=Options(process_due=dt.date(2027, 1, 8))).plan
    first = checklist_create(plan=plan, name="Close", owner=owner, settings={"dueDate": "2027-01-08"})

    second = _reimport(checklist_workbook(first), owner)

    assert _shape(second) == _shape(first)


def test_export_makes_formula_like_text_inert(db):
    owner = UserFactory()
    draft = make_draft(owner, '=HYPERLINK("http://evil")')
    root = root_of(draft)
    for title in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "Plain"):
        add_job(Draft.objects.get(pk=draft.pk), root, title, instructions="=IMPORTXML(x)")
    draft.refresh_from_db()

    book = load_workbook(io.BytesIO(checklist_workbook(draft)))

    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    titles = [row[2].value for row in book["Checklist"].iter_rows(min_row=2)]
    assert titles == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTab", "Plain"]
    assert book["Process"]["B2"].value == '\'=HYPERLINK("http://evil")'


def test_the_export_command_writes_the_workbook(db, tmp_path):
    draft = make_draft(UserFactory(), "Close")
    add_job(draft, root_of(draft), "One")
    out = io.StringIO()

    call_command("export_checklist", str(draft.pk), "--output", str(tmp_path / "c.xlsx"), stdout=out)

    book = load_workbook(tmp_path / "c.xlsx")
    assert book.sheetnames == ["Checklist", "Process"]
    assert [c.value for c in book["Checklist"][1]] == [
        "Parallel",
        "Type",
        "Task",
        "Owner (user id)",
        "Reviewer (user id)",
        "Due date",
        "Reviewer due date",
        "Instructions",
        "Document",
        "Section",
    ]
    assert out.getvalue().startswith(str(tmp_path / "c.xlsx"))


@pytest.mark.parametrize(
    ("draft_id", "message"), [("abc", "“abc” is not a draft id (a whole number)"), ("999", "there is no draft 999")]
)
def test_the_export_command_exits_2_on_an_unknown_draft(db, tmp_path, draft_id, message):
    with pytest.raises(CommandError) as failed:
        call_command("export_checklist", draft_id, "--output", str(tmp_path / "c.xlsx"))

    assert failed.value.returncode == 2
    assert str(failed.value) == message
    assert not Path(tmp_path / "c.xlsx").exists()


def test_export_command_then_import_command_give_an_equal_draft(admin, tmp_path):
    draft = make_draft(admin, "Year-end")
    draft = draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-12-31"})
    group = add_group(draft, root_of(draft), "Close")
    add_job(Draft.objects.get(pk=draft.pk), group, "Reconcile", dueDate="2027-12-30")
    path = tmp_path / "year-end.xlsx"
    call_command("export_checklist", str(draft.pk), "--output", str(path), stdout=io.StringIO())

    out, err = _run(str(path))

    copy = Draft.objects.get(pk=int(out))
    assert err == ""
    assert copy.name == "Year-end"
    assert _shape(copy) == _shape(Draft.objects.get(pk=draft.pk))
