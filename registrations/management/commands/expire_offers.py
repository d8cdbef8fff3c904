"""Expire seat offers past their deadline and offer freed seats to the waiting list (cron-friendly)."""

from django.core.management.base import BaseCommand

from registrations import services
from registrations.models import Delegation


class Command(BaseCommand):
    help = "Expire waiting-list offers and invitations past their deadline; offer the freed seats. Run every few minutes."

    def handle(self, *args, **options):
        offers = 0
        for delegation in Delegation.objects.order_by("pk"):
            offers += len(services.seats_settle(delegation=delegation))
        self.stdout.write(f"Made {offers} new offer(s).")
