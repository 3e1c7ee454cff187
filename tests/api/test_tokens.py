"""Personal access tokens: created (shown once), stored hashed, used, expired, revoked, never logged."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import TokenError, token_create
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_is_stored_as_a_digest_only(user):
    token, secret = token_create(user=user, name="nightly lint")

    row = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith("pd_")
    assert len(secret) > 60
    assert secret not in {row.digest, row.token_key, row.name}
    assert row.token_key == secret[:15]
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get(pk=token.pk))
    assert secret not in stored


def test_a_token_authenticates_as_its_user_and_notes_its_use(user):
    make_draft(user, name="Mine")
    token, secret = token_create(user=user, name="ci")

    response = bearer(secret).get("/api/v1/drafts/")

    assert response.status_code == 200
    assert [d["name"] for d in response.data["results"]] == ["Mine"]
    token.refresh_from_db()
    assert token.last_used is not None


def test_a_wrong_token_is_401(user):
    token_create(user=user, name="ci")

    response = bearer("pd_" + "x" * 64).get("/api/v1/drafts/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_an_expired_token_is_refused(user):
    token, secret = token_create(user=user, name="ci", expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))

    response = bearer(secret).get("/api/v1/drafts/")

    assert response.status_code == 401


def test_a_revoked_token_is_refused(client, user):
    token, secret = token_create(user=user, name="ci")
    assert bearer(secret).get("/api/v1/drafts/").status_code == 200
    client.force_login(user)

    page = client.post(f"/account/tokens/{token.token_key}/revoke/", follow=True)

    assert b"Token revoked" in page.content
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert bearer(secret).get("/api/v1/drafts/").status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, user, team):
    token, _ = token_create(user=team["owner"], name="theirs")
    client.force_login(user)

    client.post(f"/account/tokens/{token.token_key}/revoke/")

    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_page_shows_a_new_token_once_and_lists_it_by_name(client, user):
    client.force_login(user)

    created = client.post("/account/tokens/", {"name": "nightly <lint>", "expires": "30"})
    later = client.get("/account/tokens/")

    token = ApiToken.objects.get(user=user)
    secret = created.context["secret"]
    assert token.token_key == secret[:15]
    assert secret.encode() in created.content
    assert "no-store" in created["Cache-Control"]
    assert secret.encode() not in later.content
    assert b"nightly &lt;lint&gt;" in later.content
    assert token.expiry is not None
    assert token.expiry - timezone.now() > dt.timedelta(days=29)


def test_the_page_refuses_a_token_without_a_name(client, user):
    client.force_login(user)

    response = client.post("/account/tokens/", {"name": "  ", "expires": ""})

    assert response.status_code == 422
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_needs_a_login(client):
    assert client.get("/account/tokens/").status_code == 302


@pytest.mark.parametrize("days", [0, -1, 100_000])
def test_an_expiry_out_of_range_is_refused(user, days):
    with pytest.raises(TokenError):
        token_create(user=user, name="x", expires_days=days)


def test_the_command_prints_a_working_token(capsys, user):
    call_command("create_api_token", user.username, "--name", "script", "--expires-days", "7")

    secret = capsys.readouterr().out.strip()
    assert bearer(secret).get("/api/v1/drafts/").status_code == 200
    assert ApiToken.objects.get(user=user).name == "script"


def test_the_command_refuses_an_unknown_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="There is no user"):
        call_command("create_api_token", "nobody")


def test_a_token_is_never_logged(caplog, settings, user):
    settings.DEBUG = False
    _, secret = token_create(user=user, name="ci")
    caplog.set_level(logging.DEBUG)

    bearer(secret).get("/api/v1/drafts/")
    bearer(secret).get("/api/v1/drafts/999999/")  # a 404 is logged as a warning
    bearer(secret + "x").get("/api/v1/drafts/")  # a refused token too
    bearer(secret).post("/api/v1/drafts/", b"{not json", content_type="application/json")

    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert caplog.records  # the requests above were logged
    assert secret not in logged
    assert secret[3:20] not in logged


def test_each_token_has_its_own_budget(settings, user):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/min"}}
    from api.auth import TokenRateThrottle

    TokenRateThrottle.THROTTLE_RATES = {"api": "3/min"}
    try:
        first = bearer(token_create(user=user, name="a")[1])
        second = bearer(token_create(user=user, name="b")[1])

        codes = [first.get("/api/v1/drafts/").status_code for _ in range(4)]
        other = second.get("/api/v1/drafts/")
    finally:
        from rest_framework.settings import api_settings

        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    assert codes == [200, 200, 200, 429]
    assert other.status_code == 200


def test_the_browser_session_works_and_its_writes_need_the_csrf_token(user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    read = browser.get("/api/v1/drafts/")
    write = browser.post("/api/v1/drafts/", {"name": "x"}, content_type="application/json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]


def test_the_page_marks_an_expired_token(client, user):
    token, _ = token_create(user=user, name="old", expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(days=1))
    client.force_login(user)

    page = client.get("/account/tokens/")

    assert "(expired)" in page.content.decode()
