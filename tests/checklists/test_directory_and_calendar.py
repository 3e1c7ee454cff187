"""Checklists meet their neighbours: owners matched to the user directory, WD/BD offsets counted on the
draft's business calendar and kept as date rules, and both carried through the export round trip."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from checklists.export import checklist_workbook
from checklists.mapping import propose
from checklists.models import Upload
from checklists.plan import Options, build_plan
from checklists.services import business_calendar, checklist_create, checklist_preview, process_settings
from checklists.sheets import Row, read_workbook
from designer.models import ClosureDate, Draft, Node
from designer.services.dates import draft_calendar_update
from designer.services.drafts import draft_update
from directory.models import DirectoryUser
from tests.checklists.files import csv_bytes, xlsx
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEPT = "kept as typed — set the user id in the editor"
DUE = dt.date(2027, 7, 6)  # a Tuesday; Monday 5 July 2027 is Independence Day (observed) in the US


def _person(workiva_id: str, name: str, email: str = "", username: str = "", suspended: bool = False) -> None:
    DirectoryUser.objects.create(
        workiva_id=workiva_id,
        display_name=name,
        email=email,
        username=username,
        suspended=suspended,
        status="suspended" if suspended else "active",
        synced=timezone.now(),
    )


@pytest.fixture
def directory():
    _person("wkJane", "Jane Doe", "Jane.Doe@Example.com", "jdoe")
    _person("wkRita", "Rita Moreno", "rita@example.com", "rmoreno")
    _person("wkSam1", "Sam Lee", "sam.lee@example.com")
    _person("wkSam2", "Sam Lee", "sam.lee2@example.com")
    _person("wkOld", "Old Timer", "old@example.com", suspended=True)


def _plan(rows: list[list], header: tuple[str, ...], **options):
    head = Row(number=1, cells=list(header))
    body = [Row(number=i + 2, cells=list(r)) for i, r in enumerate(rows)]
    return build_plan(body, propose(head), Options(**options))


# --- owners ---------------------------------------------------------------------------------------


def test_owners_are_matched_by_email_username_or_name_whatever_the_case(directory):
    plan = _plan(
        [
            ["Reconcile", "jane.doe@example.com", "RITA MORENO"],
            ["Review", "jdoe", "rita@example.com"],
        ],
        ("Task", "Owner", "Reviewer"),
    )

    assert [job.arguments for job in plan.root.children] == [
        {"title": "Reconcile", "assigneeUser": "wkJane", "approverUser": "wkRita"},
        {"title": "Review", "assigneeUser": "wkJane", "approverUser": "wkRita"},
    ]
    assert plan.problems == []
    assert plan.rows[0].values["assignee"] == "jane.doe@example.com → Jane Doe"


def test_unknown_ambiguous_and_suspended_owners_are_flagged_on_their_row(directory):
    plan = _plan(
        [["Reconcile", "Nobody Here", "Sam Lee"], ["Sign", "old@example.com", ""]],
        ("Task", "Owner", "Reviewer"),
    )

    first, second = plan.root.children
    assert first.arguments == {"title": "Reconcile", "assigneeUser": "Nobody Here", "approverUser": "Sam Lee"}
    assert second.arguments == {"title": "Sign", "assigneeUser": "wkOld"}
    assert plan.problems == [
        (
            2,
            "owner “Nobody Here” is not matched to a Workiva user (no e-mail, username, user id or name in the "
            f"directory is “Nobody Here”); {KEPT}",
        ),
        (
            2,
            "reviewer “Sam Lee” is 2 users in the directory (Sam Lee <sam.lee@example.com>, Sam Lee "
            f"<sam.lee2@example.com>); {KEPT}",
        ),
        (
            3,
            "owner “old@example.com” (Old Timer) is suspended in Workiva; kept, but choose someone active in the editor",
        ),
    ]


def test_a_column_of_ids_is_checked_against_a_filled_directory_but_not_looked_up(directory):
    rows = [["Task", "Owner (user id)"], ["Reconcile", "wkJane"], ["Review", "jane.doe@example.com"]]
    workbook = read_workbook(csv_bytes(rows), "ids.csv")
    plan = checklist_preview(workbook, sheet=None, mapping=None, options=Options()).plan

    assert [job.arguments["assigneeUser"] for job in plan.root.children] == ["wkJane", "jane.doe@example.com"]
    assert plan.problems == [
        (
            3,
            "owner id “jane.doe@example.com” is not a user in the directory; kept as typed — check it in the editor",
        )
    ]


def test_without_a_synced_directory_owners_are_kept_and_the_message_says_why():
    plan = _plan([["Reconcile", "Jane Doe"]], ("Task", "Owner"))

    assert plan.root.children[0].arguments["assigneeUser"] == "Jane Doe"
    assert plan.problems == [
        (
            2,
            "owner “Jane Doe” is not matched to a Workiva user (the user directory is empty: sync it on the "
            f"Directory page); {KEPT}",
        )
    ]


def test_the_owner_lookup_is_a_fixed_number_of_queries(directory, django_assert_max_num_queries):
    rows = [[f"task {n}", f"person{n}@example.com", "Rita Moreno"] for n in range(300)]

    with django_assert_max_num_queries(3):  # is the directory filled; names; ids
        plan = _plan(rows, ("Task", "Owner", "Reviewer"))

    assert plan.jobs == 300


def test_the_created_draft_has_the_matched_user_ids(directory):
    owner = UserFactory()
    workbook = read_workbook(csv_bytes([["Task", "Owner"], ["Reconcile", "Jane Doe"]]), "owners.csv")
    plan = checklist_preview(workbook, sheet=None, mapping=None, options=Options()).plan

    draft = checklist_create(plan=plan, name="Close", owner=owner)

    assert Node.objects.get(draft=draft, kind="job").arguments["assigneeUser"] == "wkJane"


# --- business calendar and date rules -------------------------------------------------------------


def test_offsets_skip_the_chosen_holidays_and_the_organizations_closures():
    ClosureDate.objects.create(date=dt.date(2027, 7, 7), name="Offsite")
    rows = [["Accrue", "WD-1"], ["Report", "WD+2"], ["Plain", "2027-07-01"]]

    without = _plan(rows, ("Task", "Due"), process_due=DUE, calendar=business_calendar(None, ""))
    with_us = _plan(rows, ("Task", "Due"), process_due=DUE, calendar=business_calendar(None, "US"))

    assert [j.arguments["dueDate"] for j in without.root.children] == ["2027-07-05", "2027-07-09", "2027-07-01"]
    assert [j.arguments["dueDate"] for j in with_us.root.children] == ["2027-07-02", "2027-07-09", "2027-07-01"]
    assert [j.rules for j in with_us.root.children] == [{"dueDate": {"days": -1}}, {"dueDate": {"days": 2}}, {}]
    assert with_us.rows[0].values["due"] == "2027-07-02 (WD-1)"


def test_a_calendar_without_business_days_reports_the_offset_and_keeps_the_row():
    plan = _plan([["Accrue", "BD-1"]], ("Task", "Due"), process_due=DUE, calendar=business_calendar([], ""))

    assert plan.root.children[0].arguments == {"title": "Accrue"}
    assert plan.problems == [
        (
            2,
            "“BD-1” cannot be counted: The calendar has no business days: check at least one day of the week. It was left empty",
        )
    ]


def _offset_draft(holidays: str = "US") -> Draft:
    rows = [["Task", "Due", "Reviewer due date"], ["Accrue", "WD-1", "BD+1"], ["Fixed", "2027-07-01", ""]]
    workbook = read_workbook(csv_bytes(rows), "offsets.csv")
    options = Options(process_due=DUE, calendar=business_calendar(None, holidays))
    plan = checklist_preview(workbook, sheet=None, mapping=None, options=options).plan
    return checklist_create(
        plan=plan, name="Close", owner=UserFactory(), settings={"dueDate": DUE.isoformat()}, holiday_calendar=holidays
    )


def test_offsets_become_date_rules_that_follow_a_new_process_due_date():
    draft = _offset_draft()
    accrue, fixed = Node.objects.filter(draft=draft, kind="job").order_by("position")

    assert draft.holiday_calendar == "US"
    assert accrue.date_rules == {"dueDate": {"days": -1}, "approverDueDate": {"days": 1}}
    assert (accrue.arguments["dueDate"], accrue.arguments["approverDueDate"]) == ("2027-07-02", "2027-07-07")
    assert fixed.date_rules == {}

    # Tuesday 7 September 2027 follows Labor Day: one business day before it is Friday the 3rd.
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-09-07"})

    accrue.refresh_from_db()
    fixed.refresh_from_db()
    assert (accrue.arguments["dueDate"], accrue.arguments["approverDueDate"]) == ("2027-09-03", "2027-09-08")
    assert fixed.arguments["dueDate"] == "2027-07-01"

    draft.refresh_from_db()
    draft_calendar_update(draft=draft, version=draft.version, holiday_calendar="")
    accrue.refresh_from_db()
    assert accrue.arguments["dueDate"] == "2027-09-06"  # Labor Day counts again


def test_the_export_writes_rules_as_offsets_and_the_holiday_calendar():
    draft = _offset_draft()

    book = load_workbook(io.BytesIO(checklist_workbook(draft)))
    checklist = [[c.value for c in row] for row in book["Checklist"].iter_rows()]
    settings = {row[0].value: row[1].value for row in book["Process"].iter_rows(min_row=2)}

    due, reviewer_due = checklist[0].index("Due date"), checklist[0].index("Reviewer due date")
    assert (checklist[1][due], checklist[1][reviewer_due]) == ("WD-1", "WD+1")
    assert checklist[2][due] == dt.datetime(2027, 7, 1)
    assert settings["Holiday calendar"] == "US"


def _rules_and_dates(draft: Draft) -> list:
    nodes = Node.objects.filter(draft=draft, kind="job").order_by("position")
    return [(n.arguments.get("title"), n.date_rules, n.arguments.get("dueDate")) for n in nodes]


def test_export_then_import_keeps_the_rules_the_dates_and_the_calendar():
    draft = _offset_draft()
    workbook = read_workbook(checklist_workbook(draft), "close.xlsx")
    found = process_settings(workbook)

    assert found.holiday_calendar == "US"
    options = Options(process_due=DUE, calendar=business_calendar(None, found.holiday_calendar))
    plan = checklist_preview(workbook, sheet=None, mapping=None, options=options).plan
    copy = checklist_create(
        plan=plan,
        name="Copy",
        owner=UserFactory(),
        settings={"dueDate": DUE.isoformat()},
        holiday_calendar=found.holiday_calendar,
    )

    assert copy.holiday_calendar == "US"
    assert _rules_and_dates(copy) == _rules_and_dates(draft)


def test_the_commands_round_trip_keeps_rules_and_the_calendar(tmp_path):
    UserFactory(username="admin", is_superuser=True)
    draft = _offset_draft()
    path = tmp_path / "close.xlsx"
    call_command("export_checklist", str(draft.pk), "--output", str(path), stdout=io.StringIO())

    out = io.StringIO()
    call_command("import_checklist", str(path), stdout=out, stderr=io.StringIO())

    copy = Draft.objects.get(pk=int(out.getvalue()))
    assert copy.holiday_calendar == "US"
    assert _rules_and_dates(copy) == _rules_and_dates(draft)


def test_the_command_takes_a_holiday_calendar_and_refuses_an_unknown_one(tmp_path):
    UserFactory(username="admin", is_superuser=True)
    path = tmp_path / "close.csv"
    path.write_bytes(csv_bytes([["Task", "Due"], ["Accrue", "WD-1"]]))

    with pytest.raises(CommandError, match="--holidays") as failed:
        call_command("import_checklist", str(path), "--due", "2027-07-06", "--holidays", "XX")
    assert failed.value.returncode == 2
    assert not Draft.objects.exists()

    out = io.StringIO()
    call_command("import_checklist", str(path), "--due", "2027-07-06", "--holidays", "us", stdout=out)
    draft = Draft.objects.get(pk=int(out.getvalue()))
    assert draft.holiday_calendar == "US"
    assert Node.objects.get(draft=draft, kind="job").arguments["dueDate"] == "2027-07-02"


# --- the preview ----------------------------------------------------------------------------------


def _uploaded(client) -> Upload:
    data = xlsx([["Task", "Due"], ["Accrue", "WD-1"]])
    client.post(reverse("checklist-upload"), {"file": _file(data)})
    return Upload.objects.get()


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("close.xlsx", data)


def test_the_preview_offers_the_holiday_calendar_and_creates_with_it(client, user):
    client.force_login(user)
    upload = _uploaded(client)
    choices = {"due": "2027-07-06", "holidays": "US", "name": "Close"}

    page = client.post(reverse("checklist-preview", args=[upload.pk]), choices).content.decode()
    assert 'id="id_holidays"' in page
    assert '<option value="US" selected>' in page
    assert "2027-07-02 (WD-1)" in page

    response = client.post(reverse("checklist-create", args=[upload.pk]), choices)

    assert response.status_code == 302
    draft = Draft.objects.get()
    assert draft.holiday_calendar == "US"
    assert Node.objects.get(draft=draft, kind="job").date_rules == {"dueDate": {"days": -1}}


def test_an_unknown_holiday_calendar_is_named_and_nothing_is_created(client, user):
    client.force_login(user)
    upload = _uploaded(client)

    response = client.post(
        reverse("checklist-create", args=[upload.pk]), {"due": "2027-07-06", "holidays": "ZZ", "name": "Close"}
    )

    assert response.status_code == 422
    assert "&quot;ZZ&quot; is not a country code" in response.content.decode()
    assert not Draft.objects.exists()


# --- the process book's schedule -----------------------------------------------------------------


def test_the_process_book_lists_the_schedule_in_date_order_with_rules_and_closed_days(client):
    rows = [
        ["Task", "Due"],
        ["Late <i>one</i>", "WD+2"],
        ["On the holiday", "2027-07-05"],
        ["Accrue", "WD-1"],
        ["Undated", ""],
    ]
    workbook = read_workbook(csv_bytes(rows), "book.csv")
    options = Options(process_due=DUE, calendar=business_calendar(None, "US"))
    plan = checklist_preview(workbook, sheet=None, mapping=None, options=options).plan
    owner = UserFactory()
    draft = checklist_create(
        plan=plan, name="Close", owner=owner, settings={"dueDate": DUE.isoformat()}, holiday_calendar="US"
    )
    client.force_login(owner)

    page = client.get(reverse("draft-book", args=[draft.pk])).content.decode()

    schedule = page[page.index('id="schedule-h"') : page.index("</table>")]
    assert schedule.index("Fri 2 Jul 2027") < schedule.index("Mon 5 Jul 2027") < schedule.index("Thu 8 Jul 2027")
    assert "closed: Independence Day (observed)" in schedule
    assert "1 business day before the process due date" in schedule
    assert "2 business days after the process due date" in schedule
    assert "fixed date" in schedule
    assert "Late &lt;i&gt;one&lt;/i&gt;" in schedule
    assert "1 job without a date is not listed." in page
    assert "2027-07-02 (1 business day before the process due date)" in page  # beside the job's own fields
    assert "<dt>Holiday calendar</dt><dd>US</dd>" in page
