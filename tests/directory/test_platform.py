"""The platform API client: against the sandbox over a real socket, and fault cases with ``responses``."""

from __future__ import annotations

import uuid

import pytest
import responses
from django.core.cache.backends.locmem import LocMemCache
from responses import matchers

from processes_api import platform, schema
from processes_api.client import ApiError
from processes_api.sandbox import directory as seeded

API = "https://api.example.test"
TOKEN_URL = f"{API}/iam/v1/oauth2/token"
ORG = "org-1"
USERS_URL = f"{API}/organizations/{ORG}/users"


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return platform.PlatformClient(
        api_url=API,
        token_url=TOKEN_URL,
        client_id="client-1",
        client_secret="secret",
        organization_id=ORG,
        retry_budget=20,
        sleep=sleeps.append,
        cache=LocMemCache(f"test-{uuid.uuid4()}", {}),
    )


def add_token(rsps, scope="file:read file:write organization:read"):
    rsps.post(TOKEN_URL, json={"access_token": "tok", "expires_in": 599, "scope": scope, "token_type": "Bearer"})


def user(n, **extra):
    return {"id": f"u{n}", "displayName": f"User {n}", "email": f"u{n}@example.com", "status": "active"} | extra


# --- against the sandbox ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_users_page_through_the_sandbox_over_http(sandbox, settings):
    settings.WORKIVA_SANDBOX_USERS = 1234
    client = platform.PlatformClient.from_settings(page_size=500)

    users = list(client.users())

    assert len(users) == 1234
    assert len({u.id for u in users}) == 1234
    assert client.requests_to("GET", f"/organizations/{seeded.ORGANIZATION_ID}/users") == 3
    assert sum(u.suspended for u in users) == 1234 // 12
    assert client.granted_scopes == ("file:read", "file:write", "organization:read")


@pytest.mark.django_db(transaction=True)
def test_files_and_sections_from_the_sandbox(sandbox):
    client = platform.PlatformClient.from_settings()

    documents = list(client.files(platform.DOCUMENT))
    spreadsheets = list(client.files(platform.SPREADSHEET))
    sections = client.sections(documents[0].id, platform.DOCUMENT)
    sheets = client.sections(spreadsheets[0].id, platform.SPREADSHEET)

    assert len(documents) == 36
    assert len(spreadsheets) == 6
    assert {f.kind for f in documents} == {"Document"}
    assert all(len(f.id) == 32 for f in documents)
    assert len(sections) >= 3
    assert all(s.id.startswith(documents[0].id + "_") for s in sections)
    assert [s.index for s in sheets] == list(range(len(sheets)))


@pytest.mark.django_db(transaction=True)
def test_sandbox_refuses_users_without_the_organization_scope(sandbox, settings):
    settings.WORKIVA_SANDBOX_SCOPES = "file:read file:write"
    client = platform.PlatformClient.from_settings()

    with pytest.raises(ApiError) as caught:
        list(client.users())

    assert caught.value.status == 403
    assert "organization:read" in caught.value.message
    assert platform.missing_scopes(client.granted_scopes, platform.DIRECTORY_SCOPES) == ["organization:read"]


@pytest.mark.django_db(transaction=True)
def test_sandbox_refuses_the_processes_version_on_platform_endpoints(sandbox):
    client = platform.PlatformClient.from_settings(version=schema.API_VERSION)

    with pytest.raises(ApiError) as caught:
        list(client.files(platform.DOCUMENT))

    assert caught.value.status == 400
    assert caught.value.body["code"] == "invalidVersion"


# --- faults, with responses ---------------------------------------------------------------------


@responses.activate
def test_users_send_the_platform_version_and_follow_next_links(client):
    add_token(responses)
    responses.get(
        USERS_URL,
        json={"data": [user(1), user(2)], "@nextLink": f"{USERS_URL}?$next=2"},
        match=[
            matchers.header_matcher({"X-Version": "2026-01-01", "Authorization": "Bearer tok"}),
            matchers.query_param_matcher({"$maxpagesize": "1000"}),
        ],
    )
    responses.get(USERS_URL, json={"data": [user(3)]}, match=[matchers.query_param_matcher({"$next": "2"})])

    users = list(client.users())

    assert [u.id for u in users] == ["u1", "u2", "u3"]
    assert users[0].display_name == "User 1"


