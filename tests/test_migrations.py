"""A database made by the layout before the publishing app migrates to it with every row intact.

The old layout is the migration state ``processes_api 0001_submissions`` (then on top of ``designer
0003_review``): submissions and the sandbox's processes were models of ``processes_api``. The
designer app stays at its latest migration: what it added since is not part of that move. The tests move the test
database back there, fill it through the historical models, migrate it forward and read it through
today's models. They run on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from designer.models import Activity, Approval, ApprovalGateChange, Comment, Draft, Membership, Node, ReviewRequest
from designer.models import Revision as DraftRevision
from processes_api.sandbox.models import SandboxProcess
from publishing.models import ServerId, Submission, SubmissionError

pytestmark = pytest.mark.django_db(transaction=True)

OLD = [("processes_api", "0001_submissions")]
NEW_APPS = {"publishing", "sandbox"}
# Apps made after that move that depend on publishing (api: idempotency keys refer to submissions): unapplied
# in the old layout, like the app they depend on (knox has no migrations here: settings.MIGRATION_MODULES).
LATER_APPS = {"api"}
MOVED = {
    "submission": ("processes_api", "publishing"),
    "submissionerror": ("processes_api", "publishing"),
    "serverid": ("processes_api", "publishing"),
    "sandboxprocess": ("processes_api", "sandbox"),
}
# Rows the migrations change on purpose: their own bookkeeping and the relabelled content types.
CHANGED_ON_PURPOSE = ["django_migrations", "django_content_type"]


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate the test database to ``targets``; return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old() -> list[tuple[str, str | None]]:
    """The old layout's leaves, with every other app (designer, auth, contenttypes, admin…) at its latest."""
    changed = {app for app, _ in OLD} | NEW_APPS | LATER_APPS
    return [node for node in _latest() if node[0] not in changed] + OLD


@pytest.fixture
def old_database() -> Iterator[Any]:
    """The test database in the old layout; whatever happens, it ends at the latest migrations."""
    old_apps = _migrate(_old())
    try:
        yield old_apps
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()


