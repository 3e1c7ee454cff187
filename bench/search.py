"""Benchmark the outline's search in a real Chromium at 3,000 jobs: keystroke → matches shown and
painted, per keystroke, with and without "Show only matches"; and the server time of the search
index and of a multi-move / multi-delete of 100 items. Prints figures and the load average; asserts nothing.

    .venv/bin/python -m pytest -q -p no:randomly -s bench/search.py
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.test import Client
from django.urls import reverse

from bench.editor import build
from designer.models import Draft
from designer.selectors.trees import draft_tree
from tests.browser.conftest import browser, browser_user, new_page, page  # noqa: F401 - fixtures

JOBS = int(os.environ.get("BENCH_JOBS", "3000"))
QUERIES = ("task 1", "phase 4", "review", "zzz")

# Keystroke (keydown) → search.js ran (input) → the next frame painted.
WATCH = """() => {
  window.__k = [];
  const box = document.getElementById("outline-search");
  box.addEventListener("keydown", () => { window.__k.push({ down: performance.now() }); }, true);
  box.addEventListener("input", () => {
    const entry = window.__k[window.__k.length - 1];
    requestAnimationFrame(() => setTimeout(() => { entry.painted = performance.now(); }, 0));
  });
}"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def typed(page, query: str, runs: list[dict] | None = None) -> list[float]:  # noqa: F811
    """Type ``query`` key by key; return keydown → painted per key, and add search.js's own stats of
    each key (its time, its phases, how many index entries it scanned) to ``runs``."""
    box = page.get_by_role("searchbox", name="Search the outline")
    box.fill("")
    page.evaluate("window.__k = []")
    for char in query:
        box.press(char if char != " " else "Space")
        page.wait_for_function("() => window.__k.length && window.__k[window.__k.length - 1].painted")
        if runs is not None:
            runs.append(page.evaluate("({...window.PD.search.stats, phases: {...window.PD.search.stats.phases}})"))
    return [k["painted"] - k["down"] for k in page.evaluate("window.__k")]


@pytest.mark.browser
def test_search_keystroke_to_paint(page, live_server, browser_user):  # noqa: F811
    draft = build(browser_user, JOBS)
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.evaluate(WATCH)
    # the first focus fetches the index (its server time: test_multi_move_and_delete_server_time)
    with page.expect_response(lambda r: "index.json" in r.url):
        page.get_by_role("searchbox", name="Search the outline").press("x")
    page.wait_for_function("() => document.getElementById('search-count').textContent !== 'Searching…'")
    for only in (False, True):
        page.get_by_label("Show only matches").set_checked(only)
        times: list[float] = []
        runs: list[dict] = []
        for query in QUERIES:
            times += typed(page, query, runs)
        count = page.locator("#search-count").inner_text()
        own = [r["lastMs"] for r in runs]
        phases = {p: statistics.median(r["phases"][p] for r in runs) for p in ("match", "mark", "filter")}
        print(
            f"\n{JOBS} jobs, only matches {'on' if only else 'off'}: {len(times)} keystrokes, keydown → painted "
            f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms; search.js itself median "
            f"{statistics.median(own):.1f} ms, max {max(own):.1f} ms (median per phase: "
            f"{', '.join(f'{p} {v:.1f}' for p, v in phases.items())} ms); index entries scanned "
            f"{sum(r.get('scanned', 0) for r in runs)} (a full scan every key: {len(runs)} × {runs[0].get('scanned', 0)}); "
            f"last count {count!r}; {load()}"
        )
    # The floor on this machine now: the same keystrokes into a plain input on the same page, no search.
    page.evaluate(
        """() => { const i = document.createElement("input"); i.id = "bench-plain"; i.setAttribute("aria-label", "plain");
        document.querySelector(".editor").prepend(i);
        i.addEventListener("keydown", () => { window.__k.push({ down: performance.now() }); }, true);
        i.addEventListener("input", () => { const e = window.__k[window.__k.length - 1];
          requestAnimationFrame(() => setTimeout(() => { e.painted = performance.now(); }, 0)); }); }"""
    )
    page.evaluate("window.__k = []")
    for char in "".join(QUERIES):
        page.locator("#bench-plain").press(char if char != " " else "Space")
        page.wait_for_function("() => window.__k.length && window.__k[window.__k.length - 1].painted")
    plain = [k["painted"] - k["down"] for k in page.evaluate("window.__k")]
    print(
        f"same keystrokes into a plain input (no search): median {statistics.median(plain):.0f} ms, max {max(plain):.0f} ms"
    )
    print(load())


@pytest.mark.django_db(transaction=True)
def test_multi_move_and_delete_server_time(browser_user):  # noqa: F811
    draft = build(browser_user, JOBS)
    client = Client()
    client.force_login(browser_user)
    hx = {"HX-Request": "true"}
    tree = draft_tree(draft=draft)
    jobs = [n for n, _ in tree.walk() if not n.is_group]
    keys = " ".join(str(n.key) for n in jobs[:200:2])  # 100 jobs across groups
    group = next(n for n, d in tree.walk() if n.is_group and d == 1)

    def post(name, data):
        version = Draft.objects.get(pk=draft.pk).version
        started = time.perf_counter()
        response = client.post(reverse(name, args=[draft.pk]), {"version": version, **data}, headers=hx)
        assert response.status_code == 200, response.content[:300]
        return (time.perf_counter() - started) * 1000

    index = []
    for _ in range(3):
        started = time.perf_counter()
        client.get(reverse("outline-index", args=[draft.pk]))
        index.append((time.perf_counter() - started) * 1000)
    moved = post("nodes-move", {"keys": keys, "parent": str(group.key), "position": "0"})
    stepped = post("nodes-move", {"keys": keys, "direction": "down"})
    deleted = post("nodes-delete", {"keys": keys})
    print(
        f"\n{JOBS} jobs, 100 selected jobs across groups (SQLite test db): index.json median "
        f"{statistics.median(index):.0f} ms; move to a group {moved:.0f} ms; Alt+↓ {stepped:.0f} ms; "
        f"delete {deleted:.0f} ms (each one request, with its outline patch); {load()}"
    )
