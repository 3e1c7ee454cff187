"""Failed-login throttling: look-alike usernames share a count; parallel attempts cannot overshoot it."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, connections
from django.test import Client

PASSWORD = "pw-123456-long"
LOOK_ALIKES = ["ａｌｉｃｅ", "𝐚𝐥𝐢𝐜𝐞", "ªlice"]


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_IP_FAILURE_LIMIT = 50
    settings.LOGIN_LOCKOUT_SECONDS = 600
    settings.LOGIN_REDIRECT_URL = "/"
    return settings


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """Record every password check (the work the throttle exists to limit)."""
    calls: list[str] = []
    lock = threading.Lock()
    real = AbstractBaseUser.check_password

    def counting(self, raw_password):
        with lock:
            calls.append(self.get_username())
        return real(self, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", counting)
    return calls


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_look_alike_username_logs_in_as_the_same_user(db, limits, look_alike):
    get_user_model().objects.create_user(username="alice", password=PASSWORD)

    response = login(Client(), look_alike, PASSWORD)

    assert response.status_code == 302


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
def test_look_alike_usernames_are_locked_with_the_account(db, limits, checked, look_alike):
    get_user_model().objects.create_user(username="alice", password=PASSWORD)
    client = Client()
    for _ in range(5):
        login(client, "alice", "wrong")

    response = login(client, look_alike, PASSWORD)

    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(checked) == 5


def test_failures_under_look_alike_and_other_case_names_add_up(db, limits):
    get_user_model().objects.create_user(username="alice", password=PASSWORD)
    client = Client()
    for name in ["alice", "ALICE", *LOOK_ALIKES]:
        login(client, name, "wrong")

    response = login(client, "alice", PASSWORD)

    assert response.status_code == 429


def test_sequential_wrong_logins_check_at_most_the_limit(db, limits, checked):
    get_user_model().objects.create_user(username="alice", password=PASSWORD)
    client = Client()

    statuses = [login(client, "alice", "wrong").status_code for _ in range(30)]

    assert len(checked) == 5
    assert statuses.count(200) == 5
    assert statuses.count(429) == 25


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_logins_check_at_most_the_limit(limits, checked):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's shared-cache test database locks whole tables; run with make test-postgres")
    get_user_model().objects.create_user(username="alice", password=PASSWORD)
    barrier = threading.Barrier(30)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def attempt() -> None:
        try:
            client = Client()
            barrier.wait()
            statuses.append(login(client, "alice", "wrong").status_code)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert len(checked) <= 5
    assert sorted(set(statuses)) == [200, 429]
    assert statuses.count(200) == len(checked)
