from django.core.management import call_command

from registrations.models import Delegation, ItineraryItem


def optional_visits():
    return list(ItineraryItem.objects.filter(is_optional=True).order_by("starts_at").values_list("title", "capacity"))


def test_seed_demo_makes_two_site_visits_optional_with_their_places(db):
    call_command("seed_demo")

    assert optional_visits() == [("Songdo Bio Industrial Park and Samsung Biologics", 20), ("Seoul Pharmaceutical Base", 15)]


def test_seed_demo_upgrades_a_delegation_seeded_before_visits_had_places_once(db):
    call_command("seed_demo")
    ItineraryItem.objects.update(is_optional=False, capacity=None)

    call_command("seed_demo")
    call_command("seed_demo")

    assert optional_visits() == [("Songdo Bio Industrial Park and Samsung Biologics", 20), ("Seoul Pharmaceutical Base", 15)]


def test_seed_demo_keeps_places_an_organizer_changed(db):
    call_command("seed_demo")
    delegation = Delegation.objects.get(slug="incheon-tech-week")
    ItineraryItem.objects.filter(delegation=delegation, title="Seoul Pharmaceutical Base").update(capacity=40)

    call_command("seed_demo")

    assert ItineraryItem.objects.get(title="Seoul Pharmaceutical Base").capacity == 40
