import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from registrations.models import Delegation, ItineraryItem, Registration, Sector

from .conftest import submit


def snapshot():
    return (
        list(Delegation.objects.values()),
        list(Sector.objects.values()),
        list(ItineraryItem.objects.values()),
    )


def test_seed_demo_creates_the_incheon_delegation(db):
    call_command("seed_demo")

    delegation = Delegation.objects.get(slug="incheon-tech-week")
    assert delegation.seats == 30 and delegation.is_published
    assert list(delegation.sectors.values_list("name", flat=True)) == [
        "Biotechnology", "Automotive and autonomous driving", "Clean energy", "Smart logistics"]
    titles = " ".join(delegation.itinerary.values_list("title", flat=True))
    assert delegation.itinerary.count() >= 6
    for place in ["Songdo Bio Industrial Park", "Yeongjong Logistics", "Hyundai Group", "Seoul Pharmaceutical Base"]:
        assert place in titles
    assert len({item.starts_at.date() for item in delegation.itinerary.all()}) >= 3


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = snapshot()

    call_command("seed_demo")

    assert snapshot() == before


def test_seed_demo_seats_option(db):
    call_command("seed_demo", "--seats", "3")

    assert Delegation.objects.get(slug="incheon-tech-week").seats == 3


def test_seed_demo_seats_below_confirmed_is_refused(db):
    call_command("seed_demo", "--seats", "3")
    delegation = Delegation.objects.get()
    submit(delegation), submit(delegation)

    with pytest.raises(CommandError):
        call_command("seed_demo", "--seats", "1")

    assert Registration.objects.filter(status="confirmed").count() == 2


def test_ensure_admin_creates_one_superuser_with_random_password(db, capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out

    password = first.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.check_password(password)
    assert len(password) >= 12
    assert "exists already" in second
    assert get_user_model().objects.count() == 1
