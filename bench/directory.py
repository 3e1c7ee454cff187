"""Directory search at 10,000 users: time per search and the query plan (run: .venv/bin/python bench/directory.py).

Builds a throw-away SQLite database (or uses DATABASE_URL's server with a test database), fills it
with 10,000 users and their search terms, and times the pickers' search for typical prefixes.
Prints the load average with the figures: this machine is shared.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "10000"))
QUERIES = ["ada", "lov", "grace hop", "zhang", "user1234", "o'b", "x", "priya.r"]


def fill(count: int) -> None:
    from django.utils import timezone

    from directory.models import DirectoryUser, UserTerm
    from directory.services import terms_of
    from processes_api.sandbox.directory import _users

    now = timezone.now()
    seeded = _users(count)
    rows = DirectoryUser.objects.bulk_create(
        [
            DirectoryUser(
                workiva_id=u["id"],
                display_name=u["displayName"],
                email=u["email"],
                username=u["username"],
                status=u["status"],
                suspended=u["status"] == "suspended",
                synced=now,
            )
            for u in seeded
        ],
        batch_size=1000,
    )
    UserTerm.objects.bulk_create(
        [UserTerm(user=r, term=t) for r in rows for t in terms_of(r.display_name, r.email, r.username, r.workiva_id)],
        batch_size=5000,
    )


def main() -> None:
    from directory.selectors import users_search

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        fill(USERS)
        print(f"{USERS} users, database {connection.vendor}, load average {os.getloadavg()}")
        for query in QUERIES:
            times = []
            for _ in range(20):
                started = time.perf_counter()
                found = users_search(query)
                times.append((time.perf_counter() - started) * 1000)
            print(
                f"  {query!r:12} {len(found):2} results  median {statistics.median(times):6.2f} ms  max {max(times):6.2f} ms"
            )
        with connection.cursor() as cursor:
            sql, params = users_search_sql("lov")
            cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
            print("plan for 'lov':")
            for row in cursor.fetchall():
                print("  ", row[-1])
        print(f"load average after: {os.getloadavg()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def users_search_sql(query: str) -> tuple[str, tuple]:
    from directory.models import DirectoryUser, UserTerm
    from directory.selectors import _matching

    rows = _matching(DirectoryUser.objects.all(), UserTerm, "user", query).order_by("suspended", "display_name")[:20]
    return rows.query.sql_with_params()


if __name__ == "__main__":
    main()
