"""The "Organizers" group (data migration): enough to run the delegation, nothing about users."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from registrations.models import Delegation, Registration
from tests.conftest import make_delegation, submit


@pytest.fixture
def organizer_client(client, db):
    user = User.objects.create_user("organizer", password="organizer-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Organizers"))
    client.force_login(user)
    return client


def test_organizers_group_exists_with_registration_permissions(db):
    codenames = set(Group.objects.get(name="Organizers").permissions.values_list("codename", flat=True))

    assert {"change_registration", "view_registration", "change_delegation", "add_invitation", "check_in"} <= codenames
    # add_user only for the "Add check-in staff" page; Django's user admin needs change_user as well.
    assert {name for name in codenames if name.endswith("_user") or name.endswith("_group")} == {"add_user"}
    assert "delete_registration" not in codenames


def test_organizer_runs_registrations_and_itinerary(organizer_client):
    delegation = make_delegation(seats=1, registration_mode=Delegation.Mode.REVIEW)
    application = submit(delegation)

    for name in ["registration", "delegation", "invitation", "itineraryitem", "source", "outboxemail", "visitbooking"]:
        assert organizer_client.get(reverse(f"admin:registrations_{name}_changelist")).status_code == 200, name
    assert organizer_client.get(reverse("admin:registrations_delegation_dashboard", args=[delegation.pk])).status_code == 200
    response = organizer_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "confirm_selected", "_selected_action": [application.pk]},
        follow=True,
    )

    application.refresh_from_db()
    assert application.status == Registration.Status.CONFIRMED
    assert "Confirmed 1 registration." in response.content.decode()


def test_organizer_cannot_manage_users(organizer_client):
    assert organizer_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert organizer_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert organizer_client.get(reverse("admin:auth_user_add")).status_code == 403


def test_nobody_deletes_registrations_in_admin(admin_client, delegation):
    registration = submit(delegation)

    response = admin_client.get(reverse("admin:registrations_registration_delete", args=[registration.pk]))

    assert response.status_code == 403
