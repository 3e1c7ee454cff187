"""Benchmark: load a 3,000-job draft, build its payload and lint it, beside json.dumps as the floor.

Run: .venv/bin/python bench/payload.py [--jobs 3000] (DATABASE_URL selects PostgreSQL).
Budget (design §6): load + build + lint of a 3,000-job draft ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import platform

from _setup import median_ms, nested_process, start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    stop = start()
    try:
        from django.contrib.auth.models import User
        from django.db import connection

        from designer.models import Draft
        from designer.selectors.trees import draft_tree
        from designer.services.drafts import draft_import
        from processes_api.lint import lint_tree
        from processes_api.payload import build_payload, dumps

        owner = User.objects.create(username="bench")
        draft = draft_import(data=nested_process(args.jobs), owner=owner)
        tree = draft_tree(draft=draft)
        payload = build_payload(tree)

        def load() -> None:
            draft_tree(draft=Draft.objects.get(pk=draft.pk))

        def everything() -> None:
            t = draft_tree(draft=Draft.objects.get(pk=draft.pk))
            lint_tree(t, build_payload(t))

        rows = [
            ("load tree (1 query + assembly)", median_ms(load, args.repeat)),
            ("build payload", median_ms(lambda: build_payload(tree), args.repeat)),
            ("lint (incl. size check)", median_ms(lambda: lint_tree(tree, payload), args.repeat)),
            ("load + build + lint", median_ms(everything, args.repeat)),
            ("json.dumps of the payload (floor)", median_ms(lambda: dumps(payload.data, indent=None), args.repeat)),
        ]
        size = len(dumps(payload.data, indent=None).encode())
        print(
            f"{args.jobs} jobs, {len(tree.by_id)} nodes, payload {size / 1e6:.2f} MB, "
            f"{connection.vendor}, Python {platform.python_version()}, median of {args.repeat}"
        )
        for label, ms in rows:
            print(f"  {label:36} {ms:8.1f} ms")
    finally:
        stop()


if __name__ == "__main__":
    main()
