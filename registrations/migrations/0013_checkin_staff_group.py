"""The "Check-in staff" group (the check-in permission, nothing else), and "Organizers" may add check-in staff.

Organizers get ``auth.add_user`` only: without ``auth.change_user`` Django's own user admin stays closed to
them (it refuses adding users without change), so the only way they add anyone is the "Add check-in
staff" page, which creates active staff users in this group and nothing else.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Check-in staff"
ORGANIZERS = "Organizers"


def _create_permissions(apps, label: str) -> None:
    # Permissions are normally created after migrations; create them now so the groups can hold them.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def create_group(apps, schema_editor):
    _create_permissions(apps, "registrations")
    _create_permissions(apps, "auth")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="registrations", codename="check_in"))
    organizers = Group.objects.filter(name=ORGANIZERS).first()
    if organizers is not None:
        organizers.permissions.add(*Permission.objects.filter(content_type__app_label="auth", codename="add_user"))


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=GROUP).delete()
    organizers = Group.objects.filter(name=ORGANIZERS).first()
    if organizers is not None:
        Permission = apps.get_model("auth", "Permission")
        organizers.permissions.remove(*Permission.objects.filter(content_type__app_label="auth", codename="add_user"))


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0012_admin_structure"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
