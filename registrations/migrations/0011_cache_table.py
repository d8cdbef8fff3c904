"""The database cache table (rate limits, cached page parts when REDIS_URL is not set).

Created here so that every database that is migrated has it, whatever CACHES says today;
`python manage.py createcachetable` does the same and is harmless to run again.
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0010_production_grade")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
