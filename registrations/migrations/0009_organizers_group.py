"""The "Organizers" group: what staff need to run registrations and itineraries, and nothing about users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Organizers"

# model -> permission actions (plus custom codenames). Deleting registrations, check-ins or e-mails is
# left out on purpose: those go through services (cancel, undo, anonymise), never a raw delete.
PERMISSIONS = {
    "delegation": ["add", "change", "view"],
    "sector": ["add", "change", "delete", "view"],
    "itineraryitem": ["add", "change", "delete", "view"],
    "registration": ["change", "view"],
    "statuschange": ["view"],
    "invitation": ["add", "change", "view"],
    "outboxemail": ["change", "view"],
    "visitbooking": ["change", "view"],
    "source": ["add", "change", "view"],
    "sourcescan": ["view"],
    "checkin": ["change", "view", "check_in"],
}


def codenames() -> list[str]:
    names = []
    for model, actions in PERMISSIONS.items():
        names += [action if "_" in action else f"{action}_{model}" for action in actions]
    return names


def create_group(apps, schema_editor):
    # Permissions are normally created after migrations; create this app's now so the group can hold them.
    app_config = apps.get_app_config("registrations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    wanted = Permission.objects.filter(content_type__app_label="registrations", codename__in=codenames())
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0008_translations_and_language"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
