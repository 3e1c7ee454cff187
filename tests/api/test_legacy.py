from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from designer.models import Draft, Membership, Node
from tests.factories import UserFactory, make_draft, seed_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_import_a_process_and_read_it_back(api, user):
    created = api.post("/api/drafts/", seed_request(), format="json")

    assert created.status_code == 201
    detail = api.get(f"/api/drafts/{created.data['id']}/")
    assert detail.status_code == 200
    assert detail.data["payload"] == seed_request()
    # The seed example is due on a Sunday in 2024: only the business calendar's warnings (issue 14).
    problems = [(p["severity"], p["code"], p["field"]) for p in detail.data["problems"]]
    assert problems == [
        ("warning", "date-in-past", "dueDate"),  # the process's
        ("warning", "date-non-business-day", "dueDate"),
        ("warning", "date-in-past", "approverDueDate"),
    ]
    assert detail.data["problems"][1]["fix"] == "2024-12-13"
    assert detail.data["role"] == "owner"


def test_import_of_a_malformed_process_names_the_path_and_creates_nothing(api):
    data = seed_request()
    data["root"]["children"][0]["job"]["arguments"]["type"] = "sendTsk"

    response = api.post("/api/drafts/", data, format="json")

    assert response.status_code == 400
    assert response.data == {
        "detail": 'root.children[0].job.arguments.type: unknown job type "sendTsk"',
        "path": "root.children[0].job.arguments.type",
        "problem": 'unknown job type "sendTsk"',
    }
    assert Draft.objects.count() == 0
    assert Node.objects.count() == 0


def test_list_shows_my_drafts_and_shared_ones_with_my_role(api, user):
    mine = make_draft(user, name="Mine")
    shared = make_draft(name="Shared")
    Membership.objects.create(draft=shared, user=user, role="reviewer")
    make_draft(name="Someone else's")

    response = api.get("/api/drafts/")

    assert [(d["name"], d["role"]) for d in response.data] == [("Shared", "reviewer"), ("Mine", "owner")]
    assert mine.pk in {d["id"] for d in response.data}


def test_a_draft_i_cannot_see_is_404(api):
    other = make_draft(UserFactory(), name="Private")

    assert api.get(f"/api/drafts/{other.pk}/").status_code == 404


def test_anonymous_requests_are_refused():
    response = APIClient().get("/api/drafts/")

    assert response.status_code == 403


def test_problems_carry_the_node_path(api, user):
    data = seed_request()
    del data["root"]["children"][0]["job"]["arguments"]["sendTaskArgs"]["title"]
    draft_id = api.post("/api/drafts/", data, format="json").data["id"]

    problems = api.get(f"/api/drafts/{draft_id}/").data["problems"]

    errors = [(p["code"], p["path"], p["field"]) for p in problems if p["severity"] == "error"]
    assert errors == [("title-missing", "root.children[0]", "title")]


def _queries_for_list(api):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/drafts/")
    assert response.status_code == 200
    return len(queries), len(response.data)


def test_listing_costs_the_same_queries_for_1_or_10_drafts(api, user):
    Membership.objects.create(draft=make_draft(name="Shared 0"), user=user, role="viewer")
    one = _queries_for_list(api)
    for n in range(1, 10):
        if n % 2:
            make_draft(user, name=f"Mine {n}")
        else:
            Membership.objects.create(draft=make_draft(name=f"Shared {n}"), user=user, role="editor")

    ten = _queries_for_list(api)

    assert (one[1], ten[1]) == (1, 10)
    assert ten[0] == one[0] == 1


def test_a_browser_asking_for_html_gets_json_not_the_browsable_api(user, client):
    """The browsable API's inline styles cannot run under the CSP, so it is not served."""
    client.force_login(user)

    response = client.get("/api/drafts/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert b"<html" not in response.content
