"""Create the Incheon Tech Week delegation with its real programme. Idempotent."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from registrations import services
from registrations.models import Delegation, ItineraryItem, Sector, Source

SEOUL = ZoneInfo("Asia/Seoul")
SLUG = "incheon-tech-week"

DELEGATION = {
    "title": "AsianFin Global Business Leaders Club: Delegation to Incheon Tech Week",
    "organizer": "AsianFin Global Business Leaders Club · TMTPost · American AsianFin",
    "city": "Incheon, South Korea",
    "starts_on": date(2027, 4, 13),
    "ends_on": date(2027, 4, 16),
    "summary": (
        "Executives of China's star companies in biotechnology, automotive and autonomous driving, "
        "clean energy and smart logistics meet their Korean counterparts, policymakers and industry "
        "leaders at Incheon Tech Week."
    ),
    "story": (
        "The AsianFin Global Business Leaders Club, jointly initiated by TMTPost and the American AsianFin, "
        "leads a delegation of executives from Chinese companies in four fields to Incheon Tech Week in South Korea. "
        "Participants join the key activities of Tech Week and exchange with dozens of Korean policymakers and "
        "leaders of key industries.\n\n"
        "The delegation visits Incheon Yeongjong Logistics Industrial Park, Songdo Bio Industrial Park and the Seoul "
        "Pharmaceutical Base, and meets Samsung Biologics, CJ Logistics (CJ Group, Korea's largest logistics company) "
        "and Hyundai Group, as well as global companies established in Korea: Songdo hosts Merck, Sartorius, Cytiva "
        "and Thermo Fisher Scientific beside Samsung Biologics, Lotte Biologics, Celltrion and SK Biopharmaceuticals.\n\n"
        "Incheon's biopharmaceutical capacity is 1.16 million litres, the largest of any single city, and the Songdo "
        "bio cluster has 11 industrial parks. In 2023, 98,560 tonnes of sea-air intermodal cargo arrived at Incheon "
        "Airport by sea and flew on to third countries (+43.1% on 2022), 99.6% of it from China "
        "(Weihai → Incheon/Pyeongtaek/Gunsan → Incheon Airport → North America and Europe).\n\n"
        "The Incheon Future Industry Map plans four belts: Bio-Semiconductor-Materials/Parts/Equipment (Songdo, "
        "Namdong, Yeongjong); Robotics-Mobility-Advanced Medical (Cheongna); Eco-Friendly Future Energy (Geomdan, "
        "Yonghyeong); ICT Convergence (Juan, Bupyeong, Gyeyang), with 73 trillion KRW of market value expected by 2050.\n\n"
        "There are limited seats available for this delegation. Interested company executives are welcome to register."
    ),
    "seats": 30,
    "registration_closes_at": datetime(2027, 3, 31, 23, 59, tzinfo=SEOUL),
    "is_published": True,
}

SECTORS = ["Biotechnology", "Automotive and autonomous driving", "Clean energy", "Smart logistics"]


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date(2027, 4, day), time(hour, minute), tzinfo=SEOUL)


ITINERARY = [
    {"order": 1, "title": "Incheon Tech Week opening and policy exchange",
     "hosts": "Incheon Metropolitan City · Korean policymakers and industry leaders",
     "location": "Songdo Convensia, 123 Central-ro, Yeonsu-gu, Incheon",
     "starts_at": _at(13, 9, 30), "ends_at": _at(13, 12, 30),
     "description": "Opening ceremony of Incheon Tech Week, then a round table with dozens of Korean policymakers "
                    "and leaders of key industries on the Incheon Future Industry Map."},
    {"order": 2, "title": "Songdo Bio Industrial Park and Samsung Biologics",
     "hosts": "Samsung Biologics · Songdo bio cluster",
     "location": "Songdo Bio Industrial Park, Yeonsu-gu, Incheon",
     "starts_at": _at(13, 14, 0), "ends_at": _at(13, 17, 30), "is_optional": True, "capacity": 20,
     "description": "Site visit to the world's largest single-city biopharmaceutical capacity (1.16 million litres) "
                    "and a meeting with Samsung Biologics; global companies in Songdo include Merck, Sartorius, "
                    "Cytiva and Thermo Fisher Scientific."},
    {"order": 3, "title": "Incheon Yeongjong Logistics Industrial Park and CJ Logistics",
     "hosts": "CJ Logistics (CJ Group)",
     "location": "Yeongjong Logistics Industrial Park, Jung-gu, Incheon",
     "starts_at": _at(14, 9, 0), "ends_at": _at(14, 12, 0),
     "description": "Sea-air intermodal logistics at Incheon Airport: 98,560 tonnes in 2023, 99.6% of it from China. "
                    "Meeting with CJ Logistics, Korea's largest logistics company."},
    {"order": 4, "title": "Hyundai Group meeting: mobility and clean energy",
     "hosts": "Hyundai Group",
     "location": "Hyundai Motor Group, Seoul",
     "starts_at": _at(14, 14, 30), "ends_at": _at(14, 17, 0),
     "description": "Automotive, autonomous driving and hydrogen: exchange with Hyundai Group executives."},
    {"order": 5, "title": "Seoul Pharmaceutical Base",
     "hosts": "Seoul pharmaceutical companies",
     "location": "Seoul Pharmaceutical Base, Seoul",
     "starts_at": _at(15, 9, 30), "ends_at": _at(15, 12, 30), "is_optional": True, "capacity": 15,
     "description": "Site visit and exchange with Korean pharmaceutical manufacturers."},
    {"order": 6, "title": "Closing matchmaking with Korean counterparts",
     "hosts": "Incheon Tech Week · AsianFin Global Business Leaders Club",
     "location": "Songdo Convensia, Incheon",
     "starts_at": _at(16, 10, 0), "ends_at": _at(16, 16, 0),
     "description": "One-to-one meetings between delegation companies and Korean companies in the same four fields."},
]


# Channels: printed as /q/<code> short links (see README "Channels, posters and check-in").
SOURCES = [("article", "TMTPost article"), ("poster", "Printed poster")]


class Command(BaseCommand):
    help = "Create the Incheon Tech Week demo delegation (idempotent). --seats N sets the seat count."

    def add_arguments(self, parser):
        parser.add_argument("--seats", type=int, help="Set the number of seats (refused below the seats taken).")
        parser.add_argument("--review", action="store_true", help="Put the delegation in application-review mode.")

    def handle(self, *args, seats=None, review=False, **options):
        with transaction.atomic():
            delegation, created = Delegation.objects.get_or_create(slug=SLUG, defaults=DELEGATION)
            for order, name in enumerate(SECTORS, start=1):
                Sector.objects.get_or_create(delegation=delegation, name=name, defaults={"order": order})
            for item in ITINERARY:
                visit, _ = ItineraryItem.objects.get_or_create(delegation=delegation, order=item["order"], defaults=item)
                if item.get("is_optional") and not visit.is_optional:
                    # A database seeded before visits had places: make the visit optional once.
                    services.visit_set_places(visit=visit, is_optional=True, capacity=item["capacity"])
            for code, name in SOURCES:
                Source.objects.get_or_create(code=code, defaults={"delegation": delegation, "name": name})
        if seats is not None and seats != delegation.seats:
            try:
                services.delegation_set_seats(delegation=delegation, seats=seats)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        if review and not delegation.is_review:
            Delegation.objects.filter(pk=delegation.pk).update(registration_mode=Delegation.Mode.REVIEW)
            delegation.registration_mode = Delegation.Mode.REVIEW
        verb = "Created" if created else "Kept"
        mode = delegation.get_registration_mode_display()
        self.stdout.write(f"{verb} delegation '{delegation.slug}' with {delegation.seats} seats ({mode}).")
