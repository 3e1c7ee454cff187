"""What a person feels: the editor and review pages measured in Chromium against gunicorn + PostgreSQL.

The bench
1. creates the database ``--db-name`` (default ``designer_perf``) on the local PostgreSQL, migrates
   it, collects the static files, and imports (``draft_import``) for every size (30 / 300 / 3,000
   jobs by default) one draft to edit, one under review and ``--runs`` drafts to publish;
2. starts gunicorn (gunicorn.conf.py, ``--workers`` workers, production settings over plain HTTP,
   the built-in sandbox as the Workiva API, so a publish calls another worker process);
3. drives Debian's Chromium (``/usr/bin/chromium``, through Playwright; never ``playwright
   install``) logged in as the drafts' owner, and measures, median of ``--runs``:
   - editor: navigation start → interactive (DOMContentLoaded handled, editor.js started, first
     frame after it painted), and the HTML over the wire, compressed (what Chromium asks for:
     ``Accept-Encoding: gzip, deflate, br, zstd``) and not;
   - keyboard move (Alt+↓ / Alt+↑ on a job): key → row painted, key → problems/counts painted
     (the first frame with the outline patch applied and no request or stale status left);
   - drag and drop of a job by its handle: drop → problems/counts painted;
   - the longest main-thread task (PerformanceObserver ``longtask``) while editing (the moves and
     drops above), and while opening;
   - review page (a 3,000-job draft under review against no accepted content, so all of it is
     new): navigation start → interactive, and its HTML bytes;
   - publish: the server time of ``POST /drafts/<id>/publish/`` (the application's own time, its
     ``Server-Timing`` header; the sandbox answers from another worker process);
   and the server time of each request kind from the same header on every answer;
4. stops gunicorn, drops the database (unless ``--keep-db``) and prints one table with the load
   average before and after (``os.getloadavg()``).

It asserts nothing about timings. ``--smoke`` is the CI run: 300 jobs, 3 runs, figures only
(``--json FILE`` writes them too).

    .venv/bin/python bench/browser.py                 # 30, 300, 3,000 jobs, 7 runs each
    .venv/bin/python bench/browser.py --smoke --json /tmp/browser-smoke.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import PLAIN_HTTP, production_env  # noqa: E402
from load import create_database, drop_database, run, wait_healthy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds scripts named like the apps (bench/api.py, bench/live.py): once its helpers are
# imported, the project root comes first, so Django loads the app "api", not the script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OWNER = "perf-owner"
REVIEWER = "perf-reviewer"
PASSWORD = "browser-bench-password-" + "x" * 8
JOB_TYPES = ("sendTask", "sendTask", "contentRequest", "certification")
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends
SERVER_TIMING_RE = re.compile(r"\bapp;dur=([0-9.]+)")

# Installed before any page script on every navigation: long tasks and the "interactive" moment.
INIT_SCRIPT = """
window.__perf = { longtasks: [], interactive: null };
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__perf.longtasks.push([e.startTime, e.duration]); });
  }).observe({ type: "longtask", buffered: true });
} catch (e) {}
document.addEventListener("DOMContentLoaded", function () {
  requestAnimationFrame(function () { setTimeout(function () { window.__perf.interactive = performance.now(); }, 0); });
});
"""

# One edit at a time: ``start`` is the key or pointer event's time; ``row`` the first frame painted
# with the row in its new place (the editor moves it at once; else when the outline patch is
# applied); ``status`` the first frame painted with the patch applied,
# no request in flight and the status no longer stale (however the status arrives).
WATCH = """() => {
  if (window.__watching) return;
  window.__watching = true;
  window.__t = null;
  function indexOf(li) { return li && li.parentElement ? Array.prototype.indexOf.call(li.parentElement.children, li) : -1; }
  function begin(e, li) { window.__t = { start: e.timeStamp, patched: false, item: li || null, from: indexOf(li) }; poll(); }
  document.addEventListener("keydown", function (e) {
    if (e.altKey && e.key.indexOf("Arrow") === 0) begin(e, e.target.closest && e.target.closest('[role="treeitem"]'));
  }, true);
  document.addEventListener("pointerup", function (e) { if (window.__dragging) { window.__dragging = false; begin(e); } }, true);
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    if (e.target.id === "outline-patch" && window.__t) window.__t.patched = true;
  });
  function idle() {
    return !document.body.classList.contains("status-stale") && !document.querySelector(".htmx-request")
      && !document.querySelector('.editor[aria-busy="true"]');
  }
  function poll() {
    var t = window.__t;
    requestAnimationFrame(function () {
      if (t !== window.__t) return;
      // The row is in its new place once the patch came, or earlier when the editor moved it at once.
      var placed = t.patched || (t.item !== null && indexOf(t.item) !== t.from);
      var patched = t.patched, settled = patched && idle();
      setTimeout(function () {
        var now = performance.now();
        if (placed && t.row === undefined) t.row = now - t.start;
        if (settled) { t.status = now - t.start; return; }
        if (now - t.start < 60000) poll();
      }, 0);
    });
  }
}"""


def document(name: str, jobs: int) -> dict[str, Any]:
    """A Process of ``jobs`` jobs in groups of 30, every third group holding a nested group of 10
    (the shape of bench/editor.py's drafts), with a mix of job types."""
    groups = []
    for g in range(max(1, jobs // 30)):
        direct: list[dict[str, Any]] = []
        nested: list[dict[str, Any]] = []
        for j in range(min(30, jobs)):
            job_type = JOB_TYPES[j % len(JOB_TYPES)]
            args: dict[str, Any] = {
                "title": f"Task {g}.{j}",
                "dueDate": "2026-12-15",
                "instructions": "Check and sign. " * 5,
            }
            if job_type == "sendTask":
                args["assigneeUser"] = f"userId{j}"
            elif job_type == "contentRequest":
                args |= {"assignee": {"id": f"userId{j}", "type": "user"}, "document": "file1", "section": "s1"}
            else:
                args["letter"] = "file2"
            job = {"type": "job", "job": {"arguments": {"type": job_type, f"{job_type}Args": args}}}
            (nested if g % 3 == 0 and j >= 20 else direct).append(job)
        if nested:
            direct.append({"type": "group", "group": {"name": f"Phase {g} review", "children": nested}})
        groups.append({"type": "group", "group": {"name": f"Phase {g}", "parallel": g % 2 == 0, "children": direct}})
    return {"name": name, "dueDate": "2026-12-31", "root": {"name": name, "children": groups}}


def seed(sizes: list[int], publish_runs: list[int]) -> dict[str, Any]:
    """Runs in a subprocess with the bench's environment: users and drafts, as JSON-able data."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from designer.models import Membership
    from designer.services.drafts import draft_import
    from designer.services.reviews import review_request_create

    users = get_user_model().objects
    owner = users.create_user(OWNER, password=PASSWORD, email="owner@example.com")
    reviewer = users.create_user(REVIEWER, password=PASSWORD, email="reviewer@example.com")
    out: dict[str, Any] = {}
    for jobs, runs in zip(sizes, publish_runs, strict=True):
        edit = draft_import(data=document(f"Edit {jobs}", jobs), owner=owner)
        review = draft_import(data=document(f"Review {jobs}", jobs), owner=owner)
        Membership.objects.create(draft=review, user=reviewer, role="reviewer")
        review_request_create(draft=review, actor=owner, reviewers=[reviewer])
        publish = [draft_import(data=document(f"Publish {jobs} #{n}", jobs), owner=owner).pk for n in range(runs)]
        out[str(jobs)] = {"edit": edit.pk, "review": review.pk, "publish": publish}
    return out


def log_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    response = session.post(
        base + "/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1), "next": "/"},
        headers={"Referer": base + "/login/"},
        allow_redirects=False,
        timeout=120,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        sys.exit(f"logging in as {username} failed: {response.status_code}")
    return session


def wire_bytes(session: requests.Session, url: str, encoding: str) -> tuple[int, str]:
    """Return the bytes of a page as sent over the wire with ``Accept-Encoding: encoding``."""
    response = session.get(url, headers={"Accept-Encoding": encoding}, stream=True, timeout=120)
    body = response.raw.read(decode_content=False)
    return len(body), response.headers.get("Content-Encoding", "")


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


class Access:
    """Server times (ms) by request kind, from each answer's ``Server-Timing: app;dur=…``
    (designer/timing.py): gunicorn's uvicorn workers write no access log with times. Fed by the
    page's responses (``page.on("response", access.seen)``) and by the bench's own requests."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)

    def seen(self, response: Any) -> None:
        """Record a Playwright or ``requests`` response (anything with ``url``, ``headers`` and a request method)."""
        method = response.request.method
        headers = response.headers
        timing = (headers.get("server-timing") if hasattr(headers, "get") else None) or ""
        match = SERVER_TIMING_RE.search(timing)
        if not match or method not in ("GET", "POST"):
            return
        path = urlsplit(response.url).path
        kind = re.sub(r"/[0-9a-f-]{36}/", "/<key>/", re.sub(r"/\d+/", "/<id>/", path))
        self.times[f"{method} {kind}"].append(float(match.group(1)))

    def take(self) -> dict[str, list[float]]:
        times, self.times = self.times, defaultdict(list)
        return times


def settle(page: Any) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .editor[aria-busy=\"true\"]')"
        " && !document.body.classList.contains('status-stale')"
    )


def edit_timings(page: Any) -> dict[str, Any]:
    """Wait for the edit's status to be painted; an edit the page never answered counts as no sample."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("() => window.__t && window.__t.status !== undefined", timeout=30_000)
    except PlaywrightTimeout:
        print("  (an edit was not answered within 30 s: no sample)", flush=True)
        return {}
    timings = page.evaluate("window.__t")
    settle(page)
    page.wait_for_timeout(200)
    return dict(timings)


def measure_editor(page: Any, base: str, draft: int, runs: int) -> dict[str, Any]:
    url = f"{base}/drafts/{draft}/"
    opens, open_longest = [], []
    for _ in range(2):  # untimed: each gunicorn worker compiles its templates and imports lazily once
        page.goto(url, wait_until="load")
    for _ in range(runs):
        page.goto(url, wait_until="load")
        page.wait_for_function("() => window.__perf.interactive !== null")
        page.wait_for_timeout(300)
        perf = page.evaluate("window.__perf")
        opens.append(perf["interactive"])
        open_longest.append(max((d for _, d in perf["longtasks"]), default=0.0))
    elements = page.evaluate("document.getElementsByTagName('*').length")
    page.evaluate(WATCH)
    editing_from = page.evaluate("performance.now()")

    # Keyboard: the first job of the second group (the first at 30 jobs) down, then up again.
    groups = page.locator("ul.tree > li.group")
    group = groups.nth(1) if groups.count() > 1 else groups.first
    job = group.locator(":scope > ul.children > li.job").first
    key = job.get_attribute("data-key")
    rows, statuses = [], []
    for n in range(runs):
        item = page.locator(f"#node-{key}")
        item.focus()
        page.keyboard.press("Alt+ArrowDown" if n % 2 == 0 else "Alt+ArrowUp")
        t = edit_timings(page)
        if t:
            rows.append(t["row"])
            statuses.append(t["status"])

    # Drag and drop: the first job of the first group by its handle to below its fourth sibling.
    drops = []
    for _ in range(runs):
        siblings = page.locator("ul.tree > li.group").first.locator(":scope > ul.children > li.job > .row")
        siblings.nth(0).scroll_into_view_if_needed()
        handle = siblings.nth(0).locator(".handle").bounding_box()
        target = siblings.nth(3).bounding_box()
        page.mouse.move(handle["x"] + 4, handle["y"] + 4)
        page.mouse.down()
        page.mouse.move(handle["x"] + 10, handle["y"] + 10, steps=3)
        page.mouse.move(target["x"] + 40, target["y"] + target["height"] * 0.8, steps=10)
        page.wait_for_timeout(150)
        page.evaluate("window.__dragging = true")
        page.mouse.up()
        if t := edit_timings(page):
            drops.append(t["status"])
    longtasks = page.evaluate("window.__perf.longtasks")
    editing_longest = max((d for s, d in longtasks if s >= editing_from), default=0.0)
    return {
        "open": median(opens),
        "open_longest_task": median(open_longest),
        "elements": elements,
        "key_row": median(rows),
        "key_status": median(statuses),
        "drop_status": median(drops),
        "editing_longest_task": editing_longest,
    }


def measure_review(page: Any, base: str, draft: int, runs: int) -> dict[str, Any]:
    opens = []
    for _ in range(2):  # untimed, as for the editor
        page.goto(f"{base}/drafts/{draft}/review/", wait_until="load")
    for _ in range(runs):
        page.goto(f"{base}/drafts/{draft}/review/", wait_until="load")
        page.wait_for_function("() => window.__perf.interactive !== null")
        opens.append(page.evaluate("window.__perf.interactive"))
    return {"review_open": median(opens), "review_elements": page.evaluate("document.getElementsByTagName('*').length")}


def measure_schedule(page: Any, base: str, draft: int, runs: int) -> dict[str, Any]:
    """The schedule view (issue 14: "renders 3,000 jobs in ≤ 1 s in Chromium") of the edited draft."""
    url = f"{base}/drafts/{draft}/schedule/"
    opens = []
    for _ in range(2):  # untimed, as for the editor
        page.goto(url, wait_until="load")
    for _ in range(runs):
        page.goto(url, wait_until="load")
        page.wait_for_function("() => window.__perf.interactive !== null")
        opens.append(page.evaluate("window.__perf.interactive"))
    return {"schedule_open": median(opens)}


def measure_publish(session: requests.Session, base: str, drafts: list[int], access: Access) -> dict[str, Any]:
    access.take()
    walls, ok = [], 0
    for draft in drafts:
        started = time.perf_counter()
        response = session.post(
            f"{base}/drafts/{draft}/publish/",
            headers={"HX-Request": "true", "X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": base},
            timeout=300,
        )
        walls.append((time.perf_counter() - started) * 1000)
        access.seen(response)
        ok += response.status_code == 200 and 'class="process-id"' in response.text
    server = access.take().get("POST /drafts/<id>/publish/", [])
    return {"publish_server": median(server), "publish_wall": median(walls), "published": f"{ok}/{len(drafts)}"}


def fmt(value: Any, unit: str = "ms") -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "KB":
        return f"{value / 1024:.0f} KB"
    return str(value)


ROWS = [
    ("editor: navigation start → interactive", "open", "ms", "≤ 400 ms"),
    ("editor HTML over the wire, compressed", "html_compressed", "KB", "≤ 300 KB"),
    ("editor HTML, uncompressed", "html_plain", "KB", ""),
    ("editor elements", "elements", "", ""),
    ("keyboard move: key → row painted", "key_row", "ms", "≤ 50 ms"),
    ("keyboard move: key → problems/counts painted", "key_status", "ms", "≤ 120 ms"),
    ("drag and drop: drop → problems/counts painted", "drop_status", "ms", "≤ 150 ms"),
    ("longest main-thread task while editing", "editing_longest_task", "ms", "≤ 50 ms"),
    ("longest main-thread task while opening", "open_longest_task", "ms", ""),
    ("review page: navigation start → interactive", "review_open", "ms", "≤ 350 ms"),
    ("review page HTML, compressed", "review_compressed", "KB", ""),
    ("schedule view: navigation start → interactive", "schedule_open", "ms", "≤ 1000 ms"),
    ("review page HTML, uncompressed", "review_plain", "KB", ""),
    ("publish: server time (gunicorn)", "publish_server", "ms", "≤ 200 ms"),
    ("publish: round trip from the client", "publish_wall", "ms", ""),
    ("publish: created", "published", "", ""),
    ("server: GET editor", "server_open", "ms", ""),
    ("server: POST move", "server_move", "ms", ""),
    ("server: GET status", "server_status", "ms", ""),
    ("server: GET review page", "server_review", "ms", ""),
    ("server: GET schedule", "server_schedule", "ms", ""),
]


def print_table(results: dict[int, dict[str, Any]], runs: int, loads: list[tuple[float, float, float]]) -> None:
    sizes = sorted(results)
    head = f"| what | {' | '.join(f'{s:,} jobs' for s in sizes)} | budget (at 3,000 jobs) |"
    print()
    print(f"Chromium {results[sizes[0]].get('chromium', '')}, gunicorn + PostgreSQL, median of {runs} runs")
    print("load average (1, 5, 15 min): " + "; ".join(" / ".join(f"{x:.2f}" for x in la) for la in loads))
    print(head)
    print("|---" * (len(sizes) + 2) + "|")
    for label, field, unit, budget in ROWS:
        cells = " | ".join(fmt(results[s].get(field), unit) for s in sizes)
        print(f"| {label} | {cells} | {budget} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="30,300,3000", help="jobs per draft, comma separated")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (the median is printed)")
    parser.add_argument("--smoke", action="store_true", help="CI: 300 jobs, 3 runs, figures only")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8117)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--db-name", default="designer_perf")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.seed:  # inside the seeding subprocess
        spec = json.loads(args.seed)
        print(json.dumps(seed(spec["sizes"], spec["publish"])))
        return
    if args.smoke:
        args.sizes, args.runs = "300", 3
    if not CHROMIUM.exists():
        sys.exit(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    if urlsplit(args.pg).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("--pg must point at the local PostgreSQL (127.0.0.1)")
    sizes = [int(s) for s in args.sizes.split(",")]
    base = f"http://127.0.0.1:{args.port}"
    workdir = Path(tempfile.mkdtemp(prefix="designer-browser-"))
    env = production_env(
        database_url=f"{args.pg}/{args.db_name}",
        static_root=str(workdir / "static"),
        **PLAIN_HTTP,
        SERVER_URL=base,
        WORKIVA_SANDBOX="1",
        WORKIVA_CLIENT_ID="browser-bench",
        WORKIVA_CLIENT_SECRET=secrets.token_urlsafe(24),
        LOG_LEVEL="WARNING",
        LOG_FORMAT="plain",
        GUNICORN_ACCESS_LOG="1",
        GUNICORN_TIMEOUT="300",
        WEB_CONCURRENCY=str(args.workers),
        DATABASE_CONN_MAX_AGE="60",
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
    )
    python = sys.executable
    loads = [os.getloadavg()]
    print(f"load average {loads[0]}; creating {args.db_name} with drafts of {sizes} jobs ...", flush=True)
    create_database(f"{args.pg}/postgres", args.db_name)
    server: subprocess.Popen[bytes] | None = None
    results: dict[int, dict[str, Any]] = {}
    try:
        run([python, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([python, "manage.py", "createcachetable"], env)
        run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        spec = {"sizes": sizes, "publish": [args.runs] * len(sizes)}
        seeded = run([python, str(Path(__file__).resolve()), "--seed", json.dumps(spec)], env)
        drafts = json.loads(seeded.strip().splitlines()[-1])  # the last line (mail may print before it)
        log = workdir / "gunicorn.log"
        print(f"starting gunicorn ({args.workers} workers) on {base}, log {log} ...", flush=True)
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{args.port}"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        wait_healthy(base, server, log)
        access = Access()
        session = log_in(base, OWNER)

        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1400, "height": 900}, reduced_motion="reduce")
            context.add_cookies(
                [
                    {"name": c.name, "value": c.value or "", "url": base}
                    for c in session.cookies
                    if c.name == "sessionid"
                ]
            )
            context.add_init_script(INIT_SCRIPT)
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.on("response", access.seen)
            for jobs in sizes:
                ids = drafts[str(jobs)]
                print(f"{jobs} jobs: editor, review, publish ...", flush=True)
                out: dict[str, Any] = {"chromium": browser.version}
                editor_url = f"{base}/drafts/{ids['edit']}/"
                out["html_compressed"], out["html_encoding"] = wire_bytes(session, editor_url, ACCEPT_ENCODING)
                out["html_plain"], _ = wire_bytes(session, editor_url, "identity")
                access.take()
                out |= measure_editor(page, base, ids["edit"], args.runs)
                times = access.take()
                out["server_open"] = median(times.get("GET /drafts/<id>/", []))
                out["server_move"] = median(times.get("POST /drafts/<id>/nodes/<key>/move/", []))
                out["server_status"] = median(times.get("GET /drafts/<id>/status/", []))
                review_url = f"{base}/drafts/{ids['review']}/review/"
                out["review_compressed"], _ = wire_bytes(session, review_url, ACCEPT_ENCODING)
                out["review_plain"], _ = wire_bytes(session, review_url, "identity")
                access.take()
                out |= measure_review(page, base, ids["review"], args.runs)
                out["server_review"] = median(access.take().get("GET /drafts/<id>/review/", []))
                out |= measure_schedule(page, base, ids["edit"], args.runs)
                out["server_schedule"] = median(access.take().get("GET /drafts/<id>/schedule/", []))
                out |= measure_publish(session, base, ids["publish"], access)
                results[jobs] = out
                print(json.dumps({str(jobs): out}), flush=True)
            browser.close()
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep_db:
            drop_database(f"{args.pg}/postgres", args.db_name)
    loads.append(os.getloadavg())
    print_table(results, args.runs, loads)
    if args.json:
        args.json.write_text(json.dumps({"runs": args.runs, "load_average": loads, "results": results}, indent=2))


if __name__ == "__main__":
    main()
