from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from designer.models import Draft, Node
from tests.factories import UserFactory, seed_request

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def owner():
    return UserFactory(username="alice")


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed_request()))
    return path


def test_import_then_export_gives_back_the_seed(owner, seed_file, tmp_path):
    draft_id = run("import_payload", str(seed_file), "--owner", "alice").strip()
    out_file = tmp_path / "out.json"

    printed = run("export_payload", draft_id)
    run("export_payload", draft_id, "--output", str(out_file))

    assert Draft.objects.get(pk=int(draft_id)).owner == owner
    assert json.loads(printed) == seed_request()
    assert out_file.read_text() == printed


def test_import_defaults_to_the_first_superuser(seed_file):
    admin = UserFactory(username="root", is_superuser=True)

    draft_id = run("import_payload", str(seed_file)).strip()

    assert Draft.objects.get(pk=int(draft_id)).owner == admin


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read {path}: No such file or directory"),
        ("{not json", "{path}: not valid JSON (line 1, column 2"),
        ('["a"]', "{path}: a process must be a JSON object, not a list"),
        (
            '{"name": "x", "root": {"children": [{"type": "job", "job": {"arguments": {"type": "sendTsk"}}}]}}',
            '{path}: root.children[0].job.arguments.type: unknown job type "sendTsk"',
        ),
    ],
)
def test_import_bad_input_exits_2_with_one_line_and_writes_nothing(owner, tmp_path, content, message):
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content)

    with pytest.raises(CommandError) as caught:
        run("import_payload", str(path), "--owner", "alice")

    assert caught.value.returncode == 2
    assert str(caught.value).startswith(message.format(path=path))
    assert "\n" not in str(caught.value)
    assert Draft.objects.count() == 0
    assert Node.objects.count() == 0


def test_import_unknown_owner_exits_2(seed_file):
    with pytest.raises(CommandError, match='there is no user "bob"') as caught:
        run("import_payload", str(seed_file), "--owner", "bob")

    assert caught.value.returncode == 2


def test_import_without_owner_or_superuser_exits_2(seed_file):
    with pytest.raises(CommandError, match="no --owner given and there is no superuser") as caught:
        run("import_payload", str(seed_file))

    assert caught.value.returncode == 2


@pytest.mark.parametrize(
    ("command", "draft_id", "message"),
    [
        ("export_payload", "999", "there is no draft 999"),
        ("export_payload", "abc", '"abc" is not a draft id (a whole number)'),
        ("lint_draft", "999", "there is no draft 999"),
        ("lint_draft", "-1", '"-1" is not a draft id'),
    ],
)
def test_unknown_draft_exits_2(db, command, draft_id, message):
    with pytest.raises(CommandError) as caught:
        run(command, draft_id)

    assert caught.value.returncode == 2
    assert message in str(caught.value)


def test_export_to_an_unwritable_path_exits_2(owner, seed_file, tmp_path):
    draft_id = run("import_payload", str(seed_file), "--owner", "alice").strip()

    with pytest.raises(CommandError, match="cannot write") as caught:
        run("export_payload", draft_id, "--output", str(tmp_path / "missing-dir" / "x.json"))

    assert caught.value.returncode == 2


def test_lint_draft_clean_exits_0(owner, seed_file):
    draft_id = run("import_payload", str(seed_file), "--owner", "alice").strip()

    out = run("lint_draft", draft_id)

    # No error; the seed example's dates (a Sunday in 2024) get the business calendar's warnings.
    assert "date-non-business-day        root.children[0].dueDate:" in out
    assert "(fix: 2024-12-13)" in out
    assert out.strip().endswith("0 error(s), 3 warning(s)")


def test_lint_draft_with_errors_exits_1_and_names_the_path(owner, tmp_path):
    data = seed_request()
    del data["root"]["children"][0]["job"]["arguments"]["sendTaskArgs"]["assigneeUser"]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    draft_id = run("import_payload", str(path), "--owner", "alice").strip()
    out = io.StringIO()

    with pytest.raises(SystemExit) as caught:
        call_command("lint_draft", draft_id, stdout=out)

    assert caught.value.code == 1
    assert "error   assignee-missing             root.children[0].assigneeUser: Choose who" in out.getvalue()
    assert out.getvalue().strip().endswith("1 error(s), 3 warning(s)")


def test_seed_demo_is_idempotent(db):
    run("seed_demo")
    run("seed_demo")

    assert Draft.objects.filter(owner__username="demo").count() == 1