@responses.activate
def test_user_items_are_read_tolerantly(client):
    add_token(responses)
    responses.get(
        USERS_URL,
        json={
            "data": [
                {"id": "a", "givenName": "Ada", "familyName": "Lovelace", "unknownField": {"x": 1}},
                {"id": "b", "username": "bob", "status": "SUSPENDED"},
                {"displayName": "No id"},
                "not an object",
                {"id": "c", "email": "c@example.com", "displayName": None},
            ]
        },
    )
    listing = platform.Listing()

    users = list(client.users(listing))

    assert [(u.id, u.display_name, u.suspended) for u in users] == [
        ("a", "Ada Lovelace", False),
        ("b", "bob", True),
        ("c", "c@example.com", False),
    ]
    assert listing.skipped == 2


@responses.activate
def test_a_page_whose_data_is_not_a_list_is_an_error(client):
    add_token(responses)
    responses.get(USERS_URL, json={"data": {"id": "u1"}})

    with pytest.raises(ApiError, match="user list page's data is not a list"):
        list(client.users())


@responses.activate
def test_a_page_that_is_not_json_is_an_error(client):
    add_token(responses)
    responses.get(USERS_URL, body="<html>gateway</html>", status=200)

    with pytest.raises(ApiError, match="without a JSON object"):
        list(client.users())


@responses.activate
def test_a_next_link_to_another_host_is_not_followed(client):
    add_token(responses)
    responses.get(USERS_URL, json={"data": [user(1)], "@nextLink": "https://evil.example/steal?$next=1"})

    with pytest.raises(ApiError, match="user list's next-page link points to https://evil.example"):
        list(client.users())
    assert len(responses.calls) == 2  # the token and the first page, nothing sent elsewhere


@responses.activate
def test_a_next_link_that_repeats_a_page_stops_the_listing(client):
    add_token(responses)
    loop = f"{USERS_URL}?$next=1"
    responses.get(USERS_URL, json={"data": [user(1)], "@nextLink": loop})

    with pytest.raises(ApiError, match="repeats a page already read"):
        list(client.users())


@responses.activate
def test_throttling_is_retried_after_retry_after(client, sleeps):
    add_token(responses)
    responses.get(USERS_URL, status=429, headers={"Retry-After": "3"}, json={"code": "tooManyRequests"})
    responses.get(USERS_URL, json={"data": [user(1)]})

    users = list(client.users())

    assert [u.id for u in users] == ["u1"]
    assert sleeps == [3.0]


@pytest.mark.parametrize("status", [500, 503])
@responses.activate
def test_server_errors_end_in_an_api_error_with_the_status(client, status):
    add_token(responses)
    responses.get(USERS_URL, status=status, json={"code": "serverError", "message": "down"})

    with pytest.raises(ApiError) as caught:
        list(client.users())

    assert caught.value.status == status


@responses.activate
def test_forbidden_is_a_permission_error(client):
    add_token(responses, scope="file:read")
    responses.get(USERS_URL, status=403, json={"code": "forbidden", "message": "Missing scope organization:read"})

    with pytest.raises(ApiError) as caught:
        list(client.users())

    assert platform.is_permission_error(caught.value)
    assert platform.missing_scopes(client.granted_scopes, platform.DIRECTORY_SCOPES) == ["organization:read"]


@responses.activate
def test_unauthorized_is_retried_once_with_a_fresh_token_then_reported(client):
    add_token(responses)
    responses.get(USERS_URL, status=401, json=schema.UNAUTHORIZED_BODY)

    with pytest.raises(ApiError) as caught:
        list(client.users())

    assert caught.value.status == 401
    assert len([c for c in responses.calls if c.request.url.startswith(USERS_URL)]) == 2


def test_users_without_an_organization_send_nothing(client):
    client.organization_id = ""

    with pytest.raises(ApiError, match="set WORKIVA_ORGANIZATION_ID"):
        list(client.users())


@responses.activate
def test_files_filter_by_kind_and_skip_other_kinds(client):
    add_token(responses)
    responses.get(
        f"{API}/files",
        json={
            "data": [
                {"id": "f1", "name": "10-Q", "kind": "Document", "container": {"id": "folder-1"}},
                {"id": "f2", "name": "Folder", "kind": "Folder"},
                {"id": "f3", "name": "Untyped"},
            ]
        },
        match=[matchers.query_param_matcher({"$filter": "kind eq 'Document'", "$maxpagesize": "1000"})],
    )

    files = list(client.files(platform.DOCUMENT))

    assert [(f.id, f.kind, f.container) for f in files] == [("f1", "Document", "folder-1"), ("f3", "Document", "")]
