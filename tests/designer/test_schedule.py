"""The schedule view: every job by due date, lanes in tree order, problems marked, 3,000 jobs, escaping."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designer.models import Membership, Node
from designer.services.drafts import draft_update
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of


@pytest.fixture
def draft(user):
    draft = make_draft(user, "Q4 2026 close")
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})
    root = root_of(draft)
    group = add_group(draft, root, "Reconcile <script>")
    add_job(draft, group, "Bank <b>rec</b>", dueDate="2027-01-16")  # a Saturday: a problem
    add_job(draft, group, "Accruals", dueDate="2027-01-14")
    add_job(draft, root, "Sign off")
    draft.refresh_from_db()
    return draft


def big_draft(owner, jobs=3000):
    draft = make_draft(owner, "Big close")
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-29"})
    root = root_of(draft)
    groups = Node.objects.bulk_create(
        [
            Node(draft=draft, parent=root, position=i, kind="group", name=f"G{i}", parallel=bool(i % 2))
            for i in range(100)
        ]
    )
    start = dt.date(2026, 12, 1)
    Node.objects.bulk_create(
        [
            Node(
                draft=draft,
                parent=groups[i % 100],
                position=i,
                kind="job",
                job_type="sendTask",
                arguments={
                    "title": f"T{i}",
                    "assigneeUser": "u",
                    "dueDate": (start + dt.timedelta(days=i % 60)).isoformat(),
                },
            )
            for i in range(jobs)
        ]
    )
    draft.refresh_from_db()
    return draft


def test_timeline_lists_lanes_in_tree_order_and_marks_problems(client, draft):
    client.force_login(draft.owner)
    page = client.get(reverse("draft-schedule", args=[draft.pk])).content.decode()
    assert page.index("Reconcile &lt;script&gt;") < page.index("Bank &lt;b&gt;rec&lt;/b&gt;") < page.index("Sign off")
    assert "<script>" not in page.split("<svg")[1].split("</svg>")[0]
    assert "Bank <b>" not in page
    assert re.search(r'<g class="job problem" data-key="[^"]+"><text class="job-label"[^>]*>Bank &lt;b&gt;rec', page)
    assert "not a business day (Saturday)" in page
    assert 'class="due"' in page
    assert "Process due" in page
    # Accruals (1/14) follows Bank rec (1/16) in a group run one after another: a problem too.
    assert "3 jobs, 1 without a due date, <strong>2 with problems</strong>" in page


def test_table_view_links_each_job_to_the_editor(client, draft):
    client.force_login(draft.owner)
    page = client.get(reverse("draft-schedule", args=[draft.pk]), {"view": "table"}).content.decode()
    job = Node.objects.get(draft=draft, arguments__title="Accruals")
    assert f'href="/drafts/{draft.pk}/?node={job.key}#node-{job.key}">Accruals</a>' in page
    assert "<caption>" in page
    assert '<th scope="col">Due</th>' in page
    assert "Bank &lt;b&gt;rec&lt;/b&gt;" in page
    assert "2027-01-16 (Saturday)" in page


def test_zoom_changes_the_scale(client, draft):
    client.force_login(draft.owner)
    url = reverse("draft-schedule", args=[draft.pk])
    week = client.get(url, {"zoom": "week"}).content.decode()
    month = client.get(url, {"zoom": "month"}).content.decode()
    width = lambda page: int(re.search(r'<svg class="schedule schedule-chart"[^>]* width="(\d+)"', page).group(1))  # noqa: E731
    assert width(week) > width(month)


def test_viewers_see_it_and_strangers_do_not(client, draft):
    viewer = UserFactory()
    Membership.objects.create(draft=draft, user=viewer, role="viewer")
    client.force_login(viewer)
    assert client.get(reverse("draft-schedule", args=[draft.pk])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("draft-schedule", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("view", ["timeline", "table"])
def test_3000_jobs_in_a_constant_number_of_queries(client, user, view):
    draft = big_draft(user)
    small = big_draft(user, jobs=30)
    client.force_login(user)

    def queries(d):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("draft-schedule", args=[d.pk]), {"view": view})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    small_count, _ = queries(small)
    count, page = queries(draft)
    assert count == small_count <= 12
    assert "3,000 jobs" in page or "3000 jobs" in page
    if view == "timeline":  # each job: its name in the labels and its mark on the chart
        assert page.count('<g class="job') == 6000
    else:
        assert page.count("?node=") == 3000
