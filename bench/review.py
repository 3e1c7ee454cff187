"""Print how long the review pieces take on a 3,000-job draft (figures, not assertions).

Run: DATABASE_URL=sqlite:////tmp/bench-review.sqlite3 .venv/bin/python bench/review.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-review.sqlite3")
os.environ.setdefault("CACHE_BACKEND", "locmem")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from designer.diff import diff_revisions  # noqa: E402
from designer.models import Membership, Node  # noqa: E402
from designer.selectors.reviews import publish_gate  # noqa: E402
from designer.selectors.revisions import current_content  # noqa: E402
from designer.services.drafts import draft_import  # noqa: E402
from designer.services.nodes import node_update  # noqa: E402
from designer.services.reviews import review_request_create  # noqa: E402
from designer.services.revisions import revision_restore, revision_save_point  # noqa: E402


def clock(label: str, fn, repeat: int = 5):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<55} {best * 1000:8.1f} ms")
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user(f"bench{time.time_ns()}", password="pw")
    reviewer = User.objects.create_user(f"rev{time.time_ns()}", password="pw")
    groups = [
        {
            "type": "group",
            "group": {
                "name": f"Group {g}",
                "children": [
                    {
                        "type": "job",
                        "job": {"arguments": {"type": "sendTask", "sendTaskArgs": {"title": f"Job {g}.{j}"}}},
                    }
                    for j in range(100)
                ],
            },
        }
        for g in range(30)
    ]
    draft = draft_import(data={"name": "Bench", "root": {"name": "Root", "children": groups}}, owner=owner)
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    r1 = revision_save_point(draft=draft, actor=owner)
    job = Node.objects.filter(draft=draft, kind="job").select_related("draft").first()
    assert job is not None
    draft.refresh_from_db()
    node_update(node=job, version=draft.version, changes={"arguments": {"title": "Changed"}})
    review_request_create(draft=draft, actor=owner, reviewers=[reviewer])
    print("3,000 jobs in 30 groups")
    clock("current_content (tree + payload + hash)", lambda: current_content(draft))
    clock("diff_revisions(r1, current draft)", lambda: diff_revisions(r1, draft))
    clock("publish_gate", lambda: publish_gate(draft))
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(reviewer)
    url = f"/drafts/{draft.pk}/review/"
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    clock("GET review page (server side, test client)", lambda: client.get(url))
    print(f"{'review page SQL queries':<55} {len(queries):8d}")
    draft.refresh_from_db()
    clock("revision_restore(r1) incl. undo revision", lambda: _restore(draft, owner, r1), repeat=3)
    _four_eyes_history(draft, owner, reviewer)
    clock("publish_gate, approved, 2,000 edit lines (four eyes)", lambda: publish_gate(draft))


def _four_eyes_history(draft, owner, reviewer):  # type: ignore[no-untyped-def]
    """A long-lived draft: 2,000 folded edit lines by two people, then an approval to judge."""
    from designer.models import Activity
    from designer.services.reviews import review_approve

    Activity.objects.bulk_create(
        Activity(draft=draft, actor=owner if n % 2 else reviewer, verb="edited", summary="x") for n in range(2000)
    )
    draft.refresh_from_db()
    review_approve(draft=draft, actor=reviewer, version=draft.version)


def _restore(draft, owner, revision):  # type: ignore[no-untyped-def]
    draft.refresh_from_db()
    return revision_restore(draft=draft, actor=owner, version=draft.version, revision=revision)


if __name__ == "__main__":
    main()
