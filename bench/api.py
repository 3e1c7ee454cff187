"""Print what GET /api/v1/drafts/ costs for 10 and 1,000 drafts: SQL queries and time (figures, not assertions).

Run: .venv/bin/python bench/api.py   (a throwaway SQLite file; DATABASE_URL overrides it)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-api.sqlite3")
os.environ.setdefault("CACHE_BACKEND", "locmem")
os.environ.setdefault("API_THROTTLE_RATE", "100000/min")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from api.tokens import token_create  # noqa: E402
from designer.models import Membership  # noqa: E402
from designer.services.drafts import draft_create  # noqa: E402


def measure(client: APIClient, label: str) -> None:
    client.get("/api/v1/drafts/?page_size=200")  # warm
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/drafts/?page_size=200")
        best = min(best, time.perf_counter() - start)
    count = response.json()["count"]
    print(f"{label:<28} {count:>5} drafts  {len(queries):>2} queries  {best * 1000:7.1f} ms (best of 5)")


def main() -> None:
    call_command("migrate", verbosity=0)
    me = User.objects.create_user(f"bench{time.time_ns()}", password="pw")
    other = User.objects.create_user(f"other{time.time_ns()}", password="pw")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=me, name='bench')[1]}")
    made = 0
    for total in (10, 1000):
        while made < total:
            if made % 2:
                draft_create(owner=me, name=f"Mine {made}")
            else:
                Membership.objects.create(
                    draft=draft_create(owner=other, name=f"Shared {made}"), user=me, role="editor"
                )
            made += 1
        measure(client, f"GET /api/v1/drafts/ ({total})")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
