"""Merge instead of refuse: an edit based on an older version lands unless it touches what changed since."""

from __future__ import annotations

import pytest

from designer.errors import DraftConflict, EditConflict, TreeError
from designer.models import Draft, Node
from designer.services.drafts import draft_update
from designer.services.nodes import node_create, node_delete, node_move, node_move_by_direction, node_update
from designer.services.revisions import revision_restore, revision_save_point
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of


@pytest.fixture
def world(db):
    """ "Close" holds Cash, Bank and Payroll; "Sign-off" holds Approve. ``base``: the version both users opened."""
    ann = UserFactory(username="ann", first_name="Ann", last_name="Archer")
    ben = UserFactory(username="ben")
    draft = make_draft(ann)
    root = root_of(draft)
    close = add_group(draft, root, "Close")
    jobs = {}
    for title in ("Cash", "Bank", "Payroll"):
        draft.refresh_from_db()
        jobs[title] = add_job(draft, close, title, dueDate="2026-12-20")
    draft.refresh_from_db()
    signoff = add_group(draft, root, "Sign-off")
    draft.refresh_from_db()
    jobs["Approve"] = add_job(draft, signoff, "Approve")
    draft.refresh_from_db()
    return {
        "ann": ann,
        "ben": ben,
        "draft": draft,
        "close": close,
        "signoff": signoff,
        "jobs": jobs,
        "base": draft.version,
    }


def fresh(node):
    node = Node.objects.get(pk=node.pk)
    node.draft = Draft.objects.get(pk=node.draft_id)
    return node


def titles(group):
    return [n.arguments["title"] for n in Node.objects.filter(parent=group).order_by("position", "id")]


def args(node, **changes):
    """Return what the inspector posts: every field as the job has it now, with ``changes`` on top."""
    return {"arguments": {**fresh(node).arguments, **changes}}


def test_edits_of_different_jobs_in_one_group_both_land(world):
    cash, bank, base = world["jobs"]["Cash"], world["jobs"]["Bank"], world["base"]

    node_update(node=fresh(cash), version=base, changes=args(cash, title="Cash (Ann)"), actor=world["ann"])
    node_update(node=fresh(bank), version=base, changes=args(bank, title="Bank (Ben)"), actor=world["ben"])

    assert titles(world["close"]) == ["Cash (Ann)", "Bank (Ben)", "Payroll"]
    assert Draft.objects.get(pk=world["draft"].pk).version == base + 2


def test_different_fields_of_one_job_merge(world):
    cash, base = world["jobs"]["Cash"], world["base"]

    node_update(node=fresh(cash), version=base, changes=args(cash, title="Cash and equivalents"), actor=world["ann"])
    node_update(node=fresh(cash), version=base, changes=args(cash, dueDate="2026-12-24"), actor=world["ben"])

    cash = fresh(cash)
    assert (cash.arguments["title"], cash.arguments["dueDate"]) == ("Cash and equivalents", "2026-12-24")


def test_the_same_field_of_one_job_is_a_conflict_naming_who_and_their_value(world):
    cash, base = world["jobs"]["Cash"], world["base"]
    node_update(node=fresh(cash), version=base, changes=args(cash, title="Cash (Ann)"), actor=world["ann"])

    with pytest.raises(EditConflict) as refused:
        node_update(node=fresh(cash), version=base, changes=args(cash, title="Cash (Ben)"), actor=world["ben"])

    assert str(refused.value).startswith(
        "This draft changed since you opened it — here is the current version. Ann Archer changed “Title” of “Cash (Ann)” while you were editing it (it is now “Cash (Ann)”). "
        "Your value was not saved and is kept in the form below"
    )
    assert fresh(cash).arguments["title"] == "Cash (Ann)"
    assert Draft.objects.get(pk=world["draft"].pk).version == base + 1  # nothing written, no version spent


def test_a_conflict_is_a_draft_conflict_so_the_editor_answers_409(world):
    cash, base = world["jobs"]["Cash"], world["base"]
    node_update(node=fresh(cash), version=base, changes=args(cash, title="One"), actor=world["ann"])

    with pytest.raises(DraftConflict):
        node_update(node=fresh(cash), version=base, changes=args(cash, title="Two"), actor=world["ben"])


