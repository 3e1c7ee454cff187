"""The live soak: several clients apply random operations to one draft at once, through the editor's
HTTP endpoints, each from its own (often stale) view of the draft, as open editors do.

Run by tests/live/test_soak.py in a fresh interpreter on a SQLite *file* (or the database in
``DATABASE_URL``): threads with Django test clients, one per user. It prints one JSON line: what each
request was answered, and the checks' findings. ``SOAK_OPS`` operations in all, ``SOAK_CLIENTS``
clients, ``SOAK_SEED`` for the random choices.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from collections import Counter
from typing import Any

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402

OPS = int(os.environ.get("SOAK_OPS", "150"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "3"))
SEED = int(os.environ.get("SOAK_SEED", "16"))
HX = {"HTTP_HX_REQUEST": "true"}
KINDS = ("add", "rename", "move", "delete", "undo")
WEIGHTS = (30, 25, 25, 12, 8)
VERSION = re.compile(r'id="draft-version"[^>]*>v(\d+)<')


def setup() -> tuple[Any, list[Any]]:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from designer.models import Membership
    from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

    users = [UserFactory(username=f"soak{i}") for i in range(CLIENTS)]
    draft = make_draft(users[0], name="Soak close")
    for user in users[1:]:
        Membership.objects.create(draft=draft, user=user, role=Membership.Role.EDITOR)
    root = root_of(draft)
    for g in range(3):
        draft.refresh_from_db()
        group = add_group(draft, root, f"Group {g}")
        for j in range(3):
            draft.refresh_from_db()
            add_job(draft, group, f"Job {g}.{j}")
    draft.refresh_from_db()
    return draft, users


def form_data(node: Any, **changes: str) -> QueryDict:
    """Return what the inspector's form posts for ``node`` as it was rendered, with ``changes`` typed in."""
    from designer.forms import _as_data
    from designer.views.workspace import node_form

    form = node_form(node)
    assert form is not None
    data = QueryDict(mutable=True)
    data[form.add_prefix("based")] = "1"
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        data.setlist(bound.html_initial_name, _as_data(field, value, hidden=True))
        data.setlist(bound.html_name, _as_data(field, value, hidden=False))
    for name, value in changes.items():
        data[form.add_prefix(name)] = value
    return data


class Editor:
    """One user's open editor: the draft as it last loaded it, and the version its answers said."""

    def __init__(self, index: int, user: Any, draft_pk: int) -> None:
        self.index, self.user, self.pk = index, user, draft_pk
        self.rng = random.Random(SEED * 1000 + index)
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.answers: list[dict[str, Any]] = []
        self.version = 0
        self.nodes: list[Any] = []

    def load(self) -> None:
        """What a (re)load or a catch-up shows: the draft's nodes and version now."""
        from designer.models import Draft, Node

        draft = Draft.objects.get(pk=self.pk)
        self.version = draft.version
        self.nodes = list(Node.objects.filter(draft=draft).select_related("parent"))
        for node in self.nodes:
            node.draft = draft

    def url(self, name: str, *args: Any) -> str:
        from django.urls import reverse

        return reverse(name, args=[self.pk, *args])

    def step(self, n: int) -> None:
        if n % self.rng.randint(3, 8) == 0 or not self.nodes:
            self.load()
        kind = self.rng.choices(KINDS, WEIGHTS)[0]
        groups = [node for node in self.nodes if node.is_group]
        jobs = [node for node in self.nodes if not node.is_group]
        items = [node for node in self.nodes if not node.is_root]
        detail: dict[str, Any] = {"kind": kind, "client": self.index, "based": self.version}
        if kind == "add":
            parent = self.rng.choice(groups)
            what = "group" if self.rng.random() < 0.15 else "sendTask"
            data = {"version": self.version, "parent": parent.key, "position": self.rng.randint(0, 6), "what": what}
            response = self.client.post(self.url("node-add"), data, **HX)
        elif kind == "rename" and jobs:
            job = self.rng.choice(jobs)
            title = f"c{self.index} n{n}"
            data = form_data(job, title=title)
            data.update({"version": str(self.version), "selected": str(job.key)})
            detail |= {"key": str(job.key), "title": title}
            response = self.client.post(self.url("node-edit", job.key), data.urlencode(), content_type=FORM, **HX)
        elif kind in ("move", "rename") and items:
            node = self.rng.choice(items)
            if self.rng.random() < 0.5:
                data = {"version": self.version, "direction": self.rng.choice(["up", "down", "indent", "outdent"])}
            else:
                target = self.rng.choice(groups)
                data = {"version": self.version, "parent": target.key, "position": self.rng.randint(0, 5)}
            detail |= {"kind": "move", "key": str(node.key)}
            response = self.client.post(self.url("node-move", node.key), data, **HX)
        elif kind == "delete" and items:
            # Mostly jobs: deleting whole groups would leave little to edit.
            node = self.rng.choice(jobs if jobs and self.rng.random() < 0.85 else items)
            detail["key"] = str(node.key)
            response = self.client.post(self.url("node-delete", node.key), {"version": self.version}, **HX)
        else:
            detail["kind"] = "undo"
            response = self.client.post(self.url("draft-undo"), {"version": self.version}, **HX)
        self.answer(response, detail)

    def answer(self, response: Any, detail: dict[str, Any]) -> None:
        body = response.content.decode()
        detail["status"] = response.status_code
        if response.status_code == 200:
            found = VERSION.search(body) or re.search(r'data-version="(\d+)"', body)
            detail["version"] = int(found.group(1)) if found else None
            if found:
                self.version = int(found.group(1))
        else:
            # Reported to the sender: the editor shows this text (409/422: the alert above the
            # outline; 404: the node is gone).
            alert = re.search(r'role="alert">([^<]+)<', body)
            detail["message"] = alert.group(1) if alert else ("No such node" if "No such node" in body else "")
            self.load()  # a refused write answers the current draft: the editor is up to date again
        self.answers.append(detail)

    def run(self, count: int, barrier: threading.Barrier, failures: list[str]) -> None:
        try:
            self.load()
            barrier.wait()
            for n in range(count):
                self.step(n)
        except BaseException as exc:  # noqa: BLE001 - reported in the JSON line
            failures.append(f"client {self.index}: {exc!r}")
        finally:
            connections.close_all()


