"""Real concurrency: many phones scan one short link; several staff scan one delegate at once."""

import pytest
from django.test import Client

from registrations import services
from registrations.models import CheckIn, Source, SourceScan
from registrations.selectors import sources
from tests.conftest import make_delegation, submit
from tests.helpers import run_at_once
from tests.test_checkin import checkin_staff

SCANS = 40


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_scans_are_all_counted():
    source = Source.objects.create(delegation=make_delegation(), name="Forum poster", code="forum")
    phones = [Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile MicroMessenger/8.0") for _ in range(SCANS)]

    statuses, errors = run_at_once([lambda phone=phone: phone.get("/q/forum").status_code for phone in phones])

    assert errors == []
    assert statuses == [302] * SCANS
    assert SourceScan.objects.filter(source=source).count() == SCANS
    assert sources.sources_with_counts().get(pk=source.pk).scan_count == SCANS


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_checkins_of_one_delegate_record_one_and_agree_on_it():
    delegation = make_delegation()
    registration, item = submit(delegation), delegation.itinerary.first()
    staff = [checkin_staff(f"gate{number}") for number in range(8)]

    checkins, errors = run_at_once([lambda user=user: services.checkin_record(registration=registration, item=item, by=user) for user in staff])
    results = [(checkin.pk, created) for checkin, created in checkins]

    only = CheckIn.objects.get()
    assert errors == []
    assert sorted(created for _, created in results) == [False] * 7 + [True]
    assert {pk for pk, _ in results} == {only.pk}
