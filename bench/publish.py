"""Benchmark: the designer's overhead per publish against a bare POST of the same payload.

For drafts of 30 and 3,000 jobs it publishes through the whole service (lint, build, freeze,
submission, task, client, recording of server ids, validation call) to the built-in sandbox served
on a local socket, and separately times a bare ``requests.post`` of the same JSON to the same
sandbox. Overhead = publish time − time spent inside HTTP calls; the ratio is overhead / bare POST.

Run: ``.venv/bin/python bench/publish.py`` (SQLite in a temporary directory unless DATABASE_URL is
set). It prints figures; nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
os.environ["WORKIVA_SANDBOX"] = "1"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.testcases import LiveServerThread, _StaticFilesHandler  # noqa: E402

from designer.selectors.trees import draft_tree  # noqa: E402
from designer.services.drafts import draft_import  # noqa: E402
from processes_api import schema  # noqa: E402
from processes_api.client import Client  # noqa: E402
from processes_api.lint import lint_tree  # noqa: E402
from processes_api.payload import build_payload, dumps  # noqa: E402
from publishing.services.submissions import draft_publish  # noqa: E402

JOBS_PER_GROUP = 30


def process(jobs: int, run: int) -> dict[str, Any]:
    groups = []
    for g in range(max(1, jobs // JOBS_PER_GROUP)):
        children = [
            {
                "type": "job",
                "job": {
                    "arguments": {
                        "type": "sendTask",
                        "sendTaskArgs": {
                            "title": f"Task {g}.{j}",
                            "instructions": "Reconcile the account and attach the evidence.",
                            "assigneeUser": f"userId{j}",
                            "dueDate": "2026-12-15",
                        },
                    }
                },
            }
            for j in range(min(JOBS_PER_GROUP, jobs))
        ]
        groups.append({"type": "group", "group": {"name": f"Group {g}", "parallel": True, "children": children}})
    return {
        "name": f"Bench {jobs} jobs run {run}",
        "dueDate": "2026-12-31",
        "root": {"name": "Root", "children": groups},
    }


class HttpTimer:
    """Accumulate wall time spent inside ``requests.Session.request``."""

    def __init__(self) -> None:
        self.total = 0.0
        self._original = requests.Session.request

    def __enter__(self) -> HttpTimer:
        timer = self

        def timed(session: requests.Session, *args: Any, **kwargs: Any) -> requests.Response:
            started = time.perf_counter()
            try:
                return timer._original(session, *args, **kwargs)
            finally:
                timer.total += time.perf_counter() - started

        requests.Session.request = timed  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        requests.Session.request = self._original  # type: ignore[method-assign]


def main() -> None:
    import logging

    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    logging.getLogger("processes_api").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    server = LiveServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}/sandbox"
    settings.WORKIVA_API_URL = base
    settings.WORKIVA_TOKEN_URL = f"{base}/iam/v1/oauth2/token"
    owner, _ = get_user_model().objects.get_or_create(username="bench")
    token = Client.from_settings().token()
    headers = {
        "Authorization": f"Bearer {token}",
        schema.VERSION_HEADER: schema.API_VERSION,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    print(
        f"{'jobs':>6} {'bare POST ms':>13} {'publish ms':>11} {'http in publish ms':>19} {'overhead ms':>12} {'ratio':>6} {'of which lint+build ms':>22}"
    )
    for jobs, runs in ((30, 10), (3000, 3)):
        bare, total, http, overhead, lint_build = [], [], [], [], []
        for run in range(runs):
            data = process(jobs, run)
            body = dumps(data, indent=None).encode()
            started = time.perf_counter()
            response = requests.post(f"{base}/processes", data=body, headers=headers, timeout=60)
            bare.append(time.perf_counter() - started)
            assert response.status_code == 201, response.text[:200]

            draft = draft_import(data=data | {"name": data["name"] + " (designer)"}, owner=owner)
            started = time.perf_counter()
            tree = draft_tree(draft=draft)
            lint_tree(tree, build_payload(tree))
            lint_build.append(time.perf_counter() - started)
            with HttpTimer() as timer:
                started = time.perf_counter()
                submission = draft_publish(draft=draft, user=owner).submission
                elapsed = time.perf_counter() - started
            assert submission.status == "created", (submission.status, submission.message)
            total.append(elapsed)
            http.append(timer.total)
            overhead.append(elapsed - timer.total)
        med = statistics.median
        print(
            f"{jobs:>6} {med(bare) * 1000:>13.1f} {med(total) * 1000:>11.1f} {med(http) * 1000:>19.1f} "
            f"{med(overhead) * 1000:>12.1f} {med(overhead) / med(bare):>6.2f} {med(lint_build) * 1000:>22.1f}"
        )
    print(f"(medians of 10 runs for 30 jobs, 3 runs for 3,000; database {settings.DATABASES['default']['ENGINE']})")


if __name__ == "__main__":
    main()
