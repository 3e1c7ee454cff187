"""Create the database cache table, where the API token is shared by every process.

``manage.py migrate`` is all an operator runs; without this the first publish failed on a missing
``designer_cache`` table. ``createcachetable`` creates the table of every database cache in
``CACHES`` and leaves existing ones alone, so this is safe to run on any database.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_reconcile_decisions")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
