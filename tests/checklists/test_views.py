"""The checklist pages: upload → preview → create, and the exports; login, CSRF, roles, escaping."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from checklists.models import Upload
from designer.models import Draft, Node
from designer.services.reviews import review_approve, review_request_create
from tests.checklists.files import csv_bytes, xlsx
from tests.factories import UserFactory

HX = {"HX-Request": "true"}
ROWS = [
    ["Phase", "Task", "Owner", "Due date", "Notes"],
    ["Close", "Reconcile <script>alert(1)</script>", "ann", "WD+1", "n"],
    ["Close", "", "bob", "", ""],
]


def _file(data: bytes = b"", name: str = "close.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or csv_bytes(ROWS), content_type="text/csv")


@pytest.fixture
def logged_in(user, client):
    client.force_login(user)
    return client


def _upload(client, data: bytes = b"", name: str = "close.csv"):
    return client.post(reverse("checklist-upload"), {"file": _file(data, name)})


def test_the_drafts_page_offers_the_checklist_import(logged_in):
    page = logged_in.get(reverse("draft-list")).content.decode()

    assert 'action="/checklists/upload/"' in page
    assert "Import a checklist" in page


def test_an_upload_leads_to_the_preview_with_every_row_and_its_problems_escaped(logged_in):
    response = _upload(logged_in)

    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("checklist-preview", args=[upload.pk])
    page = logged_in.get(response["Location"]).content.decode()
    assert "Reconcile &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "“WD+1” counts from the process due date, which is not set" in page
    assert "row 3" not in page  # rows are numbered in their own column
    assert "the title is empty, so the row was skipped" in page
    assert Draft.objects.count() == 0


def test_changing_a_choice_answers_the_preview_fragment_and_writes_nothing(logged_in):
    upload = Upload.objects.get(pk=int(_upload(logged_in)["Location"].split("/")[2]))

    response = logged_in.post(
        reverse("checklist-preview", args=[upload.pk]),
        {
            "mapped": "close",
            "sheet": "close",
            "col-0": "group1",
            "col-1": "title",
            "col-3": "due",
            "due": "2027-01-08",
            "name": "Q4",
        },
        headers=HX,
    )

    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert "2027-01-11 (WD+1)" in fragment
    assert 'value="Q4"' in fragment
    assert Draft.objects.count() == 0


def test_create_makes_the_draft_in_one_go_and_forgets_the_upload(logged_in, user):
    upload = Upload.objects.get(pk=int(_upload(logged_in)["Location"].split("/")[2]))

    response = logged_in.post(
        reverse("checklist-create", args=[upload.pk]),
        {
            "mapped": "close",
            "sheet": "close",
            "col-0": "group1",
            "col-1": "title",
            "col-2": "assignee",
            "col-3": "due",
            "due": "2027-01-08",
            "name": "Q4 close",
        },
    )

    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("draft-editor", args=[draft.pk])
    assert (draft.name, draft.owner, draft.due_date) == ("Q4 close", user, "2027-01-08")
    job = Node.objects.get(kind="job")
    assert job.arguments == {
        "title": "Reconcile <script>alert(1)</script>",
        "assigneeUser": "ann",
        "dueDate": "2027-01-11",
    }
    assert job.parent.name == "Close"
    assert not Upload.objects.exists()


def test_create_without_a_title_column_is_refused_and_writes_nothing(logged_in):
    upload = Upload.objects.get(pk=int(_upload(logged_in)["Location"].split("/")[2]))

    response = logged_in.post(
        reverse("checklist-create", args=[upload.pk]), {"mapped": "close", "sheet": "close", "col-2": "assignee"}
    )

    assert response.status_code == 422
    assert "This sheet cannot be imported: no title column" in response.content.decode()
    assert Draft.objects.count() == 0
    assert Upload.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "photo.png",
            "This file cannot be imported: photo.png is neither an .xlsx workbook nor CSV text",
        ),
        (
            b"PK\x03\x04broken",
            "close.xlsx",
            "This file cannot be imported: close.xlsx is not a readable .xlsx workbook (the zip container is damaged).",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_name_and_nothing_is_kept(logged_in, data, name, message):
    response = _upload(logged_in, data, name)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Upload.objects.exists()
    assert Draft.objects.count() == 0


def test_uploads_need_login_and_a_csrf_token(user):
    anonymous = Client()
    assert anonymous.post(reverse("checklist-upload"), {"file": _file()}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)

    response = strict.post(reverse("checklist-upload"), {"file": _file()})

    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_an_upload_is_its_uploaders_only(logged_in):
    upload = Upload.objects.get(pk=int(_upload(logged_in)["Location"].split("/")[2]))
    other = Client()
    other.force_login(UserFactory())

    assert other.get(reverse("checklist-preview", args=[upload.pk])).status_code == 404
    assert other.post(reverse("checklist-create", args=[upload.pk]), {"col-1": "title"}).status_code == 404
    assert Draft.objects.count() == 0


def test_the_sheet_is_picked_and_the_mapping_follows_it(logged_in):
    data = xlsx([["About this file"]], title="Readme", extra={"Tasks": [["Task", "Owner"], ["One", "ann"]]})
    location = _upload(logged_in, data, "book.xlsx")["Location"]

    page = logged_in.get(location, {"sheet": "Tasks", "mapped": "Readme"}).content.decode()

    assert '<option value="Tasks" selected>' in page
    assert "1 job</strong>" in page


# --- exports --------------------------------------------------------------------------------------


def test_members_download_the_workbook_and_outsiders_cannot(team, client):
    url = reverse("draft-checklist-export", args=[team["draft"].pk])
    client.force_login(team["viewer"])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="quarter-close.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert [[c.value for c in row[:4]] for row in book["Checklist"].iter_rows(min_row=2)] == [
        ["Close", "No", None, None],
        ["Close", None, "Send a task", "Reconcile"],
        [None, None, "Send a task", "Sign off"],
    ]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_process_book_shows_the_tree_the_approval_and_escapes_text(team, client):
    draft = team["draft"]
    Node.objects.filter(pk=team["job"].pk).update(
        arguments={"title": "<b>Reconcile</b>", "assigneeUser": "u1", "instructions": "Tie out\nto the ledger"}
    )
    draft.refresh_from_db()
    request = review_request_create(draft=draft, actor=team["owner"], reviewers=[team["reviewer"]], note="")
    draft.refresh_from_db()
    review_approve(draft=draft, actor=team["reviewer"], version=draft.version, note="Looks right", request=request)
    client.force_login(team["viewer"])

    page = client.get(reverse("draft-book", args=[draft.pk])).content.decode()

    assert "&lt;b&gt;Reconcile&lt;/b&gt;" in page
    assert "Tie out<br>to the ledger" in page
    assert "Approved by <strong>rita</strong>" in page
    assert "The approval holds for the content printed here." in page
    assert '<a href="#g-' in page
    assert "1 Close" in page
    assert "Not published yet." in page


def test_the_editor_links_to_both_exports(team, client):
    client.force_login(team["owner"])

    page = client.get(reverse("draft-editor", args=[team["draft"].pk])).content.decode()

    assert reverse("draft-checklist-export", args=[team["draft"].pk]) in page
    assert reverse("draft-book", args=[team["draft"].pk]) in page


def test_the_process_book_names_the_latest_publish_record_and_a_voided_approval(team, client):
    from django.utils import timezone

    from designer.services.revisions import revision_save_point
    from publishing.models import Submission

    draft = team["draft"]
    revision = revision_save_point(draft=draft, actor=team["owner"])
    draft.refresh_from_db()
    review_approve(draft=draft, actor=team["reviewer"], version=draft.version)
    Submission.objects.create(
        draft=draft,
        revision=revision,
        user=team["editor"],
        payload_hash="x",
        api_url="x",
        status=Submission.Status.CREATED,
        process_id="proc-42",
        finished=timezone.now(),
    )
    Node.objects.filter(pk=team["job"].pk).update(arguments={"title": "Changed after approval"})
    client.force_login(team["owner"])

    page = client.get(reverse("draft-book", args=[draft.pk])).content.decode()

    assert "Published to Workiva by <strong>ed</strong>" in page
    assert "as process <code>proc-42</code>" in page
    assert "The draft has changed since: this content is not the approved one." in page


def test_a_per_group_choice_in_the_preview_sets_how_that_group_runs(logged_in):
    from designer.models import Activity

    rows = [["Phase", "Task"], ["Close", "a"], ["Close", "b"], ["Report", "c"]]
    upload = Upload.objects.get(pk=int(_upload(logged_in, csv_bytes(rows), "modes.csv")["Location"].split("/")[2]))
    page = logged_in.get(reverse("checklist-preview", args=[upload.pk])).content.decode()
    close_field = page[page.index('name="mode-') :].split('"')[1]  # the first group's choice: Close

    logged_in.post(reverse("checklist-create", args=[upload.pk]), {close_field: "par", "name": "Modes"})

    groups = Node.objects.filter(kind="group", parent__isnull=False).order_by("position")
    assert [(g.name, g.parallel) for g in groups] == [("Close", True), ("Report", False)]
    activity = Activity.objects.get(draft__name="Modes")
    assert activity.summary == "Imported from the checklist modes.csv (sheet “modes”)."


def test_a_file_over_5_mb_is_refused_with_its_real_size(logged_in):
    response = _upload(logged_in, b"Task\n" + b"x" * 6_000_000, "huge.csv")

    assert response.status_code == 422
    assert "huge.csv is 6.0 MB; a checklist file may be at most 5 MB" in response.content.decode()
    assert not Upload.objects.exists()
