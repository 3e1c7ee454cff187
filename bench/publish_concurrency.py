#!/usr/bin/env python
"""Scripted check: concurrent Publish clicks on two web processes and two task workers make ONE process.

    .venv/bin/python bench/publish_concurrency.py              # 20 clicks by 4 users, 2 + 2 processes
    .venv/bin/python bench/publish_concurrency.py --clicks 40 --keep-db

What it does, all on 127.0.0.1 and bounded in time:
1. creates a fresh PostgreSQL database (default `designer_publish_check` on 127.0.0.1:5432, user
   postgres), migrates it, creates the cache table and collects static files;
2. creates a draft of JOBS sendTask jobs with a unique name, its owner and USERS-1 editors (members
   with the editor role, who may publish too);
3. starts the production process list on one PostgreSQL: gunicorn with 2 workers and 2
   `manage.py db_worker --queue-name "*" --no-reload` processes (as in the Procfile), all with
   `TASKS_BACKEND=django_tasks_db.DatabaseBackend`, publishing to the built-in sandbox served by the
   same gunicorn (`WORKIVA_SANDBOX=1`, `WORKIVA_API_URL=http://127.0.0.1:PORT/sandbox`);
4. logs every user in through the login form, then fires CLICKS Publish clicks at once
   (`POST /drafts/<pk>/publish/` as htmx sends it, with the CSRF token; each click on its own
   connection, users taken in turn), waits until no task is pending and no submission is in flight,
   then fires a second burst of clicks at the published draft and waits again;
5. checks and prints: every click answered 200; the clicks reached both gunicorn workers (pids in
   the access log); exactly one send task ran and succeeded; the draft has exactly one submission,
   status `created` with a process id, and one publish revision; the sandbox API (token, then
   `GET /processes?$filter=name contains '…'`) lists exactly one process of that name, the one the
   submission recorded;
6. stops every process it started and drops the database (unless --keep-db), also on failure.

Exit status: 0 when every check passes, 1 when one fails, 2 when the set-up itself failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import PLAIN_HTTP, production_env  # noqa: E402
from load import create_database, draft_document, drop_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "publish-check-password-" + "x" * 8
CLIENT_ID = "check-client"
CLIENT_SECRET = secrets.token_urlsafe(24)
API_VERSION = "2026-04-01.processes.preview"
REQUEST_TIMEOUT = 60  # seconds per request (a click locks the draft and freezes a revision)
LOGIN_TIMEOUT = 120
SETTLE_TIMEOUT = 180  # seconds to wait for the workers to finish
ACCESS_RE = re.compile(r'pid=<?(\d+)>? "POST (/drafts/\d+/publish/) [^"]*" (\d{3})')


class SetupError(Exception):
    pass


def seed(users: int, jobs: int, name: str) -> dict[str, Any]:
    """Runs inside a subprocess with the check's environment: the draft, its owner and editors."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from designer.models import Membership
    from designer.services.drafts import draft_import

    user_model = get_user_model()
    hashed = make_password(PASSWORD)
    people = [user_model.objects.create(username=f"pub{n:02d}", password=hashed) for n in range(users)]
    draft = draft_import(data=draft_document(name, jobs), owner=people[0])
    for person in people[1:]:
        Membership.objects.create(draft=draft, user=person, role=Membership.Role.EDITOR)
    return {"draft": draft.pk, "usernames": [p.username for p in people]}


