"""``manage.py publish_draft`` against the sandbox."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from processes_api.sandbox.models import SandboxProcess
from tests.factories import add_job, make_draft, publishable_draft, root_of


def test_prints_the_process_id(sandbox, user, capsys):
    draft, _ = publishable_draft(user)

    call_command("publish_draft", str(draft.pk))

    assert capsys.readouterr().out.strip() == SandboxProcess.objects.get().process_id


def test_rejection_prints_each_error_with_its_node_path_and_exits_1(sandbox, user, capsys):
    draft, _ = publishable_draft(user, second={"assigneeUser": "invalid-user"})

    with pytest.raises(SystemExit) as exited:
        call_command("publish_draft", str(draft.pk))

    assert exited.value.code == 1
    assert capsys.readouterr().out.strip() == "root.children[1]: invalidUser: The provided user is invalid."


def test_unknown_draft_exits_2(db):
    with pytest.raises(CommandError) as caught:
        call_command("publish_draft", "999")

    assert caught.value.returncode == 2
    assert str(caught.value) == "there is no draft 999"


def test_unknown_user_exits_2(user):
    draft = make_draft(user)

    with pytest.raises(CommandError) as caught:
        call_command("publish_draft", str(draft.pk), user="nobody")

    assert caught.value.returncode == 2
    assert str(caught.value) == 'there is no user "nobody"'


def test_lint_errors_exit_2_and_send_nothing(user):
    draft = make_draft(user)
    add_job(draft, root_of(draft), title="")

    with pytest.raises(CommandError) as caught:
        call_command("publish_draft", str(draft.pk))

    assert caught.value.returncode == 2
    assert "This job needs a title." in str(caught.value)
    assert not SandboxProcess.objects.exists()
