"""The sandbox API, through Django's test client (the live-socket paths are in tests/publishing/test_submission.py)."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.cache import cache

from processes_api import schema
from processes_api.sandbox.models import SandboxProcess
from tests.factories import seed_request

TOKEN_URL = "/sandbox/iam/v1/oauth2/token"


@pytest.fixture(autouse=True)
def _sandbox(settings, db):
    settings.WORKIVA_SANDBOX = True
    settings.WORKIVA_CLIENT_ID = "cid"
    settings.WORKIVA_CLIENT_SECRET = "csecret"
    settings.WORKIVA_SANDBOX_FAULT = ""
    cache.clear()


def basic(client_id="cid", secret="csecret"):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.fixture
def token(client):
    body = client.post(TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic()).json()
    return body["access_token"]


@pytest.fixture
def api(client, token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_X_VERSION": schema.API_VERSION}

    def call(method, path, body=None, **extra):
        kwargs = {**headers, **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/sandbox{path}", **kwargs)

    return call


def test_token_by_basic_auth(client):
    response = client.post(TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic())

    body = response.json()
    assert response.status_code == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 599
    assert body["scope"] == "file:read file:write organization:read"


def test_token_by_form_fields(client):
    response = client.post(
        TOKEN_URL, {"grant_type": "client_credentials", "client_id": "cid", "client_secret": "csecret"}
    )

    assert response.status_code == 200


def test_token_with_a_wrong_secret_is_an_oauth_error(client):
    response = client.post(TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic(secret="no"))

    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized_client"
    assert set(response.json()) == {"error", "error_description", "error_uri"}


def test_token_needs_the_client_credentials_grant(client):
    response = client.post(TOKEN_URL, {"grant_type": "password"}, HTTP_AUTHORIZATION=basic())

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_create_needs_a_valid_bearer_token(client):
    response = client.post(
        "/sandbox/processes",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer forged",
        HTTP_X_VERSION=schema.API_VERSION,
    )

    assert response.status_code == 401
    assert response.json() == {"code": "Unauthorized", "message": "Bad credentials"}


def test_create_needs_the_version_header(api):
    response = api("post", "/processes", seed_request(), HTTP_X_VERSION="2022-01-01")

    assert response.status_code == 400
    assert response.json()["target"] == "X-Version"


def test_create_answers_201_with_ids_and_only_the_job_type(api):
    response = api("post", "/processes", seed_request())

    body = response.json()
    job = body["root"]["children"][0]["job"]
    assert response.status_code == 201
    assert body["id"].startswith("process-")
    assert body["revision"] == 1
    assert body["root"]["id"]
    assert job["id"].startswith("job-")
    assert job["arguments"] == {"type": "sendTask"}
    assert SandboxProcess.objects.get().request == seed_request()


def test_invalid_user_is_rejected_with_target_and_argument_name(api):
    data = seed_request()
    data["root"]["children"][0]["job"]["arguments"]["sendTaskArgs"]["approverUser"] = "invalid-user"

    response = api("post", "/processes", data)

    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalidUser"
    assert body["target"] == "root.children[0].job.arguments.sendTaskArgs.approverUser"
    assert body["meta"] == {"argumentName": "approverUser"}
    assert not SandboxProcess.objects.exists()


def test_malformed_process_is_rejected_with_the_documented_body(api):
    response = api("post", "/processes", {"name": "", "root": {"children": [{"type": "task"}]}})

    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalidRequest"
    assert {d["target"] for d in body["details"]} == {"name", "root.children[0]"}
    assert set(body) >= {"code", "message", "target", "documentationUrl", "details"}


def test_list_filters_by_name_and_pages_with_next_link(api):
    for name in ("Close A", "Close B", "Close C", "Other"):
        data = seed_request() | {"name": name}
        api("post", "/processes", data)

    first = api("get", "/processes", **{"QUERY_STRING": "$filter=name contains 'Close'&$maxpagesize=2"}).json()
    next_query = first["@nextLink"].split("?", 1)[1]
    second = api("get", "/processes", QUERY_STRING=next_query).json()

    assert [p["name"] for p in first["data"]] == ["Close A", "Close B"]
    assert [p["name"] for p in second["data"]] == ["Close C"]
    assert "@nextLink" not in second


def test_list_refuses_other_filters(api):
    response = api("get", "/processes", QUERY_STRING="$filter=dueDate gt '2024'")

    assert response.status_code == 400
    assert response.json()["target"] == "$filter"


def test_get_trash_and_get_again(api):
    created = api("post", "/processes", seed_request()).json()

    fetched = api("get", f"/processes/{created['id']}")
    trashed = api("delete", f"/processes/{created['id']}")
    gone = api("get", f"/processes/{created['id']}")

    assert fetched.json() == created
    assert trashed.status_code == 204
    assert gone.status_code == 404


def test_validation_reports_unverified_users_by_job_id(api):
    data = seed_request()
    data["root"]["children"][0]["job"]["arguments"]["sendTaskArgs"]["assigneeUser"] = "unverified-user"
    created = api("post", "/processes", data).json()

    result = api("post", f"/processes/{created['id']}/validation").json()

    [error] = result["errors"]
    assert error["code"] == "userNotVerified"
    assert error["meta"]["jobId"] == created["root"]["children"][0]["job"]["id"]


def test_validation_of_a_valid_process_is_an_empty_list(api):
    created = api("post", "/processes", seed_request()).json()

    assert api("post", f"/processes/{created['id']}/validation").json() == {"errors": []}


@pytest.mark.parametrize(("fault", "status"), [("429", 429), ("500", 500), ("503", 503)])
def test_faults_on_request_by_header(api, fault, status):
    response = api("post", "/processes", seed_request(), HTTP_X_SANDBOX_FAULT=fault)

    assert response.status_code == status
    assert not SandboxProcess.objects.exists()
    if status == 429:
        assert response["Retry-After"] == "1"


def test_fault_with_a_count_applies_only_that_many_times(api):
    data = seed_request() | {"name": "Close [sandbox:503x1]"}

    first = api("post", "/processes", data)
    second = api("post", "/processes", data)

    assert (first.status_code, second.status_code) == (503, 201)


def test_sandbox_is_off_unless_enabled(api, settings):
    settings.WORKIVA_SANDBOX = False

    assert api("post", "/processes", seed_request()).status_code == 404


def test_arguments_of_another_type_are_rejected(api):
    data = seed_request()
    data["root"]["children"][0]["job"]["arguments"]["contentRequestArgs"] = {"title": "x"}

    response = api("post", "/processes", data)

    assert response.status_code == 400
    assert response.json()["target"] == "root.children[0].job.arguments.contentRequestArgs"


@pytest.mark.parametrize(
    "query", ["$next=-1", "$next=abc", "$next=1.5", "$next=²", "$maxpagesize=-5", "$maxpagesize=0"]
)
def test_list_refuses_bad_paging_values_with_the_error_body(api, query):
    response = api("get", "/processes", QUERY_STRING=query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalidRequest"


def test_process_page_needs_a_signed_in_user(client, api, user):
    created = api("post", "/processes", seed_request()).json()
    url = f"/sandbox/view/processes/{created['id']}"

    anonymous = client.get(url)
    client.force_login(user)
    signed_in = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    assert signed_in.status_code == 200
    assert created["id"] in signed_in.content.decode()


@pytest.mark.parametrize(("debug", "status"), [(True, 200), (False, 401)])
def test_the_public_default_secret_opens_the_sandbox_only_with_debug_on(client, settings, debug, status):
    settings.DEBUG = debug
    settings.WORKIVA_CLIENT_ID = "sandbox-client"
    settings.WORKIVA_CLIENT_SECRET = "sandbox-secret"

    response = client.post(
        TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic("sandbox-client", "sandbox-secret")
    )

    assert response.status_code == status
    if not debug:
        assert response.json()["error_description"] == (
            "The sandbox's built-in default secret works only with DEBUG on; set WORKIVA_CLIENT_SECRET."
        )
