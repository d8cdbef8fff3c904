"""Real concurrency: many phones scan one short link; several staff scan one delegate at once."""

import threading

import pytest
from django.db import connections
from django.test import Client

from registrations import attribution, services
from registrations.models import CheckIn, Source, SourceScan

from .conftest import make_delegation, submit
from .test_checkin import checkin_staff

SCANS = 40


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_scans_are_all_counted():
    source = Source.objects.create(delegation=make_delegation(), name="Forum poster", code="forum")
    barrier = threading.Barrier(SCANS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def scan():
        try:
            client = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile MicroMessenger/8.0")
            barrier.wait(timeout=30)
            statuses.append(client.get("/q/forum").status_code)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(SCANS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [302] * SCANS
    assert SourceScan.objects.filter(source=source).count() == SCANS
    assert attribution.sources_with_counts().get(pk=source.pk).scan_count == SCANS


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_checkins_of_one_delegate_record_one_and_agree_on_it():
    delegation = make_delegation()
    registration, item = submit(delegation), delegation.itinerary.first()
    staff = [checkin_staff(f"gate{number}") for number in range(8)]
    barrier = threading.Barrier(len(staff))
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def scan(user):
        try:
            barrier.wait(timeout=30)
            checkin, created = services.checkin_record(registration=registration, item=item, by=user)
            results.append((checkin.pk, created))
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    only = CheckIn.objects.get()
    assert errors == []
    assert sorted(created for _, created in results) == [False] * 7 + [True]
    assert {pk for pk, _ in results} == {only.pk}
