#!/usr/bin/env python
"""Live update latency: how long until the other people in a draft have someone's change.

    .venv/bin/python bench/live.py                 # both scenarios, Redis on 127.0.0.1:6379
    .venv/bin/python bench/live.py --edits 10      # fewer edits per writer

What it does, all on 127.0.0.1 and bounded in count and time:
1. a throw-away database (SQLite in a temporary directory, or --database-url), migrated, with
   users and drafts (20 jobs each) and a session per user;
2. starts the production web process (gunicorn.conf.py: gunicorn with 2 uvicorn workers, the ASGI
   app) with REDIS_URL set, so the editors' websockets land on both processes and every update
   crosses Redis (its own key prefix);
3. scenario "10 editors on one draft", then "50 editors across 10 drafts" (5 each): every editor
   opens the draft's websocket; one editor per draft makes --edits keyboard moves (a pause of
   --pause seconds between them) and each of the others, on "changed", fetches the changes since
   its version, exactly as static/js/live.js does;
4. latency = from the moment the writer sends its edit until another editor has the patch holding
   it (the browser then only applies it, a few ms). Prints p50/p95/max per scenario with the
   machine's load average, and the two parts of it: edit sent → "changed" notice heard (the write,
   its commit, Redis, the consumer), and notice → catch-up patch in hand (one request per editor per
   change); then stops the server and removes the database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import PLAIN_HTTP, ROOT, production_env  # noqa: E402
from load import draft_document  # noqa: E402

# bench/ holds scripts named like the project's apps (bench/api.py): off the path before Django
# imports INSTALLED_APPS, or ``api`` would be that script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

VERSION = re.compile(r'id="outline-patch"[^>]*data-version="(\d+)"|data-version="(\d+)"')


def seed(drafts: int, editors: int) -> list[dict[str, Any]]:
    """Runs in a subprocess with the bench environment: users, drafts and sessions, as JSON-able data."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from designer.models import Membership
    from designer.selectors.trees import draft_tree
    from designer.services.drafts import draft_import

    users = get_user_model()
    tag = users.objects.count()  # each scenario seeds its own users
    out = []
    for d in range(drafts):
        people = [users.objects.create(username=f"live{tag}-{d:02d}-{e:02d}") for e in range(editors)]
        draft = draft_import(data=draft_document(f"Live draft {d}", 20, groups=1), owner=people[0])
        for person in people[1:]:
            Membership.objects.create(draft=draft, user=person, role="editor")
        sessions = []
        for person in people:
            store = SessionStore()
            store[SESSION_KEY] = str(person.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = person.get_session_auth_hash()
            store.create()
            sessions.append(store.session_key)
        tree = draft_tree(draft=draft)
        group = tree.children(tree.root)[0]
        out.append(
            {
                "draft": draft.pk,
                "version": draft.version,
                "job": str(tree.children(group)[1].key),
                "sessions": sessions,
            }
        )
    return out


def catch_up_server_ms(sizes: tuple[int, ...], repeat: int = 15) -> dict[int, float]:
    """Return, per draft size in jobs, the median server time (in this process, no network) of one
    catch-up: the patch of a keyboard move."""
    from _setup import start

    sys.path.insert(0, str(ROOT))  # the app "live", not this script (bench/ is on the path too)
    stop = start()
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from designer.models import Draft, Node
        from designer.services.drafts import draft_import
        from designer.services.nodes import node_move_by_direction

        user = get_user_model().objects.create(username="bench-live")
        client = Client()
        client.force_login(user)
        medians = {}
        for jobs in sizes:
            draft = draft_import(data=draft_document(f"Catch-up {jobs}", jobs), owner=user)
            job = Node.objects.filter(draft=draft, kind="job").order_by("id")[1]
            url = reverse("live-changes", args=[draft.pk])
            samples = []
            for n in range(repeat + 2):
                since = Draft.objects.get(pk=draft.pk).version
                job.draft = Draft.objects.get(pk=draft.pk)
                node_move_by_direction(node=job, version=since, direction="down" if n % 2 == 0 else "up")
                started = time.perf_counter()
                answer = client.get(url, {"since": since}, HTTP_HX_REQUEST="true")
                samples.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200 or b"data-parent" not in answer.content:
                    raise SystemExit(f"the catch-up did not answer a patch: {answer.status_code}")
            medians[jobs] = statistics.median(samples[2:])
        return medians
    finally:
        stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def patch_version(html: str) -> int | None:
    match = VERSION.search(html)
    return int(match.group(1) or match.group(2)) if match else None


async def scenario(base: str, drafts: list[dict[str, Any]], edits: int, pause: float) -> list[float]:
    from websockets.asyncio.client import connect

    ws_base = base.replace("http://", "ws://")
    latencies: list[float] = []
    # Where the time goes: from the edit sent until the notice reached this editor (the write, the
    # commit, Redis, the consumer), and from the notice until the catch-up's patch was in hand.
    notices: list[float] = []
    fetches: list[float] = []
    errors: list[str] = []
    sent: dict[tuple[int, int], float] = {}
    done = asyncio.Event()

    async def watcher(draft: dict[str, Any], session_key: str, ready: asyncio.Event) -> None:
        cookie = f"sessionid={session_key}"
        http = requests.Session()
        http.cookies.set("sessionid", session_key)
        http.headers.update({"HX-Request": "true"})
        url = f"{base}/drafts/{draft['draft']}/live/changes/"
        mine = draft["version"]
        async with connect(
            f"{ws_base}/ws/drafts/{draft['draft']}/", additional_headers={"Cookie": cookie, "Origin": base}
        ) as ws:
            hello = json.loads(await ws.recv())
            mine = max(mine, hello["version"])
            ready.set()
            while not done.is_set():
                try:
                    message = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.5))
                except TimeoutError:
                    continue
                if message["type"] != "changed" or message["version"] <= mine:
                    continue
                heard = time.perf_counter()
                if (draft["draft"], message["version"]) in sent:
                    notices.append(heard - sent[(draft["draft"], message["version"])])
                try:
                    answer = await asyncio.to_thread(http.get, url, params={"since": mine}, timeout=30)
                except requests.RequestException as exc:
                    errors.append(f"catch-up: {type(exc).__name__}")
                    continue
                now = time.perf_counter()
                fetches.append(now - heard)
                new = patch_version(answer.text) or message["version"]
                for version in range(mine + 1, new + 1):  # every version this patch brought
                    if (draft["draft"], version) in sent:
                        latencies.append(now - sent[(draft["draft"], version)])
                mine = new

    async def writer(draft: dict[str, Any]) -> None:
        http = requests.Session()
        http.cookies.set("sessionid", draft["sessions"][0])
        page = await asyncio.to_thread(http.get, f"{base}/drafts/{draft['draft']}/", timeout=30)
        if page.status_code != 200 or "/login/" in page.url:
            raise SystemExit(f"the writer is not logged in: {page.status_code} {page.url}")
        csrf = http.cookies.get("csrftoken") or re.search(r'"X-CSRFToken": "([^"]+)"', page.text).group(1)
        headers = {"HX-Request": "true", "X-CSRFToken": csrf, "Referer": base + "/"}
        version = draft["version"]
        url = f"{base}/drafts/{draft['draft']}/nodes/{draft['job']}/move/"
        for n in range(edits):
            sent[(draft["draft"], version + 1)] = time.perf_counter()
            data = {"direction": "down" if n % 2 == 0 else "up", "version": version, "selected": draft["job"]}
            try:
                answer = await asyncio.to_thread(http.post, url, data=data, headers=headers, timeout=30)
            except requests.RequestException as exc:
                errors.append(f"edit: {type(exc).__name__}")
                break  # its version is unknown now: this writer stops
            if answer.status_code != 200:
                errors.append(f"edit: {answer.status_code}")
                break
            version = patch_version(answer.text) or version + 1
            await asyncio.sleep(pause)

    watchers = []
    readies = []
    for draft in drafts:
        for key in draft["sessions"][1:]:
            ready = asyncio.Event()
            readies.append(ready)
            watchers.append(asyncio.create_task(watcher(draft, key, ready)))
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=60)
    await asyncio.gather(*(writer(d) for d in drafts))
    await asyncio.sleep(2)  # the last patches arrive
    done.set()
    await asyncio.gather(*watchers)
    if errors:
        print(f"  {len(errors)} errors: {sorted(set(errors))}", flush=True)
    return latencies, notices, fetches


