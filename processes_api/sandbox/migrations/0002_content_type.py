"""Relabel the sandbox process's content type, so admin history and permissions stay attached.

Only when the new label has no row yet: a database that already created one (``post_migrate``
after 0001) keeps both, and ``remove_stale_contenttypes`` may drop the old one.
"""

from django.db import migrations


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="sandboxprocess").exists():
        ContentType.objects.filter(app_label=old, model="sandboxprocess").update(app_label=new)


def move_content_type(apps, schema_editor):
    _relabel(apps, "processes_api", "sandbox")


def move_content_type_back(apps, schema_editor):
    _relabel(apps, "sandbox", "processes_api")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("sandbox", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
