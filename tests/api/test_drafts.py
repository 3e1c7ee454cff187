from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from designer.models import Activity, Draft, Membership, Node
from tests.api.conftest import client_for
from tests.factories import UserFactory, make_draft, seed_request

pytestmark = pytest.mark.django_db


def url(draft, rest=""):
    return f"/api/v1/drafts/{draft.pk}/{rest}"


def test_create_a_blank_draft_answers_it_with_its_version_as_etag(api, user):
    response = api.post("/api/v1/drafts/", {"name": "Q1 close"}, format="json")

    assert response.status_code == 201
    draft = Draft.objects.get(pk=response.data["id"])
    assert draft.owner == user
    assert response["ETag"] == f'"{draft.version}"'
    assert response.data["settings"]["name"] == "Q1 close"
    assert Node.objects.get(draft=draft, parent=None).name == "Q1 close"


def test_list_pages_filters_and_searches(api, user):
    for i in range(3):
        make_draft(user, name=f"Close {i}")
    shared = make_draft(name="Shared close")
    Membership.objects.create(draft=shared, user=user, role="reviewer")
    make_draft(name="Someone else's close")

    everything = api.get("/api/v1/drafts/", {"page_size": 2})
    reviewing = api.get("/api/v1/drafts/", {"role": "reviewer"})
    searched = api.get("/api/v1/drafts/", {"search": "CLOSE 1"})

    assert everything.data["count"] == 4
    assert len(everything.data["results"]) == 2
    assert everything.data["next"] is not None
    assert [d["name"] for d in reviewing.data["results"]] == ["Shared close"]
    assert [d["name"] for d in searched.data["results"]] == ["Close 1"]


def test_list_with_an_unknown_role_is_a_problem(api):
    response = api.get("/api/v1/drafts/", {"role": "king"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "role must be one of" in response.data["detail"]


def _drafts(user, others, count):
    for i in range(count):
        draft = make_draft(user if i % 2 else others[i % 3], name=f"D{i}")
        if not i % 2:
            Membership.objects.create(draft=draft, user=user, role="editor")


def _queries(api):
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/drafts/", {"page_size": 200})
    assert response.status_code == 200
    return len(response.data["results"]), len(queries)


def test_list_makes_the_same_number_of_queries_for_10_and_100_drafts(user):
    api = client_for(user)
    others = UserFactory.create_batch(3)
    _drafts(user, others, 10)
    api.get("/api/v1/drafts/")  # the token's "last used" is written once a minute: not in the count

    few = _queries(api)
    _drafts(user, others, 90)
    many = _queries(api)

    assert few[0] == 10
    assert many[0] == 100
    assert few[1] == many[1]


def test_import_then_export_gives_back_the_same_document(api):
    created = api.post("/api/v1/drafts/import/", seed_request(), format="json")

    exported = api.get(f"/api/v1/drafts/{created.data['id']}/export/")

    assert created.status_code == 201
    assert exported.data == seed_request()
    assert exported["ETag"] == created["ETag"]


def test_import_of_a_malformed_document_is_422_with_the_json_path(api):
    data = seed_request()
    data["root"]["children"][0]["job"]["arguments"]["type"] = "sendTsk"

    response = api.post("/api/v1/drafts/import/", data, format="json")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["errors"] == [
        {"path": "$.root.children[0].job.arguments.type", "detail": 'unknown job type "sendTsk"'}
    ]
    assert response.data["status"] == 422
    assert Draft.objects.count() == 0


def test_import_of_broken_json_is_400(api):
    response = api.post("/api/v1/drafts/import/", b'{"name": NaN}', content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert Draft.objects.count() == 0


def test_settings_change_needs_if_match(as_, team):
    draft = team["draft"]

    missing = as_("editor").patch(url(draft), {"name": "New"}, format="json")
    stale = as_("editor").patch(
        url(draft), {"name": "New"}, format="json", HTTP_IF_MATCH=f'"{draft.version - 1 or 99}"'
    )

    assert missing.status_code == 428
    assert stale.status_code == 412
    assert stale.data["current_version"] == draft.version
    draft.refresh_from_db()
    assert draft.name != "New"


def test_settings_change_with_the_current_etag_is_saved_and_bumps_the_etag(as_, team):
    draft = team["draft"]
    client = as_("editor")
    etag = client.get(url(draft))["ETag"]

    response = client.patch(
        url(draft), {"due_date": "2026-03-31", "relative_dates": True}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200, response.data
    draft.refresh_from_db()
    assert draft.due_date == "2026-03-31"
    assert draft.relative_dates is True
    assert response["ETag"] == f'"{draft.version}"' != etag


def test_settings_are_checked_by_the_editors_form_with_its_words_and_the_json_path(as_, team):
    draft = team["draft"]

    response = as_("owner").patch(
        url(draft), {"due_date": "2026-02-30", "auto_close": "yes", "colour": "red"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 400
    paths = {e["path"]: e["detail"] for e in response.data["errors"]}
    assert paths["$.auto_close"] == "Must be true or false."
    assert paths["$.colour"].startswith("Unknown field")
    draft.refresh_from_db()
    assert draft.due_date is None


def test_a_bad_date_gets_the_pages_message(as_, team):
    response = as_("owner").patch(url(team["draft"]), {"due_date": "2026-02-30"}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 400
    assert response.data["errors"] == [
        {"path": "$.due_date", "detail": "Enter a real date as YYYY-MM-DD (for example 2026-03-31)."}
    ]


@pytest.mark.parametrize(("who", "code"), [("owner", 204), ("editor", 403), ("reviewer", 403), ("viewer", 403)])
def test_only_the_owner_deletes(as_, team, who, code):
    response = as_(who).delete(url(team["draft"]), HTTP_IF_MATCH="*")

    assert response.status_code == code
    assert Draft.objects.filter(pk=team["draft"].pk).exists() == (code != 204)


def test_other_teams_draft_is_404_and_anonymous_is_401(team):
    stranger = client_for(UserFactory())
    from rest_framework.test import APIClient

    assert stranger.get(url(team["draft"])).status_code == 404
    anonymous = APIClient().get(url(team["draft"]))
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Bearer"
    assert anonymous["Content-Type"] == "application/problem+json"


def test_duplicate_makes_my_copy(as_, team):
    response = as_("viewer").post(url(team["draft"], "duplicate/"), {}, format="json")

    assert response.status_code == 201
    copy = Draft.objects.get(pk=response.data["id"])
    assert copy.owner == team["viewer"]
    assert Node.objects.filter(draft=copy).count() == Node.objects.filter(draft=team["draft"]).count()
    assert Activity.objects.filter(draft=copy).exists()


def test_lint_lists_problems_with_node_and_path(api, user):
    draft = make_draft(user)

    response = api.get(f"/api/v1/drafts/{draft.pk}/lint/")

    assert response.status_code == 200
    assert all({"severity", "code", "message", "node", "path"} <= set(p) for p in response.data["problems"])


def test_a_nul_in_a_query_is_a_problem_400(api):
    response = api.get("/api/v1/drafts/", {"search": "a\x00b"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("What you sent contains a NUL character")
