"""Unit tests of the Workiva API client, with the remote API faked by ``responses``."""

from __future__ import annotations

import json
import logging
import socket
import uuid
from urllib.parse import urlsplit

import pytest
import requests
import responses
from django.core.cache.backends.locmem import LocMemCache
from responses import matchers

from processes_api import schema
from processes_api.client import ApiError, Client, retry_after_seconds

API = "https://api.example.test"
TOKEN_URL = "https://api.example.test/iam/v1/oauth2/token"
SECRET = "s3cr3t-value-never-logged"
TOKEN = "tok-abcdef-never-logged"


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return Client(
        api_url=API,
        token_url=TOKEN_URL,
        client_id="client-1",
        client_secret=SECRET,
        retry_budget=20,
        sleep=sleeps.append,
        cache=LocMemCache(f"test-{uuid.uuid4()}", {}),
    )


def add_token(rsps, token=TOKEN, expires_in=599):
    return rsps.post(
        TOKEN_URL,
        json={"access_token": token, "expires_in": expires_in, "scope": "file:read file:write", "token_type": "Bearer"},
        match=[
            matchers.urlencoded_params_matcher({"grant_type": "client_credentials"}),
            matchers.header_matcher({"Authorization": requests.auth._basic_auth_str("client-1", SECRET)}),
        ],
    )


CREATED = {"id": "process-1", "name": "P", "revision": 1, "root": {"id": "g1", "children": []}}


@responses.activate
def test_create_sends_version_header_bearer_token_and_json(client):
    add_token(responses)
    create = responses.post(
        f"{API}/processes",
        json=CREATED,
        status=201,
        match=[
            matchers.header_matcher(
                {
                    "X-Version": schema.API_VERSION,
                    "Authorization": f"Bearer {TOKEN}",
                    "Content-Type": "application/json",
                }
            )
        ],
    )

    result = client.create({"name": "P", "root": {"children": []}})

    assert result["id"] == "process-1"
    assert json.loads(create.calls[0].request.body) == {"name": "P", "root": {"children": []}}


@responses.activate
def test_token_is_cached_between_requests(client):
    token = add_token(responses)
    responses.get(f"{API}/processes/p1", json={"id": "p1"})

    client.get("p1")
    client.get("p1")

    assert token.call_count == 1


@responses.activate
def test_token_expiring_soon_is_not_cached_for_its_whole_life(client):
    add_token(responses, expires_in=599)

    client.token()

    # The cache entry must expire before the token does (60 s margin).
    expiry = client.cache._expire_info[client.cache.make_and_validate_key(client._token_cache_key)]
    import time

    assert expiry - time.time() <= 599 - 59


@responses.activate
def test_429_then_success_waits_as_retry_after_says(client, sleeps):
    add_token(responses)
    responses.post(f"{API}/processes", status=429, headers={"Retry-After": "7"}, json={"code": "tooManyRequests"})
    responses.post(f"{API}/processes", status=201, json=CREATED)

    result = client.create({"name": "P"})

    assert result["id"] == "process-1"
    assert sleeps == [7.0]


@responses.activate
def test_503_then_success_backs_off(client, sleeps):
    add_token(responses)
    responses.get(f"{API}/processes/p1", status=503, json={"code": "maintenance"})
    responses.get(f"{API}/processes/p1", status=200, json={"id": "p1"})

    assert client.get("p1") == {"id": "p1"}
    assert sleeps == [0.5]


@responses.activate
def test_retry_budget_exhausted_raises_with_last_status(client, sleeps):
    add_token(responses)
    responses.get(f"{API}/processes/p1", status=429, headers={"Retry-After": "15"}, json={"code": "tooManyRequests"})

    with pytest.raises(ApiError) as caught:
        client.get("p1")

    assert caught.value.status == 429
    assert caught.value.body == {"code": "tooManyRequests"}
    assert sleeps == [15.0]  # a second 15 s wait would pass the 20 s budget


@responses.activate
def test_gateway_timeout_on_create_is_not_retried_and_outcome_unknown(client, sleeps):
    add_token(responses)
    create = responses.post(f"{API}/processes", status=504, body="upstream timed out")

    with pytest.raises(ApiError) as caught:
        client.create({"name": "P"})

    assert create.call_count == 1
    assert caught.value.outcome_unknown
    assert caught.value.text == "upstream timed out"
    assert sleeps == []


