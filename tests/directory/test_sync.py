"""Filling the directory: ``sync_directory`` against the sandbox, its output and exit codes, incremental writes."""

from __future__ import annotations

import uuid
from io import StringIO

import pytest
import responses
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import DirectoryFile, DirectorySync, DirectoryUser, UserTerm
from directory.services import SyncError, directory_sync
from processes_api import platform

API = "https://api.example.test"
USERS_URL = f"{API}/organizations/org-1/users"


def run(*args):
    out = StringIO()
    call_command("sync_directory", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_sync_directory_prints_one_line_of_counts(sandbox):
    output = run()

    assert output == "240 users, 36 documents, 6 spreadsheets (20 suspended, 282 new)\n"
    assert DirectoryUser.objects.count() == 240
    assert DirectoryUser.objects.filter(suspended=True).count() == 20
    assert DirectoryFile.objects.filter(kind="Document").count() == 36
    assert DirectorySync.objects.get().ok


@pytest.mark.django_db(transaction=True)
def test_a_second_sync_writes_only_what_changed(sandbox, settings):
    run()
    ada = DirectoryUser.objects.order_by("id").first()
    ada.display_name = "Stale name"
    ada.save()
    settings.WORKIVA_SANDBOX_USERS = 230  # ten users left the organization

    output = run()

    assert output == "230 users, 36 documents, 6 spreadsheets (19 suspended, 1 changed, 10 removed)\n"
    ada.refresh_from_db()
    assert ada.display_name != "Stale name"
    assert UserTerm.objects.filter(user=ada, term="stale").count() == 0


@pytest.mark.django_db(transaction=True)
def test_sync_pages_over_more_than_a_thousand_users(sandbox, settings):
    settings.WORKIVA_SANDBOX_USERS = 2100

    output = run()

    assert output.startswith("2100 users, ")
    assert DirectoryUser.objects.count() == 2100


@pytest.mark.django_db(transaction=True)
def test_missing_organization_scope_exits_2_with_one_line(sandbox, settings):
    settings.WORKIVA_SANDBOX_SCOPES = "file:read file:write"

    with pytest.raises(CommandError) as caught:
        run()

    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value)
    assert "403" in str(caught.value)
    assert "needs the scopes organization:read and file:read" in str(caught.value)
    assert DirectoryUser.objects.count() == 0
    assert DirectorySync.objects.get().error == str(caught.value)


@pytest.mark.django_db(transaction=True)
def test_connection_problem_exits_2_and_keeps_what_was_there(sandbox, settings):
    run()
    settings.WORKIVA_API_URL = "http://127.0.0.1:9/sandbox"  # nothing listens on the discard port

    with pytest.raises(CommandError) as caught:
        run()

    assert caught.value.returncode == 2
    assert str(caught.value).startswith("Could not read the directory from Workiva: ")
    assert DirectoryUser.objects.count() == 240


@pytest.mark.django_db(transaction=True)
def test_a_server_fault_mid_listing_changes_nothing_of_that_list(sandbox, settings):
    settings.WORKIVA_SANDBOX_FAULT = "500"

    with pytest.raises(CommandError):
        run()

    assert DirectoryUser.objects.count() == 0


@pytest.mark.django_db
@responses.activate
def test_a_malformed_second_page_leaves_the_users_unchanged():
    responses.post(f"{API}/iam/v1/oauth2/token", json={"access_token": "t", "expires_in": 599})
    responses.get(USERS_URL, json={"data": [{"id": "u1"}], "@nextLink": f"{USERS_URL}?$next=1"})
    responses.get(USERS_URL, json={"data": "oops"}, match=[responses.matchers.query_param_matcher({"$next": "1"})])
    client = platform.PlatformClient(
        api_url=API,
        token_url=f"{API}/iam/v1/oauth2/token",
        client_id="c",
        client_secret="s",
        organization_id="org-1",
        cache=LocMemCache(f"t-{uuid.uuid4()}", {}),
    )

    with pytest.raises(SyncError) as caught:
        directory_sync(client=client, files=False)

    assert "data is not a list" in caught.value.message
    assert not caught.value.permission
    assert DirectoryUser.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_simultaneous_refresh_is_reported_not_a_crash(sandbox, monkeypatch):
    from django.db import IntegrityError

    def clash(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: directory_directoryuser.workiva_id")

    monkeypatch.setattr(DirectoryUser.objects, "bulk_create", clash)

    with pytest.raises(CommandError) as caught:
        run()

    assert caught.value.returncode == 2
    assert str(caught.value) == "Another refresh of the directory wrote the same entries meanwhile; try again."
    assert DirectorySync.objects.get().error == str(caught.value)
