"""The business calendar, roll forward and the directory search over the API; deleting a draft under its lock."""

from __future__ import annotations

import pytest

from designer.errors import DraftConflict
from designer.models import Draft, Node, Operation
from designer.services.drafts import draft_delete, draft_update
from tests.directory.fill import small_directory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(team, rest=""):
    return f"/api/v1/drafts/{team['draft'].pk}/{rest}"


def version(team) -> int:
    team["draft"].refresh_from_db()
    return team["draft"].version


def post(client, team, rest, body, *, if_match=None):
    return client.post(url(team, rest), body, format="json", HTTP_IF_MATCH=if_match or f'"{version(team)}"')


@pytest.fixture
def due(team):
    """The team's draft is due Tuesday 30 June 2026."""
    draft_update(draft=team["draft"], version=version(team), changes={"due_date": "2026-06-30"})
    return team


# --- date rules, fixes, the holiday calendar ---------------------------------------------------------------


def test_a_date_rule_sets_the_date_from_the_process_due_date_and_undo_drops_it(as_, due):
    ed = as_("editor")
    response = post(ed, due, f"nodes/{due['job'].key}/date-rule/", {"field": "dueDate", "days": -2})

    assert response.status_code == 200, response.data
    assert response.data["arguments"]["dueDate"] == "2026-06-26"  # two business days before Tue 30 June
    assert response.data["date_rules"] == {"dueDate": {"days": -2}}
    assert response["ETag"] == f'"{version(due)}"'

    dropped = post(ed, due, f"nodes/{due['job'].key}/date-rule/", {"field": "dueDate", "days": None})
    assert dropped.status_code == 200
    assert dropped.data["date_rules"] == {}
    assert dropped.data["arguments"]["dueDate"] == "2026-06-26"  # the date it gave stays

    assert post(ed, due, "undo/", {}).status_code == 200
    assert Node.objects.get(pk=due["job"].pk).date_rules == {"dueDate": {"days": -2}}


def test_a_date_rule_refusals(as_, due):
    ed = as_("editor")
    job = f"nodes/{due['job'].key}/date-rule/"
    not_a_date = post(ed, due, job, {"field": "title", "days": 1})
    too_far = post(ed, due, job, {"field": "dueDate", "days": 5000})
    stale = post(ed, due, job, {"field": "dueDate", "days": 1}, if_match='"1"')
    group = post(ed, due, f"nodes/{due['group'].key}/date-rule/", {"field": "dueDate", "days": 1})

    assert not_a_date.status_code == 422
    assert "not a date" in not_a_date.data["detail"]
    assert too_far.status_code == 400
    assert too_far.data["errors"][0]["path"] == "$.days"
    assert stale.status_code == 412
    assert group.status_code == 422
    assert "dueDate" not in (Node.objects.get(pk=due["job"].pk).date_rules or {})


def test_a_rule_without_a_process_due_date_is_refused(as_, team):
    response = post(as_("editor"), team, f"nodes/{team['job'].key}/date-rule/", {"field": "dueDate", "days": 1})

    assert response.status_code == 422
    assert "due date first" in response.data["detail"]


def test_a_date_fix_of_a_job_and_of_the_process(as_, due):
    ed = as_("editor")
    job = post(ed, due, "date-fix/", {"node": str(due["job"].key), "field": "dueDate", "value": "2026-06-29"})
    process = post(ed, due, "date-fix/", {"field": "dueDate", "value": "2026-07-31"})

    assert job.status_code == 200, job.data
    assert job.data["node"]["arguments"]["dueDate"] == "2026-06-29"
    assert process.status_code == 200, process.data
    assert process.data["node"] is None
    assert Draft.objects.get(pk=due["draft"].pk).due_date == "2026-07-31"


def test_a_date_fix_refusals(as_, due):
    ed = as_("editor")
    bad_date = post(ed, due, "date-fix/", {"field": "dueDate", "value": "2026-02-30"})
    not_a_field = post(ed, due, "date-fix/", {"field": "colour", "value": "2026-06-01"})
    stale = post(ed, due, "date-fix/", {"field": "dueDate", "value": "2026-06-01"}, if_match='"1"')
    ancient = post(ed, due, "date-fix/", {"field": "dueDate", "value": "0001-01-01"})

    assert bad_date.status_code == 400
    assert bad_date.data["errors"][0]["path"] == "$.value"
    assert not_a_field.status_code == 422
    assert ancient.status_code == 400
    assert "between 2000-01-01 and 2099-12-31" in ancient.data["errors"][0]["detail"]
    assert stale.status_code == 412
    assert Draft.objects.get(pk=due["draft"].pk).due_date == "2026-06-30"


def test_the_holiday_calendar_moves_rule_dates(as_, due):
    ed = as_("editor")
    # Friday 3 July 2026 is the US Independence Day holiday (observed): a rule landing on it moves.
    draft_update(draft=due["draft"], version=version(due), changes={"due_date": "2026-07-06"})
    assert post(ed, due, f"nodes/{due['job'].key}/date-rule/", {"field": "dueDate", "days": -1}).status_code == 200
    assert Node.objects.get(pk=due["job"].pk).arguments["dueDate"] == "2026-07-03"

    response = post(ed, due, "calendar/", {"holiday_calendar": "US"})

    assert response.status_code == 200, response.data
    assert response.data == {"holiday_calendar": "US", "dates_changed": 1}
    assert Node.objects.get(pk=due["job"].pk).arguments["dueDate"] == "2026-07-02"
    assert Operation.objects.filter(draft=due["draft"], kind=Operation.Kind.SETTINGS).exists()


