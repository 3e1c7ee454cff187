"""An unknown create is looked for, never resent on its own; only a strict, unique match is claimed.

Against the sandbox over a real socket (``live_server``); ``responses`` only where the sandbox
cannot answer the way a case needs (a server that echoes job arguments).
"""

from __future__ import annotations

import copy
import datetime as dt
import time

import pytest
import responses
from django.utils import timezone

from designer.models import Activity, Membership
from processes_api.client import Client
from processes_api.sandbox.models import SandboxProcess
from publishing import tasks
from publishing.models import Submission
from publishing.services.matching import echo_differences, find_candidates
from publishing.services.sending import DecisionRefused, submission_claim, submission_resend
from publishing.services.submissions import draft_publish, submission_create
from tests.factories import UserFactory, publishable_draft

Status = Submission.Status


def settle(submission: Submission, seconds: float = 30) -> Submission:
    """Take each due look, as the status page does while it polls, until looking is over."""
    deadline = time.monotonic() + seconds
    submission.refresh_from_db()
    while submission.checking and time.monotonic() < deadline:
        tasks.reconcile_if_due(submission)
        time.sleep(0.05)
        submission.refresh_from_db()
    return submission


def lost_create(user, *, created: bool):
    """A submission whose create was sent once and whose answer was lost; the sandbox holds the
    process when ``created``. Looking has ended: a person is to decide."""
    draft, nodes = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    process = Client.from_settings().create(submission.request_body) if created else None
    Submission.objects.filter(pk=submission.pk).update(
        status=Status.UNKNOWN, attempts=1, first_sent=timezone.now() - dt.timedelta(seconds=1)
    )
    submission.refresh_from_db()
    return draft, submission, process


def backdate(process_id: str, **changes):
    """Rewrite the ``created`` stamp the sandbox answers with for ``process_id``."""
    row = SandboxProcess.objects.get(process_id=process_id)
    document = copy.deepcopy(row.document)
    document["created"] = {**document["created"], **changes}
    row.document = document
    row.save(update_fields=["document"])


# --- never resent automatically -------------------------------------------------------------------


def test_slow_create_is_found_not_sent_twice(sandbox, user, settings):
    settings.WORKIVA_READ_TIMEOUT = 1
    settings.WORKIVA_SANDBOX_SLOW_SECONDS = 3
    settings.WORKIVA_RECONCILE_WINDOW_SECONDS = 15
    draft, _ = publishable_draft(user, name="Close [sandbox:slowx1]")

    submission = draft_publish(draft=draft, user=user).submission
    assert submission.status == Status.UNKNOWN  # the answer did not come within 1 s
    submission = settle(submission)

    stored = SandboxProcess.objects.get()  # exactly one
    assert submission.status == Status.RECONCILED
    assert submission.process_id == stored.process_id
    assert submission.attempts == 1


def test_dropped_connection_before_create_is_looked_for_then_left_to_a_person(sandbox, user, settings):
    settings.WORKIVA_SANDBOX_FAULT = "dropx1"
    draft, _ = publishable_draft(user)

    submission = settle(draft_publish(draft=draft, user=user).submission)

    assert submission.status == Status.UNKNOWN
    assert submission.needs_decision
    assert submission.attempts == 1
    assert submission.checks >= 2
    assert submission.candidates == []
    assert submission.message == (
        f"Workiva's answer was lost and after {submission.checks} looks no process matches. Send it again "
        "(a duplicate may result), choose the process that is this submission's, or check again."
    )
    assert not SandboxProcess.objects.exists()


def test_send_again_is_a_persons_decision_and_is_recorded(sandbox, user, settings):
    settings.WORKIVA_SANDBOX_FAULT = "dropx1"
    draft, _ = publishable_draft(user)
    submission = settle(draft_publish(draft=draft, user=user).submission)

    submission_resend(submission_id=submission.pk, user=user, attempts_seen=1)
    tasks.send_submission.enqueue(submission.pk)

    submission.refresh_from_db()
    assert submission.status == Status.CREATED
    assert submission.attempts == 2
    assert submission.decision == Submission.Decision.RESEND
    assert submission.decided_by == user
    assert submission.decided_at is not None
    assert SandboxProcess.objects.count() == 1
    assert Activity.objects.filter(draft=draft, summary__contains="send submission").exists()


def test_a_decision_taken_on_an_older_state_is_refused(sandbox, user):
    _, submission, _ = lost_create(user, created=False)
    submission_resend(submission_id=submission.pk, user=user, attempts_seen=1)

    with pytest.raises(DecisionRefused, match="queued now"):
        submission_resend(submission_id=submission.pk, user=user, attempts_seen=1)
    Submission.objects.filter(pk=submission.pk).update(status=Status.UNKNOWN, attempts=2)
    with pytest.raises(DecisionRefused, match="Someone sent this submission again"):
        submission_resend(submission_id=submission.pk, user=user, attempts_seen=1)


