"""Publishing after a plain ``migrate``: the token cache table exists, and a failure before sending is not "unknown"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from processes_api.client import Client
from processes_api.sandbox.models import SandboxProcess
from publishing.models import Submission
from publishing.services.submissions import draft_publish
from tests.factories import publishable_draft

Status = Submission.Status


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_the_cache_table(settings):
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    executor = MigrationExecutor(connection)
    executor.migrate([("publishing", "0002_reconcile_decisions")])
    executor.loader.build_graph()

    executor.migrate(executor.loader.graph.leaf_nodes())

    assert table in connection.introspection.table_names()


def test_a_cache_that_cannot_be_read_does_not_stop_a_publish(sandbox, user, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_cache_table"}
    }
    draft, _ = publishable_draft(user)

    submission = draft_publish(draft=draft, user=user).submission

    assert submission.status == Status.CREATED
    assert submission.process_id == SandboxProcess.objects.get().process_id


def test_a_failure_before_the_request_left_is_failed_not_unknown(sandbox, user, monkeypatch):
    def broken_token(self, *, fresh=False):
        raise RuntimeError("the token could not be had")

    monkeypatch.setattr(Client, "token", broken_token)
    draft, _ = publishable_draft(user)

    submission = Submission.objects.get(pk=draft_publish(draft=draft, user=user).submission.pk)

    assert submission.status == Status.FAILED
    assert submission.attempts == 0
    assert "Nothing was sent" in submission.message
    assert not SandboxProcess.objects.exists()
