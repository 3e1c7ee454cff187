"""Starting a run of a published process and following it: sandbox, reader, command, pages."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from processes_api.runs import read_run, status_of
from processes_api.sandbox.models import SandboxProcess, SandboxRun
from processes_api.sandbox.views import run_document
from publishing.models import ProcessRun
from publishing.services.submissions import draft_publish
from tests.factories import UserFactory, publishable_draft


def test_statuses_read_in_the_monitors_words():
    assert [status_of(s) for s in ("Sent", "WAITING", "completed", "Cancelled", "approval", "returned")] == [
        "sent",
        "waiting",
        "complete",
        "canceled",
        "approval",
        "returned",
    ]
    assert status_of("somethingNew") == "somethingNew"


def test_a_run_document_of_unknown_layout_is_read_as_far_as_it_goes():
    run = read_run(
        {
            "id": "run-1",
            "root": {
                "name": "Close",
                "status": "Sent",
                "children": [
                    {
                        "type": "jobRun",
                        "jobRun": {"id": "j1", "arguments": {"sendTaskArgs": {"title": "Cash"}}, "status": "Complete"},
                    },
                    {
                        "type": "groupRun",
                        "groupRun": {
                            "name": "Review",
                            "status": "Waiting",
                            "children": [{"name": "Sign", "status": "odd"}],
                        },
                    },
                    "garbage",
                ],
            },
        }
    )

    assert run.id == "run-1"
    assert run.status == "sent"
    assert [(c.name, c.kind, c.status) for c in run.root.children] == [
        ("Cash", "job", "complete"),
        ("Review", "group", "waiting"),
    ]
    assert run.counts() == {"complete": 1, "odd": 1}
    assert read_run("nonsense").root is None


@pytest.mark.django_db
def test_the_sandbox_advances_a_run_over_time(settings):
    settings.WORKIVA_SANDBOX_RUN_STEP = 10
    document = {
        "id": "p1",
        "root": {
            "id": "g0",
            "name": "Close",
            "parallel": False,
            "children": [
                {
                    "type": "job",
                    "job": {
                        "id": "j1",
                        "_arguments": {"type": "sendTask", "sendTaskArgs": {"title": "A", "approverUser": "u2"}},
                    },
                },
                {
                    "type": "group",
                    "group": {
                        "id": "g1",
                        "name": "Both",
                        "parallel": True,
                        "children": [
                            {
                                "type": "job",
                                "job": {"id": "j2", "_arguments": {"type": "sendTask", "sendTaskArgs": {"title": "B"}}},
                            },
                            {
                                "type": "job",
                                "job": {"id": "j3", "_arguments": {"type": "sendTask", "sendTaskArgs": {"title": "C"}}},
                            },
                        ],
                    },
                },
            ],
        },
    }
    process = SandboxProcess.objects.create(process_id="p1", name="P", request={}, document=document)
    run = SandboxRun.objects.create(run_id="run-x", process=process)
    start = run.started.timestamp()

    def statuses(at):
        return [(n.name, n.status) for n in _jobs(read_run(run_document(run, now=start + at)).root)]

    assert statuses(1) == [("A", "sent"), ("B", "waiting"), ("C", "waiting")]
    assert statuses(12) == [("A", "approval"), ("B", "waiting"), ("C", "waiting")]
    assert statuses(25) == [("A", "complete"), ("B", "sent"), ("C", "sent")]
    assert statuses(31) == [("A", "complete"), ("B", "complete"), ("C", "complete")]
    assert read_run(run_document(run, now=start + 31)).finished


def _jobs(node):
    if node.kind == "job":
        return [node]
    return [job for child in node.children for job in _jobs(child)]


@pytest.fixture
def published(sandbox, transactional_db):
    owner = UserFactory(username="olivia")
    draft, _ = publishable_draft(owner)
    submission = draft_publish(draft=draft, user=owner).submission
    submission.refresh_from_db()
    assert submission.process_id
    return draft


@pytest.mark.django_db(transaction=True)
def test_start_run_prints_the_run_id_and_records_who(published):
    out = StringIO()

    call_command("start_run", str(published.pk), stdout=out)

    record = ProcessRun.objects.get()
    assert out.getvalue() == f"{record.run_id}\n"
    assert record.started_by.username == "olivia"
    assert record.submission.process_id == SandboxRun.objects.get().process.process_id
    assert record.status == "sent"


@pytest.mark.django_db(transaction=True)
def test_start_run_of_an_unpublished_draft_exits_2(sandbox):
    draft, _ = publishable_draft(UserFactory())

    with pytest.raises(CommandError) as caught:
        call_command("start_run", str(draft.pk))

    assert caught.value.returncode == 2
    assert str(caught.value) == "Publish the draft first: a run starts a process that exists in Workiva."
    assert ProcessRun.objects.count() == 0


def test_start_run_by_an_unknown_user_exits_2_and_starts_nothing(published):
    with pytest.raises(CommandError) as caught:
        call_command("start_run", str(published.pk), "--user", "nobody")

    assert caught.value.returncode == 2
    assert str(caught.value) == 'there is no user "nobody"'
    assert ProcessRun.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_started_from_the_page_is_followed_until_complete(published, client, settings):
    settings.WORKIVA_SANDBOX_RUN_STEP = 1000
    client.force_login(published.owner)

    confirm = client.get(reverse("run-start", args=[published.pk])).content.decode()
    response = client.post(reverse("run-start", args=[published.pk]), follow=True)

    assert "Start the run" in confirm
    record = ProcessRun.objects.get()
    page = response.content.decode()
    assert f"Started run {record.run_id}" in page
    assert 'hx-trigger="every 3s"' in page
    assert "Collect" in page
    first = client.get(reverse("run-status", args=[record.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "1 sent, 1 waiting" in first
    SandboxRun.objects.filter(run_id=record.run_id).update(started=timezone.now() - dt.timedelta(seconds=5000))
    done = client.get(reverse("run-status", args=[record.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<strong>Complete</strong> — 2 complete" in done
    assert "hx-trigger" not in done  # finished: the page stops asking
    record.refresh_from_db()
    assert record.status == "complete"


@pytest.mark.django_db(transaction=True)
def test_only_people_who_may_publish_start_a_run(published, client):
    from designer.models import Membership

    viewer = UserFactory()
    Membership.objects.create(draft=published, user=viewer, role="viewer")
    client.force_login(viewer)

    response = client.post(reverse("run-start", args=[published.pk]))

    assert response.status_code in (403, 404)
    assert ProcessRun.objects.count() == 0
