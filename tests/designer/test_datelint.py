"""Date lint (designer/datelint.py): each rule, its suggested fix, and the fix applied through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from designer.calendar import BusinessCalendar
from designer.datelint import calendar_problems, date_problems
from designer.models import ClosureDate, Node
from designer.selectors.trees import draft_tree
from designer.services.dates import date_fix_apply
from designer.services.drafts import draft_update
from designer.services.nodes import node_update
from tests.factories import add_group, add_job, make_draft, root_of

D = dt.date
TODAY = D(2026, 12, 1)
US = BusinessCalendar.build(business_days=None, holiday_code="US")


@pytest.fixture
def draft(user):
    draft = make_draft(user, "Q4 2026 close")
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})
    return draft


def problems(draft, calendar=US, today=TODAY):
    return date_problems(draft_tree(draft=draft), calendar, today)


def codes(found):
    return [(p.code, p.node_key, p.field, p.fix) for p in found]


def test_a_clean_draft_has_no_date_warnings(draft):
    add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-15")
    assert problems(draft) == []


def test_due_on_a_weekend_suggests_the_previous_business_day(draft):
    job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-16")  # Saturday
    [p] = problems(draft)
    assert (p.code, p.node_key, p.field, p.fix) == ("date-non-business-day", job.key, "dueDate", "2027-01-15")
    assert "Saturday" in p.message
    assert p.severity == "warning"


def test_due_on_a_holiday_suggests_the_previous_business_day(draft):
    job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-18")  # MLK day (Monday)
    assert codes(problems(draft)) == [("date-non-business-day", job.key, "dueDate", "2027-01-15")]
    assert problems(draft, calendar=BusinessCalendar.build(business_days=None)) == []


def test_approver_due_date_on_an_organization_closure(draft):
    cal = BusinessCalendar.build(business_days=None, closures={D(2027, 1, 20): "Offsite"})
    job = add_job(
        draft, root_of(draft), "Reconcile", dueDate="2027-01-19", approverUser="u2", approverDueDate="2027-01-20"
    )
    [p] = problems(draft, calendar=cal)
    assert (p.code, p.field, p.fix) == ("date-non-business-day", "approverDueDate", "2027-01-19")
    assert "Offsite" in p.message
    assert p.node_key == job.key


def test_process_due_date_on_a_weekend(draft):
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-30"})
    [p] = problems(draft)
    assert (p.code, p.node_key, p.field, p.fix) == ("date-non-business-day", None, "dueDate", "2027-01-29")


def test_due_in_the_past_suggests_the_next_business_day_from_today(draft):
    job = add_job(draft, root_of(draft), "Reconcile", dueDate="2026-11-20")
    saturday = D(2026, 12, 5)
    assert codes(problems(draft, today=saturday)) == [("date-in-past", job.key, "dueDate", "2026-12-07")]


def test_process_due_in_the_past(draft):
    assert codes(problems(draft, today=D(2027, 2, 6))) == [("date-in-past", None, "dueDate", "2027-02-08")]


def test_due_before_the_business_start_date(draft):
    draft_update(draft=draft, version=draft.version, changes={"business_start_date": "2027-01-04"})
    job = add_job(draft, root_of(draft), "Reconcile", dueDate="2026-12-30")
    assert codes(problems(draft)) == [("date-before-start", job.key, "dueDate", "2027-01-04")]


def test_sequential_step_due_before_the_step_before_it(draft):
    root = root_of(draft)
    add_job(draft, root, "Prepare", dueDate="2027-01-12")
    second = add_job(draft, root, "Review", dueDate="2027-01-11")
    assert codes(problems(draft)) == [("step-before-previous", second.key, "dueDate", "2027-01-12")]


def test_parallel_groups_have_no_order(draft):
    group = add_group(draft, root_of(draft), "At once")
    node_update(node=group, version=draft.version, changes={"parallel": True})
    draft.refresh_from_db()
    add_job(draft, group, "Prepare", dueDate="2027-01-12")
    add_job(draft, group, "Review", dueDate="2027-01-11")
    assert problems(draft) == []


def test_a_groups_jobs_due_after_the_next_sequential_step(draft):
    root = root_of(draft)
    group = add_group(draft, root, "Collect")
    early = add_job(draft, group, "Trial balance", dueDate="2027-01-08")
    late = add_job(draft, group, "Accruals", dueDate="2027-01-14")
    add_job(draft, root, "Sign off", dueDate="2027-01-12")
    found = problems(draft)
    assert codes(found) == [("group-after-next-step", late.key, "dueDate", "2027-01-12")]
    assert early.key not in {p.node_key for p in found}
    assert "Sign off" in found[0].message


def test_a_group_step_due_before_the_job_before_it(draft):
    root = root_of(draft)
    add_job(draft, root, "Prepare", dueDate="2027-01-12")
    group = add_group(draft, root, "Review")
    job = add_job(draft, group, "First review", dueDate="2027-01-08")  # Friday
    assert codes(problems(draft)) == [("step-before-previous", job.key, "dueDate", "2027-01-12")]


def test_the_editor_source_reads_organization_closures_and_the_holiday_calendar(draft):
    draft.holiday_calendar = "US"
    draft.save()
    ClosureDate.objects.create(date=D(2027, 1, 21), name="Offsite")
    add_job(draft, root_of(draft), "A", dueDate="2030-01-21")  # MLK day 2030
    add_job(draft, root_of(draft), "B", dueDate="2027-01-21")  # closure; A is first, it is due later
    found = calendar_problems(draft, draft_tree(draft=draft))
    assert {p.code for p in found} >= {"date-non-business-day"}
    assert any("Offsite" in p.message for p in found)
    assert any("Martin Luther King" in p.message for p in found)


class TestFix:
    def test_the_fix_moves_the_date_and_the_warning_goes(self, draft):
        job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-16")
        [p] = problems(draft)
        date_fix_apply(draft=draft, version=draft.version, node_key=p.node_key, field=p.field, value=p.fix)
        job.refresh_from_db()
        assert job.arguments["dueDate"] == "2027-01-15"
        assert job.arguments["title"] == "Reconcile"
        assert job.arguments["assigneeUser"] == "userId1"
        assert problems(draft) == []

    def test_a_process_date_fix(self, draft):
        draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-30"})
        date_fix_apply(draft=draft, version=draft.version, node_key=None, field="dueDate", value="2027-01-29")
        draft.refresh_from_db()
        assert draft.due_date == "2027-01-29"

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [("dueDate", "2027-02-30", "is not a date"), ("title", "2027-01-15", "is not a date of this item")],
    )
    def test_bad_fixes_are_refused_and_nothing_changes(self, draft, field, value, message):
        from designer.errors import TreeError

        job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-16")
        version = draft.version
        with pytest.raises(TreeError, match=message):
            date_fix_apply(draft=draft, version=version, node_key=job.key, field=field, value=value)
        job.refresh_from_db()
        draft.refresh_from_db()
        assert job.arguments["dueDate"] == "2027-01-16"
        assert draft.version == version


class TestFixView:
    def test_the_problems_list_offers_the_fix_and_one_post_applies_it(self, client, draft):
        client.force_login(draft.owner)
        job = add_job(draft, root_of(draft), "Reconcile <b>", dueDate="2027-01-16")
        draft.refresh_from_db()
        page = client.get(reverse("draft-editor", args=[draft.pk])).content.decode()
        assert "Use 2027-01-15" in page
        assert "Reconcile &lt;b&gt;" in page
        assert "Reconcile <b>" not in page
        response = client.post(
            reverse("date-fix", args=[draft.pk]),
            {"version": draft.version, "node": job.key, "field": "dueDate", "value": "2027-01-15"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert "Use 2027-01-15" not in response.content.decode()
        job.refresh_from_db()
        assert job.arguments["dueDate"] == "2027-01-15"

    def test_a_viewer_cannot_apply_a_fix(self, client, draft):
        from designer.models import Membership
        from tests.factories import UserFactory

        viewer = UserFactory()
        Membership.objects.create(draft=draft, user=viewer, role="viewer")
        job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-16")
        client.force_login(viewer)
        response = client.post(
            reverse("date-fix", args=[draft.pk]),
            {"version": draft.version + 1, "node": job.key, "field": "dueDate", "value": "2027-01-15"},
        )
        assert response.status_code == 403
        assert Node.objects.get(pk=job.pk).arguments["dueDate"] == "2027-01-16"

    def test_a_fix_of_a_date_changed_since_is_refused(self, client, draft):
        # A stale version alone merges (issue 16); the same date changed by someone since conflicts.
        job = add_job(draft, root_of(draft), "Reconcile", dueDate="2027-01-16")
        draft.refresh_from_db()
        stale = draft.version
        node_update(node=job, version=stale, changes={"arguments": {"title": "Reconcile", "dueDate": "2027-01-20"}})
        client.force_login(draft.owner)
        response = client.post(
            reverse("date-fix", args=[draft.pk]),
            {"version": stale, "node": job.key, "field": "dueDate", "value": "2027-01-15"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 409
        assert Node.objects.get(pk=job.pk).arguments["dueDate"] == "2027-01-20"


def test_an_administrator_keeps_the_closure_dates_in_the_admin(client, db):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:designer_closuredate_changelist")).status_code == 200
    response = client.post(
        reverse("admin:designer_closuredate_add"), {"date": "2027-01-21", "name": "Company offsite <b>"}
    )
    assert response.status_code == 302
    assert ClosureDate.objects.get().name == "Company offsite <b>"
    page = client.get(reverse("admin:designer_closuredate_changelist")).content.decode()
    assert "Company offsite &lt;b&gt;" in page


def test_a_move_asks_for_every_rows_badges_when_jobs_have_dates(client, draft):
    # Moving "Review" above "Prepare" clears the order warning on a row the move did not place
    # (and would put one on another): the editor must refresh every row's badges, not only the moved one's.
    root = root_of(draft)
    add_job(draft, root, "Prepare", dueDate="2027-01-12")
    review = add_job(draft, root, "Review", dueDate="2027-01-11")
    draft.refresh_from_db()
    client.force_login(draft.owner)

    response = client.post(
        reverse("node-move", args=[draft.pk, review.key]),
        {"version": draft.version, "direction": "up"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert 'data-badges="all"' in response.content.decode()


def test_a_move_in_a_draft_without_dates_asks_only_for_its_own_rows(client, draft):
    root = root_of(draft)
    add_job(draft, root, "Prepare")
    review = add_job(draft, root, "Review")
    draft.refresh_from_db()
    client.force_login(draft.owner)

    response = client.post(
        reverse("node-move", args=[draft.pk, review.key]),
        {"version": draft.version, "direction": "up"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert 'data-badges="all"' not in response.content.decode()
