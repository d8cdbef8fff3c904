"""One seat rule: every count (ORM, raw page query, admin list) agrees with taking_seats() and holding()."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from registrations import selectors, services
from registrations.models import Delegation, Invitation, Registration
from registrations.services.codes import email_confirm_code
from tests.conftest import make_delegation, submit

Status = Registration.Status


def every_state(*, seats: int = 6) -> Delegation:
    """A delegation with a registration in every first-come status and invitations live, used, revoked and expired."""
    starts_on = (timezone.now() + timedelta(days=30)).date()
    delegation = make_delegation(seats=seats, email_confirmation_hours=24, starts_on=starts_on, ends_on=starts_on + timedelta(days=2))
    sector = delegation.sectors.first()
    deadline = timezone.now() + timedelta(days=3)
    live = services.invitation_create(delegation=delegation, full_name="Live", email="live@example.kr", sector=sector, expires_at=deadline)
    used = services.invitation_create(delegation=delegation, full_name="Used", email="used@example.kr", sector=sector, expires_at=deadline)
    submit(delegation, invitation=used, email="used@example.kr")  # confirmed on the invitation's seat
    revoked = services.invitation_create(delegation=delegation, full_name="Gone", email="gone@example.kr", sector=sector, expires_at=deadline)
    services.invitation_revoke(invitation=revoked)
    to_confirm, cancelled, unconfirmed = submit(delegation), submit(delegation), submit(delegation)
    services.registration_email_confirm(registration=to_confirm, code=email_confirm_code(to_confirm))
    submit(delegation)  # the last seat: unconfirmed; everyone after waits
    offered, waitlisted = submit(delegation), submit(delegation)
    services.registration_email_confirm(registration=offered, code=email_confirm_code(offered))  # offers need a proven address
    services.registration_cancel(registration=cancelled)  # its seat is offered to the first in line
    expired = Invitation.objects.create(
        delegation=delegation,
        full_name="Late",
        email="late@example.kr",
        sector=sector,
        expires_at=timezone.now() - timedelta(hours=1),
    )
    statuses = dict(Registration.objects.filter(delegation=delegation).values_list("pk", "status"))
    assert statuses[offered.pk] == Status.OFFERED and statuses[waitlisted.pk] == Status.WAITLISTED
    assert statuses[unconfirmed.pk] == Status.UNCONFIRMED and live.is_holding() and not expired.is_holding()
    return delegation


def test_seat_statuses_are_confirmed_offered_and_awaiting_email(db):
    assert set(Registration.SEAT_STATUSES) == {Status.CONFIRMED, Status.OFFERED, Status.UNCONFIRMED}


def test_taking_seats_is_the_seat_statuses(db):
    delegation = every_state()

    taking = Registration.objects.filter(delegation=delegation).taking_seats()

    assert sorted(taking.values_list("status", flat=True)) == sorted(
        [Status.CONFIRMED, Status.CONFIRMED, Status.OFFERED, Status.UNCONFIRMED, Status.UNCONFIRMED]
    )


def test_holding_agrees_with_is_holding_for_every_invitation(db):
    delegation = every_state()
    now = timezone.now()

    holding = set(Invitation.objects.holding(now).filter(delegation=delegation).values_list("pk", flat=True))

    assert holding == {i.pk for i in Invitation.objects.filter(delegation=delegation) if i.is_holding(now)}
    assert len(holding) == 1


def test_raw_page_query_and_orm_counts_agree(db):
    delegation = every_state()

    orm = selectors.seat_counts(delegation=delegation)
    raw = selectors.seat_counts_annotated(delegation=selectors.delegation_page(slug=delegation.slug))
    listed = selectors.seat_counts_annotated(delegation=selectors.delegations_with_counts().get(pk=delegation.pk))

    assert (orm.taken, orm.left, orm.held, orm.unconfirmed) == (6, 0, 1, 2)
    for other in (raw, listed):
        assert (other.taken, other.left, other.held, other.confirmed, other.offered, other.unconfirmed, other.waitlisted) == (
            orm.taken,
            orm.left,
            orm.held,
            orm.confirmed,
            orm.offered,
            orm.unconfirmed,
            orm.waitlisted,
        )


def test_submission_state_agrees_with_the_counts_the_expiries_and_the_duplicate_check(db):
    delegation = every_state()
    now = timezone.now()
    offered = Registration.objects.get(delegation=delegation, status=Status.OFFERED)
    waiting = Registration.objects.get(delegation=delegation, status=Status.WAITLISTED)

    def state(email: str = "nobody@example.kr", at=now):
        return selectors.delegation_submission_state(pk=delegation.pk, email=email, now=at)

    orm, read = selectors.seat_counts(delegation=delegation, now=now), selectors.seat_counts_annotated(delegation=state())
    assert (read.taken, read.left, read.held, read.confirmed, read.offered, read.unconfirmed, read.waitlisted, read.pending, read.last_position) == (
        orm.taken,
        orm.left,
        orm.held,
        orm.confirmed,
        orm.offered,
        orm.unconfirmed,
        orm.waitlisted,
        orm.pending,
        orm.last_position,
    )
    assert (state().due_count, state().offerable_count) == (0, 0)  # the one waiting has not confirmed their address
    # past every deadline, what services.seats._expire_due cancels: the offer, both unconfirmed seats, the waiting place
    later = max(offered.offer_expires_at, waiting.email_confirm_by) + timedelta(seconds=1)
    due = Registration.objects.filter(delegation=delegation).filter(
        Q(status=Status.OFFERED, offer_expires_at__lte=later) | Q(status__in=[Status.UNCONFIRMED, Status.WAITLISTED], email_confirm_by__lte=later),
    )
    assert state(at=later).due_count == due.count() == 4
    for registration in Registration.objects.filter(delegation=delegation):
        for email in (registration.email, registration.email.upper(), f" {registration.email} "):
            assert bool(state(email).email_taken) == selectors.email_is_registered(delegation=delegation, email=email)
    assert not state().email_taken
    Registration.objects.filter(pk=waiting.pk).update(email_confirm_by=None)
    assert state().offerable_count == 1


def test_sector_counts_add_up_to_the_seats_taken(db):
    delegation = every_state()

    assert sum(selectors.sector_seats_taken(delegation=delegation).values()) == selectors.seat_counts(delegation=delegation).taken


def test_admin_left_column_uses_the_rule(admin_client, db):
    delegation = every_state()
    Delegation.objects.filter(pk=delegation.pk).update(seats=7)  # one seat more, not yet offered: one left
    delegation.refresh_from_db()

    page = admin_client.get(reverse("admin:registrations_delegation_changelist")).content.decode()

    assert selectors.seat_counts(delegation=delegation).left == 1
    assert '<td class="field-left">1</td>' in page


@pytest.mark.django_db(transaction=True)
def test_delegation_lock_refuses_to_run_outside_a_transaction():
    delegation = make_delegation(seats=1)

    with pytest.raises(services.LockOutsideTransaction):
        services.delegation_lock(delegation.pk)
    with transaction.atomic():
        assert services.delegation_lock(delegation.pk) == delegation


@pytest.mark.django_db(transaction=True)
def test_seat_checks_that_lock_refuse_outside_a_transaction():
    delegation = make_delegation(seats=1)

    with pytest.raises(services.LockOutsideTransaction):
        services.delegation_check_seats_and_lock(delegation=delegation, seats=3)
