"""The sandbox's stored process, moved here from processes_api with its table and rows (state only)."""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep admin history and permissions attached: relabel the model's content type."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="processes_api", model="sandboxprocess").update(app_label="sandbox")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="sandbox", model="sandboxprocess").update(app_label="processes_api")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("processes_api", "0002_models_moved_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SandboxProcess",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("process_id", models.CharField(max_length=100, unique=True)),
                        ("name", models.CharField(db_index=True, max_length=1000)),
                        ("request", models.JSONField(help_text="The body as sent.")),
                        ("document", models.JSONField(help_text="The process as the sandbox answers it, with ids.")),
                        ("trashed", models.BooleanField(default=False)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "processes_api_sandboxprocess",
                        "ordering": ["id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
