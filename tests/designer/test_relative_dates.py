"""Relative dates: a job date kept as a rule, the payload's absolute date, recompute in one service call."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designer.errors import TreeError
from designer.models import Draft, Membership, Node
from designer.selectors.trees import draft_tree
from designer.services.dates import draft_calendar_update, node_date_rule_set
from designer.services.drafts import draft_duplicate, draft_update
from designer.services.nodes import node_delete, node_restore, node_update
from processes_api.payload import build_payload
from tests.factories import UserFactory, add_job, make_draft, root_of


@pytest.fixture
def draft(user):
    draft = make_draft(user, "Q4 2026 close")
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})  # a Friday
    return draft


def ruled(draft, days, title="Reconcile", field="dueDate"):
    job = add_job(draft, root_of(draft), title, dueDate="2027-01-01")
    node_date_rule_set(node=job, version=draft.version, field=field, days=days)
    draft.refresh_from_db()
    job.refresh_from_db()
    job.draft = draft
    return job


def test_a_rule_sets_the_date_and_is_kept_on_the_node(draft):
    job = ruled(draft, -3)
    assert job.date_rules == {"dueDate": {"days": -3}}
    assert job.arguments["dueDate"] == "2027-01-26"


def test_the_payload_carries_the_absolute_date_and_nothing_of_the_rule(draft):
    ruled(draft, -3)
    text = build_payload(draft_tree(draft=draft)).to_json()
    assert '"dueDate": "2027-01-26"' in text
    assert "days" not in text
    assert "rule" not in text


def test_changing_the_process_due_date_recomputes_every_rule_in_one_call(draft):
    a = ruled(draft, -3, "A")
    b = ruled(draft, -1, "B")
    c = add_job(draft, root_of(draft), "Fixed", dueDate="2027-01-20")
    version = draft.version
    draft_update(draft=draft, version=version, changes={"due_date": "2027-04-30"})
    assert draft.version == version + 1  # one edit: one version, one undo step
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.arguments["dueDate"] == "2027-04-27"
    assert b.arguments["dueDate"] == "2027-04-29"
    assert c.arguments["dueDate"] == "2027-01-20"


def test_recompute_is_one_bulk_update_not_a_query_per_job(draft):
    root = root_of(draft)
    Node.objects.bulk_create(
        [
            Node(
                draft=draft,
                parent=root,
                position=10 + i,
                kind="job",
                job_type="sendTask",
                arguments={"title": f"T{i}", "assigneeUser": "u", "dueDate": "2027-01-01"},
                date_rules={"dueDate": {"days": -(i % 10)}},
            )
            for i in range(300)
        ]
    )
    draft.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-04-30"})
    assert len(ctx.captured_queries) < 25
    assert Node.objects.get(draft=draft, arguments__title="T3").arguments["dueDate"] == "2027-04-27"


def test_holidays_move_rule_dates(draft):
    job = ruled(draft, 2)  # 2 business days after Fri 1/29 → Tue 2/2
    assert job.arguments["dueDate"] == "2027-02-02"
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-02-12"})
    draft_calendar_update(draft=draft, version=draft.version, holiday_calendar="US")  # Mon 2/15 Presidents' Day
    job.refresh_from_db()
    assert job.arguments["dueDate"] == "2027-02-17"


def test_typing_a_date_over_a_rule_drops_the_rule(draft):
    job = ruled(draft, -3)
    args = dict(job.arguments) | {"dueDate": "2027-01-20"}
    node_update(node=job, version=draft.version, changes={"arguments": args})
    job.refresh_from_db()
    draft.refresh_from_db()
    assert job.date_rules == {}
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-04-30"})
    job.refresh_from_db()
    assert job.arguments["dueDate"] == "2027-01-20"


def test_editing_another_field_keeps_the_rule(draft):
    job = ruled(draft, -3)
    node_update(node=job, version=draft.version, changes={"arguments": dict(job.arguments) | {"title": "New"}})
    job.refresh_from_db()
    draft.refresh_from_db()
    assert job.date_rules == {"dueDate": {"days": -3}}


def test_clearing_a_rule_keeps_the_date(draft):
    job = ruled(draft, -3)
    node_date_rule_set(node=job, version=draft.version, field="dueDate", days=None)
    job.refresh_from_db()
    assert job.date_rules == {}
    assert job.arguments["dueDate"] == "2027-01-26"


def test_rules_survive_duplicate_delete_and_undo(draft):
    job = ruled(draft, -3)
    copy = draft_duplicate(draft=draft, owner=draft.owner)
    assert Node.objects.get(draft=copy, arguments__title="Reconcile").date_rules == {"dueDate": {"days": -3}}
    snapshot = node_delete(node=job, version=draft.version)
    node_restore(draft=draft, version=draft.version, snapshot=snapshot)
    assert Node.objects.get(key=job.key).date_rules == {"dueDate": {"days": -3}}


@pytest.mark.parametrize(
    ("setup", "field", "days", "message"),
    [
        ({}, "title", 3, "is not a date of this item"),
        ({}, "dueDate", 400, "at most 366"),
        ({"due_date": None}, "dueDate", 3, "Set the process due date first"),
        ({"business_days": []}, "dueDate", 3, "no business days"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_written(draft, setup, field, days, message):
    job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-01")
    if setup:
        draft_update(draft=draft, version=draft.version, changes=setup)
    version = draft.version
    with pytest.raises(TreeError, match=message):
        node_date_rule_set(node=job, version=version, field=field, days=days)
    job.refresh_from_db()
    assert job.date_rules == {}
    assert job.arguments["dueDate"] == "2027-01-01"
    assert Draft.objects.get(pk=draft.pk).version == version


def test_unknown_holiday_calendar_is_refused(draft):
    with pytest.raises(TreeError, match='"MARS"'):
        draft_calendar_update(draft=draft, version=draft.version, holiday_calendar="MARS")
    assert Draft.objects.get(pk=draft.pk).holiday_calendar == ""


class TestViews:
    def test_the_inspector_shows_the_rule_and_the_form_sets_it(self, client, draft):
        client.force_login(draft.owner)
        job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-01")
        draft.refresh_from_db()
        response = client.post(
            reverse("date-rule", args=[draft.pk, job.key]),
            {"version": draft.version, "field": "dueDate", "days": "5", "direction": "before"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "follows a rule: 5 business days before the process due date" in page
        job.refresh_from_db()
        assert job.arguments["dueDate"] == "2027-01-22"

    @pytest.mark.parametrize("days", ["", "-1", "1.5", "x"])
    def test_bad_counts_are_refused_with_a_message(self, client, draft, days):
        client.force_login(draft.owner)
        job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-01")
        draft.refresh_from_db()
        response = client.post(
            reverse("date-rule", args=[draft.pk, job.key]),
            {"version": draft.version, "field": "dueDate", "days": days, "direction": "before"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert "Enter a whole number of business days" in response.content.decode()
        assert Node.objects.get(pk=job.pk).date_rules == {}

    def test_viewers_cannot_set_rules_or_the_calendar(self, client, draft):
        viewer = UserFactory()
        Membership.objects.create(draft=draft, user=viewer, role="viewer")
        job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-01")
        client.force_login(viewer)
        data = {"version": draft.version + 1, "field": "dueDate", "days": "5", "direction": "before"}
        assert client.post(reverse("date-rule", args=[draft.pk, job.key]), data).status_code == 403
        data = {"version": draft.version + 1, "holiday_calendar": "US"}
        assert client.post(reverse("draft-calendar", args=[draft.pk]), data).status_code == 403

    def test_calendar_view_saves_the_holiday_calendar(self, client, draft):
        client.force_login(draft.owner)
        response = client.post(
            reverse("draft-calendar", args=[draft.pk]),
            {"version": draft.version, "holiday_calendar": "NYSE"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert Draft.objects.get(pk=draft.pk).holiday_calendar == "NYSE"
        assert '<option value="NYSE" selected>' in response.content.decode()

    def test_a_new_draft_starts_monday_to_friday_and_the_form_says_what_none_means(self, client, user):
        draft = make_draft(user, "New")
        assert list(draft.business_days) == ["monday", "tuesday", "wednesday", "thursday", "friday"]
        client.force_login(user)
        page = client.get(reverse("draft-editor", args=[draft.pk])).content.decode()
        assert "A new draft starts Monday–Friday" in page
        assert "with no day checked the process has no business day" in page


def test_restoring_a_revision_brings_back_its_rules_and_holiday_calendar(draft, user):
    from designer.services.revisions import revision_restore, revision_save_point

    draft_calendar_update(draft=draft, version=draft.version, holiday_calendar="US")
    draft.refresh_from_db()
    job = ruled(draft, -3)
    saved = revision_save_point(draft=draft, actor=user)
    # Then the rule is dropped (its date kept as a fixed date) and the calendar changed.
    node_date_rule_set(node=job, version=draft.version, field="dueDate", days=None)
    draft.refresh_from_db()
    draft_calendar_update(draft=draft, version=draft.version, holiday_calendar="")
    draft.refresh_from_db()
    assert Node.objects.get(key=job.key).date_rules == {}

    revision_restore(draft=draft, actor=user, version=draft.version, revision=saved)

    draft.refresh_from_db()
    assert Node.objects.get(key=job.key).date_rules == {"dueDate": {"days": -3}}
    assert draft.holiday_calendar == "US"
    # and the rule works again: a new process due date moves the job's date
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-02-26"})
    assert Node.objects.get(key=job.key).arguments["dueDate"] == "2027-02-23"
