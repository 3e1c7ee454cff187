"""Benchmark the editor: median server time to open a draft, apply one drop or move, refresh the status.

Runs in-process with Django's test client on a throwaway test database (SQLite in memory, or the
PostgreSQL named by DATABASE_URL). Prints figures; asserts nothing.

    .venv/bin/python bench/editor.py [--runs 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/designer .venv/bin/python bench/editor.py
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
os.environ.setdefault("CACHE_BACKEND", "locmem")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from designer.models import Draft, Node  # noqa: E402
from designer.selectors.trees import draft_tree  # noqa: E402
from designer.services.drafts import draft_create  # noqa: E402

# Browsers (and htmx) post forms urlencoded; the test client would default to multipart.
FORM = "application/x-www-form-urlencoded"
JOB_TYPES = ("sendTask", "sendTask", "contentRequest", "certification")


def build(owner, jobs: int) -> Draft:
    """Return a draft of ``jobs`` jobs: groups of 30, every third group holding a nested group of 10."""
    draft = draft_create(owner=owner, name=f"Bench {jobs} jobs")
    root = Node.objects.get(draft=draft, parent=None)
    groups = Node.objects.bulk_create(
        [
            Node(draft=draft, parent=root, position=i, kind="group", name=f"Phase {i}", parallel=i % 2 == 0)
            for i in range(jobs // 30)
        ]
    )
    nested = Node.objects.bulk_create(
        [
            Node(draft=draft, parent=g, position=20, kind="group", name=f"Phase {i} review", parallel=False)
            for i, g in enumerate(groups)
            if i % 3 == 0
        ]
    )
    nested_by_parent = {n.parent_id: n for n in nested}
    jobs_to_make = []
    for g in groups:
        inner = nested_by_parent.get(g.pk)
        for j in range(30):
            parent, position = (inner, j - 20) if inner and j >= 20 else (g, j)
            job_type = JOB_TYPES[j % len(JOB_TYPES)]
            args = {"title": f"Task {g.name} #{j}", "dueDate": "2026-05-01", "instructions": "Check and sign. " * 5}
            if job_type == "sendTask":
                args["assigneeUser"] = f"userId{j}"
            elif job_type == "contentRequest":
                args |= {"assignee": {"id": f"userId{j}", "type": "user"}, "document": "file1", "section": "s1"}
            else:
                args["letter"] = "file2"
            jobs_to_make.append(
                Node(draft=draft, parent=parent, position=position, kind="job", job_type=job_type, arguments=args)
            )
    Node.objects.bulk_create(jobs_to_make, batch_size=1000)
    draft.refresh_from_db()
    return draft


def form(data: dict) -> str:
    return urlencode(data, doseq=True)


def timed(func, runs: int) -> tuple[float, float, int]:
    """Return the median wall time and CPU time (ms) of ``func`` and its query count.

    The CPU time is this process's (Python, and SQLite, which runs in process): on a machine
    shared with other jobs it moves much less than the wall time, which includes waiting for a core.
    """
    times = []
    cpu = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = func()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000, queries


def bench(client: Client, draft: Draft, runs: int) -> dict[str, tuple[float, float, int]]:
    hx = {"HX-Request": "true"}
    editor = reverse("draft-editor", args=[draft.pk])
    tree = draft_tree(draft=draft)
    job = tree.children(tree.children(tree.root)[0])[0]
    results = {"open editor (full page)": timed(lambda: client.get(editor, {"node": job.key}), runs)}

    # Drag the first job of the first group into the second group, then back: what SortableJS
    # posts on a drop (the item, its new parent and index), answered with the outline patch.
    groups = tree.children(tree.root)
    places = [(groups[1].key, 3), (groups[0].key, 0)]

    def reorder():
        draft.refresh_from_db()
        parent, position = places[0]
        places.reverse()
        return client.post(
            reverse("node-move", args=[draft.pk, job.key]),
            form({"version": draft.version, "parent": parent, "position": position, "selected": job.key}),
            content_type=FORM,
            headers=hx,
        )

    def move():
        draft.refresh_from_db()
        return client.post(
            reverse("node-move", args=[draft.pk, job.key]),
            form({"version": draft.version, "direction": "down" if move.down else "up", "selected": job.key}),
            content_type=FORM,
            headers=hx,
        )

    move.down = True  # type: ignore[attr-defined]

    def toggling_move():
        response = move()
        move.down = not move.down  # type: ignore[attr-defined]
        return response

    def status():
        return client.get(reverse("draft-status", args=[draft.pk]), headers=hx)

    titles = ["Task renamed", job.arguments["title"]]

    def edit():
        draft.refresh_from_db()
        titles.reverse()
        data = {"version": draft.version, "selected": job.key, "node-title": titles[0]}
        data |= {f"node-{k}": v for k, v in job.arguments.items() if k not in ("title", "assignee")}
        return client.post(reverse("node-edit", args=[draft.pk, job.key]), form(data), content_type=FORM, headers=hx)

    names = [f"{draft.name} (renamed)", draft.name]
    dues = ["2026-12-31", "2026-12-30"]

    def settings(field: str):
        def save():
            draft.refresh_from_db()
            values = names if field == "name" else dues
            values.reverse()
            data = {"version": draft.version, "selected": job.key, "settings-name": draft.name}
            data |= {"settings-due_date": draft.due_date or "", f"settings-{field}": values[0]}
            return client.post(reverse("draft-settings", args=[draft.pk]), form(data), content_type=FORM, headers=hx)

        return save

    added: list[str] = []

    def add_then_delete():
        # Add a job after the first one, then delete it again (timed together; halved below).
        draft.refresh_from_db()
        response = client.post(
            reverse("node-add", args=[draft.pk]),
            form({"version": draft.version, "after": job.key, "what": "sendTask", "selected": job.key}),
            content_type=FORM,
            headers=hx,
        )
        assert response.status_code == 200, response.content[:300]
        new = Node.objects.filter(draft=draft, arguments__title="New task").values_list("key", flat=True).first()
        added.append(str(new))
        draft.refresh_from_db()
        return client.post(
            reverse("node-delete", args=[draft.pk, new]),
            form({"version": draft.version, "selected": new}),
            content_type=FORM,
            headers=hx,
        )

    results["drag-and-drop move (answers the patch)"] = timed(reorder, runs)
    results["keyboard move (answers the patch)"] = timed(toggling_move, runs)
    results["edit a job's title (answers the patch)"] = timed(edit, runs)
    ms, cpu_ms, queries = timed(add_then_delete, runs)
    results["add a job, then delete it (each, half)"] = (ms / 2, cpu_ms / 2, queries)
    results["rename the process (answers the patch)"] = timed(settings("name"), runs)
    results["status after an edit (whole-draft lint)"] = timed(status, runs)
    results["new process due date (answers the patch)"] = timed(settings("due_date"), runs)
    results["status with every node's badges"] = timed(
        lambda: client.get(reverse("draft-status", args=[draft.pk]), {"badges": "1"}, headers=hx), runs
    )
    results |= bench_operations(client, draft, runs, job.key)
    return results


def bench_operations(client: Client, draft: Draft, runs: int, selected: object) -> dict[str, tuple[float, float, int]]:
    """Undo and redo of an edit, paste of 300 jobs (and its undo), bulk edit of every job (and its undo)."""
    hx = {"HX-Request": "true"}

    def post(name: str, data: dict, where: Draft = draft) -> object:
        where.refresh_from_db()
        data = {"version": where.version, "selected": selected} | data
        response = client.post(reverse(name, args=[where.pk]), form(data), content_type=FORM, headers=hx)
        assert response.status_code == 200, response.content[:400]
        return response

    def undo_redo():
        post("draft-undo", {})
        return post("draft-redo", {})

    results: dict[str, tuple[float, float, int]] = {}
    ms, cpu_ms, queries = timed(undo_redo, runs)
    results["undo the last edit, then redo it (each, half)"] = (ms / 2, cpu_ms / 2, queries)

    tree = draft_tree(draft=draft)
    groups = tree.children(tree.root)
    copied, jobs = [], 0
    for group in groups:  # whole groups, until 300 jobs
        if jobs >= 300:
            break
        copied.append(str(group.key))
        jobs += sum(1 for n, _ in tree.walk(group) if not n.is_group)
    text = client.get(reverse("nodes-copy", args=[draft.pk]), {"keys": " ".join(copied)}).content.decode()
    # Into this draft, or (when it would pass Workiva's 3,000 jobs) into another one of 2,700 jobs.
    size = sum(1 for n in tree.by_id.values() if not n.is_group)
    target = draft if size + jobs <= 3000 else build(draft.owner, 3000 - jobs)
    last = draft_tree(draft=target).children(draft_tree(draft=target).root)[-1].key
    paste = timed(lambda: post("nodes-paste", {"data": text, "after": last}, target), 1)
    undo_paste = timed(lambda: post("draft-undo", {}, target), 1)
    for _ in range(runs - 1):
        post("nodes-paste", {"data": text, "after": last}, target)
        post("draft-undo", {}, target)
    where = "" if target is draft else f" into a {3000 - jobs:,}-job draft"
    results[f"paste {jobs} jobs{where} (answers the patch)"] = paste
    results[f"undo that paste of {jobs} jobs"] = undo_paste

    keys = " ".join(str(n.key) for n in tree.by_id.values() if not n.is_group)
    count = len(keys.split())
    assignees = ["userId900", "userId901"]

    def bulk():
        assignees.reverse()
        data = {"keys": keys, "bulk-based": "1", "bulk-assignee": assignees[0], "initial-bulk-assignee": ""}
        return post("nodes-bulk", data)

    results[f"bulk edit: assignee of {count:,} jobs"] = timed(bulk, runs)
    results[f"undo that bulk edit of {count:,} jobs"] = timed(lambda: post("draft-undo", {}), 1)
    return results


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        owner = get_user_model().objects.create_user("bench", password="bench-pw-1")
        client = Client()
        client.force_login(owner)
        vendor = connection.vendor
        print(
            f"Process Designer editor benchmark — {vendor}, Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, median of {args.runs} runs; load average {_load()}"
        )
        for size in args.sizes:
            draft = build(owner, size)
            nodes = Node.objects.filter(draft=draft).count()
            print(f"\n{size:,} jobs ({nodes:,} nodes)")
            for label, (ms, cpu_ms, queries) in bench(client, draft, args.runs).items():
                print(f"  {label:<42} {ms:8.1f} ms  (CPU {cpu_ms:6.1f} ms)  {queries:3d} queries")
        print(f"\nload average at the end: {_load()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
