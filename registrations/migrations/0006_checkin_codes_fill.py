"""Give every existing registration its own check-in code before the column becomes unique."""

import secrets

from django.db import migrations


def fill_checkin_codes(apps, schema_editor):
    Registration = apps.get_model("registrations", "Registration")
    for registration in Registration.objects.filter(checkin_code__isnull=True).only("pk").iterator():
        Registration.objects.filter(pk=registration.pk).update(checkin_code=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [("registrations", "0005_sources_scans_checkins")]

    operations = [migrations.RunPython(fill_checkin_codes, migrations.RunPython.noop)]
