"""Scans under real concurrency: many phones open the same short link at the same instant."""

import threading

import pytest
from django.db import connections
from django.test import Client

from registrations import attribution
from registrations.models import Source, SourceScan

from .conftest import make_delegation

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