def test_no_decision_while_still_looking(sandbox, user):
    _, submission, _ = lost_create(user, created=False)
    Submission.objects.filter(pk=submission.pk).update(check_until=timezone.now() + dt.timedelta(minutes=5))

    with pytest.raises(DecisionRefused, match="still looking"):
        submission_resend(submission_id=submission.pk, user=user, attempts_seen=1)


def test_publish_on_an_unknown_submission_looks_and_never_sends(sandbox, user):
    draft, submission, _ = lost_create(user, created=False)

    again = draft_publish(draft=draft, user=user)

    assert again.submission.pk == submission.pk
    assert settle(again.submission).needs_decision
    assert not SandboxProcess.objects.exists()
    assert Submission.objects.get(pk=submission.pk).attempts == 1


# --- strict, unique matches ----------------------------------------------------------------------


def test_a_look_alike_created_before_the_send_is_never_claimed(sandbox, user, settings):
    draft, submission, foreign = lost_create(user, created=True)
    backdate(foreign["id"], dateTime="2026-01-01T00:00:00Z")

    draft_publish(draft=draft, user=user)
    submission = settle(submission)

    assert submission.status == Status.UNKNOWN
    assert submission.process_id == ""
    [candidate] = submission.candidates
    assert candidate["id"] == foreign["id"]
    assert candidate["reason"].startswith("created at 2026-01-01 00:00:00 UTC, before this submission was first sent")


def test_a_look_alike_created_by_another_user_is_never_claimed(sandbox, user, settings):
    settings.WORKIVA_API_USER_ID = "our-api-user"
    draft, submission, foreign = lost_create(user, created=True)
    backdate(foreign["id"], user={"id": "someone-else"})

    draft_publish(draft=draft, user=user)
    submission = settle(submission)

    assert submission.process_id == ""
    assert submission.candidates[0]["reason"] == "created by user someone-else, not by this connection's API user"


def test_the_api_user_is_learned_from_our_own_created_processes(sandbox, user):
    from publishing.services.matching import api_user_ids

    draft, _ = publishable_draft(user, name="Earlier")
    created = draft_publish(draft=draft, user=user).submission

    ids = api_user_ids(created.api_url)

    assert ids == {SandboxProcess.objects.get().document["created"]["user"]["id"]}


def test_two_matching_processes_are_left_to_a_person_who_can_claim_one(sandbox, user):
    draft, submission, first = lost_create(user, created=True)
    second = Client.from_settings().create(submission.request_body)

    draft_publish(draft=draft, user=user)
    submission = settle(submission)

    assert submission.needs_decision
    assert "2 processes on Workiva match this submission" in submission.message
    assert {c["id"] for c in submission.candidates} == {first["id"], second["id"]}
    claimed = submission_claim(submission_id=submission.pk, user=user, process_id=second["id"], attempts_seen=1)
    assert claimed.status == Status.RECONCILED
    assert claimed.process_id == second["id"]
    assert claimed.decision == Submission.Decision.CLAIM
    assert claimed.decided_by == user
    assert claimed.server_ids.count() == 4
    assert SandboxProcess.objects.count() == 2  # nothing was sent


def test_only_a_listed_candidate_can_be_claimed(sandbox, user):
    _, submission, _ = lost_create(user, created=False)

    with pytest.raises(DecisionRefused, match="not one of the candidates"):
        submission_claim(submission_id=submission.pk, user=user, process_id="process-x", attempts_seen=1)


def test_a_process_another_submission_recorded_is_not_claimed(sandbox, user, settings):
    from designer.services.nodes import node_update

    draft, nodes = publishable_draft(user)
    first = draft_publish(draft=draft, user=user).submission
    node_update(
        node=nodes["first"], version=draft.version, changes={"arguments": {"title": "Collect v2", "assigneeUser": "u2"}}
    )
    settings.WORKIVA_SANDBOX_FAULT = "dropx1"

    second = settle(draft_publish(draft=draft, user=user).submission)

    assert first.status == Status.CREATED
    assert second.status == Status.UNKNOWN
    assert second.process_id == ""
    assert second.candidates[0]["reason"] == f"already recorded for submission {first.pk}"
    assert not second.candidates[0]["claimable"]
    assert SandboxProcess.objects.count() == 1


API = "https://api.example.test"


