"""Ship the three starter templates (gallery/starters/*.json)."""

from __future__ import annotations

from django.db import migrations

from gallery.starters import starter_content, starter_job_count, starters


def add_starters(apps, schema_editor):
    ProcessTemplate = apps.get_model("gallery", "ProcessTemplate")
    for starter in starters():
        if not ProcessTemplate.objects.filter(name=starter["name"], starter=True).exists():
            ProcessTemplate.objects.create(
                name=starter["name"],
                description=starter["description"],
                content=starter_content(starter),
                job_count=starter_job_count(starter),
                starter=True,
            )


def remove_starters(apps, schema_editor):
    apps.get_model("gallery", "ProcessTemplate").objects.filter(starter=True).delete()


class Migration(migrations.Migration):
    dependencies = [("gallery", "0001_initial")]
    operations = [migrations.RunPython(add_starters, remove_starters)]
