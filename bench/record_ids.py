"""Recording a 3,000-job process's server ids: model instances + bulk_create (before) vs one INSERT (now).

Interleaved runs in one process on a throw-away test database (PostgreSQL when DATABASE_URL names
one), so a busy machine slows both alike. Prints medians of wall and CPU time; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/designer_perf .venv/bin/python bench/record_ids.py
"""

from __future__ import annotations

import copy
import os
import statistics
import time
from typing import Any
from uuid import UUID

from _setup import nested_process, start

RUNS = int(os.environ.get("BENCH_RUNS", "9"))


def main() -> None:
    stop = start()
    try:
        from django.contrib.auth.models import User
        from django.db import connection

        from designer.services.drafts import draft_import
        from processes_api.walk import walk
        from publishing.models import ServerId, Submission
        from publishing.services.recording import record_process
        from publishing.services.submissions import submission_create

        def before(submission: Submission, process: dict[str, Any]) -> None:
            """The code before issue 17: one ServerId instance per node, bulk_create in batches of 1,000."""
            key_by_path = {path: UUID(key) for key, path in submission.revision.paths.items()}
            rows = []
            for node, path, *_ in walk(process.get("root")):
                key = key_by_path.get(path)
                if key is not None and isinstance(node, dict) and node.get("id"):
                    rows.append(ServerId(submission=submission, node_key=key, server_id=str(node["id"])))
            ServerId.objects.filter(submission=submission).delete()
            ServerId.objects.bulk_create(rows, batch_size=1000)

        owner = User.objects.create(username="bench")
        draft = draft_import(data=nested_process(3000), owner=owner)
        submission = Submission.objects.select_related("revision").get(
            pk=submission_create(draft=draft, user=owner).submission.pk
        )
        process = copy.deepcopy(submission.revision.payload) | {"id": "p-1", "revision": 1}
        for n, (node, *_rest) in enumerate(walk(process["root"])):
            node["id"] = f"srv-{n}"
        times: dict[str, list[tuple[float, float]]] = {"before": [], "now": []}
        for _ in range(RUNS):
            for name, fn in (("before", before), ("now", record_process)):
                wall, cpu = time.perf_counter(), time.process_time()
                fn(submission, process)
                times[name].append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
        count = ServerId.objects.filter(submission=submission).count()
        print(f"{count} server ids, {connection.vendor}, median of {RUNS}, load average {os.getloadavg()}")
        for name, samples in times.items():
            wall = statistics.median(s[0] for s in samples)
            cpu = statistics.median(s[1] for s in samples)
            print(f"  {name:7} wall {wall:7.1f} ms   CPU of this process {cpu:7.1f} ms")
    finally:
        stop()


if __name__ == "__main__":
    main()
