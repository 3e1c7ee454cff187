"""Roll forward to the next period: the issue's date rule for every job, rules kept, names advanced."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from designer.calendar import BusinessCalendar, roll_date
from designer.models import Draft, Node
from designer.services.dates import node_date_rule_set
from designer.services.drafts import draft_update
from designer.services.periods import advance_token, draft_roll_forward, roll_plan
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

D = dt.date
US = BusinessCalendar.build(business_days=None, holiday_code="US")


@pytest.fixture
def close(user):
    """A Q4 2026 close due Fri 2027-01-29 on the US calendar, with jobs before and after D and a rule."""
    draft = make_draft(user, "Q4 2026 close")
    draft_update(
        draft=draft, version=draft.version, changes={"due_date": "2027-01-29", "business_start_date": "2027-01-04"}
    )
    draft.holiday_calendar = "US"
    draft.save()
    root = root_of(draft)
    group = add_group(draft, root, "December 2026 reconciliations")
    add_job(draft, group, "Bank rec Q4 2026", dueDate="2027-01-08", approverUser="u2", approverDueDate="2027-01-11")
    add_job(draft, group, "Accruals FY2026", dueDate="2027-01-15")
    add_job(draft, root, "Post-close review", dueDate="2027-02-02")  # after D
    rule = add_job(draft, root, "Sign off", dueDate="2027-01-01")
    draft.refresh_from_db()
    node_date_rule_set(node=rule, version=draft.version, field="dueDate", days=-1)
    draft.refresh_from_db()
    return draft


def jobs(draft):
    return {n.arguments["title"]: n for n in Node.objects.filter(draft=draft, kind="job")}


def test_a_quarter_close_rolls_forward_by_business_days(close):
    old_jobs = jobs(close)
    new = draft_roll_forward(draft=close, owner=close.owner, new_due=D(2027, 4, 30))
    assert new.pk != close.pk
    assert new.due_date == "2027-04-30"
    assert new.holiday_calendar == "US"
    new_jobs = jobs(new)
    assert set(new_jobs) == {"Bank rec Q1 2027", "Accruals FY2027", "Post-close review", "Sign off"}
    pairs = {"Bank rec Q4 2026": "Bank rec Q1 2027", "Accruals FY2026": "Accruals FY2027"}
    for old_title, old in old_jobs.items():
        job = new_jobs[pairs.get(old_title, old_title)]
        for field in ("dueDate", "approverDueDate"):
            if field not in old.arguments:
                continue
            new_day = D.fromisoformat(job.arguments[field])
            assert US.is_business_day(new_day)
            if not old.date_rules:
                expected = roll_date(US, D.fromisoformat(old.arguments[field]), D(2027, 1, 29), D(2027, 4, 30))
                assert new_day == expected
    # k = 14 business days in (Fri 1/8, Fri 1/29] (MLK day 1/18 is not one) → 14 before Fri 4/30.
    assert new_jobs["Bank rec Q1 2027"].arguments["dueDate"] == "2027-04-12"
    assert new_jobs["Post-close review"].arguments["dueDate"] == "2027-05-04"  # 2 business days after
    assert new_jobs["Sign off"].date_rules == {"dueDate": {"days": -1}}
    assert new_jobs["Sign off"].arguments["dueDate"] == "2027-04-29"
    assert new.business_start_date == "2027-04-06"  # k = 18 from Mon 1/4
    assert Node.objects.get(draft=new, kind="group", parent__isnull=False).name == "March 2027 reconciliations"
    assert new.name == "Q1 2027 close"


def test_the_original_is_untouched(close):
    before = {k: dict(v.arguments) for k, v in jobs(close).items()}
    version = close.version
    draft_roll_forward(draft=close, owner=close.owner, new_due=D(2027, 4, 30))
    close.refresh_from_db()
    assert close.version == version
    assert close.due_date == "2027-01-29"
    assert close.name == "Q4 2026 close"
    assert {k: dict(v.arguments) for k, v in jobs(close).items()} == before


def test_the_preview_lists_every_date_and_name_change_before_anything_is_created(close):
    count = Draft.objects.count()
    plan = roll_plan(close, D(2027, 4, 30))
    assert Draft.objects.count() == count
    assert plan.replacements == {
        "Q4 2026": "Q1 2027",
        "December 2026": "March 2027",
        "FY2026": "FY2027",
    }
    fields = [(c.where, c.field, c.old, c.new, c.by_rule) for c in plan.dates]
    assert ("The process", "dueDate", "2027-01-29", "2027-04-30", False) in fields
    assert ("Sign off", "dueDate", "2027-01-28", "2027-04-29", True) in fields
    assert len(fields) == 1 + 1 + 5  # due, start, and five job dates


def test_no_rename_keeps_names(close):
    new = draft_roll_forward(draft=close, owner=close.owner, new_due=D(2027, 4, 30), replacements={})
    assert "Bank rec Q4 2026" in jobs(new)
    assert new.name == "Q4 2026 close (next period)"


def test_edited_replacements_are_used(close):
    new = draft_roll_forward(
        draft=close, owner=close.owner, new_due=D(2027, 4, 30), replacements={"Q4 2026": "Q1 FY27"}
    )
    assert new.name == "Q1 FY27 close"
    assert "Accruals FY2026" in jobs(new)


def test_d_prime_on_a_weekend(close):
    new = draft_roll_forward(draft=close, owner=close.owner, new_due=D(2027, 5, 1))  # Saturday
    assert jobs(new)["Post-close review"].arguments["dueDate"] == "2027-05-04"
    assert jobs(new)["Bank rec Q1 2027"].arguments["dueDate"] == "2027-04-12"


@pytest.mark.parametrize(
    ("token", "months", "expected"),
    [
        ("Q4 2026", 3, "Q1 2027"),
        ("Q1-2027", 12, "Q1-2028"),
        ("December 2026", 3, "March 2027"),
        ("Dec 2026", 1, "Jan 2027"),
        ("FY26", 12, "FY27"),
        ("FY 2026", 12, "FY 2027"),
    ],
)
def test_period_tokens_advance(token, months, expected):
    assert advance_token(token, months) == expected


class TestCommand:
    def test_prints_the_new_draft_id(self, close):
        out = StringIO()
        call_command("roll_forward", str(close.pk), "--due", "2027-04-30", stdout=out)
        new = Draft.objects.get(pk=int(out.getvalue()))
        assert new.name == "Q1 2027 close"
        assert new.owner == close.owner

    def test_no_rename_and_owner(self, close):
        other = UserFactory(username="olga")
        out = StringIO()
        call_command("roll_forward", str(close.pk), "--due", "2027-04-30", "--owner", "olga", "--no-rename", stdout=out)
        new = Draft.objects.get(pk=int(out.getvalue()))
        assert new.owner == other
        assert new.name == "Q4 2026 close (next period)"

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["999999", "--due", "2027-04-30"], "there is no draft 999999"),
            (["{pk}", "--due", "2027-02-30"], '"2027-02-30" is not a date'),
            (["{pk}", "--due", "2027-04-30", "--owner", "nobody"], "there is no active user nobody"),
        ],
    )
    def test_bad_input_exits_2_with_one_line(self, close, argv, message):
        count = Draft.objects.count()
        argv = [a.format(pk=close.pk) for a in argv]
        with pytest.raises(CommandError, match=message) as exc:
            call_command("roll_forward", *argv)
        assert exc.value.returncode == 2
        assert Draft.objects.count() == count

    def test_a_draft_without_a_due_date_is_refused(self, user):
        draft = make_draft(user, "No date")
        with pytest.raises(CommandError, match="no valid process due date") as exc:
            call_command("roll_forward", str(draft.pk), "--due", "2027-04-30")
        assert exc.value.returncode == 2


class TestPage:
    def test_preview_then_create(self, client, close):
        client.force_login(close.owner)
        url = reverse("draft-roll-forward", args=[close.pk])
        page = client.get(url, {"due": "2027-04-30"}).content.decode()
        assert "Q1 2027" in page
        assert "2027-04-12" in page
        assert "(by its rule)" in page
        count = Draft.objects.count()
        response = client.post(url, {"due": "2027-04-30", "create": "1", "to-0": "Q1 2027 <b>"})
        assert response.status_code == 302
        assert Draft.objects.count() == count + 1
        new = Draft.objects.order_by("-pk").first()
        assert new.name == "Q1 2027 <b> close"
        page = client.get(response["Location"]).content.decode()
        assert "Q1 2027 &lt;b&gt; close" in page
        assert "Q1 2027 <b>" not in page

    def test_a_bad_date_says_so_and_creates_nothing(self, client, close):
        client.force_login(close.owner)
        count = Draft.objects.count()
        response = client.post(reverse("draft-roll-forward", args=[close.pk]), {"due": "2027-13-01", "create": "1"})
        assert response.status_code == 422
        assert "Enter a real date" in response.content.decode()
        assert Draft.objects.count() == count

    def test_strangers_get_404(self, client, close):
        client.force_login(UserFactory())
        assert client.get(reverse("draft-roll-forward", args=[close.pk])).status_code == 404

    def test_create_needs_csrf(self, close):
        from django.test import Client

        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(close.owner)
        count = Draft.objects.count()
        response = csrf_client.post(
            reverse("draft-roll-forward", args=[close.pk]), {"due": "2027-04-30", "create": "1"}
        )
        assert response.status_code == 403
        assert Draft.objects.count() == count
