"""Benchmark a drop in a real Chromium at 3,000 jobs: pointer released → first frame, and → the
server's patch applied and painted. Prints medians; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/designer_bench \\
        .venv/bin/python -m pytest -q -p no:randomly -s bench/drop_paint.py
"""

from __future__ import annotations

import os
import statistics

import pytest

from bench.editor import build
from tests.browser.conftest import browser, browser_user, new_page, page  # noqa: F401 - fixtures

JOBS = int(os.environ.get("BENCH_JOBS", "3000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))

WATCH = """() => {
  window.__t = {};
  document.addEventListener("pointerup", () => {
    window.__t = { up: performance.now() };
    requestAnimationFrame(() => setTimeout(() => { window.__t.frame = performance.now(); }, 0));
  }, true);
  document.addEventListener("htmx:oobAfterSwap", (e) => {
    if (e.target.id !== "outline-patch") return;
    requestAnimationFrame(() => setTimeout(() => { window.__t.painted = performance.now(); }, 0));
  });
}"""


@pytest.mark.browser
def test_drop_to_paint(page, live_server, browser_user):  # noqa: F811
    draft = build(browser_user, JOBS)
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.evaluate(WATCH)
    frames, painted = [], []
    for _ in range(RUNS):
        rows = page.locator("ul.tree > li.group").first.locator(":scope > ul.children > li.job > .row")
        handle = rows.nth(0).locator(".handle").bounding_box()
        target = rows.nth(3).bounding_box()
        page.mouse.move(handle["x"] + 4, handle["y"] + 4)
        page.mouse.down()
        page.mouse.move(handle["x"] + 10, handle["y"] + 10, steps=3)
        page.mouse.move(target["x"] + 40, target["y"] + target["height"] * 0.8, steps=10)
        page.wait_for_timeout(150)
        with page.expect_response(lambda r: "/move/" in r.url):
            page.mouse.up()
        page.wait_for_function("() => window.__t.painted && window.__t.frame")
        t = page.evaluate("window.__t")
        frames.append(t["frame"] - t["up"])
        painted.append(t["painted"] - t["up"])
        page.wait_for_function("() => !document.querySelector('.htmx-request, .editor[aria-busy=\"true\"]')")
    print(
        f"\n{JOBS} jobs, {RUNS} drops: release → first frame median {statistics.median(frames):.0f} ms "
        f"(min {min(frames):.0f}); release → patch painted median {statistics.median(painted):.0f} ms "
        f"(min {min(painted):.0f})"
    )
