"""Ship the three starter templates (gallery/starters/*.json)."""

from __future__ import annotations

from django.db import migrations

from gallery.starters import install_starters


def add_starters(apps, schema_editor):
    install_starters(apps.get_model("gallery", "ProcessTemplate"))


def remove_starters(apps, schema_editor):
    apps.get_model("gallery", "ProcessTemplate").objects.filter(starter=True).delete()


class Migration(migrations.Migration):
    dependencies = [("gallery", "0001_initial")]
    operations = [migrations.RunPython(add_starters, remove_starters)]