@responses.activate
def test_401_fetches_one_fresh_token_and_retries_once(client):
    token = add_token(responses, token="old")
    responses.get(f"{API}/processes/p1", status=401, json=schema.UNAUTHORIZED_BODY)
    responses.get(f"{API}/processes/p1", status=200, json={"id": "p1"})

    assert client.get("p1") == {"id": "p1"}
    assert token.call_count == 2
    assert responses.calls[-1].request.headers["Authorization"] == "Bearer old"


@responses.activate
def test_second_401_is_an_error_not_a_loop(client):
    token = add_token(responses)
    responses.get(f"{API}/processes/p1", status=401, json=schema.UNAUTHORIZED_BODY)

    with pytest.raises(ApiError) as caught:
        client.get("p1")

    assert caught.value.status == 401
    assert caught.value.body == schema.UNAUTHORIZED_BODY
    assert token.call_count == 2


@responses.activate
def test_token_refusal_carries_the_oauth_error(client):
    responses.post(
        TOKEN_URL,
        status=401,
        json={"error": "unauthorized_client", "error_description": "bad secret", "error_uri": "x"},
    )

    with pytest.raises(ApiError) as caught:
        client.token()

    assert caught.value.status == 401
    assert caught.value.body["error"] == "unauthorized_client"
    assert "unauthorized_client (bad secret)" in caught.value.message


@responses.activate
def test_read_timeout_after_sending_a_create_is_an_unknown_outcome(client):
    add_token(responses)
    responses.post(f"{API}/processes", body=requests.ReadTimeout("read timed out"))

    with pytest.raises(ApiError) as caught:
        client.create({"name": "P"})

    assert caught.value.outcome_unknown
    assert caught.value.status is None


@responses.activate
def test_connection_refused_before_sending_is_not_unknown(client):
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    add_token(responses)
    cause = MaxRetryError(None, "/processes", NewConnectionError(None, "refused"))
    responses.post(f"{API}/processes", body=requests.ConnectionError(cause))

    with pytest.raises(ApiError) as caught:
        client.create({"name": "P"})

    assert not caught.value.outcome_unknown


@responses.activate
def test_dropped_connection_after_sending_is_unknown(client):
    from urllib3.exceptions import ProtocolError

    add_token(responses)
    responses.post(f"{API}/processes", body=requests.ConnectionError(ProtocolError("Connection aborted.")))

    with pytest.raises(ApiError) as caught:
        client.create({"name": "P"})

    assert caught.value.outcome_unknown


@pytest.mark.parametrize(
    ("body", "parsed"),
    [
        ("", None),
        ("<html>Bad gateway</html>", None),
        ("[1, 2", None),
        ('{"code": "invalidUser"}', {"code": "invalidUser"}),
    ],
)
@responses.activate
def test_error_bodies_of_any_shape_keep_raw_text(client, body, parsed):
    add_token(responses)
    responses.post(f"{API}/processes", status=400, body=body)

    with pytest.raises(ApiError) as caught:
        client.create({"name": "P"})

    assert caught.value.status == 400
    assert caught.value.body == parsed
    assert caught.value.text == body
    assert not caught.value.outcome_unknown


@responses.activate
def test_list_follows_next_link_and_filters_by_name(client):
    add_token(responses)
    responses.get(
        f"{API}/processes",
        match=[matchers.query_param_matcher({"$filter": "name contains 'O''Brien close'"})],
        json={"data": [{"id": "a"}], "@nextLink": f"{API}/processes?$next=abc"},
    )
    responses.get(
        f"{API}/processes", match=[matchers.query_param_matcher({"$next": "abc"})], json={"data": [{"id": "b"}]}
    )

    assert [p["id"] for p in client.list(name="O'Brien close")] == ["a", "b"]


@responses.activate
def test_trash_and_validate(client):
    add_token(responses)
    responses.delete(f"{API}/processes/p1", status=204)
    responses.post(f"{API}/processes/p1/validation", json={"errors": []})

    client.trash("p1")

    assert client.validate("p1") == {"errors": []}


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("10") == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None


