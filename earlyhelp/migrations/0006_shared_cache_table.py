from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", "earlyhelp_cache", database=schema_editor.connection.alias)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS earlyhelp_cache")


class Migration(migrations.Migration):
    """The "shared" cache's table (settings.CACHES), which every app server reads."""

    dependencies = [("earlyhelp", "0005_service_feedback")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
