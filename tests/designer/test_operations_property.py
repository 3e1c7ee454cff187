"""Property: any sequence of edits (with undos and redos among them), then Undo until there is
nothing left to undo, gives back exactly the tree and settings the draft started with."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.errors import DraftError
from designer.models import Draft, Node
from designer.selectors.operations import undo_state
from designer.services.bulk import nodes_bulk_update
from designer.services.clipboard import nodes_copy, nodes_paste
from designer.services.drafts import draft_update
from designer.services.nodes import node_create, node_delete, node_duplicate, node_move, node_update
from designer.services.operations import operation_redo, operation_undo
from tests.designer.test_operations import state
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db

KINDS = ["add_job", "add_group", "edit", "move", "delete", "duplicate", "paste", "bulk", "settings", "undo", "redo"]
steps = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 50), st.integers(0, 50), st.integers(0, 5)), max_size=12
)


def start_draft(user: Any) -> Draft:
    draft = make_draft(user, name="Close")
    root = root_of(draft)
    prep = add_group(draft, root, "Prepare")
    add_job(draft, prep, "Reconcile cash", dueDate="2026-03-31")
    inner = add_group(draft, prep, "Inner")
    add_job(draft, inner, "Deep")
    add_job(draft, root, "Publish")
    draft.refresh_from_db()
    return draft


def run(draft: Draft, user: Any, kind: str, a: int, b: int, c: int) -> None:
    draft.refresh_from_db()
    nodes = list(Node.objects.filter(draft=draft).order_by("id"))
    for n in nodes:
        n.draft = draft
    groups = [n for n in nodes if n.is_group]
    jobs = [n for n in nodes if not n.is_group]
    pick = nodes[a % len(nodes)]
    group = groups[b % len(groups)]
    v = draft.version
    if kind == "add_job":
        node_create(
            draft=draft,
            version=v,
            parent_key=group.key,
            position=c,
            kind="job",
            job_type="sendTask",
            arguments={"title": f"J{a}"},
            actor=user,
        )
    elif kind == "add_group":
        node_create(draft=draft, version=v, after_key=pick.key, kind="group", name=f"G{a}", actor=user)
    elif kind == "edit":
        if pick.is_group:
            node_update(node=pick, version=v, changes={"name": f"N{b}", "parallel": bool(c % 2)}, actor=user)
        else:
            node_update(node=pick, version=v, changes={"arguments": {"title": f"T{b}", "dueDate": None}}, actor=user)
    elif kind == "move":
        node_move(node=pick, version=v, parent_key=group.key, position=c, actor=user)
    elif kind == "delete":
        node_delete(node=pick, version=v, actor=user)
    elif kind == "duplicate":
        node_duplicate(node=pick, version=v, actor=user)
    elif kind == "paste":
        fragment = nodes_copy(draft=draft, keys=[pick.key])
        nodes_paste(draft=draft, version=v, data=fragment, after_key=group.key, actor=user)
    elif kind == "bulk" and jobs:
        keys = [j.key for j in jobs[: c + 1]]
        nodes_bulk_update(
            draft=draft, version=v, keys=keys, changes={"assignee": f"userId{b}"}, shift_days=c - 2, actor=user
        )
    elif kind == "settings":
        draft_update(draft=draft, version=v, changes={"name": f"Close {a}"}, actor=user)
    elif kind == "undo":
        operation_undo(draft=draft, version=v, actor=user)
    elif kind == "redo":
        operation_redo(draft=draft, version=v, actor=user)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(sequence=steps)
def test_random_edits_then_undo_all_give_back_the_start(db, sequence):
    user = UserFactory()
    draft = start_draft(user)
    original = state(draft)
    for step in sequence:
        with contextlib.suppress(DraftError):  # refused (a move into itself, the root…): nothing was written
            run(draft, user, *step)
    while undo_state(draft, user).undo:
        draft.refresh_from_db()
        operation_undo(draft=draft, version=draft.version, actor=user)
    with pytest.raises(DraftError, match="nothing of yours to undo"):
        operation_undo(draft=draft, version=Draft.objects.get(pk=draft.pk).version, actor=user)
    assert state(draft) == original