@responses.activate
def test_a_look_alike_whose_echoed_job_details_differ_is_not_a_match(user, settings):
    draft, _ = publishable_draft(user)
    submission = submission_create(draft=draft, user=user).submission
    Submission.objects.filter(pk=submission.pk).update(first_sent=timezone.now())
    submission.refresh_from_db()
    echoed = copy.deepcopy(submission.revision.payload)
    echoed.update(id="process-1", created={"dateTime": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")})
    job = echoed["root"]["children"][1]["job"]
    job["arguments"]["sendTaskArgs"]["title"] = "Someone else's task"
    responses.post(f"{API}/token", json={"access_token": "t", "expires_in": 599})
    responses.get(f"{API}/processes", json={"data": [{"id": "process-1", "name": echoed["name"]}]})
    responses.get(f"{API}/processes/process-1", json=echoed)
    client = Client(api_url=API, token_url=f"{API}/token", client_id="c", client_secret="s")

    [candidate] = find_candidates(client, submission)

    assert not candidate.matches
    assert candidate.reason == ("differs from what was sent in root.children[1].job.arguments.sendTaskArgs.title")


@responses.activate
def test_a_list_that_keeps_failing_never_leads_to_a_create(user, settings):
    from publishing.services.sending import submission_reconcile

    settings.WORKIVA_RECONCILE_WINDOW_SECONDS = 0
    _, submission, _ = lost_create(user, created=False)
    Submission.objects.filter(pk=submission.pk).update(check_until=timezone.now(), next_check=timezone.now())
    responses.post(f"{API}/token", json={"access_token": "t", "expires_in": 599})
    responses.get(f"{API}/processes", status=503, json={"code": "serverError", "message": "Maintenance."})
    client = Client(
        api_url=API, token_url=f"{API}/token", client_id="c", client_secret="s", retry_budget=0, sleep=lambda s: None
    )

    looked = submission_reconcile(submission_id=submission.pk, client=client)

    assert looked.needs_decision
    assert looked.attempts == 1
    assert "it is still not known whether Workiva created the process. The last look failed: GET /processes" in (
        looked.message
    )
    assert not [c for c in responses.calls if c.request.method == "POST" and c.request.url.endswith("/processes")]


def test_echo_differences_compare_only_what_the_server_echoes():
    sent = {
        "name": "A",
        "dueDate": "2026-01-31",
        "businessDaysOfWeek": ["monday", "friday"],
        "root": {
            "name": "R",
            "children": [{"type": "job", "job": {"arguments": {"type": "sendTask", "sendTaskArgs": {"title": "T"}}}}],
        },
    }
    echoed = copy.deepcopy(sent)
    echoed["root"]["children"][0]["job"]["arguments"] = {"type": "sendTask"}
    echoed["root"]["children"].append({"type": "job", "job": {"arguments": {"type": "certificationSignerGenerated"}}})
    echoed["businessDaysOfWeek"] = ["friday", "monday"]
    other = copy.deepcopy(echoed)
    other["dueDate"] = "2026-02-28"

    assert echo_differences(sent, echoed) == []
    assert echo_differences(sent, other) == ["dueDate"]


# --- concurrency (PostgreSQL) --------------------------------------------------------------------


def _clicks(action, users, count=8):
    import threading

    from django.db import connections

    barrier = threading.Barrier(count)
    outcomes: list[object] = []

    def click(who) -> None:
        try:
            barrier.wait()
            outcomes.append(action(who))
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(users[i % len(users)],)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def two_publishers(user):
    return user, UserFactory(username="second-publisher")


@pytest.mark.django_db(transaction=True)
def test_eight_clicks_on_an_unknown_submission_whose_process_exists_create_nothing(sandbox, two_publishers):
    owner, editor = two_publishers
    draft, submission, process = lost_create(owner, created=True)
    Membership.objects.create(draft=draft, user=editor, role="editor")

    outcomes = _clicks(lambda who: draft_publish(draft=draft, user=who).submission.pk, [owner, editor])

    submission.refresh_from_db()
    assert outcomes == [submission.pk] * 8
    assert SandboxProcess.objects.count() == 1
    assert submission.status == Status.RECONCILED
    assert submission.process_id == process["id"]
    assert submission.attempts == 1
    assert submission.checks == 1  # one look, queued by one click


@pytest.mark.django_db(transaction=True)
def test_eight_clicks_on_an_unknown_submission_then_eight_send_agains_make_one_process(sandbox, two_publishers):
    owner, editor = two_publishers
    draft, submission, _ = lost_create(owner, created=False)
    Membership.objects.create(draft=draft, user=editor, role="editor")

    _clicks(lambda who: draft_publish(draft=draft, user=who).submission.pk, [owner, editor])
    looked = settle(submission)
    assert looked.checks >= 1
    assert not SandboxProcess.objects.exists()

    def send_again(who):
        submission_resend(submission_id=submission.pk, user=who, attempts_seen=1)
        return tasks.send_submission.enqueue(submission.pk)

    outcomes = _clicks(send_again, [owner, editor])

    submission.refresh_from_db()
    assert sum(not isinstance(o, DecisionRefused) for o in outcomes) == 1
    assert SandboxProcess.objects.count() == 1
    assert submission.status == Status.CREATED
    assert submission.attempts == 2