@responses.activate
def test_no_secret_or_token_in_any_log_line(client, caplog):
    caplog.set_level(logging.DEBUG)
    responses.post(TOKEN_URL, status=401, json={"error": "unauthorized_client"})
    with pytest.raises(ApiError):
        client.token()
    responses.replace(
        responses.POST, TOKEN_URL, json={"access_token": TOKEN, "expires_in": 599, "token_type": "Bearer"}
    )
    responses.get(f"{API}/processes/p1", status=401, json=schema.UNAUTHORIZED_BODY)
    responses.get(f"{API}/processes/p1", status=200, json={"id": "p1"})
    responses.post(f"{API}/processes", status=429, headers={"Retry-After": "1"}, json={"code": "x"})
    responses.post(f"{API}/processes", body=requests.ReadTimeout("t"))
    responses.get(f"{API}/processes", status=503)

    client.get("p1")
    with pytest.raises(ApiError) as unknown:
        client.create({"name": "P"})
    with pytest.raises(ApiError) as failed:
        list(client.list(name="P"))

    text = "\n".join(r.getMessage() for r in caplog.records) + str(unknown.value) + str(failed.value) + repr(client)
    assert caplog.records  # the paths above do log
    assert SECRET not in text
    assert TOKEN not in text


@responses.activate
def test_token_timeout_before_a_create_is_not_an_unknown_outcome(client):
    responses.post(TOKEN_URL, body=requests.ReadTimeout("t"))

    with pytest.raises(ApiError) as caught:
        client.create({"name": "P"})

    assert not caught.value.outcome_unknown


def test_invalid_api_url_is_a_clear_error_not_an_unknown_outcome(sleeps):
    client = Client(
        api_url="not a url",
        token_url="also not",
        client_id="c",
        client_secret=SECRET,
        sleep=sleeps.append,
        cache=LocMemCache(f"test-{uuid.uuid4()}", {}),
    )

    with pytest.raises(ApiError) as caught:
        client.create({"name": "P"})

    assert "the URL is not valid" in caught.value.message
    assert not caught.value.outcome_unknown


@responses.activate
def test_no_grant_configured_is_a_clear_error_and_sends_nothing():
    unconfigured = Client(
        api_url=API, token_url=TOKEN_URL, client_id="", client_secret="", cache=LocMemCache(f"t-{uuid.uuid4()}", {})
    )

    with pytest.raises(ApiError, match="No Workiva API grant is configured: set WORKIVA_CLIENT_ID") as caught:
        unconfigured.create({"name": "P", "root": {"children": []}})

    assert caught.value.outcome_unknown is False
    assert len(responses.calls) == 0


def test_a_connection_that_cannot_be_opened_names_the_url_it_tried():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(
        api_url=f"http://127.0.0.1:{port}/sandbox",
        token_url=f"http://user:secret@127.0.0.1:{port}/sandbox/iam/v1/oauth2/token?x=1",
        client_id="c",
        client_secret="s",
        cache=LocMemCache(f"test-{uuid.uuid4()}", {}),
    )

    with pytest.raises(ApiError) as caught:
        client.token(fresh=True)

    assert f"http://127.0.0.1:{port}/sandbox/iam/v1/oauth2/token: the connection could not be opened" in str(
        caught.value.message
    )
    assert "secret" not in caught.value.message
    assert caught.value.outcome_unknown is False


@responses.activate
@pytest.mark.parametrize(
    "link",
    [
        "https://attacker.example/processes?$next=2",
        "http://api.example.test/processes?$next=2",  # another scheme
        "https://api.example.test:8443/processes?$next=2",  # another port
    ],
)
def test_list_does_not_follow_a_next_link_to_another_host(client, link):
    assert urlsplit(API).hostname == "api.example.test"
    add_token(responses)
    responses.get(f"{API}/processes", json={"data": [{"id": "a"}], "@nextLink": link})

    with pytest.raises(ApiError, match="not to the configured API host; it was not followed"):
        list(client.list())

    assert [call.request.url.split("?")[0] for call in responses.calls] == [TOKEN_URL, f"{API}/processes"]


@responses.activate
def test_list_follows_a_relative_next_link_on_the_api_host(client):
    add_token(responses)
    responses.get(
        f"{API}/processes",
        match=[matchers.query_param_matcher({})],
        json={"data": [{"id": "a"}], "@nextLink": "processes?$next=2"},
    )
    responses.get(
        f"{API}/processes", match=[matchers.query_param_matcher({"$next": "2"})], json={"data": [{"id": "b"}]}
    )

    assert [p["id"] for p in client.list()] == ["a", "b"]
