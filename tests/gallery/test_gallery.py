"""Templates: save a draft (versioned, read-only, rules kept), new draft from a template, the starters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from designer.calendar import BusinessCalendar
from designer.errors import TreeError
from designer.models import Draft, Membership, Node
from designer.services.dates import node_date_rule_set
from designer.services.drafts import draft_update
from gallery.models import ProcessTemplate
from gallery.services import draft_from_template, template_save
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

D = dt.date
US = BusinessCalendar.build(business_days=None, holiday_code="US")


@pytest.fixture
def close(user):
    draft = make_draft(user, "Q4 2026 close")
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})
    draft.holiday_calendar = "US"
    draft.save()
    group = add_group(draft, root_of(draft), "Reconcile")
    add_job(draft, group, "Bank rec", dueDate="2027-01-08")
    ruled = add_job(draft, root_of(draft), "Sign off", dueDate="2027-01-01")
    draft.refresh_from_db()
    node_date_rule_set(node=ruled, version=draft.version, field="dueDate", days=-1)
    draft.refresh_from_db()
    return draft


def jobs(draft):
    return {n.arguments["title"]: n for n in Node.objects.filter(draft=draft, kind="job")}


def test_save_keeps_tree_settings_and_rules(close, user):
    template = template_save(draft=close, actor=user, name="Quarter close", description="Our close")
    assert (template.version, template.job_count, template.created_by) == (1, 2, user)
    assert template.content["reference_due"] == "2027-01-29"
    assert template.content["settings"]["holiday_calendar"] == "US"
    assert "due_date" not in template.content["settings"]


def test_saving_under_the_same_name_adds_a_version_and_keeps_the_old_one(close, user):
    first = template_save(draft=close, actor=user, name="Quarter close")
    add_job(close, root_of(close), "Extra", dueDate="2027-01-20")
    close.refresh_from_db()
    second = template_save(draft=close, actor=UserFactory(), name="quarter CLOSE")
    first.refresh_from_db()
    assert (second.family, second.version, second.job_count) == (first.family, 2, 3)
    assert first.job_count == 2  # read-only: the old version is as it was


def test_new_draft_from_a_template_computes_every_date(close, user):
    template = template_save(draft=close, actor=user, name="Quarter close")
    other = UserFactory()
    draft = draft_from_template(template=template, owner=other, name="Q1 2027 close", due=D(2027, 4, 30))
    assert (draft.owner, draft.name, draft.due_date, draft.holiday_calendar) == (
        other,
        "Q1 2027 close",
        "2027-04-30",
        "US",
    )
    made = jobs(draft)
    assert made["Bank rec"].arguments["dueDate"] == "2027-04-12"  # 14 business days before, as in the template
    assert made["Sign off"].date_rules == {"dueDate": {"days": -1}}
    assert made["Sign off"].arguments["dueDate"] == "2027-04-29"
    assert Node.objects.get(draft=draft, parent=None).name == "Q1 2027 close"
    # The template's source draft is untouched.
    assert jobs(close)["Bank rec"].arguments["dueDate"] == "2027-01-08"


@pytest.mark.parametrize(("name", "message"), [("", "Give the template a name"), ("x" * 201, "at most 200")])
def test_bad_template_names_are_refused(close, user, name, message):
    with pytest.raises(TreeError, match=message):
        template_save(draft=close, actor=user, name=name)
    assert not ProcessTemplate.objects.filter(starter=False).exists()


@pytest.mark.parametrize(
    ("name", "jobs_count"),
    [("Quarterly close", 14), ("SOX 302 sub-certification campaign", 10), ("Data request to business units", 8)],
)
def test_the_three_starters_ship_and_make_drafts_on_business_days(user, name, jobs_count):
    template = ProcessTemplate.objects.get(name=name, starter=True)
    assert template.job_count == jobs_count
    draft = draft_from_template(template=template, owner=user, name=f"{name} Q1", due=D(2027, 3, 31))
    calendar = BusinessCalendar.build(business_days=draft.business_days, holiday_code=draft.holiday_calendar)
    made = Node.objects.filter(draft=draft, kind="job")
    assert made.count() == jobs_count
    for job in made:
        due = D.fromisoformat(job.arguments["dueDate"])
        assert calendar.is_business_day(due)
        assert due <= D(2027, 3, 31)
        assert job.date_rules


class TestViews:
    def test_gallery_lists_latest_versions_with_author_and_escapes(self, client, close, user):
        template_save(draft=close, actor=user, name="Close <script>", description="<b>desc</b>")
        template_save(draft=close, actor=user, name="Close <script>")
        client.force_login(UserFactory())
        page = client.get(reverse("gallery")).content.decode()
        assert "Close &lt;script&gt;" in page
        assert "<b>desc</b>" not in page
        assert "Version 2 of 2" in page
        assert "Quarterly close" in page
        assert "Process Designer (starter)" in page

    def test_new_from_template_page_creates_the_draft(self, client, user):
        template = ProcessTemplate.objects.get(name="Quarterly close")
        client.force_login(user)
        url = reverse("gallery-template", args=[template.pk])
        page = client.get(url).content.decode()
        assert "15 business days before the process due date" in page
        response = client.post(url, {"name": "Q1 close", "due": "2027-03-31"})
        assert response.status_code == 302
        draft = Draft.objects.get(name="Q1 close")
        assert draft.owner == user
        assert draft.due_date == "2027-03-31"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"name": "X", "due": "2027-02-30"}, "Enter a real date"),
            ({"name": " ", "due": "2027-03-31"}, "Give the new draft a name"),
        ],
    )
    def test_bad_input_creates_nothing(self, client, user, data, message):
        template = ProcessTemplate.objects.get(name="Quarterly close")
        client.force_login(user)
        count = Draft.objects.count()
        response = client.post(reverse("gallery-template", args=[template.pk]), data)
        assert response.status_code == 422
        assert message in response.content.decode()
        assert Draft.objects.count() == count

    def test_only_editors_may_save_a_template(self, client, close):
        viewer = UserFactory()
        Membership.objects.create(draft=close, user=viewer, role="viewer")
        client.force_login(viewer)
        assert client.post(reverse("gallery-save", args=[close.pk]), {"name": "T"}).status_code == 403
        client.force_login(close.owner)
        response = client.post(reverse("gallery-save", args=[close.pk]), {"name": "T", "description": "d"})
        assert response.status_code == 302
        assert ProcessTemplate.objects.get(name="T").created_by == close.owner

    def test_writes_need_csrf(self, close):
        csrf = Client(enforce_csrf_checks=True)
        csrf.force_login(close.owner)
        assert csrf.post(reverse("gallery-save", args=[close.pk]), {"name": "T"}).status_code == 403
        template = ProcessTemplate.objects.get(name="Quarterly close")
        assert (
            csrf.post(reverse("gallery-template", args=[template.pk]), {"name": "X", "due": "2027-03-31"}).status_code
            == 403
        )

    def test_anonymous_users_are_sent_to_log_in(self, client):
        assert client.get(reverse("gallery")).status_code == 302