def report(name: str, latencies: list[float], expected: int) -> dict[str, Any]:
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)] if ms else float("nan")
    row = {
        "scenario": name,
        "updates": len(ms),
        "expected": expected,
        "p50_ms": round(statistics.median(ms), 1) if ms else None,
        "p95_ms": round(p95, 1),
        "max_ms": round(ms[-1], 1) if ms else None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(
        f"{name}: {row['updates']}/{expected} updates received, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
        f"max {row['max_ms']} ms (load average {row['load_average']})",
        flush=True,
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=20, help="edits per writer (default 20)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between one writer's edits")
    parser.add_argument("--workers", type=int, default=2, help="web processes (uvicorn workers)")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temporary directory")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--seed", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        print(json.dumps(seed(*args.seed)))
        return
    if not redis_answers():
        sys.exit("bench/live.py needs Redis on 127.0.0.1:6379 (it did not answer).")
    workdir = Path(tempfile.mkdtemp(prefix="live-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'db.sqlite3'}"
    env = production_env(
        database_url=database_url,
        static_root=str(workdir / "static"),
        **PLAIN_HTTP,
        REDIS_URL=args.redis_url,
        LIVE_CHANNEL_PREFIX=f"bench-live-{os.getpid()}",
        GUNICORN_ACCESS_LOG="0",
        LOG_LEVEL="WARNING",
    )
    python = sys.executable
    server = None
    try:
        subprocess.run(
            [python, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        subprocess.run([python, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, capture_output=True)
        collect = [python, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"]
        subprocess.run(collect, cwd=ROOT, env=env, check=True, capture_output=True)
        worlds = {}
        for name, drafts, editors in (("10 editors on one draft", 1, 10), ("50 editors across 10 drafts", 10, 5)):
            seeded = subprocess.run(
                [python, __file__, "--seed", str(drafts), str(editors)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if seeded.returncode:
                sys.exit("seeding failed:\n" + seeded.stderr[-3000:])
            worlds[name] = json.loads(seeded.stdout.strip().splitlines()[-1])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (workdir / "server.log").open("wb")
        gunicorn = str(Path(python).with_name("gunicorn"))
        command = [gunicorn, "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("the server did not start:\n" + (workdir / "server.log").read_text()[-3000:])
            time.sleep(0.3)
        print(
            f"server: gunicorn, {args.workers} uvicorn workers, Redis {args.redis_url}; {args.edits} edits per writer"
        )
        rows = []
        for name, drafts in worlds.items():
            watchers = sum(len(d["sessions"]) - 1 for d in drafts)
            latencies, notices, fetches = asyncio.run(scenario(base, drafts, args.edits, args.pause))
            rows.append(report(name, latencies, watchers * args.edits))
            for part, values in (("  of which edit → notice heard", notices), ("  of which notice → patch", fetches)):
                report(part, values, len(values))
        for jobs, ms in catch_up_server_ms((300, 3000)).items():
            print(
                f"server time of one catch-up (a move's patch), {jobs} jobs: median {ms:.1f} ms "
                f"(load average {[round(x, 2) for x in os.getloadavg()]})",
                flush=True,
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
