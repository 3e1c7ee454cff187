"""A field declared only in ``schema`` reaches the editor's form, the payload both ways and the diff.

Each test adds a field to the registry (``monkeypatch``) and touches no other module: the field is
kept in the draft's unknown fields (``extra``), since it has no model attribute.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from designer.diff import diff_revisions, field_label
from designer.forms import DraftSettingsForm, GroupForm
from designer.models import Draft, Node
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_import, draft_update
from designer.services.nodes import node_update
from designer.services.revisions import revision_restore, revision_save_point
from processes_api import lint, schema
from processes_api.payload import PayloadError, build_payload, parse_payload
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db

NOTIFY = schema.Field("notifyOwner", "Notify the owner", "bool", "inferred", help="Mail the owner on each step.")
HOLD = schema.Field("holdUntil", "Hold until", "date", "inferred")


@pytest.fixture
def notify(monkeypatch):
    monkeypatch.setattr(schema, "PROCESS_FIELDS", (*schema.PROCESS_FIELDS, NOTIFY))


@pytest.fixture
def hold(monkeypatch):
    monkeypatch.setattr(schema, "GROUP_FIELDS", (*schema.GROUP_FIELDS, HOLD))


@pytest.fixture
def owner():
    user = UserFactory()
    user.save()
    return user


@pytest.fixture
def draft(owner):
    draft = make_draft(owner)
    group = add_group(draft, root_of(draft), "Prepare")
    add_job(draft, group, "Collect balances")
    draft.refresh_from_db()
    return draft


def test_every_registry_attribute_is_a_model_field():
    draft_fields = {f.name for f in Draft._meta.get_fields()}
    node_fields = {f.name for f in Node._meta.get_fields()}

    assert set(schema.model_attrs(schema.PROCESS_FIELDS)) <= draft_fields
    assert set(schema.model_attrs(schema.GROUP_FIELDS)) <= node_fields


def test_the_parallel_wording_is_the_registrys_in_the_group_form():
    group = Node(kind=Node.Kind.GROUP, parallel=True)

    field = GroupForm.for_node(group).fields["parallel"]

    assert (field.label, field.help_text) == (
        "All at the same time",
        "Off: the children run one after another, in order.",
    )
    assert [schema.parallel_mode(v) for v in (None, False, True)] == [
        "one after another",
        "one after another",
        "all at the same time",
    ]


def test_a_process_field_in_the_registry_is_in_the_settings_form_and_saved(notify, owner, draft):
    client = Client()
    client.force_login(owner)

    page = client.get(reverse("draft-editor", args=[draft.pk])).content.decode()
    response = client.post(
        reverse("draft-settings", args=[draft.pk]),
        {"version": draft.version, "settings-name": draft.name, "settings-notifyOwner": "on"},
        headers={"HX-Request": "true"},
    )

    assert 'name="settings-notifyOwner"' in page
    assert "Notify the owner" in page
    assert "Mail the owner on each step." in page
    assert response.status_code == 200
    assert Draft.objects.get(pk=draft.pk).extra == {"notifyOwner": True}


def test_a_process_field_in_the_registry_goes_out_and_comes_back_in_the_payload(notify, owner, draft):
    draft_update(draft=draft, version=draft.version, changes={"notifyOwner": True})

    data = build_payload(draft_tree(draft=draft)).data
    fields, _ = parse_payload(data)
    imported = draft_import(data=data, owner=owner)

    assert data["notifyOwner"] is True
    assert fields["extra"] == {"notifyOwner": True}
    assert DraftSettingsForm.for_draft(imported).initial["notifyOwner"] is True
    with pytest.raises(PayloadError, match="^notifyOwner: must be true or false, not a string$"):
        parse_payload(data | {"notifyOwner": "yes"})


def test_a_process_field_in_the_registry_shows_in_the_diff_as_its_kind_reads(notify, owner, draft):
    before = revision_save_point(draft=draft, actor=owner)
    draft_update(draft=draft, version=draft.version, changes={"notifyOwner": True})

    [change] = diff_revisions(before, draft).process

    assert (field_label(change.field), change.before_text, change.after_text) == ("Notify the owner", "—", "Yes")


def test_a_group_field_in_the_registry_is_edited_checked_exported_diffed_and_restored(hold, owner, draft):
    group = Node.objects.select_related("draft").get(draft=draft, name="Prepare")
    before = revision_save_point(draft=draft, actor=owner)
    posted = {"node-name": "Prepare", "node-trigger_type": "whenEligible", "node-holdUntil": "2026-01-31"}
    form = GroupForm.for_node(group, posted)
    assert form.is_valid(), form.errors

    node_update(node=group, version=draft.version, changes=form.changes())
    draft.refresh_from_db()
    data = build_payload(draft_tree(draft=draft)).data
    [change] = diff_revisions(before, draft).changed
    undo = revision_restore(draft=draft, actor=owner, version=draft.version, revision=before)
    restored = Node.objects.get(key=group.key)
    draft.refresh_from_db()
    revision_restore(draft=draft, actor=owner, version=draft.version, revision=undo)
    restored_again = Node.objects.get(key=group.key)

    assert form.fields["holdUntil"].label == "Hold until"
    assert form.changes() == {"holdUntil": "2026-01-31"}
    assert data["root"]["children"][0]["group"]["holdUntil"] == "2026-01-31"
    assert parse_payload(data)[1].children[0].fields["extra"] == {"node": {"holdUntil": "2026-01-31"}}
    assert [(field_label(f.field), f.after_text) for f in change.fields] == [("Hold until", "2026-01-31")]
    assert restored.extra == {}
    assert restored_again.extra == {"node": {"holdUntil": "2026-01-31"}}


def test_lint_reads_a_registry_field_by_its_kind(hold, owner):
    draft = make_draft(owner)
    group = add_group(draft, root_of(draft), "Prepare")
    group.extra = {"node": {"holdUntil": "soon"}}

    problems = lint.lint_node(group, child_count=1, process_due=None)

    assert [(p.code, p.field, p.message) for p in problems] == [
        ("date-malformed", "holdUntil", 'This group\'s hold until "soon" is not a date (use YYYY-MM-DD).')
    ]