FORM = "application/x-www-form-urlencoded"


def outline_rows(html: str) -> list[str]:
    """Return the keys of the outline's items in the order a fresh load shows them."""
    return re.findall(r'<li class="node[^"]*" id="node-[0-9a-f-]{36}" data-key="([0-9a-f-]{36})"', html)


def tree_order(draft: Any) -> tuple[list[str], list[str]]:
    """Return the draft's items depth first, in order, and what is wrong with the tree (positions, parents)."""
    from designer.models import Node

    nodes = list(Node.objects.filter(draft=draft))
    children: dict[int | None, list[Any]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    wrong = []
    for parent, kids in children.items():
        positions = sorted(k.position for k in kids)
        if positions != list(range(len(kids))):
            wrong.append(f"parent {parent}: positions {positions}")
    order: list[str] = []

    def walk(pk: int) -> None:
        for kid in sorted(children.get(pk, []), key=lambda k: (k.position, k.id)):
            order.append(str(kid.key))
            walk(kid.pk)

    (root,) = children[None]
    walk(root.pk)
    if len(order) != len(nodes) - 1:
        wrong.append(f"{len(nodes) - 1 - len(order)} nodes not reachable from the root")
    return order, wrong


def main() -> None:
    from designer.models import Draft, Operation

    draft, users = setup()
    start = draft.version
    connections.close_all()
    editors = [Editor(i, user, draft.pk) for i, user in enumerate(users)]
    barrier = threading.Barrier(CLIENTS)
    failures: list[str] = []
    share = [OPS // CLIENTS + (1 if i < OPS % CLIENTS else 0) for i in range(CLIENTS)]
    began = time.monotonic()
    threads = [threading.Thread(target=e.run, args=(share[e.index], barrier, failures)) for e in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began

    draft = Draft.objects.get(pk=draft.pk)
    answers = [a for e in editors for a in e.answers]
    operations = {
        op.version_after: op for op in Operation.objects.filter(draft=draft, version_after__gt=start).select_related()
    }
    findings: list[str] = list(failures)
    applied = [a for a in answers if a["status"] == 200]
    for a in answers:
        if a["status"] != 200 and (a["status"] not in (404, 409, 422) or not a.get("message")):
            findings.append(f"not reported: {a}")
        if a["status"] == 200 and a.get("version") is None:
            findings.append(f"applied without a version in the answer: {a}")
    # Every applied write is one operation in the log, at the version its answer gave, by its sender.
    versions = Counter(a.get("version") for a in applied)
    findings += [f"two answers gave version {v}" for v, n in versions.items() if n > 1]
    if set(versions) != set(operations):
        findings.append(f"answers vs log: {sorted(set(versions) ^ set(operations))[:20]}")
    if draft.version != start + len(applied):
        findings.append(f"draft at version {draft.version}, expected {start} + {len(applied)} applied")
    for a in applied:
        op = operations.get(a.get("version"))
        if op is None:
            continue
        if op.actor_id != editors[a["client"]].user.pk:
            findings.append(f"version {a['version']} logged for user {op.actor_id}, answered to client {a['client']}")
        expected = {"add": "add", "rename": "edit", "move": "move", "delete": "delete", "undo": "undo"}[a["kind"]]
        if op.kind != expected:
            findings.append(f"version {a['version']}: a {a['kind']} answered, {op.kind} logged")
        if a["kind"] == "rename":
            record = (op.after.get("nodes") or {}).get(a["key"]) or {}
            if (record.get("arguments") or {}).get("title") != a["title"]:
                findings.append(f"version {a['version']}: rename to {a['title']} not in the log: {record}")

    # The database is a well-formed tree, and a fresh load shows exactly it, in order.
    order, wrong = tree_order(draft)
    findings += wrong
    page = editors[0].client.get(f"/drafts/{draft.pk}/")
    if page.status_code != 200:
        findings.append(f"fresh load answered {page.status_code}")
    elif outline_rows(page.content.decode()) != order:
        findings.append("a fresh load's outline differs from the database's tree")
    # Each client catches up from where it was: a patch, the whole workspace, or "nothing new".
    for e in editors:
        caught = e.client.get(f"/drafts/{draft.pk}/live/changes/", {"since": e.version}, **HX)
        if caught.status_code not in (200, 204):
            findings.append(f"client {e.index}'s catch-up answered {caught.status_code}")
    print(
        json.dumps(
            {
                "findings": findings,
                "answers": dict(Counter(f"{a['kind']} {a['status']}" for a in answers)),
                "total": len(answers),
                "applied": len(applied),
                "merged": sum(1 for a in applied if a.get("version") and a["version"] - 1 > a["based"]),
                "nodes": len(order),
                "seconds": round(seconds, 2),
                "load": os.getloadavg(),
                "engine": connections["default"].vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
