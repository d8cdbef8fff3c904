"""Invitations in admin: the only delegation preselected, a language, e-mail through the outbox, link and QR,
and withdrawing or deleting offers the freed seat to the waiting list at once."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Invitation, OutboxEmail, Registration
from tests.admin_forms import form_with, forms_of
from tests.trip_helpers import apply, make_trip

Status = Registration.Status


def add_url() -> str:
    return reverse("admin:registrations_invitation_add")


def change_url(invitation) -> str:
    return reverse("admin:registrations_invitation_change", args=[invitation.pk])


def invite(delegation, **overrides) -> Invitation:
    return services.invitation_create(
        **{
            "delegation": delegation,
            "full_name": "Guest Kim",
            "email": "guest@example.com",
            "sector": delegation.sectors.first(),
            "expires_at": timezone.now() + timedelta(days=7),
            "language": "ko",
            **overrides,
        }
    )


def selected(form, name):
    return [value for field, value in form.fields if field == name]


def test_invitation_add_form_preselects_the_only_delegation(admin_client, db):
    trip = make_trip()

    form = form_with(admin_client.get(add_url()).content.decode(), form_id="invitation_form")

    assert selected(form, "delegation") == [str(trip.pk)]


def test_invitation_add_form_preselects_nothing_with_two_delegations(admin_client, db):
    make_trip(), make_trip()

    form = form_with(admin_client.get(add_url()).content.decode(), form_id="invitation_form")

    assert selected(form, "delegation") == [""]


def test_invitation_added_through_the_whole_form_has_its_language(admin_client, db):
    trip = make_trip(seats=2)
    form = form_with(admin_client.get(add_url()).content.decode(), form_id="invitation_form")
    deadline = timezone.localtime(timezone.now() + timedelta(days=5))

    response = admin_client.post(
        add_url(),
        form.data(
            ("_save", ""),
            full_name="Guest Lee",
            email="lee@example.com",
            sector=trip.sectors.first().pk,
            expires_at_0=deadline.strftime("%Y-%m-%d"),
            expires_at_1=deadline.strftime("%H:%M:%S"),
            language="zh-hans",
        ),
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.delegation, invitation.language, invitation.full_name) == (trip, "zh-hans", "Guest Lee")
    assert invitation.is_holding()


def test_invitation_send_button_queues_the_email_in_its_language(admin_client, db):
    trip = make_trip()
    invitation = invite(trip, language="zh-hans")
    page = admin_client.get(change_url(invitation)).content.decode()
    form = form_with(page, action=reverse("admin:registrations_invitation_send", args=[invitation.pk]))

    response = admin_client.post(form.action, form.data(), follow=True)

    email = OutboxEmail.objects.get()
    assert (email.invitation, email.registration, email.recipient, email.language) == (invitation, None, "guest@example.com", "zh-hans")
    assert email.subject == f"邀请您参加：{trip.title_zh_hans}"
    assert settings.SITE_URL + invitation.get_absolute_url() in email.body_text
    assert "Queued 1 invitation e-mail." in response.content.decode()


def test_invitation_email_is_sent_by_the_outbox(db, mailoutbox):
    invitation = invite(make_trip(), language="ko")
    email = services.invitation_send(invitation=invitation)

    from registrations.services import outbox

    summary = outbox.outbox_send_due()

    assert (summary.sent, len(mailoutbox)) == (1, 1)
    assert mailoutbox[0].to == ["guest@example.com"] and mailoutbox[0].subject.startswith("초대")
    assert OutboxEmail.objects.get(invitation=email).status == OutboxEmail.Status.SENT


def test_invitation_send_refused_once_withdrawn(admin_client, db):
    invitation = invite(make_trip())
    services.invitation_revoke(invitation=invitation)

    response = admin_client.post(reverse("admin:registrations_invitation_send", args=[invitation.pk]), follow=True)

    assert "Guest Kim: This invitation is no longer valid" in response.content.decode()
    assert OutboxEmail.objects.count() == 0


def test_invitation_page_shows_link_and_qr_png(admin_client, db):
    invitation = invite(make_trip())
    page = admin_client.get(change_url(invitation)).content.decode()
    qr_url = reverse("admin:registrations_invitation_qr", args=[invitation.pk])

    png = admin_client.get(qr_url + "?size=256")

    assert settings.SITE_URL + invitation.get_absolute_url() in page
    assert f'<img src="{qr_url}?size=256"' in page
    assert (png.status_code, png["Content-Type"], png.content[:8]) == (200, "image/png", b"\x89PNG\r\n\x1a\n")


def test_invitation_qr_needs_view_permission(client, db):
    from django.contrib.auth.models import User

    invitation = invite(make_trip())
    client.force_login(User.objects.create_user("staff", password="pw", is_staff=True))

    assert client.get(reverse("admin:registrations_invitation_qr", args=[invitation.pk])).status_code == 403


def full_trip_with_waiting_person():
    trip = make_trip(seats=2)
    apply(trip)
    invitation = invite(trip)
    waiting = apply(trip)
    assert waiting.status == Status.WAITLISTED
    return invitation, waiting


def test_invitation_deleted_in_admin_offers_the_seat_to_the_waiting_list(admin_client, db):
    invitation, waiting = full_trip_with_waiting_person()
    delete_url = reverse("admin:registrations_invitation_delete", args=[invitation.pk])
    form = form_with(admin_client.get(delete_url).content.decode(), action="")

    response = admin_client.post(delete_url, form.data(), follow=True)

    assert not Invitation.objects.exists()
    assert Registration.objects.get(pk=waiting.pk).status == Status.OFFERED
    assert "1 person on the waiting list was offered a seat." in response.content.decode()


def test_invitation_bulk_delete_in_admin_offers_the_seat_to_the_waiting_list(admin_client, db):
    invitation, waiting = full_trip_with_waiting_person()
    changelist = reverse("admin:registrations_invitation_changelist")
    form = form_with(admin_client.get(changelist).content.decode(), form_id="changelist-form")
    confirm_page = admin_client.post(changelist, form.data(action="delete_selected", _selected_action=invitation.pk)).content.decode()
    confirm = next(f for f in forms_of(confirm_page) if ("post", "yes") in f.fields)

    admin_client.post(changelist, confirm.data())

    assert not Invitation.objects.exists()
    assert Registration.objects.get(pk=waiting.pk).status == Status.OFFERED


def test_invitation_withdrawn_in_admin_offers_the_seat_to_the_waiting_list(admin_client, db):
    invitation, waiting = full_trip_with_waiting_person()
    changelist = reverse("admin:registrations_invitation_changelist")
    form = form_with(admin_client.get(changelist).content.decode(), form_id="changelist-form")

    admin_client.post(changelist, form.data(action="revoke_selected", _selected_action=invitation.pk))

    assert Invitation.objects.get().revoked_at is not None
    assert Registration.objects.get(pk=waiting.pk).status == Status.OFFERED


def test_anonymising_an_invited_registration_erases_the_invitation_email(db):
    trip = make_trip()
    invitation = invite(trip)
    services.invitation_send(invitation=invitation)
    person = services.registration_submit(
        delegation=trip,
        full_name="Guest Kim",
        company="Firm",
        job_title="CEO",
        sector=invitation.sector,
        email="guest@example.com",
        phone="+82 10 0000 0000",
        invitation=invitation,
    )

    services.registration_anonymise(registration=person)

    assert OutboxEmail.objects.filter(invitation=invitation).count() == 0
    assert OutboxEmail.objects.filter(recipient="guest@example.com").count() == 0
