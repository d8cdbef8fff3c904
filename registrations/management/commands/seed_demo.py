"""Create the Incheon Tech Week delegation with its real programme in three languages. Idempotent."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from registrations import services
from registrations.core.i18n import CONTENT_LANGUAGES
from registrations.management.demo_content import DELEGATION, ITINERARY, QUESTIONS, SECTORS, SLUG
from registrations.models import Delegation, ItineraryItem, Question, Sector, Source

TRANSLATION_SUFFIXES = tuple(f"_{suffix}" for suffix, _language_name in CONTENT_LANGUAGES.values())


# Texts added after the first demo was seeded: filled in an existing demo delegation while still empty.
LATER_FIELDS = ("includes", "costs", "contact_email", "contact_wechat_id")


def fill_empty_translations(obj: models.Model, values: dict) -> None:
    """Fill translations, LATER_FIELDS and the letter's fields still empty (e.g. a delegation seeded before there were any); never overwrite."""
    missing = [
        name
        for name, value in values.items()
        if (name.endswith(TRANSLATION_SUFFIXES) or name in LATER_FIELDS or name.startswith("letter_")) and not getattr(obj, name)
    ]
    for name in missing:
        setattr(obj, name, values[name])
    if missing:
        obj.save(update_fields=missing)


# Sources: printed as /q/<code> short links (see docs/organizers.md "Sources and posters").
SOURCES = [("article", "TMTPost article"), ("poster", "Printed poster")]


class Command(BaseCommand):
    help = "Create the Incheon Tech Week demo delegation (idempotent). --seats N sets the seat count."

    def add_arguments(self, parser):
        parser.add_argument("--seats", type=int, help="Set the number of seats (refused below the seats taken).")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--review", action="store_true", help="Put the delegation in application-review mode.")
        mode.add_argument(
            "--first-come",
            action="store_true",
            help="Back to first come: pending applications are confirmed while seats are left, then waitlisted.",
        )

    def handle(self, *args, seats=None, review=False, first_come=False, **options):
        with transaction.atomic():
            delegation, created = Delegation.objects.get_or_create(slug=SLUG, defaults=DELEGATION)
            fill_empty_translations(delegation, DELEGATION)
            for order, sector in enumerate(SECTORS, start=1):
                row, _created = Sector.objects.get_or_create(delegation=delegation, name=sector["name"], defaults={"order": order, **sector})
                fill_empty_translations(row, sector)
            for item in ITINERARY:
                row, _created = ItineraryItem.objects.get_or_create(delegation=delegation, order=item["order"], defaults=item)
                fill_empty_translations(row, item)
                if item.get("is_optional") and not row.is_optional:
                    # A database seeded before visits had places: make the visit optional once.
                    services.visit_set_places(visit=row, is_optional=True, capacity=item["capacity"])
            for code, name in SOURCES:
                Source.objects.get_or_create(code=code, defaults={"delegation": delegation, "name": name})
            for question in QUESTIONS:
                fields = {name: value for name, value in question.items() if name != "visit_order"}
                if "visit_order" in question:
                    fields["visit"] = delegation.itinerary.get(order=question["visit_order"])
                Question.objects.get_or_create(delegation=delegation, code=question["code"], defaults=fields)
        if seats is not None and seats != delegation.seats:
            try:
                services.delegation_set_seats(delegation=delegation, seats=seats)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        if review and not delegation.is_review:
            services.delegation_set_mode(delegation=delegation, mode=Delegation.Mode.REVIEW)
        if first_come and delegation.is_review:
            plan = services.delegation_set_mode(delegation=delegation, mode=Delegation.Mode.FIRST_COME)
            self.stdout.write(f"{len(plan.confirm)} pending confirmed, {len(plan.waitlist)} put on the waiting list.")
        verb = "Created" if created else "Kept"
        mode = delegation.get_registration_mode_display()
        self.stdout.write(f"{verb} delegation '{delegation.slug}' with {delegation.seats} seats ({mode}).")
