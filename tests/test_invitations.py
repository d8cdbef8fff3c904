from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Delegation, Invitation, Registration
from tests.conftest import make_delegation, submit

Status = Registration.Status


def invite(delegation, **overrides):
    fields = {
        "delegation": delegation,
        "full_name": "Kim Min-jun",
        "email": "kim@example.kr",
        "sector": delegation.sectors.first(),
        "expires_at": timezone.now() + timedelta(days=3),
    }
    return services.invitation_create(**{**fields, **overrides})


def test_invitation_holds_a_seat(delegation):
    invite(delegation)
    submit(delegation)

    assert submit(delegation).status == Status.WAITLISTED


def test_invitation_refused_without_a_free_seat(delegation):
    submit(delegation), submit(delegation)

    with pytest.raises(ValidationError) as error:
        invite(delegation)

    assert error.value.messages == ["Only 0 seats left; 1 selected."]


def test_invitation_counts_against_sector_cap(db):
    delegation = make_delegation(seats=10)
    bio = delegation.sectors.get(name="Biotechnology")
    bio.seat_cap = 1
    bio.save()
    invite(delegation, sector=bio)

    assert submit(delegation, sector=bio).status == Status.WAITLISTED


def test_invitation_deadline_must_be_before_the_start(delegation):
    with pytest.raises(ValidationError):
        invite(delegation, expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        invite(delegation, expires_at=delegation.starts_at() + timedelta(hours=1))


def test_registering_through_invitation_confirms_and_skips_review(db):
    delegation = make_delegation(seats=1, registration_mode=Delegation.Mode.REVIEW)
    invitation = invite(delegation)

    registration = submit(delegation, invitation=invitation, email="kim@example.kr")

    invitation.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert invitation.used_at is not None
    assert services.seat_refusal_locked(delegation=delegation, sector=delegation.sectors.first()) == "Only 0 seats left; 1 selected."


def test_used_invitation_cannot_be_used_twice(delegation):
    invitation = invite(delegation)
    submit(delegation, invitation=invitation)

    with pytest.raises(ValidationError):
        submit(delegation, invitation=invitation)


def test_expired_invitation_releases_its_seat_at_once(delegation):
    invitation = invite(delegation)
    submit(delegation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert submit(delegation).status == Status.CONFIRMED


def test_revoked_invitation_offers_its_seat_to_the_waiting_list(delegation):
    invitation = invite(delegation)
    submit(delegation)
    waiting = submit(delegation)

    services.invitation_revoke(invitation=invitation)

    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_invitation_page_prefills_and_registers(client, delegation):
    invitation = invite(delegation, company="Samsung Biologics")
    url = reverse("registrations:invitation", kwargs={"token": invitation.token})

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "full_name": "Kim Min-jun",
            "company": "Samsung Biologics",
            "job_title": "VP",
            "sector": invitation.sector_id,
            "email": "kim@example.kr",
            "phone": "+82 10 1234 5678",
            "consent": "on",
        },
    )

    assert 'value="Kim Min-jun"' in page and "A seat is reserved for you" in page
    registration = Registration.objects.get()
    assert response["Location"] == registration.get_absolute_url()
    assert registration.status == Status.CONFIRMED and registration.invitation_id == invitation.pk


def test_invitation_page_after_use_says_not_valid(client, delegation):
    invitation = invite(delegation)
    submit(delegation, invitation=invitation)

    page = client.get(reverse("registrations:invitation", kwargs={"token": invitation.token})).content.decode()

    assert "This invitation is no longer valid" in page


def test_unknown_invitation_is_404(client, db):
    assert client.get("/i/nope/").status_code == 404
