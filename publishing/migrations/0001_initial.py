"""The submission models, moved here from processes_api with their tables and rows (state only)."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("submission", "submissionerror", "serverid")


def move_content_types(apps, schema_editor):
    """Keep admin history and permissions attached: relabel the models' content types."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="processes_api", model__in=MODELS).update(app_label="publishing")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="publishing", model__in=MODELS).update(app_label="processes_api")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("processes_api", "0002_models_moved_out"),
        ("designer", "0003_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Submission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("idempotency_key", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("payload_hash", models.CharField(max_length=64)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("sending", "Sending"),
                                    ("created", "Created"),
                                    ("rejected", "Rejected"),
                                    ("failed", "Failed"),
                                    ("unknown", "Outcome unknown"),
                                    ("reconciled", "Reconciled"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("api_url", models.CharField(help_text="Where it was sent.", max_length=500)),
                        ("request_body", models.TextField(blank=True, help_text="The exact JSON text sent.")),
                        ("http_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("response_text", models.TextField(blank=True, help_text="The raw response, as received.")),
                        ("message", models.TextField(blank=True, help_text="What happened, for the user.")),
                        ("process_id", models.CharField(blank=True, db_index=True, max_length=200)),
                        ("server_revision", models.CharField(blank=True, max_length=50)),
                        ("attempts", models.PositiveSmallIntegerField(default=0, help_text="Create requests sent.")),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("started", models.DateTimeField(blank=True, null=True)),
                        ("finished", models.DateTimeField(blank=True, null=True)),
                        (
                            "draft",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="submissions",
                                to="designer.draft",
                            ),
                        ),
                        (
                            "revision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.RESTRICT,
                                related_name="submissions",
                                to="designer.revision",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "processes_api_submission",
                        "ordering": ["-created", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="ServerId",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("node_key", models.UUIDField()),
                        ("server_id", models.CharField(db_index=True, max_length=200)),
                        (
                            "submission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="server_ids",
                                to="publishing.submission",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "processes_api_serverid",
                    },
                ),
                migrations.CreateModel(
                    name="SubmissionError",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("create", "Create"),
                                    ("validation", "Validation"),
                                    ("transport", "Connection"),
                                ],
                                default="create",
                                max_length=10,
                            ),
                        ),
                        ("node_key", models.UUIDField(blank=True, db_index=True, null=True)),
                        ("path", models.CharField(blank=True, help_text="The node's payload path.", max_length=1000)),
                        (
                            "mapped_by",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("jobId", "meta.jobId"),
                                    ("target", "target"),
                                    ("details", "details[].target"),
                                    ("", "process level"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("code", models.CharField(blank=True, max_length=200)),
                        ("message", models.TextField(blank=True)),
                        ("target", models.TextField(blank=True)),
                        ("argument_name", models.CharField(blank=True, max_length=200)),
                        ("job_id", models.CharField(blank=True, max_length=200)),
                        ("is_detail", models.BooleanField(default=False, help_text="From a details[] entry.")),
                        ("raw", models.JSONField(blank=True, null=True)),
                        (
                            "submission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="errors",
                                to="publishing.submission",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "processes_api_submissionerror",
                        "ordering": ["id"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="submission",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("status__in", ["queued", "sending", "unknown"])),
                        fields=("draft",),
                        name="one_in_flight_submission_per_draft",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="serverid",
                    constraint=models.UniqueConstraint(
                        fields=("submission", "node_key"), name="one_server_id_per_node"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