def test_an_unknown_holiday_calendar_is_refused(as_, due):
    response = post(as_("editor"), due, "calendar/", {"holiday_calendar": "ATLANTIS"})
    stale = post(as_("editor"), due, "calendar/", {"holiday_calendar": "US"}, if_match='"1"')

    assert response.status_code == 422
    assert stale.status_code == 412
    assert Draft.objects.get(pk=due["draft"].pk).holiday_calendar == ""


# --- roll forward ----------------------------------------------------------------------------------------


def test_roll_forward_plan_then_create_the_next_period(as_, due):
    draft_update(draft=due["draft"], version=version(due), changes={"name": "Q2 2026 close"})
    viewer = as_("viewer")

    plan = viewer.get(url(due, "roll-forward/?due=2026-09-30"))
    assert plan.status_code == 200, plan.data
    assert plan.data["new_due"] == "2026-09-30"
    assert plan.data["months"] == 3
    assert plan.data["replacements"] == {"Q2 2026": "Q3 2026"}
    assert plan.data["dates"][0]["field"] == "dueDate"
    assert plan.data["dates"][0]["new"] == "2026-09-30"

    created = viewer.post(url(due, "roll-forward/"), {"due": "2026-09-30"}, format="json")
    assert created.status_code == 201, created.data
    new = Draft.objects.get(pk=created.data["id"])
    assert new.owner == due["viewer"]
    assert new.name == "Q3 2026 close"
    assert new.due_date == "2026-09-30"
    assert created["Location"] == f"/api/v1/drafts/{new.pk}/"
    assert Draft.objects.get(pk=due["draft"].pk).due_date == "2026-06-30"  # the original is untouched


def test_roll_forward_refusals(as_, team):
    client = as_("viewer")
    no_due = client.post(url(team, "roll-forward/"), {"due": "2026-09-30"}, format="json")
    bad = client.post(url(team, "roll-forward/"), {"due": "soon", "replacements": {"": "x"}}, format="json")
    plan_without = client.get(url(team, "roll-forward/"))

    assert no_due.status_code == 422
    assert "due date" in no_due.data["detail"]
    assert bad.status_code == 400
    assert {e["path"] for e in bad.data["errors"]} == {"$.due", "$.replacements"}
    assert plan_without.status_code == 400
    assert Draft.objects.count() == 1


def test_a_stranger_cannot_roll_a_draft_forward(due):
    from tests.api.conftest import client_for

    response = client_for(UserFactory()).post(url(due, "roll-forward/"), {"due": "2026-09-30"}, format="json")

    assert response.status_code == 404


# --- the directory ---------------------------------------------------------------------------------------


def test_directory_search_users_with_their_details(api):
    d = small_directory()

    everyone = api.get("/api/v1/directory/users/?q=a")
    ada = api.get("/api/v1/directory/users/?q=ada love")
    sam = api.get("/api/v1/directory/users/?q=sam")

    assert everyone.status_code == 200
    assert ada.data == {
        "results": [
            {"id": d["ada"].workiva_id, "label": "Ada Lovelace", "detail": "ada@example.com", "suspended": False}
        ],
        "filled": True,
    }
    assert sam.data["results"][0]["suspended"] is True
    assert api.get("/api/v1/directory/users/?q=nobody").data["results"] == []


def test_directory_search_files_by_name_and_kind(api):
    small_directory()

    found = api.get("/api/v1/directory/files/?q=10-q")
    spreadsheets = api.get("/api/v1/directory/files/?kind=Spreadsheet")
    bad_kind = api.get("/api/v1/directory/files/?kind=Movie")

    assert [f["label"] for f in found.data["results"]] == ["Q1 2026 10-Q"]
    assert spreadsheets.data["results"] == []
    assert bad_kind.status_code == 400
    assert bad_kind.data["errors"][0]["path"] == "$.kind"


def test_directory_search_a_files_sections(api):
    d = small_directory()

    found = api.get(f"/api/v1/directory/sections/?file={d['tenq'].workiva_id}&q=notes")
    unknown = api.get("/api/v1/directory/sections/?file=nope")
    missing = api.get("/api/v1/directory/sections/")

    assert found.status_code == 200
    assert found.data["results"] == [
        {"id": f"{d['tenq'].workiva_id}_3", "label": "Notes", "detail": "Q1 2026 10-Q", "suspended": False}
    ]
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    assert missing.status_code == 400


def test_the_directory_needs_a_token():
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/directory/users/?q=a").status_code == 401


def test_delete_checks_the_version_under_the_row_lock(team):
    draft = team["draft"]
    stale = version(team) - 1

    with pytest.raises(DraftConflict):
        draft_delete(draft=draft, version=stale)

    assert Draft.objects.filter(pk=draft.pk).exists()
    draft_delete(draft=draft, version=version(team))
    assert not Draft.objects.filter(pk=draft.pk).exists()
