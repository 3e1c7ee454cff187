"""Ten simultaneous publishes of one draft create one process (PostgreSQL; see the skip reason)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from processes_api.sandbox.models import SandboxProcess
from publishing.models import Submission
from publishing.services.submissions import draft_publish
from tests.factories import add_job, make_draft, root_of


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_publishes_create_one_process(sandbox, user):
    draft = make_draft(user)
    add_job(draft, root_of(draft), "Only job")
    barrier = threading.Barrier(10)
    results: list[int] = []
    failures: list[BaseException] = []

    def click() -> None:
        try:
            barrier.wait()
            results.append(draft_publish(draft=draft, user=user).submission.pk)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert len(set(results)) == 1
    assert Submission.objects.count() == 1
    assert SandboxProcess.objects.count() == 1
    assert Submission.objects.get().status == Submission.Status.CREATED
