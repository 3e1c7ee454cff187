#!/usr/bin/env python
"""Load test: N simulated editors against gunicorn + PostgreSQL on this machine.

    .venv/bin/python bench/load.py                      # 20 editors, 60 s, the editor routes
    .venv/bin/python bench/load.py --mode harness       # only pages that exist without the editor
    .venv/bin/python bench/load.py --duration 30 --think 0   # saturation: no pause between requests

What it does, all on 127.0.0.1 and bounded in time:
1. creates a fresh PostgreSQL database (default `designer_load` on 127.0.0.1:5432, user postgres),
   migrates it, creates the cache table and collects static files;
2. creates USERS users, each owning a draft of about JOBS jobs (10 groups of sendTask jobs, through
   `draft_import`);
3. starts gunicorn (gunicorn.conf.py, WORKERS workers) with the production settings — DEBUG off,
   WhiteNoise, CSP, JSON logs — except TLS (no HTTPS redirect, no Secure cookies: TLS ends at the
   proxy in production, and there is none here);
4. runs one thread per user: it logs in through the real login form (CSRF token from the page),
   waits until every editor has logged in, then loops until the deadline: open the editor, save a
   job's inspector form, move a job up/down (keyboard), drag a job elsewhere (drop), preview the
   payload (mode `editor`; after each write, like the editor's script, it fetches the draft's
   status: problems, counts, publish area), or health / login page / admin pages (mode `harness`), pausing a random
   "think time" between requests; each editor follows its draft's version from the answers;
5. stops gunicorn, drops the database (unless --keep-db) and prints requests/s, p50/p95/p99
   latency and errors, overall and per request type (and as JSON with --json FILE).

An error is a non-2xx answer (3xx counts as an error too, except where a builder says a redirect is
expected; every editor has its own draft, so a 409 conflict is an error), an answer without the
draft's new version, a timeout or a broken connection. Logins are measured separately and are not part of the
timed window.

The editor's URLs and request bodies are the constants and the small builder functions in the
"Routes" section below: adjust them there when the editor's real routes differ.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import PLAIN_HTTP, production_env  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password-" + "x" * 8
MAX_DURATION = 900  # seconds: a hard bound whatever --duration says
REQUEST_TIMEOUT = 30  # seconds per request
LOGIN_TIMEOUT = 180  # 20 simultaneous password hashes (PBKDF2) queue on two workers
LOGIN_NEXT = "/"  # where the login form is told to go next (the redirect is not followed)

# --- Routes -------------------------------------------------------------------------------------
# The editor's real routes (designer/urls.py, designer/views/editor.py). Every write is sent as htmx
# sends it (HX-Request) and answers with an outline patch (or the workspace fragment), whose first
# `data-version="N"` carries the draft's new version; 409 is a conflict, 422 refused input. Each simulated editor works on its
# own draft, so any non-2xx answer is an error.
LOGIN_URL = "/login/"
HEALTH_URL = "/healthz"
EDITOR_URL = "/drafts/{draft}/"  # GET: the editor page for a draft
PAYLOAD_URL = "/drafts/{draft}/payload/"  # GET: the payload preview page
NODE_EDIT_URL = "/drafts/{draft}/nodes/{node}/edit/"  # POST: the inspector form of a job (+ version)
NODE_MOVE_URL = "/drafts/{draft}/nodes/{node}/move/"  # POST: direction up|down, or a drop's parent + position
STATUS_URL = "/drafts/{draft}/status/"  # GET (htmx): problems, counts, publish area after a write
ADMIN_URLS = ["/admin/", "/admin/designer/draft/", "/admin/auth/user/"]


@dataclass
class Editor:
    """What one simulated editor knows about its draft (kept in step with its own writes)."""

    username: str
    draft: int
    version: int
    root: str
    groups: dict[str, list[str]]  # group key -> job keys in order (the seeded drafts have no nesting)
    titles: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    edits: int = 0


@dataclass
class Req:
    kind: str
    method: str
    path: str
    data: dict[str, Any] | list[tuple[str, Any]] | None = None
    expect: tuple[int, ...] = (200,)
    after: Callable[[Editor, requests.Response], None] | None = None


VERSION_RE = re.compile(r'data-version="(\d+)"')


def learn_version(ed: Editor, response: requests.Response) -> None:
    """Keep the draft version in step: the workspace's `data-version` (editor page or write answer)."""
    match = VERSION_RE.search(response.text)
    if match is None:
        raise ValueError(f"no data-version in the answer to {response.request.method} {response.request.path_url}")
    ed.version = int(match.group(1))


