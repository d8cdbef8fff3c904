"""Field (sector) changes under real concurrency: the delegation lock keeps each field within its seat cap."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registrations import selectors
from registrations.models import Delegation, Registration
from registrations.services import details
from tests.conftest import make_delegation, submit
from tests.helpers import run_at_once

Status = Registration.Status
PEOPLE, CAP = 12, 3


def everyone_moves_at_once(delegation: Delegation) -> tuple[int, list[BaseException]]:
    """``PEOPLE`` confirmed delegates in Biotechnology all move into Clean energy (cap ``CAP``) at the same instant."""
    bio, energy = delegation.sectors.get(name="Biotechnology"), delegation.sectors.get(name="Clean energy")
    energy.seat_cap = CAP
    energy.save()
    people = [submit(delegation, sector=bio) for _ in range(PEOPLE)]
    assert {person.status for person in people} == {Status.CONFIRMED}
    _, errors = run_at_once(
        [lambda person=person: details.registration_details_change(registration=person, changes={"sector": energy}) for person in people]
    )
    return Registration.objects.filter(delegation=delegation, sector=energy, status=Status.CONFIRMED).count(), errors


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_sector_change_never_exceeds_the_cap_under_concurrency():
    delegation = make_delegation(seats=PEOPLE)

    moved, errors = everyone_moves_at_once(delegation)

    assert moved == CAP
    assert len(errors) == PEOPLE - CAP
    assert {type(error) for error in errors} == {ValidationError}
    assert {error.messages[0] for error in errors} == {
        "Clean energy is full: its seats are all taken. Keep your field or choose one with seats left."
    }


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_sector_change_without_the_lock_exceeds_the_cap(monkeypatch):
    """The same scenario without the delegation lock fails: the lock is what keeps the cap."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write transaction (BEGIN IMMEDIATE); the row lock is a no-op there.")
    delegation = make_delegation(seats=PEOPLE)
    real_taken = selectors.sector_seats_taken

    def slow_taken(**kwargs):
        taken = real_taken(**kwargs)
        time.sleep(0.05)  # widen the window between counting and writing
        return taken

    monkeypatch.setattr(details, "delegation_lock", lambda pk: Delegation.objects.get(pk=pk))
    monkeypatch.setattr(details.selectors, "sector_seats_taken", slow_taken)

    moved, _errors = everyone_moves_at_once(delegation)

    assert moved > CAP
