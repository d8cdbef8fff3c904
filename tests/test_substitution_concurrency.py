"""Seat substitution under real concurrency (threads, own connections): it races a cancellation, or a second substitution."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registrations import selectors, services
from registrations.models import OutboxEmail, Registration, SeatHandover
from registrations.services import substitution
from tests.conftest import make_delegation, submit
from tests.helpers import run_at_once
from tests.substitution_helpers import colleague

Status = Registration.Status
Kind = OutboxEmail.Kind


def _delegate(delegation) -> Registration:
    return submit(delegation, company="Weihai Smart Logistics Co.", full_name="张三", email="zhang@example.cn")


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_substitution_racing_a_cancellation_through_the_old_link_ends_consistent():
    delegation = make_delegation(seats=1)
    old = _delegate(delegation)
    waiting = submit(delegation)
    handover = services.seat_handover_request(registration=old, new_person=colleague())
    stale = Registration.objects.get(pk=old.pk)  # what the old private link's page loaded

    results, errors = run_at_once(
        [
            lambda: services.seat_handover_accept(handover=handover),
            lambda: services.registration_cancel(registration=stale),
        ]
    )

    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], ValidationError)
    seat = Registration.objects.get(pk=old.pk)
    waiting.refresh_from_db()
    if seat.status == Status.CONFIRMED:  # the handover won: the old link's cancel was refused
        assert (seat.full_name, waiting.status) == ("李四", Status.WAITLISTED)
        assert OutboxEmail.objects.filter(kind=Kind.HANDOVER_WELCOME).count() == 1
    else:  # the cancel won: the seat went to the waiting list and the handover could not complete
        assert (seat.status, seat.full_name, waiting.status) == (Status.CANCELLED, "张三", Status.OFFERED)
        assert OutboxEmail.objects.filter(kind=Kind.HANDOVER_WELCOME).count() == 0
    assert SeatHandover.objects.count() == 0
    assert selectors.seat_counts(delegation=delegation).taken == 1


def _two_substitutions(delegation) -> tuple[list, list]:
    old = _delegate(delegation)
    stale = Registration.objects.get(pk=old.pk)
    return run_at_once(
        [
            lambda: services.registration_substitute(registration=stale, new_person=colleague()),
            lambda: services.registration_substitute(registration=stale, new_person=colleague(full_name="王五", email="wang@example.cn")),
        ]
    )


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_substitutions_of_the_same_seat_one_wins():
    delegation = make_delegation(seats=2)

    results, errors = _two_substitutions(delegation)

    assert len(results) == 1 and len(errors) == 1
    assert errors[0].messages == ["This seat has changed in the meantime (it may have been handed on already). Open the page again."]
    [seat] = Registration.objects.filter(delegation=delegation)
    assert seat.full_name == results[0].full_name and seat.token == results[0].token
    assert OutboxEmail.objects.filter(kind=Kind.HANDOVER_WELCOME).count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_substitutions_without_the_lock_both_succeed(monkeypatch):
    """The same race with the row locks removed: both "win", and one new person holds a dead link."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction (BEGIN IMMEDIATE); the row lock is a no-op there.")
    delegation = make_delegation(seats=2)

    def unlocked(registration):
        row = Registration.objects.select_related("delegation", "sector").get(pk=registration.pk)
        time.sleep(0.3)  # both read the seat before either writes
        return row

    monkeypatch.setattr(substitution, "_locked", unlocked)
    results, errors = _two_substitutions(delegation)

    assert errors == []
    assert OutboxEmail.objects.filter(kind=Kind.HANDOVER_WELCOME).count() == 2
    [seat] = Registration.objects.filter(delegation=delegation)
    assert {result.token for result in results} - {seat.token} != set()  # a welcome e-mail with a link that 404s
