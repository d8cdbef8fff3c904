"""Dates in English read the same to organizers everywhere: day before month, 24-hour times (incheon_delegation/formats/en)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from registrations.models import Delegation, Registration
from tests.checkin_helpers import person, trip


def test_english_short_dates_put_the_day_first_and_times_use_24_hours():
    moment = datetime(2031, 4, 3, 23, 59)
    with translation.override("en"):
        assert date_format(moment.date(), "SHORT_DATE_FORMAT") == "3 Apr 2031"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "3 Apr 2031, 23:59"
        assert date_format(moment, "DATETIME_FORMAT") == "April 3, 2031, 23:59"


def test_admin_lists_show_unambiguous_dates(admin_client, db):
    delegation = trip()
    delegate = person(delegation)
    Registration.objects.filter(pk=delegate.pk).update(created_at=timezone.make_aware(datetime(2031, 4, 3, 16, 5)))
    delegation = Delegation.objects.get(pk=delegation.pk)

    delegations = admin_client.get(reverse("admin:registrations_delegation_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    registrations = admin_client.get(reverse("admin:registrations_registration_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert date_format(delegation.starts_on, "j M Y") in delegations
    assert delegation.starts_on.strftime("%m/%d/%Y") not in delegations
    local = timezone.localtime(Registration.objects.get(pk=delegate.pk).created_at)
    assert f"{local:%B} {local.day}, {local.year}, {local:%H:%M}" in registrations
    assert "a.m." not in registrations and "p.m." not in registrations
