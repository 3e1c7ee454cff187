"""The team page: staff add teammates with a temporary password; the favicon; the login page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "plum-orchard-ladder-42"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="ada", is_staff=True))
    return client


def _users():
    return set(get_user_model().objects.values_list("username", flat=True))


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("team"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_member_who_is_not_staff_can_neither_see_nor_add(client):
    client.force_login(UserFactory(username="max"))
    before = _users()

    assert client.get(reverse("team")).status_code == 403
    response = client.post(reverse("team"), {"username": "eve", "email": "eve@example.com", "password": PASSWORD})

    assert response.status_code == 403
    assert _users() == before


def test_staff_add_a_teammate_who_then_logs_in_with_the_temporary_password(admin_client):
    response = admin_client.post(
        reverse("team"), {"username": " carol ", "email": "carol@example.com", "password": PASSWORD}, follow=True
    )

    html = response.content.decode()
    assert "Added carol." in html
    assert "<td>carol</td><td>carol@example.com</td><td>member</td>" in html
    carol = get_user_model().objects.get(username="carol")
    assert (carol.is_staff, carol.is_active) == (False, True)
    assert Client().login(username="carol", password=PASSWORD)


def test_adding_needs_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="ada", is_staff=True))
    before = _users()

    response = client.post(reverse("team"), {"username": "eve", "email": "eve@example.com", "password": PASSWORD})

    assert response.status_code == 403
    assert _users() == before


@pytest.mark.parametrize(
    ("username", "email", "password", "message"),
    [
        ("", "eve@example.com", PASSWORD, "Enter a username."),
        ("eve smith", "eve@example.com", PASSWORD, "“eve smith” cannot be a username"),
        ("ADA", "eve@example.com", PASSWORD, "There is already a user “ADA”."),
        ("eve", "", PASSWORD, "Enter an e-mail address"),
        ("eve", "eve-at-example", PASSWORD, "“eve-at-example” is not an e-mail address."),
        ("eve", "ADA@example.com", PASSWORD, "ADA@example.com is already the e-mail address of ada."),
        ("eve", "eve@example.com", "", "Enter a temporary password."),
        ("eve", "eve@example.com", "short", "The temporary password is too weak: This password is too short."),
    ],
)
def test_bad_input_is_named_and_writes_nothing(admin_client, username, email, password, message):
    before = _users()

    response = admin_client.post(reverse("team"), {"username": username, "email": email, "password": password})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert _users() == before


def test_names_are_escaped_on_the_team_page(admin_client):
    UserFactory(username="x", email="<script>alert(1)</script>@example.com")

    html = admin_client.get(reverse("team")).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;@example.com" in html


def test_only_staff_see_the_team_link(client):
    client.force_login(UserFactory(username="max"))
    assert reverse("team") not in client.get(reverse("draft-list")).content.decode()
    client.force_login(UserFactory(username="ada", is_staff=True))
    assert f'<a href="{reverse("team")}">Team</a>' in client.get(reverse("draft-list")).content.decode()


def test_pages_link_the_favicon_and_favicon_ico_leads_to_it(client):
    html = client.get(reverse("login")).content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")


def test_the_login_page_lays_out_each_field_like_the_app(client):
    html = client.get(reverse("login")).content.decode()

    assert '<div class="field">\n      <label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert "<div><label" not in html  # Django's bare as_div rendering


def test_changing_ones_password_needs_login_and_the_current_one(client):
    assert client.get(reverse("password-change"))["Location"].startswith(reverse("login"))
    carol = UserFactory(username="carol", password=PASSWORD)
    client.force_login(carol)
    new = "quiet-harbour-lantern-77"

    wrong = client.post(
        reverse("password-change"), {"old_password": "nope", "new_password1": new, "new_password2": new}
    )
    assert "Your old password was entered incorrectly." in wrong.content.decode()
    right = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )

    assert "Your password is changed." in right.content.decode()
    assert Client().login(username="carol", password=new)