def _columns() -> dict[str, list[str]]:
    """Every table's columns now."""
    with connection.cursor() as cursor:
        return {
            table: [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for table in connection.introspection.table_names()
            if table not in CHANGED_ON_PURPOSE
        }


def _rows(columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the database returns it (what "intact" is checked against).

    With ``columns``, only those columns of those tables: columns a later migration adds are not
    part of what must stay intact.
    """
    columns = columns or _columns()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        rows = {}
        for table, names in columns.items():
            cursor.execute(f"SELECT {', '.join(map(quote, names))} FROM {quote(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def _project(rows: list[tuple[Any, ...]], had: list[str], names: list[str]) -> list[tuple[Any, ...]]:
    """Return ``rows`` whose columns were ``had`` cut down to the columns ``names``."""
    keep = [had.index(name) for name in names]
    return sorted((tuple(row[i] for i in keep) for row in rows), key=repr)


def _fill_old(apps: Any) -> dict[str, Any]:
    """A team's draft with a tree, a review, history and a rejected submission, in the old models."""
    get = apps.get_model
    ct_model = get("contenttypes", "ContentType")
    ct_model.objects.filter(app_label__in=["publishing", "sandbox"]).delete()
    cts = {model: ct_model.objects.get_or_create(app_label=old, model=model)[0] for model, (old, _) in MOVED.items()}
    user_model = get("auth", "User")
    owner = user_model.objects.create(username="olga")
    reviewer = user_model.objects.create(username="rita")
    permission = get("auth", "Permission").objects.create(
        content_type=cts["submission"], codename="resend_submission", name="Can resend a submission"
    )
    reviewer.user_permissions.add(permission)

    draft = get("designer", "Draft").objects.create(name="Quarter close", owner=owner, version=7)
    node = get("designer", "Node")
    root = node.objects.create(draft=draft, kind="group", position=0)
    group = node.objects.create(draft=draft, parent=root, kind="group", name="Prepare", parallel=True, position=0)
    job = node.objects.create(
        draft=draft, parent=group, kind="job", job_type="sendTask", arguments={"title": "Check"}, position=0
    )
    get("designer", "Membership").objects.create(draft=draft, user=reviewer, role="reviewer")
    revision = get("designer", "Revision").objects.create(
        draft=draft,
        number=1,
        draft_version=7,
        payload={"name": "Quarter close"},
        paths={str(job.key): "root.children[0].group.children[0]"},
        content_hash="h" * 64,
        author=owner,
        reason="review_request",
    )
    request = get("designer", "ReviewRequest").objects.create(
        draft=draft, revision=revision, requested_by=owner, note="Please check"
    )
    request.reviewers.add(reviewer)
    get("designer", "Approval").objects.create(
        draft=draft,
        review_request=request,
        revision=revision,
        reviewer=reviewer,
        verdict="approved",
        content_hash="h" * 64,
    )
    comment = get("designer", "Comment").objects.create(draft=draft, node_key=job.key, author=reviewer, body="Why?")
    get("designer", "Comment").objects.create(draft=draft, parent=comment, author=owner, body="Because.")
    get("designer", "ApprovalGateChange").objects.create(draft=draft, required=False, actor=owner, reason="Solo")
    get("designer", "Activity").objects.create(draft=draft, actor=owner, verb="review_requested", summary="r1")

    submission = get("processes_api", "Submission").objects.create(
        draft=draft,
        revision=revision,
        user=owner,
        payload_hash="p" * 64,
        status="rejected",
        api_url="http://sandbox/processes",
        request_body='{"name": "Quarter close"}',
        http_status=400,
        response_text='{"code": "invalid"}',
        process_id="proc-1",
        attempts=1,
    )
    get("processes_api", "SubmissionError").objects.create(
        submission=submission, node_key=job.key, path="root.children[0]", mapped_by="target", code="invalid"
    )
    get("processes_api", "ServerId").objects.create(submission=submission, node_key=job.key, server_id="srv-job")
    sandbox = get("processes_api", "SandboxProcess").objects.create(
        process_id="proc-1", name="Quarter close", request={"name": "Quarter close"}, document={"id": "proc-1"}
    )
    log = get("admin", "LogEntry").objects.create(
        user=owner,
        content_type=cts["sandboxprocess"],
        object_id=str(sandbox.pk),
        object_repr="proc-1",
        action_flag=1,
    )
    return {
        "owner": owner.pk,
        "reviewer": reviewer.pk,
        "draft": draft.pk,
        "job": job.key,
        "revision": revision.pk,
        "submission": submission.pk,
        "sandbox": sandbox.pk,
        "log": log.pk,
        "content_types": {model: ct.pk for model, ct in cts.items()},
    }


def test_a_database_of_the_old_layout_migrates_with_every_row_intact(old_database):
    old = _fill_old(old_database)
    columns = _columns()
    before = _rows(columns)

    _migrate(_latest())

    ContentType.objects.clear_cache()
    assert _rows(columns) == before
    submission = Submission.objects.select_related("draft", "revision", "user").get(pk=old["submission"])
    assert (submission.draft.name, submission.revision.number, submission.user.username) == ("Quarter close", 1, "olga")
    assert (submission.status, submission.http_status, submission.process_id) == ("rejected", 400, "proc-1")
    assert list(SubmissionError.objects.filter(submission=submission).values_list("node_key", "code")) == [
        (old["job"], "invalid")
    ]
    assert list(ServerId.objects.filter(submission=submission).values_list("node_key", "server_id")) == [
        (old["job"], "srv-job")
    ]
    assert list(Draft.objects.get(pk=old["draft"]).submissions.all()) == [submission]
    assert SandboxProcess.objects.get(pk=old["sandbox"]).document == {"id": "proc-1"}


def test_the_designer_rows_stay_readable_through_their_models(old_database):
    old = _fill_old(old_database)

    _migrate(_latest())

    draft = Draft.objects.get(pk=old["draft"])
    job = Node.objects.get(key=old["job"])
    assert (job.parent.name, job.parent.parent.parent_id, job.draft_id) == ("Prepare", None, draft.pk)
    assert Membership.objects.get(draft=draft).user.username == "rita"
    revision = DraftRevision.objects.get(pk=old["revision"])
    request = ReviewRequest.objects.get(draft=draft)
    assert (request.revision, [u.username for u in request.reviewers.all()]) == (revision, ["rita"])
    assert Approval.objects.get(draft=draft).review_request == request
    thread = Comment.objects.get(draft=draft, parent=None)
    assert (thread.node_key, [r.body for r in thread.replies.all()]) == (old["job"], ["Because."])
    assert ApprovalGateChange.objects.get(draft=draft).required is False
    assert Activity.objects.get(draft=draft).verb == "review_requested"


def test_content_types_are_relabelled_and_keep_their_permissions_and_admin_history(old_database):
    old = _fill_old(old_database)

    _migrate(_latest())

    ContentType.objects.clear_cache()
    moved = {
        model: ContentType.objects.get_for_model(cls).pk
        for model, cls in [
            ("submission", Submission),
            ("submissionerror", SubmissionError),
            ("serverid", ServerId),
            ("sandboxprocess", SandboxProcess),
        ]
    }
    assert moved == old["content_types"]
    assert not ContentType.objects.filter(app_label="processes_api").exists()
    rita = User.objects.get(pk=old["reviewer"])
    assert rita.has_perm("publishing.resend_submission")
    assert Permission.objects.get(codename="resend_submission").content_type.app_label == "publishing"
    assert LogEntry.objects.get(pk=old["log"]).get_edited_object() == SandboxProcess.objects.get(pk=old["sandbox"])


def test_migrating_back_to_the_old_layout_keeps_the_rows(old_database):
    old = _fill_old(old_database)
    _migrate(_latest())
    latest = _columns()
    after = _rows(latest)

    old_apps = _migrate(_old())

    columns = _columns()
    assert _rows(columns) == {table: _project(after[table], latest[table], names) for table, names in columns.items()}
    old_submission = old_apps.get_model("processes_api", "Submission").objects.get(pk=old["submission"])
    assert (old_submission.draft_id, old_submission.errors.count(), old_submission.server_ids.count()) == (
        old["draft"],
        1,
        1,
    )
    assert old_apps.get_model("processes_api", "SandboxProcess").objects.get(pk=old["sandbox"]).name == "Quarter close"
    labels = old_apps.get_model("contenttypes", "ContentType").objects.filter(pk__in=old["content_types"].values())
    assert set(labels.values_list("app_label", flat=True)) == {"processes_api"}


def test_the_old_layout_is_what_the_tests_assume():
    """Guard the premise: the moved tables kept the old names, so only state and labels changed."""
    tables = {cls._meta.db_table for cls in (Submission, SubmissionError, ServerId, SandboxProcess)}

    assert tables == {f"processes_api_{model}" for model in MOVED}
