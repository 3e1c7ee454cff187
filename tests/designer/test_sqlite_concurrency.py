"""The embedded default, a SQLite file, answers simultaneous edits with 200 or 409, never a 500."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings

# Runs in a fresh interpreter: the settings must come from designer/settings.py with a SQLite
# *file* (the test database is an in-memory one with other locking), as `make run` has it.
SCRIPT = r"""
import json, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client

call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
from tests.factories import UserFactory, make_draft

user = UserFactory(username="olivia")
draft = make_draft(user)
version = draft.version
connections.close_all()
barrier = threading.Barrier(THREADS)
statuses, failures = [], []

def edit(n):
    try:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait()
        response = client.post(
            f"/drafts/{draft.pk}/settings/", {"settings-name": f"Edit {n}", "version": version}, HTTP_HX_REQUEST="true"
        )
        statuses.append(response.status_code)
    except BaseException as exc:
        failures.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=edit, args=(n,)) for n in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"statuses": statuses, "failures": failures, "engine": connections["default"].vendor}))
"""


def test_simultaneous_edits_on_a_sqlite_file_get_200_or_409(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "designer.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
        "LOG_LEVEL": "CRITICAL",
    }

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("THREADS", "20")],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["engine"] == "sqlite"
    assert result["failures"] == []
    assert Counter(result["statuses"]) == {200: 1, 409: 19}