NODE_RE = re.compile(r'<li class="node (group|job)[^"]*" id="node-([0-9a-f-]{36})"')


def resync(ed: Editor, response: requests.Response) -> None:
    """Read the version and the groups' job order back from the editor page (after a failed write)."""
    learn_version(ed, response)
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for kind, key in NODE_RE.findall(response.text):
        if kind == "group":
            current = groups.setdefault(key, [])
        elif current is not None:
            current.append(key)
    if groups:
        ed.groups = groups


def open_editor(ed: Editor) -> Req:
    return Req("open editor", "GET", EDITOR_URL.format(draft=ed.draft), after=learn_version)


def preview_payload(ed: Editor) -> Req:
    return Req("payload preview", "GET", PAYLOAD_URL.format(draft=ed.draft))


def edit_node(ed: Editor) -> Req:
    """Save a job's inspector form (the sendTask fields, prefix `node-`) with a changed title."""
    group = random.choice(list(ed.groups))
    job = random.choice(ed.groups[group])
    ed.edits += 1
    data = {
        "version": ed.version,
        "selected": job,
        "node-title": f"Reconcile account {ed.edits}",
        "node-assigneeUser": "userId1234",
        "node-dueDate": "2026-12-15",
        "node-instructions": "Check the balances & explain <differences>.",
    }
    return Req("node edit", "POST", NODE_EDIT_URL.format(draft=ed.draft, node=job), data=data, after=learn_version)


def move_node(ed: Editor) -> Req:
    """Move a job one place up or down inside its group, like the keyboard shortcut."""
    group = random.choice([g for g, jobs in ed.groups.items() if len(jobs) > 1])
    jobs = ed.groups[group]
    index = random.randrange(len(jobs))
    direction = "up" if index == len(jobs) - 1 or (index > 0 and random.random() < 0.5) else "down"
    job = jobs[index]

    def moved(ed: Editor, response: requests.Response) -> None:
        learn_version(ed, response)
        jobs.pop(index)
        jobs.insert(index - 1 if direction == "up" else index + 1, job)

    data = {"version": ed.version, "selected": job, "direction": direction}
    return Req("node move", "POST", NODE_MOVE_URL.format(draft=ed.draft, node=job), data=data, after=moved)


def drop(ed: Editor) -> Req:
    """Drag a job to a random place in another group (or its own): its new parent and index, as SortableJS reports."""
    source = random.choice([g for g, jobs in ed.groups.items() if len(jobs) > 1])
    job = random.choice(ed.groups[source])
    target = random.choice(list(ed.groups))
    position = random.randint(0, len(ed.groups[target]) - (1 if target == source else 0))

    def dropped(ed: Editor, response: requests.Response) -> None:
        learn_version(ed, response)
        ed.groups[source].remove(job)
        ed.groups[target].insert(position, job)

    data = {"version": ed.version, "selected": job, "parent": target, "position": position}
    return Req("drop (drag)", "POST", NODE_MOVE_URL.format(draft=ed.draft, node=job), data=data, after=dropped)


# The mix of an editing session: (builder, weight).
EDITOR_MIX: list[tuple[Callable[[Editor], Req], int]] = [
    (open_editor, 2),
    (edit_node, 4),
    (move_node, 2),
    (drop, 1),
    (preview_payload, 1),
]
HARNESS_MIX: list[tuple[Callable[[Editor], Req], int]] = [
    (lambda ed: Req("healthz", "GET", HEALTH_URL), 2),
    (lambda ed: Req("login page", "GET", LOGIN_URL), 2),
    (lambda ed: Req("admin index", "GET", ADMIN_URLS[0]), 1),
    (lambda ed: Req("admin drafts", "GET", ADMIN_URLS[1]), 2),
    (lambda ed: Req("admin draft tree", "GET", f"/admin/designer/draft/{ed.draft}/change/"), 2),
    (lambda ed: Req("admin users", "GET", ADMIN_URLS[2]), 1),
]

