"""The directory page, the staff Refresh button, the pickers' search answers and the connection page's scopes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import DirectoryFile, DirectorySync, DirectoryUser, UserTerm
from directory.services import terms_of
from tests.factories import UserFactory

HX = {"HTTP_HX_REQUEST": "true"}


def add_user(workiva_id, name, email="", suspended=False):
    user = DirectoryUser.objects.create(
        workiva_id=workiva_id, display_name=name, email=email, suspended=suspended, synced=timezone.now()
    )
    UserTerm.objects.bulk_create(UserTerm(user=user, term=t) for t in terms_of(name, email, workiva_id))
    return user


@pytest.mark.parametrize("name", ["directory", "directory-users", "directory-files", "directory-sections"])
def test_directory_pages_need_a_login(client, db, name):
    response = client.get(reverse(name), {"q": "a"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_search_answers_json_with_display_names_as_data(client, user):
    add_user("u-1", '<img src=x onerror="alert(1)"> Ada', "ada@example.com")
    add_user("u-2", "Grace Hopper", "grace@example.com", suspended=True)
    client.force_login(user)

    body = client.get(reverse("directory-users"), {"q": "ada"}).json()

    assert body == {
        "results": [
            {
                "id": "u-1",
                "label": '<img src=x onerror="alert(1)"> Ada',
                "detail": "ada@example.com",
                "suspended": False,
            }
        ],
        "filled": True,
    }
    grace = client.get(reverse("directory-users"), {"q": "hop"}).json()["results"][0]
    assert grace["detail"] == "grace@example.com · suspended"


def test_directory_page_escapes_names(client, user):
    add_user("u-1", "<script>alert(1)</script> Ada", "ada@example.com")
    client.force_login(user)

    html = client.get(reverse("directory"), {"q": "ada"}).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ada" in html
    assert "<script>alert(1)</script>" not in html


def test_refresh_is_for_staff_only(client, user):
    client.force_login(user)

    response = client.post(reverse("directory-refresh"))

    assert response.status_code == 403
    assert DirectorySync.objects.count() == 0
    assert "Refresh directory" not in client.get(reverse("directory")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_staff_refresh_fills_the_directory_from_the_sandbox(sandbox, client):
    admin = UserFactory(is_staff=True)
    client.force_login(admin)

    response = client.post(reverse("directory-refresh"), follow=True)

    html = response.content.decode()
    assert "Directory refreshed: 240 users, 36 documents, 6 spreadsheets" in html
    assert DirectoryUser.objects.count() == 240
    assert DirectorySync.objects.get().by == admin


@pytest.mark.django_db(transaction=True)
def test_staff_refresh_reports_a_missing_scope(sandbox, client, settings):
    settings.WORKIVA_SANDBOX_SCOPES = "file:read file:write"
    client.force_login(UserFactory(is_staff=True))

    html = client.post(reverse("directory-refresh"), follow=True).content.decode()

    assert "The API grant needs the scopes organization:read and file:read." in html
    assert "failed" in html


@pytest.mark.django_db(transaction=True)
def test_sections_of_a_chosen_document_are_fetched_on_demand(sandbox, client):
    client.force_login(UserFactory(is_staff=True))
    client.post(reverse("directory-refresh"))
    document = DirectoryFile.objects.filter(kind="Document").first()

    body = client.get(reverse("directory-sections"), {"file": document.workiva_id, "q": "notes"}).json()

    assert [r["label"] for r in body["results"]] == ["Notes"]
    assert body["results"][0]["id"] == f"{document.workiva_id}_3"
    assert document.sections.count() >= 3


def test_sections_of_an_unknown_file_say_so(client, user):
    client.force_login(user)

    body = client.get(reverse("directory-sections"), {"file": "nope"}).json()

    assert body == {"results": [], "filled": False, "note": "Choose a document from the directory first."}


@pytest.mark.django_db(transaction=True)
def test_connection_test_names_the_missing_organization_scope(sandbox, client, settings):
    settings.WORKIVA_SANDBOX_SCOPES = "file:read file:write"
    client.force_login(UserFactory(is_staff=True))

    html = client.post(reverse("publishing-connection-test"), **HX).content.decode()

    assert "But the API grant lacks the scope organization:read" in html


def test_connection_page_lists_the_scopes_and_organization(client, settings, db):
    settings.WORKIVA_ORGANIZATION_ID = "org-uuid-1"
    client.force_login(UserFactory(is_staff=True))

    html = client.get(reverse("publishing-connection")).content.decode()

    assert "<code>organization:read</code>" in html
    assert "<code>org-uuid-1</code>" in html
    assert "<code>2026-01-01</code>" in html


@pytest.mark.django_db(transaction=True)
def test_a_development_server_fills_an_empty_directory_from_its_sandbox_once(sandbox, client, settings):
    settings.DEBUG = True
    client.force_login(UserFactory())

    first = client.get(reverse("directory-users"), {"q": "ada"}).json()
    client.get(reverse("directory-files"), {"q": "10-q"})

    assert first["filled"] is True
    assert first["results"][0]["label"].startswith("Ada ")
    assert DirectorySync.objects.count() == 1


def test_with_debug_off_a_search_never_syncs(client, user):
    client.force_login(user)

    body = client.get(reverse("directory-users"), {"q": "ada"}).json()

    assert body == {"results": [], "filled": False}
    assert DirectorySync.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_sections_that_cannot_be_fetched_say_why(sandbox, client, settings):
    client.force_login(UserFactory(is_staff=True))
    client.post(reverse("directory-refresh"))
    document = DirectoryFile.objects.filter(kind="Document").first()
    settings.WORKIVA_SANDBOX_FAULT = "500"

    body = client.get(reverse("directory-sections"), {"file": document.workiva_id}).json()

    assert body["results"] == []
    assert body["note"].startswith("Could not fetch the sections: GET ")
    assert "answered 500" in body["note"]
    assert document.sections.count() == 0
