"""Dates in English read the same to organizers everywhere: months as words, 24-hour times (incheon_delegation/formats/en)."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from registrations.models import Delegation, Registration
from tests.checkin_helpers import person, trip


def test_english_short_dates_put_the_day_first_and_times_use_24_hours():
    moment = datetime.combine(timezone.localdate() + timedelta(days=30), time(23, 59))  # any day: relative to today
    with translation.override("en"):
        assert date_format(moment.date(), "SHORT_DATE_FORMAT") == f"{moment.day} {moment:%b} {moment.year}"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == f"{moment.day} {moment:%b} {moment.year}, 23:59"
        assert date_format(moment, "DATETIME_FORMAT") == date_format(moment, "N j, Y") + ", 23:59"


def test_admin_lists_show_unambiguous_dates(admin_client, db):
    delegation = trip()
    delegate = person(delegation)
    afternoon = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(16, 5)))
    Registration.objects.filter(pk=delegate.pk).update(created_at=afternoon)
    delegation = Delegation.objects.get(pk=delegation.pk)

    delegations = admin_client.get(reverse("admin:registrations_delegation_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    registrations = admin_client.get(reverse("admin:registrations_registration_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    starts = delegation.starts_on
    assert f"{starts.day} {starts:%b} {starts.year}" in delegations
    assert starts.strftime("%m/%d/%Y") not in delegations
    with translation.override("en"):
        assert date_format(timezone.localtime(afternoon), "N j, Y") + ", 16:05" in registrations
    assert "a.m." not in registrations and "p.m." not in registrations