# --- Set-up -------------------------------------------------------------------------------------


def draft_document(name: str, jobs: int, groups: int = 10) -> dict[str, Any]:
    """A Process document of `groups` sequential groups holding `jobs` sendTask jobs in all."""
    per_group = max(1, jobs // groups)
    children = []
    for g in range(groups):
        group_jobs = [
            {
                "type": "job",
                "job": {
                    "arguments": {
                        "type": "sendTask",
                        "sendTaskArgs": {
                            "title": f"Task {g + 1}.{j + 1}",
                            "assigneeUser": f"user{(g * per_group + j) % 40}",
                            "dueDate": "2026-12-15",
                            "instructions": "Review the account reconciliation and attach the evidence.",
                        },
                    },
                },
            }
            for j in range(per_group)
        ]
        children.append(
            {
                "type": "group",
                "group": {
                    "name": f"Step {g + 1}",
                    "parallel": g % 3 == 1,
                    "readOnly": False,
                    "triggerType": "whenEligible",
                    "children": group_jobs,
                },
            }
        )
    return {
        "name": name,
        "dueDate": "2026-12-31",
        "root": {
            "name": name,
            "parallel": False,
            "readOnly": False,
            "triggerType": "whenEligible",
            "children": children,
        },
    }


def seed(users: int, jobs: int, staff: bool) -> list[dict[str, Any]]:
    """Runs inside a subprocess with the load environment: users and drafts, as JSON-able data."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from designer.selectors.trees import draft_tree
    from designer.services.drafts import draft_import

    out = []
    user_model = get_user_model()
    hashed = make_password(PASSWORD)  # one slow hash for all, not one per user
    for n in range(users):
        user = user_model.objects.create(username=f"load{n:02d}", password=hashed, is_staff=staff, is_superuser=staff)
        draft = draft_import(data=draft_document(f"Load draft {n:02d}", jobs), owner=user)
        tree = draft_tree(draft=draft)
        groups = {
            str(g.key): [str(j.key) for j in tree.children(g) if j.kind == "job"]
            for g in tree.children(tree.root)
            if g.kind == "group"
        }
        out.append(
            {
                "username": user.username,
                "draft": draft.pk,
                "version": draft.version,
                "root": str(tree.root.key),
                "groups": groups,
            }
        )
    return out


def load_env(args: argparse.Namespace, database_url: str, static_root: str) -> dict[str, str]:
    return production_env(
        database_url=database_url,
        static_root=static_root,
        **PLAIN_HTTP,
        DATABASE_CONN_MAX_AGE=str(args.conn_max_age),
        WORKIVA_SANDBOX="1",
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="0",
        WEB_CONCURRENCY=str(args.workers),
        TASKS_BACKEND=os.environ.get("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
    )


def create_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(base + HEALTH_URL, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer {HEALTH_URL} within 60 s:\n{log.read_text()[-3000:]}")


# --- The simulated editors ----------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool
    status: int | str


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[Sample] = []
        self.logins: list[Sample] = []
        self.error_examples: list[str] = []

    def add(self, sample: Sample, *, login: bool = False, detail: str = "") -> None:
        with self.lock:
            (self.logins if login else self.samples).append(sample)
            if not sample.ok and len(self.error_examples) < 20:
                self.error_examples.append(f"{sample.kind}: {sample.status} {detail}"[:300])


def log_in(session: requests.Session, base: str, ed: Editor, results: Results) -> bool:
    started = time.perf_counter()
    try:
        page = session.get(base + LOGIN_URL, timeout=REQUEST_TIMEOUT)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or not match:
            results.add(Sample("login", time.perf_counter() - started, False, page.status_code), login=True)
            return False
        response = session.post(
            base + LOGIN_URL,
            data={
                "username": ed.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1),
                "next": LOGIN_NEXT,
            },
            headers={"Referer": base + LOGIN_URL},
            allow_redirects=False,
            timeout=LOGIN_TIMEOUT,
        )
    except requests.RequestException as exc:
        results.add(Sample("login", time.perf_counter() - started, False, type(exc).__name__), login=True)
        return False
    ok = response.status_code == 302 and "sessionid" in session.cookies
    results.add(Sample("login", time.perf_counter() - started, ok, response.status_code), login=True)
    ed.csrf = session.cookies.get("csrftoken", "")
    return ok


def editor_loop(
    base: str,
    ed: Editor,
    mix: list[tuple[Callable[[Editor], Req], int]],
    results: Results,
    ready: threading.Barrier,
    deadline_box: list[float],
    think: tuple[float, float],
) -> None:
    session = requests.Session()
    logged_in = log_in(session, base, ed, results)
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        return
    if not logged_in:
        return
    builders = [b for b, _ in mix]
    weights = [w for _, w in mix]
    while time.monotonic() < deadline_box[0]:
        builder = random.choices(builders, weights)[0]
        try:
            req = builder(ed)
        except Exception as exc:  # a builder that cannot make a request counts as an error, once
            results.add(
                Sample(getattr(builder, "__name__", "builder"), 0.0, False, type(exc).__name__), detail=str(exc)
            )
            time.sleep(0.1)
            continue
        headers = {"X-CSRFToken": ed.csrf, "Referer": base + EDITOR_URL.format(draft=ed.draft)}
        if req.method == "POST":  # writes are sent by htmx; pages (editor, payload) are opened whole
            headers["HX-Request"] = "true"
        started = time.perf_counter()
        try:
            response = session.request(
                req.method,
                base + req.path,
                data=req.data,
                headers=headers,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
            )
        except requests.RequestException as exc:
            results.add(Sample(req.kind, time.perf_counter() - started, False, type(exc).__name__), detail=req.path)
            continue
        elapsed = time.perf_counter() - started
        ok = response.status_code in req.expect
        detail = f"{req.method} {req.path}"
        if not ok:
            alert = re.search(r'role="alert">([^<]*)<', response.text)
            detail += f" {alert.group(1)!r}" if alert else ""
        if ok and req.after:
            try:
                req.after(ed, response)
            except Exception as exc:  # an answer the editor cannot follow is an error too
                ok, detail = False, f"{detail} {type(exc).__name__}: {exc}"
        results.add(Sample(req.kind, elapsed, ok, response.status_code), detail=detail)
        if ok and req.method == "POST":  # what the editor's script asks for after every write
            status_url = base + STATUS_URL.format(draft=ed.draft)
            started = time.perf_counter()
            try:
                status = session.get(status_url, headers={"HX-Request": "true"}, timeout=REQUEST_TIMEOUT)
                fine = status.status_code == 200 and f'data-version="{ed.version}"' in status.text
                results.add(Sample("status (after a write)", time.perf_counter() - started, fine, status.status_code))
            except requests.RequestException as exc:
                results.add(Sample("status (after a write)", time.perf_counter() - started, False, type(exc).__name__))
        if not ok and req.method == "POST":
            # Resynchronise with the server (version, tree) before the next write.
            with contextlib.suppress(requests.RequestException, ValueError):
                resync(ed, session.get(base + EDITOR_URL.format(draft=ed.draft), timeout=REQUEST_TIMEOUT))
        if think[1] > 0:
            time.sleep(random.uniform(*think))


# --- Report -------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    times = [s.seconds * 1000 for s in samples]
    statuses: dict[str, int] = defaultdict(int)
    for s in samples:
        statuses[str(s.status)] += 1
    return {
        "requests": len(samples),
        "rps": round(len(samples) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "mean_ms": round(statistics.fmean(times), 1) if times else float("nan"),
        "max_ms": round(max(times), 1) if times else float("nan"),
        "errors": sum(1 for s in samples if not s.ok),
        "statuses": dict(statuses),
    }


def report(results: Results, seconds: float, args: argparse.Namespace) -> dict[str, Any]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in results.samples:
        by_kind[s.kind].append(s)
    summary = {
        "mode": args.mode,
        "users": args.users,
        "jobs_per_draft": args.jobs,
        "gunicorn_workers": args.workers,
        "think_seconds": args.think,
        "window_seconds": round(seconds, 1),
        "total": summarise(results.samples, seconds),
        "by_type": {kind: summarise(samples, seconds) for kind, samples in sorted(by_kind.items())},
        "login": summarise(results.logins, seconds),
        "error_examples": results.error_examples,
    }
    print()
    print(
        f"mode={args.mode} users={args.users} jobs/draft={args.jobs} workers={args.workers} "
        f"think={args.think}s window={seconds:.1f}s"
    )
    header = f"{'request type':<20} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}"
    print(header)
    print("-" * len(header))
    rows = [*summary["by_type"].items(), ("ALL", summary["total"]), ("(login, untimed)", summary["login"])]
    for kind, row in rows:
        print(
            f"{kind:<20} {row['requests']:>8} {row['rps']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['p99_ms']:>8} {row['max_ms']:>8} {row['errors']:>6}"
        )
    if results.error_examples:
        print("\nfirst errors:")
        for line in results.error_examples:
            print("  " + line)
    return summary


# --- Main ---------------------------------------------------------------------------------------


def parse_think(text: str) -> tuple[float, float]:
    low, _, high = text.partition(":")
    return float(low), float(high or low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["editor", "harness"], default="editor")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=100, help="jobs per draft (default 100)")
    parser.add_argument("--duration", type=float, default=60, help=f"timed window in seconds (at most {MAX_DURATION})")
    parser.add_argument("--think", default="0.5:2.0", help="pause between requests, seconds LOW:HIGH (0: none)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--db-name", default="designer_load")
    parser.add_argument("--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE for gunicorn")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--seed", nargs=3, metavar=("USERS", "JOBS", "STAFF"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.seed:  # inside the seeding subprocess
        print(json.dumps(seed(int(args.seed[0]), int(args.seed[1]), args.seed[2] == "1")))
        return

    if urlsplit(args.pg).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("--pg must point at the local PostgreSQL (127.0.0.1)")
    duration = min(args.duration, MAX_DURATION)
    think = parse_think(args.think)
    base = f"http://127.0.0.1:{args.port}"
    database_url = f"{args.pg}/{args.db_name}"
    workdir = Path(tempfile.mkdtemp(prefix="designer-load-"))
    env = load_env(args, database_url, str(workdir / "static"))
    python = sys.executable
    gunicorn = str(Path(python).with_name("gunicorn"))

    print(f"creating database {args.db_name} and {args.users} users with {args.jobs}-job drafts ...", flush=True)
    create_database(f"{args.pg}/postgres", args.db_name)
    server: subprocess.Popen[bytes] | None = None
    try:
        run([python, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([python, "manage.py", "createcachetable"], env)
        run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        seeded = json.loads(
            run(
                [
                    python,
                    str(Path(__file__).resolve()),
                    "--seed",
                    str(args.users),
                    str(args.jobs),
                    "1" if args.mode == "harness" else "0",
                ],
                env,
            )
        )
        editors = [Editor(**row) for row in seeded]

        log = workdir / "gunicorn.log"
        print(f"starting gunicorn with {args.workers} workers on {base} (log {log}) ...", flush=True)
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [
                    gunicorn,
                    "-c",
                    "gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{args.port}",
                    "--workers",
                    str(args.workers),
                ],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        wait_healthy(base, server, log)

        results = Results()
        deadline_box = [float("inf")]
        started_box = [0.0]

        def start_clock() -> None:  # runs once, when every editor has logged in
            started_box[0] = time.monotonic()
            deadline_box[0] = started_box[0] + duration

        ready = threading.Barrier(len(editors), action=start_clock)
        mix = EDITOR_MIX if args.mode == "editor" else HARNESS_MIX
        threads = [
            threading.Thread(target=editor_loop, args=(base, ed, mix, results, ready, deadline_box, think), daemon=True)
            for ed in editors
        ]
        print(f"{len(editors)} editors logging in, then {duration:.0f} s of traffic ...", flush=True)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=duration + 360)
        # Requests start only before the deadline, so the window is the duration (shorter if the
        # editors all stopped early).
        window = min(duration, time.monotonic() - started_box[0]) if started_box[0] else 0.0
        summary = report(results, window, args)
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2) + "\n")
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep_db:
            drop_database(f"{args.pg}/postgres", args.db_name)
    sys.exit(1 if summary["total"]["errors"] or summary["login"]["errors"] else 0)


if __name__ == "__main__":
    main()
