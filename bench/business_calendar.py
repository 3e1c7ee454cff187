"""Benchmark the business calendar at 3,000 jobs: the schedule view (timeline and table), the editor's
status with the calendar's date lint, a process due date change that recomputes rule-based dates, and
roll forward. Median server times with the load average. Prints figures; asserts nothing.

    .venv/bin/python bench/business_calendar.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

from _setup import start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    stop = start()
    try:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from designer.models import Node
        from designer.services.drafts import draft_create, draft_update
        from designer.services.periods import draft_roll_forward

        owner = get_user_model().objects.create_user("bench", password="x")
        draft = draft_create(owner=owner, name="Q4 2026 close")
        draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})
        draft.holiday_calendar = "US"
        draft.save()
        root = Node.objects.get(draft=draft, parent=None)
        groups = Node.objects.bulk_create(
            [
                Node(draft=draft, parent=root, position=i, kind="group", name=f"Phase {i}", parallel=i % 2 == 0)
                for i in range(100)
            ]
        )
        first = dt.date(2026, 12, 1)
        Node.objects.bulk_create(
            [
                Node(
                    draft=draft,
                    parent=groups[i % 100],
                    position=i,
                    kind="job",
                    job_type="sendTask",
                    arguments={
                        "title": f"Task {i} Q4 2026",
                        "assigneeUser": "u1",
                        "dueDate": str(first + dt.timedelta(days=i % 59)),
                    },
                    date_rules={"dueDate": {"days": -(i % 20)}} if i % 3 == 0 else {},
                )
                for i in range(3000)
            ],
            batch_size=1000,
        )
        draft.refresh_from_db()
        client = Client()
        client.force_login(owner)

        def timed(label, func):
            times, cpu, queries = [], [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as ctx:
                    began, began_cpu = time.perf_counter(), time.process_time()
                    func()
                    times.append(time.perf_counter() - began)
                    cpu.append(time.process_time() - began_cpu)
                queries = len(ctx.captured_queries)
            wall, used = statistics.median(times) * 1000, statistics.median(cpu) * 1000
            print(f"{label:58} {wall:7.0f} ms wall {used:7.0f} ms CPU {queries:4} queries")

        schedule = reverse("draft-schedule", args=[draft.pk])
        print(f"3,000 jobs, 100 groups, 1,000 rule-based dates; load average {os.getloadavg()}")
        timed("schedule, timeline (week zoom)", lambda: client.get(schedule, {"zoom": "week"}))
        timed("schedule, timeline (month zoom)", lambda: client.get(schedule, {"zoom": "month"}))
        timed("schedule, table", lambda: client.get(schedule, {"view": "table"}))
        timed(
            "editor status (lint + calendar lint)",
            lambda: client.get(reverse("draft-status", args=[draft.pk]), headers={"HX-Request": "true"}),
        )
        dues = ["2027-04-30", "2027-01-29"]

        def redate():
            draft.refresh_from_db()
            dues.reverse()
            draft_update(draft=draft, version=draft.version, changes={"due_date": dues[0]})

        timed("new process due date: recompute 1,000 rule dates (service)", redate)
        timed(
            "roll forward to the next quarter (service)",
            lambda: draft_roll_forward(draft=draft, owner=owner, new_due=dt.date(2027, 4, 30)),
        )
        print(f"load average after: {os.getloadavg()}")
    finally:
        stop()


if __name__ == "__main__":
    main()