def test_concurrent_moves_into_one_group_keep_both_in_a_deterministic_order(world):
    close, signoff, base = world["close"], world["signoff"], world["base"]
    cash, approve = world["jobs"]["Cash"], world["jobs"]["Approve"]

    node_move(node=fresh(approve), version=base, parent_key=close.key, position=0, actor=world["ann"])
    node_move(node=fresh(cash), version=base, parent_key=signoff.key, position=0, actor=world["ben"])
    added = node_create(
        draft=Draft.objects.get(pk=world["draft"].pk),
        version=base,
        parent_key=close.key,
        position=0,
        kind="job",
        job_type="sendTask",
        arguments={"title": "Accruals"},
        actor=world["ben"],
    )

    assert titles(close) == ["Accruals", "Approve", "Bank", "Payroll"]
    assert titles(signoff) == ["Cash"]
    assert added.parent_id == close.pk


def test_two_moves_of_the_same_job_are_a_conflict(world):
    cash, signoff, base = world["jobs"]["Cash"], world["signoff"], world["base"]
    node_move(node=fresh(cash), version=base, parent_key=signoff.key, position=0, actor=world["ann"])

    with pytest.raises(EditConflict, match="Ann Archer moved “Cash” while you were working on it"):
        node_move_by_direction(node=fresh(cash), version=base, direction="down", actor=world["ben"])

    assert titles(signoff) == ["Cash", "Approve"]


def test_a_rename_and_a_move_of_one_job_merge(world):
    cash, signoff, base = world["jobs"]["Cash"], world["signoff"], world["base"]

    node_move(node=fresh(cash), version=base, parent_key=signoff.key, position=1, actor=world["ann"])
    node_update(node=fresh(cash), version=base, changes=args(cash, title="Cash (renamed)"), actor=world["ben"])

    assert titles(signoff) == ["Approve", "Cash (renamed)"]


def test_a_move_into_a_group_deleted_since_is_refused_and_nothing_moves(world):
    cash, signoff, base = world["jobs"]["Cash"], world["signoff"], world["base"]
    node_delete(node=fresh(signoff), version=base, actor=world["ann"])

    with pytest.raises(TreeError, match="There is no node"):
        node_move(node=fresh(cash), version=base, parent_key=signoff.key, position=0, actor=world["ben"])

    assert titles(world["close"]) == ["Cash", "Bank", "Payroll"]


def test_deleting_an_item_someone_changed_since_is_a_conflict_and_deletes_nothing(world):
    bank, close, base = world["jobs"]["Bank"], world["close"], world["base"]
    node_update(node=fresh(bank), version=base, changes=args(bank, title="Bank (Ann)"), actor=world["ann"])

    with pytest.raises(EditConflict, match="Ann Archer changed “Bank \\(Ann\\)” while you were deleting it"):
        node_delete(node=fresh(close), version=base, actor=world["ben"])

    assert titles(close) == ["Cash", "Bank (Ann)", "Payroll"]


def test_deleting_an_item_nobody_touched_since_merges(world):
    cash, signoff, base = world["jobs"]["Cash"], world["signoff"], world["base"]
    node_update(node=fresh(cash), version=base, changes=args(cash, title="Cash (Ann)"), actor=world["ann"])

    node_delete(node=fresh(signoff), version=base, actor=world["ben"])

    assert not Node.objects.filter(pk=signoff.pk).exists()
    assert fresh(cash).arguments["title"] == "Cash (Ann)"


def test_the_same_process_setting_is_a_conflict_and_different_ones_merge(world):
    draft, base = world["draft"], world["base"]
    draft_update(draft=Draft.objects.get(pk=draft.pk), version=base, changes={"name": "Q4 close"}, actor=world["ann"])

    draft_update(
        draft=Draft.objects.get(pk=draft.pk), version=base, changes={"due_date": "2026-12-31"}, actor=world["ben"]
    )
    with pytest.raises(EditConflict, match="Ann Archer changed the process setting"):
        draft_update(
            draft=Draft.objects.get(pk=draft.pk), version=base, changes={"name": "Year end"}, actor=world["ben"]
        )

    draft = Draft.objects.get(pk=draft.pk)
    assert (draft.name, str(draft.due_date)) == ("Q4 close", "2026-12-31")


def test_a_revision_restore_on_an_older_version_is_refused(world):
    draft, cash, base = world["draft"], world["jobs"]["Cash"], world["base"]
    revision = revision_save_point(draft=Draft.objects.get(pk=draft.pk), actor=world["ann"], note="before")
    node_update(node=fresh(cash), version=base, changes=args(cash, title="Changed"), actor=world["ann"])

    with pytest.raises(DraftConflict):
        revision_restore(draft=Draft.objects.get(pk=draft.pk), revision=revision, version=base, actor=world["ben"])