def check_env(args: argparse.Namespace, base: str, database_url: str, static_root: str) -> dict[str, str]:
    return production_env(
        database_url=database_url,
        static_root=static_root,
        **PLAIN_HTTP,
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WORKIVA_SANDBOX="1",
        WORKIVA_API_URL=f"{base}/sandbox",
        WORKIVA_TOKEN_URL=f"{base}/sandbox/iam/v1/oauth2/token",
        WORKIVA_CLIENT_ID=CLIENT_ID,
        WORKIVA_CLIENT_SECRET=CLIENT_SECRET,
        WORKIVA_API_VERSION=API_VERSION,
        LOG_LEVEL="WARNING",
        LOG_FORMAT="plain",
        GUNICORN_ACCESS_LOG="1",
        WEB_CONCURRENCY=str(args.workers),
    )


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SetupError(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a long-running process in its own process group, output to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each process group we started, then SIGKILL what is left after 30 s."""
    for proc in processes:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupError(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SetupError(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")


def log_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login/", timeout=REQUEST_TIMEOUT)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or not match:
        raise SetupError(f"login page answered {page.status_code} without a CSRF token")
    response = session.post(
        base + "/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1), "next": "/"},
        headers={"Referer": base + "/login/"},
        allow_redirects=False,
        timeout=LOGIN_TIMEOUT,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SetupError(f"login of {username} answered {response.status_code}")
    return session


def burst(base: str, draft: int, sessions: list[requests.Session], clicks: int) -> list[int | str]:
    """Fire ``clicks`` Publish clicks at once, each on a fresh connection; return their statuses."""
    url = f"{base}/drafts/{draft}/publish/"
    statuses: list[int | str] = [""] * clicks
    gate = threading.Barrier(clicks)

    def click(n: int) -> None:
        owner = sessions[n % len(sessions)]
        session = requests.Session()  # its own connection, sharing the user's cookies
        session.cookies.update(owner.cookies)
        headers = {
            "X-CSRFToken": owner.cookies.get("csrftoken", ""),
            "HX-Request": "true",
            "Referer": f"{base}/drafts/{draft}/",
        }
        try:
            gate.wait(timeout=30)
            response = session.post(url, headers=headers, allow_redirects=False, timeout=REQUEST_TIMEOUT)
            statuses[n] = response.status_code
        except (requests.RequestException, threading.BrokenBarrierError) as exc:
            statuses[n] = type(exc).__name__
        finally:
            session.close()

    threads = [threading.Thread(target=click, args=(n,), daemon=True) for n in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 40)
    return statuses


def query(database_url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


def settle(database_url: str, draft: int, workers: list[subprocess.Popen[bytes]]) -> float:
    """Wait until no task is pending or running and the draft has no submission in flight."""
    started = time.monotonic()
    while time.monotonic() - started < SETTLE_TIMEOUT:
        if any(w.poll() is not None for w in workers):
            raise SetupError("a db_worker process exited")
        pending = query(
            database_url, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        )[0][0]
        in_flight = query(
            database_url,
            "SELECT count(*) FROM processes_api_submission WHERE draft_id = %s AND status IN "
            "('queued', 'sending', 'unknown')",
            (draft,),
        )[0][0]
        if not pending and not in_flight:
            return time.monotonic() - started
        time.sleep(0.5)
    raise SetupError(f"the workers did not finish within {SETTLE_TIMEOUT} s")


def sandbox_processes(base: str, name: str) -> list[dict[str, Any]]:
    """List the sandbox's processes whose name contains ``name``, through its API."""
    token = requests.post(
        f"{base}/sandbox/iam/v1/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=REQUEST_TIMEOUT,
    )
    token.raise_for_status()
    escaped = name.replace("'", "''")
    listing = requests.get(
        f"{base}/sandbox/processes",
        params={"$filter": f"name contains '{escaped}'", "$maxpagesize": "100"},
        headers={"Authorization": f"Bearer {token.json()['access_token']}", "X-Version": API_VERSION},
        timeout=REQUEST_TIMEOUT,
    )
    listing.raise_for_status()
    return list(listing.json()["data"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=20, help="concurrent Publish clicks per burst (default 20)")
    parser.add_argument("--users", type=int, default=4, help="owner + editors clicking (default 4)")
    parser.add_argument("--jobs", type=int, default=30, help="jobs in the draft (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--task-workers", type=int, default=2, help="db_worker processes (default 2)")
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--db-name", default="designer_publish_check")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed", nargs=3, metavar=("USERS", "JOBS", "NAME"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.seed:  # inside the seeding subprocess
        print(json.dumps(seed(int(args.seed[0]), int(args.seed[1]), args.seed[2])))
        return 0
    if urlsplit(args.pg).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("--pg must point at the local PostgreSQL (127.0.0.1)")
    if not 1 <= args.clicks <= 200 or not 1 <= args.users <= 50:
        sys.exit("--clicks must be 1–200 and --users 1–50")

    base = f"http://127.0.0.1:{args.port}"
    database_url = f"{args.pg}/{args.db_name}"
    workdir = Path(tempfile.mkdtemp(prefix="designer-publish-check-"))
    env = check_env(args, base, database_url, str(workdir / "static"))
    python = sys.executable
    name = f"Concurrency check {secrets.token_hex(4)}"
    processes: list[subprocess.Popen[bytes]] = []
    failures: list[str] = []

    print(f"creating database {args.db_name}, draft “{name}” with {args.jobs} jobs, {args.users} users ...", flush=True)
    create_database(f"{args.pg}/postgres", args.db_name)
    try:
        run([python, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([python, "manage.py", "createcachetable"], env)
        run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        seeded = json.loads(
            run([python, str(Path(__file__).resolve()), "--seed", str(args.users), str(args.jobs), name], env)
        )
        draft = int(seeded["draft"])

        web_log = workdir / "gunicorn.log"
        print(
            f"starting gunicorn ({args.workers} workers) on {base} and {args.task_workers} db_worker processes "
            f"(logs in {workdir}) ...",
            flush=True,
        )
        server = start(
            [
                str(Path(python).with_name("gunicorn")),
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--access-logformat",
                'pid=%(p)s "%(r)s" %(s)s',
            ],
            env,
            web_log,
        )
        processes.append(server)
        workers = [
            start(
                [python, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--worker-id", f"check-{n}"],
                env,
                workdir / f"db_worker-{n}.log",
            )
            for n in range(args.task_workers)
        ]
        processes.extend(workers)
        wait_healthy(base, server, web_log)

        sessions = [log_in(base, username) for username in seeded["usernames"]]
        print(f"{len(sessions)} users logged in; burst 1: {args.clicks} concurrent Publish clicks ...", flush=True)
        first = burst(base, draft, sessions, args.clicks)
        waited = settle(database_url, draft, workers)
        print(f"  answers {dict(Counter(map(str, first)))}; workers done {waited:.1f} s later", flush=True)
        print(f"burst 2: {args.clicks} clicks on the published draft ...", flush=True)
        second = burst(base, draft, sessions, args.clicks)
        waited = settle(database_url, draft, workers)
        print(f"  answers {dict(Counter(map(str, second)))}; workers done {waited:.1f} s later", flush=True)

        # --- checks ---
        bad = [s for s in first + second if s != 200]
        if bad:
            failures.append(
                f"{len(bad)} of {2 * args.clicks} clicks did not answer 200: {dict(Counter(map(str, bad)))}"
            )
        time.sleep(0.5)  # let gunicorn flush its access log
        pids = Counter(
            pid for pid, path, _ in ACCESS_RE.findall(web_log.read_text()) if path == f"/drafts/{draft}/publish/"
        )
        print(f"clicks per gunicorn worker pid: {dict(pids)}")
        if len(pids) < min(2, args.workers):
            failures.append(f"the clicks reached {len(pids)} gunicorn worker(s), not {min(2, args.workers)}")
        tasks = query(
            database_url,
            "SELECT task_path, status, worker_ids FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at",
        )
        print(f"tasks: {[(t[0].rsplit('.', 1)[-1], t[1], t[2]) for t in tasks]}")
        if len(tasks) != 1 or tasks[0][1] != "SUCCESSFUL":
            failures.append(f"expected exactly one successful send task, found {len(tasks)}: {[t[1] for t in tasks]}")
        submissions = query(
            database_url,
            "SELECT id, status, process_id, attempts FROM processes_api_submission WHERE draft_id = %s",
            (draft,),
        )
        print(f"submissions: {submissions}")
        if len(submissions) != 1 or submissions[0][1] != "created" or not submissions[0][2]:
            failures.append(f"expected exactly one submission, created with a process id; found {submissions}")
        revisions = query(
            database_url,
            "SELECT count(*) FROM designer_revision WHERE draft_id = %s AND reason = 'publish'",
            (draft,),
        )[0][0]
        print(f"publish revisions: {revisions}")
        if revisions != 1:
            failures.append(f"expected one publish revision, found {revisions}")
        listed = sandbox_processes(base, name)
        print(f"sandbox processes named “{name}”: {[p.get('id') for p in listed]}")
        if len(listed) != 1:
            failures.append(f"the sandbox lists {len(listed)} processes named “{name}”, not 1")
        elif submissions and listed[0].get("id") != submissions[0][2]:
            failures.append(f"the sandbox's process {listed[0].get('id')} is not the submission's {submissions[0][2]}")
        server_errors = [
            line for log in workdir.glob("*.log") for line in log.read_text().splitlines() if "Traceback" in line
        ]
        if server_errors:
            failures.append(f"{len(server_errors)} traceback(s) in the server or worker logs ({workdir})")
    except SetupError as exc:
        print(f"SET-UP FAILED: {exc}", file=sys.stderr)
        return 2
    finally:
        stop(processes)
        if not args.keep_db:
            drop_database(f"{args.pg}/postgres", args.db_name)

    if failures:
        print("\nFAIL")
        for line in failures:
            print("  - " + line)
        return 1
    print(
        f"\nPASS: {2 * args.clicks} clicks by {args.users} users across {args.workers} web processes and "
        f"{args.task_workers} task workers made one submission, one send task and one process."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
