from django.db import migrations

# PostgreSQL's defaults vacuum a table after 1,000 + 20 % of its rows in inserts, and analyse it after 50 + 10 %
# of its rows in changes: with 10,000 registrations, only after 3,000 new ones. Under the seat lock every submission
# counts its delegation's registrations with an index-only scan, which reads the table itself for each row on a page
# not yet marked visible to all (vacuum marks them): 3,400 such reads took 1.8 ms, the same rows after a vacuum
# 0.27 ms (docs/PERFORMANCE.md, fifth pass). Here: after every 500 inserts or changes, whatever the table's size.
SETTINGS = {
    "autovacuum_vacuum_insert_threshold": 500,
    "autovacuum_vacuum_insert_scale_factor": 0,
    "autovacuum_vacuum_threshold": 500,
    "autovacuum_vacuum_scale_factor": 0,
    "autovacuum_analyze_threshold": 500,
    "autovacuum_analyze_scale_factor": 0,
}


def set_autovacuum(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no vacuum daemon; its counts read the rows themselves
    table = schema_editor.quote_name(apps.get_model("registrations", "Registration")._meta.db_table)
    options = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
    schema_editor.execute(f"ALTER TABLE {table} SET ({options})")


def reset_autovacuum(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("registrations", "Registration")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    """The registrations table vacuumed and analysed after every 500 new or changed rows (PostgreSQL)."""

    dependencies = [
        ("registrations", "0034_registration_state_index"),
    ]

    operations = [migrations.RunPython(set_autovacuum, reset_autovacuum, elidable=False)]
