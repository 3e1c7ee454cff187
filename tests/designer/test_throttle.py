"""Failed-login throttling: look-alike usernames share a count; parallel attempts cannot overshoot it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections
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


# The same race on the embedded default, a SQLite file, in a fresh interpreter (the test database is
# an in-memory one whose shared cache serialises whole tables).
PARALLEL_SCRIPT = r"""
import json, threading
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management import call_command
from django.db import connections
from django.test import Client

call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
get_user_model().objects.create_user(username="alice", password="pw-123456-long")
connections.close_all()
checked, lock = [], threading.Lock()
real = AbstractBaseUser.check_password

def counting(self, raw_password):
    with lock:
        checked.append(1)
    return real(self, raw_password)

AbstractBaseUser.check_password = counting
barrier = threading.Barrier(30)
statuses, failures = [], []

def attempt():
    try:
        client = Client(raise_request_exception=False)
        barrier.wait()
        statuses.append(client.post("/login/", {"username": "alice", "password": "wrong"}).status_code)
    except BaseException as exc:
        failures.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=attempt) for _ in range(30)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"checked": len(checked), "statuses": statuses, "failures": failures}))
"""


def test_parallel_wrong_logins_on_a_sqlite_file_check_at_most_the_limit(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "designer.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        "LOG_LEVEL": "CRITICAL",
        "LOGIN_FAILURE_LIMIT": "5",
        "LOGIN_IP_FAILURE_LIMIT": "50",
    }

    done = subprocess.run(
        [sys.executable, "-c", PARALLEL_SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["failures"] == []
    assert result["checked"] <= 5
    assert sorted(set(result["statuses"])) == [200, 429]
    assert result["statuses"].count(200) == result["checked"]
