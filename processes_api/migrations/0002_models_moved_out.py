"""Submissions moved to the publishing app and the sandbox's process to the sandbox app.

State only: the tables stay where they are, under their old names (see those apps' 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("processes_api", "0001_submissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="SandboxProcess",
                ),
                migrations.RemoveConstraint(
                    model_name="serverid",
                    name="one_server_id_per_node",
                ),
                migrations.RemoveConstraint(
                    model_name="submission",
                    name="one_in_flight_submission_per_draft",
                ),
                migrations.RemoveField(
                    model_name="serverid",
                    name="submission",
                ),
                migrations.RemoveField(
                    model_name="submission",
                    name="draft",
                ),
                migrations.RemoveField(
                    model_name="submission",
                    name="revision",
                ),
                migrations.RemoveField(
                    model_name="submission",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="SubmissionError",
                ),
                migrations.DeleteModel(
                    name="ServerId",
                ),
                migrations.DeleteModel(
                    name="Submission",
                ),
            ],
            database_operations=[],
        ),
    ]
